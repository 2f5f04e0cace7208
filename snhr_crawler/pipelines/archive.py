"""ArchivePipeline: the last pipeline (order 400); appends Articles and Removals to the archive.

Settings: ``ARCHIVE_DIR`` (else ``$SNHR_ARCHIVE_DIR``, else ``./archive``),
``ARCHIVE_FSYNC_EVERY`` (records per fsync + index commit, default 50).

``from_crawler`` opens the store (lock, recovery) and sets ``crawler.archive``
(an ``ArchiveState``) so the spider can skip archived pages from its first
request on. ``open_spider`` records the run; ``close_spider`` flushes (fsync,
index commit); the ``spider_closed`` signal, which alone knows the close
reason, records whether the run finished cleanly and releases the store (the
last user writes the manifest). A run that did not finish makes the next run
of that source walk whole listings (``ArchiveState.needs_full_walk``).

Stats:

* ``snhr/archive/new`` / ``changed`` / ``unchanged`` -- articles by outcome (counted when
  appended; durable at the next batch boundary, or taken in by the next start);
* ``snhr/archive/removed`` -- tombstones written (``removed_unknown``:
  Removal for an article never archived; ``removed_already``: already a tombstone);
* ``snhr/archive/quarantined_lines`` -- torn lines moved to quarantine at start;
* ``snhr/archive/recovered_lines`` -- lines found on disk but not in the index;
* ``snhr/archive/rejected/<reason>`` -- records refused (missing_title,
  missing_body, missing_url, missing_id, bad_source, bad_status, schema);
* ``snhr/archive/error`` -- write/fsync/commit failures; the crawl is then
  closed with reason ``archive_error``.
"""

from __future__ import annotations

import logging
from typing import Any

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.utils.defer import deferred_from_coro

from snhr_crawler.archive.files import ArchiveWriteError
from snhr_crawler.archive.paths import resolve_archive_dir
from snhr_crawler.archive.state import ArchiveState
from snhr_crawler.archive.store import (
    DEFAULT_FSYNC_EVERY,
    ArchiveStore,
    RejectedRecord,
    open_store,
    release_store,
)
from snhr_crawler.items import Article, Removal

logger = logging.getLogger(__name__)

PREFIX = "snhr/archive"


class ArchivePipeline:
    """Writes each Article as a new version when its content changed, each Removal as a tombstone."""

    def __init__(self, crawler: Crawler, store: ArchiveStore) -> None:
        self.crawler = crawler
        self.store = store
        self.stats = crawler.stats
        self._stopping = False
        self._released = False
        self._run_id: int | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivePipeline:
        root = resolve_archive_dir(crawler.settings)
        every = crawler.settings.getint("ARCHIVE_FSYNC_EVERY", DEFAULT_FSYNC_EVERY)
        store = open_store(root, fsync_every=every)
        crawler.archive = ArchiveState(store)  # type: ignore[attr-defined]
        pipeline = cls(crawler, store)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self) -> None:
        report = self.store.take_recovery_report()
        if report is not None:
            self._set("quarantined_lines", report.quarantined_lines)
            if report.indexed_lines:
                self._set("recovered_lines", report.indexed_lines)
        source = self._source()
        if source is not None and self.store.failed is None:
            try:
                self._run_id = self.store.begin_run(source)
            except ArchiveWriteError as exc:
                self._stop(exc)
            if self.store.failed is not None:
                self._stop(self.store.failed)
        full_walk = source is not None and self.store.needs_full_walk(source)
        logger.info(
            "archive %s: %d live article(s) indexed%s",
            self.store.root,
            self.store.count(),
            "; the last run did not finish, so listings are walked whole" if full_walk else "",
        )

    def process_item(self, item: Any) -> Any:
        if isinstance(item, Removal):
            return self._removal(item)
        if isinstance(item, Article):
            return self._article(item)
        return item

    def close_spider(self) -> None:
        """Make everything processed so far durable (fsync, then index commit)."""
        failed_before = self.store.failed
        self.store.flush()
        if self.store.failed is not None and failed_before is None:
            self._stop(self.store.failed)

    def spider_closed(self, spider: Any = None, reason: str = "finished") -> None:
        """Record how the run ended and release the store (manifest when last)."""
        if self._released:
            return
        self._released = True
        if self._run_id is not None:
            spider = spider or self.crawler.spider
            limited = any(getattr(spider, a, None) is not None for a in ("max_pages", "since"))
            self.store.end_run(self._run_id, reason, complete=reason == "finished" and not limited)
        release_store(self.store)
        if self.store.failed is not None and not self._stopping:  # e.g. the manifest write
            self._stopping = True
            self._inc("error")
            logger.error("%s", self.store.failed.summary())

    # -- items --------------------------------------------------------------------------
    def _source(self) -> str | None:
        spider = getattr(self.crawler, "spider", None)
        name = getattr(spider, "name", None)
        return name if isinstance(name, str) else None

    def _article(self, item: Article) -> Article:
        data = ItemAdapter(item).asdict()
        outcome = self._guard(lambda: self.store.put_article(data))
        self._inc(outcome)
        return item

    def _removal(self, item: Removal) -> Removal:
        outcome = self._guard(
            lambda: self.store.put_removal(
                key=item.id,
                source=item.source,
                url=item.url,
                post_id=item.post_id,
                status=item.status,
                checked_at=item.checked_at,
            )
        )
        self._inc(
            {"removed": "removed", "unknown": "removed_unknown"}.get(outcome, "removed_already")
        )
        return item

    def _guard(self, write: Any) -> str:
        if self.store.failed is not None:
            self._stop(self.store.failed)
            # The ERROR line above says why; one line per in-flight item would bury it.
            raise DropItem(f"not archived: {self.store.failed.summary()}", log_level="DEBUG")
        try:
            return write()
        except RejectedRecord as exc:
            self._inc(f"rejected/{exc.reason}")
            raise DropItem(f"archive rejected the record ({exc})") from exc
        except ArchiveWriteError as exc:
            self._stop(exc)
            raise DropItem(f"not archived: {exc.summary()}", log_level="DEBUG") from exc

    def _stop(self, exc: ArchiveWriteError) -> None:
        """Log path + errno once, count it, and close the crawl with reason ``archive_error``."""
        if self._stopping:
            return
        self._stopping = True
        self._inc("error")
        logger.error("%s -- stopping the crawl (archive_error)", exc.summary())
        engine = getattr(self.crawler, "engine", None)
        if engine is not None and getattr(engine, "running", False):
            deferred_from_coro(engine.close_spider_async(reason="archive_error"))

    def _inc(self, key: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(f"{PREFIX}/{key}")

    def _set(self, key: str, value: int) -> None:
        if self.stats is not None:
            self.stats.set_value(f"{PREFIX}/{key}", value)
