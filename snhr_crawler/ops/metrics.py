"""The numbers an archivist looks at, read from a crawler's Scrapy stats.

Progress lines, the summary table and the run report all show the same
counts, so they are computed in one place. Stats keys read:

``response_received_count`` (less ``snhr/robots/unreachable``, the stand-ins
for a robots.txt that never answered), ``downloader/request_count``,
``item_scraped_count``, ``snhr/archive/new``, ``snhr/archive/changed``,
``snhr/archive/unchanged``, ``snhr/archive/removed``,
``snhr/article/skipped/archived``, ``log_count/ERROR``, ``retry/count``,
``downloader/response_status_count/<status>``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

STATUS_PREFIX = "downloader/response_status_count/"


@dataclass(frozen=True)
class Counts:
    """One source's counts so far (or at the end of its crawl)."""

    pages: int = 0
    requests: int = 0
    items: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    skipped: int = 0
    removed: int = 0
    errors: int = 0
    retries: int = 0

    @property
    def error_rate(self) -> float:
        """Errors logged per request sent (retries included); 0 when nothing was sent.

        ``log_count/ERROR`` counts what finally failed (a page that gave up
        retrying, robots.txt unreachable, a callback exception), not each
        retried attempt, so a flaky but recovering site stays near 0. Capped at
        1: a refused connection logs several errors for one request.
        """
        if not self.requests:
            return 1.0 if self.errors else 0.0
        return min(1.0, self.errors / self.requests)

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "error_rate": round(self.error_rate, 4)}


def _int(stats: Mapping[str, Any], key: str) -> int:
    value = stats.get(key)
    return int(value) if isinstance(value, int | float) else 0


def counts(stats: Mapping[str, Any]) -> Counts:
    """``Counts`` from a stats dict (``crawler.stats.get_stats()``)."""
    return Counts(
        # A robots.txt that never answered is stood in for by "disallow all": not a page.
        pages=max(
            0, _int(stats, "response_received_count") - _int(stats, "snhr/robots/unreachable")
        ),
        requests=_int(stats, "downloader/request_count"),
        items=_int(stats, "item_scraped_count"),
        new=_int(stats, "snhr/archive/new"),
        changed=_int(stats, "snhr/archive/changed"),
        unchanged=_int(stats, "snhr/archive/unchanged"),
        skipped=_int(stats, "snhr/article/skipped/archived"),
        removed=_int(stats, "snhr/archive/removed"),
        errors=_int(stats, "log_count/ERROR"),
        retries=_int(stats, "retry/count"),
    )


def status_counts(stats: Mapping[str, Any]) -> dict[str, int]:
    """HTTP status -> responses received (every attempt, retries included)."""
    found = {
        key[len(STATUS_PREFIX) :]: int(value)
        for key, value in stats.items()
        if key.startswith(STATUS_PREFIX) and isinstance(value, int | float)
    }
    return dict(sorted(found.items()))
