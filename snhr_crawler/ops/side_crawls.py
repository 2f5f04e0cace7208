"""Crawls beside the archive: ``audit``'s inventory and ``probe``'s first contact.

Both run one spider per source, one source after the other (sources share
hosts, as in ``crawl``), write nothing into the archive and take no lock.
What they share is kept here once: the read-only project settings, the
choice and checking of sources and origins, each source's politeness (local
mode on loopback, the live floor elsewhere) and the in-turn runner.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from contextlib import suppress
from typing import Any

from scrapy import Spider
from scrapy.crawler import AsyncCrawlerProcess, Crawler
from scrapy.settings import Settings
from scrapy.spiderloader import get_spider_loader
from scrapy.statscollectors import StatsCollector

from snhr_crawler.ops.crawl import UsageProblem, project_settings
from snhr_crawler.ops.politeness import PolitenessError, apply_local_mode, check_live

#: What a side crawl never does: archive, lock, export, report a run, draw progress.
READ_ONLY: dict[str, Any] = {
    "ITEM_PIPELINES": {},
    "ARCHIVE_ENABLED": False,
    "FEEDS": {},
    "OPS_RUN_REPORT": False,
    "OPS_PROGRESS": "off",
}


def read_only_project(settings: dict[str, Any] | None = None) -> Settings:
    """The project's settings with ``settings`` over them and ``READ_ONLY`` over both."""
    project = project_settings()
    if settings:
        project.setdict(settings, priority="cmdline")
    project.setdict(READ_ONLY, priority="cmdline")
    return project


def choose_sources(
    project: Settings, sources: Iterable[str] | None, origins: dict[str, str], what: str
) -> tuple[list[str], dict[str, type[Spider]]]:
    """The sources to run (default: every news spider) and their spider classes.

    ``what`` names the command in the errors: ``UsageProblem`` for no source,
    an unknown one, or an origin naming a source not run.
    """
    loader = get_spider_loader(project)
    classes = {name: loader.load(name) for name in loader.list()}
    known = [name for name, cls in classes.items() if hasattr(cls, "site")]
    if not known:
        raise UsageProblem(f"no source to {what} (the project's spiders were not found)")
    names = list(dict.fromkeys(sources or known))
    unknown = [name for name in names if name not in known]
    if unknown:
        raise UsageProblem(f"unknown source {unknown[0]!r} (known: {', '.join(known)})")
    for name in origins:
        if name not in names:
            raise UsageProblem(f"--origin: {name!r} is not a source of this {what}")
    return names, {name: classes[name] for name in names}


def source_settings(project: Settings, source: str, *, local: bool) -> Settings:
    """``project`` in local mode for a loopback origin, else checked against live politeness."""
    own = project.copy()
    if local:
        apply_local_mode(own)
        return own
    try:
        check_live(own, source)
    except PolitenessError as exc:
        raise UsageProblem(str(exc)) from None
    return own


def run_in_turn(
    project: Settings,
    spider_cls: type[Spider],
    jobs: list[dict[str, Any]],
    finished: Callable[[dict[str, Any], StatsCollector], None] | None = None,
) -> None:
    """Crawl ``spider_cls`` once per job, in turn; blocks, once per process.

    Each job is the spider's keyword arguments plus ``settings`` (its own,
    from ``source_settings``); ``finished(job, stats)`` follows each crawl. A
    Ctrl-C or SIGTERM stops the current crawl and skips the rest.
    """

    async def in_turn() -> None:
        try:
            for job in jobs:
                arguments = {key: value for key, value in job.items() if key != "settings"}
                crawler = process.create_crawler(Crawler(spider_cls, job["settings"]))
                await process.crawl(crawler, **arguments)
                assert crawler.stats is not None
                if finished is not None:
                    finished(job, crawler.stats)
                if crawler.stats.get_value("finish_reason") == "shutdown":
                    break
        finally:
            from twisted.internet import reactor

            with suppress(RuntimeError):  # already stopping after a signal
                reactor.stop()  # type: ignore[misc]

    process = AsyncCrawlerProcess(project)
    driver = asyncio.get_event_loop().create_task(in_turn())
    process.start(stop_after_crawl=False)
    if driver.done() and not driver.cancelled() and (error := driver.exception()) is not None:
        raise error
