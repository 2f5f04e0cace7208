"""The crawl harness: the real spiders, settings, middlewares and pipelines, in this process.

``await crawl(source, archive, origin=..., **spider_args)`` runs one crawl
against a local server and returns what it produced as data: the items as the
feed would write them and the final stats. ``await crawl_all(...)`` runs
several at once on the one reactor (each with its own settings), which costs a
fraction of as many ``scrapy crawl`` processes. Politeness is lowered for
loopback only (``LOOPBACK_SETTINGS``).

Use a subprocess only where the process boundary is what the test is about
(SIGKILL, signals, exit codes, the command line): ``scrapy_crawl_command``.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.crawler import Crawler, CrawlerRunner
from scrapy.settings import Settings
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.project import get_project_settings
from scrapy.utils.serialize import ScrapyJSONEncoder

#: Politeness lowered for loopback only: never use these against a real site.
LOOPBACK_SETTINGS: dict[str, Any] = {
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
    "CONCURRENT_REQUESTS": 16,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
    "RETRY_BACKOFF_BASE": 0.01,
    "LOG_LEVEL": "WARNING",
}

_ENCODER = ScrapyJSONEncoder(ensure_ascii=False)


@dataclass
class CrawlResult:
    """What one crawl produced: scraped items (as JSON objects) and its final stats."""

    items: list[dict[str, Any]] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)
    #: Every URL that reached the downloader (after the downloader middlewares let it through).
    requested: list[str] = field(default_factory=list)

    @property
    def ids(self) -> set[str]:
        return {item["id"] for item in self.items}

    def stat(self, key: str, default: Any = 0) -> Any:
        return self.stats.get(key, default)

    @property
    def finished(self) -> bool:
        return self.stats.get("finish_reason") == "finished"


@dataclass(frozen=True)
class CrawlSpec:
    """One crawl to run: the source, its archive, its spider arguments and setting overrides."""

    source: str
    archive: Path
    origin: str | None = None
    args: Mapping[str, str] = field(default_factory=dict)
    settings: Mapping[str, Any] = field(default_factory=dict)


def crawl_settings(archive: Path, overrides: Mapping[str, Any] | None = None) -> Settings:
    """The project's settings, loopback politeness, ``ARCHIVE_DIR`` and ``overrides``."""
    settings = get_project_settings()
    settings.setdict(
        {**LOOPBACK_SETTINGS, "ARCHIVE_DIR": str(archive), **(overrides or {})},
        priority="cmdline",
    )
    return settings


def _prepare(spec: CrawlSpec) -> tuple[Crawler, CrawlResult, dict[str, str]]:
    crawler = CrawlerRunner(crawl_settings(spec.archive, spec.settings)).create_crawler(spec.source)
    result = CrawlResult()

    def collect(item: Any) -> None:  # named: signal receivers are held by weak reference
        # Through the feed's own encoder, so values are exactly what a feed writes.
        result.items.append(json.loads(_ENCODER.encode(ItemAdapter(item).asdict())))

    def sent(request: Any) -> None:
        result.requested.append(request.url)

    crawler.signals.connect(collect, signal=signals.item_scraped, weak=False)
    crawler.signals.connect(sent, signal=signals.request_reached_downloader, weak=False)
    args = {**({"origin": spec.origin} if spec.origin else {}), **spec.args}
    return crawler, result, args


async def crawl_all(*specs: CrawlSpec) -> list[CrawlResult]:
    """Run every crawl at once in this process; results in the order given."""
    prepared = [_prepare(spec) for spec in specs]
    await asyncio.gather(
        *(maybe_deferred_to_future(crawler.crawl(**args)) for crawler, _, args in prepared)
    )
    for crawler, result, _ in prepared:
        assert crawler.stats is not None
        result.stats = crawler.stats.get_stats()
    return [result for _, result, _ in prepared]


async def crawl(
    source: str,
    archive: Path,
    *,
    origin: str | None = None,
    settings: Mapping[str, Any] | None = None,
    **args: str,
) -> CrawlResult:
    """Run one crawl in this process (see the module docstring)."""
    (result,) = await crawl_all(CrawlSpec(source, archive, origin, args, settings or {}))
    return result


def scrapy_crawl_command(
    source: str, archive: Path, *, origin: str | None = None, **args: str
) -> list[str]:
    """``scrapy crawl`` as cron runs it, with loopback politeness: for process-boundary tests."""
    values = {**LOOPBACK_SETTINGS, "ARCHIVE_DIR": str(archive), "LOG_LEVEL": "INFO"}
    spider_args = {**({"origin": origin} if origin else {}), **args}
    return [
        sys.executable, "-m", "scrapy", "crawl", source,
        *(part for key, value in spider_args.items() for part in ("-a", f"{key}={value}")),
        *(part for key, value in values.items() for part in ("-s", f"{key}={_cli(value)}")),
    ]  # fmt: skip


def _cli(value: Any) -> str:
    return str(int(value)) if isinstance(value, bool) else str(value)


def crawl_blocking(*specs: CrawlSpec) -> list[CrawlResult]:
    """``crawl_all`` from synchronous code (a module-scoped fixture), on the test reactor."""
    from pytest_twisted import blockon
    from scrapy.utils.defer import deferred_from_coro

    return blockon(deferred_from_coro(crawl_all(*specs)))
