"""Pending articles: named by the site, not archived yet, tried again until they are.

A listing walk that meets an archived article stops after a few; an article
whose page failed on the night it was new is then never reached again by an
incremental run. So every article a listing or discovery named but that was
not archived (HTTP error after the retries, a truncated body, a page too
large or unparseable, an identity the page could not prove, a file of the
archive lost from disk) is kept in the index's ``pending`` table and asked for
again at the start of later runs, with a backoff: after attempt *n* the next
try waits ``PENDING_RETRY_BASE_HOURS * 2^(n-1)`` hours. After
``PENDING_MAX_ATTEMPTS`` failures it is *given up*: it stays in the table,
counted in every run report, but is no longer requested. Archiving the
article (or a tombstone, when it is gone) removes the entry.

``Retry`` holds the two settings; ``next_entry`` is the pure rule the store
applies.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from snhr_crawler.archive.index import PendingArticle
from snhr_crawler.exceptions import SettingError

DEFAULT_BASE_HOURS = 6.0
DEFAULT_MAX_ATTEMPTS = 8


@dataclass(frozen=True)
class Retry:
    """When a pending article is tried again, and when it is given up."""

    base_hours: float = DEFAULT_BASE_HOURS
    max_attempts: int = DEFAULT_MAX_ATTEMPTS

    @classmethod
    def from_settings(cls, settings: Any) -> Retry:
        try:
            base = float(settings.get("PENDING_RETRY_BASE_HOURS", DEFAULT_BASE_HOURS))
        except (TypeError, ValueError):
            raise SettingError("PENDING_RETRY_BASE_HOURS", "expected a number of hours") from None
        if not 0 <= base <= 24 * 365:
            raise SettingError("PENDING_RETRY_BASE_HOURS", f"expected 0 to 8760 hours, got {base}")
        raw = settings.get("PENDING_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS)
        try:
            attempts = float(raw)
        except (TypeError, ValueError):
            attempts = 0.0
        if not attempts.is_integer() or attempts < 1 or attempts > 1_000:
            raise SettingError(
                "PENDING_MAX_ATTEMPTS", f"expected a whole number 1 to 1000, got {raw!r}"
            )
        return cls(base, int(attempts))

    def wait(self, attempts: int) -> timedelta:
        return timedelta(hours=self.base_hours * 2 ** min(max(attempts - 1, 0), 20))


def _stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


def next_entry(
    previous: PendingArticle | None,
    *,
    source: str,
    url: str,
    post_id: int | None,
    reason: str,
    discovered_by: str | None,
    now: datetime,
    retry: Retry,
) -> PendingArticle:
    """The entry after one more failure of ``url`` at ``now``."""
    attempts = (previous.attempts if previous else 0) + 1
    stamp = _stamp(now)
    return PendingArticle(
        source=source,
        url=url,
        post_id=post_id if post_id is not None else (previous.post_id if previous else None),
        discovered_by=discovered_by or (previous.discovered_by if previous else None),
        reason=reason,
        attempts=attempts,
        first_failed=previous.first_failed if previous else stamp,
        last_failed=stamp,
        next_try=_stamp(now + retry.wait(attempts)),
        given_up=attempts >= retry.max_attempts,
    )
