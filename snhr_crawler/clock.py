"""The one clock: every "now" the crawler reads comes from here.

Nothing else in the package calls ``datetime.now`` or ``time.time``
(``tests/test_code_quality.py`` checks it), so there is one place to reason
about time and one place a test can pin. Judgements about a run compare with
the times the crawl itself recorded (Scrapy's ``start_time`` and
``finish_time`` stats, see ``run_window``), never with the wall clock at the
moment of judging: a report read or re-checked later gives the same verdict.

The suite also runs with the whole process tree's clock moved (a year ahead,
and across a New Year, under libfaketime: ``make test-clock``), so a
comparison with the real date that slipped past this module still shows.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any


def utc_now() -> datetime:
    """Now, as an aware UTC datetime."""
    return datetime.now(UTC)


def epoch_seconds() -> float:
    """Now, as seconds since the epoch (HTTP dates such as ``Retry-After``)."""
    return time.time()


def utc_stamp() -> str:
    """Now, ``2026-11-25T02:15:00Z``: the one spelling of every time the crawler writes.

    ``crawled_at``, ``archived_at``, a tombstone's ``removed_at`` and the
    archive's run records all use it. (Records written before this used
    ``+00:00`` for ``crawled_at``; the schema takes both.)
    """
    return utc_now().isoformat(timespec="seconds").replace("+00:00", "Z")


def run_window(stats: Mapping[str, Any]) -> tuple[datetime, datetime]:
    """(started, finished) of a crawl, from its own stats.

    ``finish_time`` is set by Scrapy's CoreStats when the spider closes; an
    extension that runs before it (or a run still going) falls back to now.
    """
    finished = stats.get("finish_time") or utc_now()
    started = stats.get("start_time") or finished
    return _aware(started), _aware(finished)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
