"""The article backlog: what discovery found, handed to Scrapy's queue a batch at a time.

A sitemap file may list 50,000 posts and a run may read many; Scrapy keeps
every scheduled request in memory, and a request costs far more than the URL
it is for. Article requests that discovery, the pending queue and the
re-checks of a full run make go through here: up to ``BOUND_QUEUED`` are
scheduled at once, the rest wait as bare ``(url, discovered_by, meta)`` and
are released when the crawl goes idle. The backlog holds at most as many
entries as the run's request budget could ever fetch; past that the
``queued`` bound is hit and the entry is left for the next run.

A full run's re-checks (every archived article, possibly 100,000 of them)
are not offered one by one: ``feed`` hands the backlog an iterator, read only
as batches are released, so neither the backlog nor the archive's reader
holds more than a batch (``BOUND_QUEUED``) at a time.

Stats: ``snhr/backlog/most_waiting`` (the longest the backlog was),
``snhr/backlog/batches`` (releases on idle).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from typing import Any

import scrapy

from snhr_crawler.bounds import Limits

Entry = tuple[str, str, dict[str, Any]]


class Backlog:
    def __init__(
        self, limits: Limits, make: Callable[..., scrapy.Request], stats: Callable[[], Any]
    ) -> None:
        self.limits = limits
        self.make = make
        self.stats = stats
        self.waiting: deque[Entry] = deque()
        self.feeds: deque[Iterator[Entry]] = deque()  # read lazily, after ``waiting``
        self.scheduled = 0  # since the crawl was last idle

    def feed(self, entries: Iterator[Entry]) -> None:
        """Entries to release after everything waiting, read only as batches go out."""
        self.feeds.append(entries)

    def offer(self, public: str, *, discovered_by: str, **meta: Any) -> Iterator[scrapy.Request]:
        """The request for ``public`` now, or nothing (it waits, or the backlog is full)."""
        if self.scheduled < self.limits.bounds.queued:
            self.scheduled += 1
            yield self.make(public, discovered_by=discovered_by, **meta)
        elif len(self.waiting) < self.limits.bounds.requests:
            self.wait(public, discovered_by, meta)
        else:
            self.limits.hit("queued", public, f"{len(self.waiting)} article requests waiting")

    def wait(self, public: str, discovered_by: str, meta: dict[str, Any]) -> None:
        self.waiting.append((public, discovered_by, meta))
        stats = self.stats()
        if stats is not None:
            stats.max_value("snhr/backlog/most_waiting", len(self.waiting))

    def release(self) -> list[scrapy.Request]:
        """On idle (nothing in flight): the next batch of waiting requests."""
        self.scheduled = 0
        batch = []
        while self.scheduled < self.limits.bounds.queued and (entry := self._next()) is not None:
            public, discovered_by, meta = entry
            self.scheduled += 1
            batch.append(self.make(public, discovered_by=discovered_by, **meta))
        if batch and (stats := self.stats()) is not None:
            stats.inc_value("snhr/backlog/batches")
        return batch

    def _next(self) -> Entry | None:
        if self.waiting:
            return self.waiting.popleft()
        while self.feeds:
            entry = next(self.feeds[0], None)
            if entry is not None:
                return entry
            self.feeds.popleft()
        return None
