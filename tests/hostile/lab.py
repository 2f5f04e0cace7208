"""What every hostile case needs: small bounds, a crawl, the archive's state and a verdict.

``Lab`` runs the real ``hostile_news`` spider (``tests/hostile/spiders``)
through ``tests.crawling`` with ``SMALL_BOUNDS``, so a bound is reached in a
handful of requests, and reads back what a test asserts: the records, the
run report's failed checks, ``verify``. ``Seen`` is what a case reports for
the suite's table.
"""

from __future__ import annotations

import contextlib
import json
import resource
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from snhr_crawler.archive.reader import iter_lines, latest_records
from snhr_crawler.archive.verify import Report, verify
from snhr_crawler.ops.runs import iter_reports
from tests.crawling import CrawlResult, crawl
from tests.hostile.server import HostileSite
from tests.hostile.site import SOURCE

#: Bounds small enough to be reached in a few requests (the defaults are in settings.py).
SMALL_BOUNDS: dict[str, Any] = {
    "BOUND_REQUESTS": 400,
    "BOUND_LISTING_PAGES": 8,
    "BOUND_LISTING_PAGE_MARGIN": 2,
    "BOUND_LISTING_STALE_PAGES": 2,
    "BOUND_LINKS_PER_PAGE": 20,
    "BOUND_SITEMAP_DEPTH": 2,
    "BOUND_SITEMAP_FILES": 6,
    "BOUND_SITEMAP_URLS": 30,
    "BOUND_REST_PAGES": 4,
    "BOUND_FEED_PAGES": 4,
    "BOUND_QUEUED": 10,
    "BOUND_DECODED_BYTES": 1_000_000,
    "BOUND_PAGE_BYTES": 12_000_000,
    "BOUND_FIELD_SIZES": {"title": 1000},
}

SETTINGS: dict[str, Any] = {
    "SPIDER_MODULES": ["tests.hostile.spiders"],
    "INCREMENTAL_STOP_AFTER": 3,
    "RETRY_TIMES": 1,
    "PENDING_RETRY_BASE_HOURS": 0,  # a failed article is due again on the very next run
    "DOWNLOAD_TIMEOUT": 10,
    **SMALL_BOUNDS,
}


@dataclass
class Seen:
    """One row of the suite's table: what happened, and the counter or check that shows it."""

    outcome: str
    evidence: str


class Lab:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.archive = root / "archive"

    async def crawl(
        self, site: HostileSite, settings: dict[str, Any] | None = None, **args: str
    ) -> CrawlResult:
        result = await crawl(
            SOURCE,
            self.archive,
            origin=site.origin,
            settings={**SETTINGS, **(settings or {})},
            **args,
        )
        off = [url for url in result.requested if not url.startswith(site.origin + "/")]
        assert not off, f"requests off the source: {off[:5]}"
        return result

    # -- the archive's state -------------------------------------------------------------------
    def records(self) -> dict[str, dict[str, Any]]:
        """Latest record per id."""
        return {record["id"]: record for record in latest_records(self.archive)}

    def lines(self) -> list[dict[str, Any]]:
        return list(iter_lines(self.archive))

    def verify(self) -> Report:
        return verify(self.archive)

    def failed_checks(self) -> list[str]:
        """Names of the checks the latest run report failed."""
        for report in iter_reports(self.archive):
            return [c["check"] for c in report.get("checks", []) if not c["ok"]]
        return []

    def report(self) -> dict[str, Any]:
        return next(iter_reports(self.archive), {})


def _status_mb(field: str) -> float | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def reset_peak_memory() -> float:
    """Start a new peak-RSS measurement (Linux: ``clear_refs`` 5 resets VmHWM); the RSS now, MB."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")
    return _status_mb("VmRSS") or 0.0


def peak_memory_mb() -> float:
    """Peak RSS since the last reset, in MB (VmHWM), else the process's peak."""
    peak = _status_mb("VmHWM")
    if peak is not None:
        return peak
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
