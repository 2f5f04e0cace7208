"""ArchivePipeline: the last pipeline (order 400); appends Articles and Removals to the archive.

It writes through the crawl's ``ArchiveExtension`` (``crawler.get_extension``),
which opened the store, records the run and closes the store; without that
extension (``ARCHIVE_ENABLED`` off) the pipeline is not configured.
``close_spider`` flushes (fsync, index commit). This is the archive's one write
path.

With WARC capture on (``WarcCapture``), each record carries the ``capture``
pointer of its response, and the capture's ``flush`` is the store's barrier:
at every batch boundary the WARC bytes are fsynced before the lines that
point at them are written (``ArchiveStore.add_barrier``), so no line ever
points at bytes that are not on disk. A failed WARC fsync stops the crawl as
a failed archive write does.

Stats:

* ``snhr/archive/new`` / ``changed`` / ``unchanged`` -- articles by outcome (counted when
  appended; durable at the next batch boundary, or taken in by the next start);
* ``snhr/archive/removed`` -- tombstones written (``removed_unknown``:
  Removal for an article never archived; ``removed_already``: already a tombstone);
* ``snhr/archive/rejected/<reason>`` -- records refused (missing_title,
  missing_body, missing_url, missing_id, bad_source, bad_status, schema);
* ``snhr/archive/error`` -- write/fsync/commit failures; the crawl is then
  closed with reason ``archive_error``, and ``snhr/archive/error_message``
  says why (path and errno), for the run report and the summary.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.utils.defer import deferred_from_coro

from snhr_crawler.archive.extension import ArchiveExtension
from snhr_crawler.archive.files import ArchiveWriteError
from snhr_crawler.archive.lock import ArchiveLockedError
from snhr_crawler.archive.store import ArchiveStore, RejectedRecord
from snhr_crawler.capture import CaptureWriteError, WarcCapture
from snhr_crawler.items import Article, Removal, record_fields

logger = logging.getLogger(__name__)

PREFIX = "snhr/archive"


class ArchivePipeline:
    """Writes each Article as a new version when its content changed, each Removal as a tombstone."""

    def __init__(self, crawler: Crawler, archive: ArchiveExtension) -> None:
        self.crawler = crawler
        self.archive = archive
        self.stats = crawler.stats
        self._stopping = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivePipeline:
        archive = crawler.get_extension(ArchiveExtension)
        if archive is None:
            raise NotConfigured("no archive for this crawl (ARCHIVE_ENABLED is off)")
        return cls(crawler, archive)

    @property
    def store(self) -> ArchiveStore:
        return self.archive.store

    def open_spider(self) -> None:
        """Open the archive as the crawl starts.

        A lock held by another run is one ERROR line (no traceback), and the
        spider fetches nothing: ``NewsSpider.start`` sees ``archive_locked`` and
        closes the crawl with reason ``archive_locked``.
        """
        try:
            self.archive.open()
        except ArchiveLockedError as exc:
            self._inc("locked")
            logger.error("%s; this crawl stops without fetching anything (archive_locked)", exc)
            return
        if self.store.failed is not None:
            self._stop(self.store.failed)
        capture = self.crawler.get_extension(WarcCapture)
        if capture is not None:
            self.store.add_barrier(lambda: _flush_capture(capture))

    def process_item(self, item: Any) -> Any:
        if isinstance(item, Removal):
            return self._removal(item)
        if isinstance(item, Article):
            return self._article(item)
        return item

    def close_spider(self) -> None:
        """Make everything processed so far durable (fsync, then index commit)."""
        if self.archive.locked is not None:
            return
        failed_before = self.store.failed
        self.store.flush()
        if self.store.failed is not None and failed_before is None:
            self._stop(self.store.failed)

    def _article(self, item: Article) -> Article:
        data = record_fields(item)
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
                capture=item.capture,
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
        if self.stats is not None:
            self.stats.set_value(f"{PREFIX}/error_message", exc.summary())
        logger.error("%s -- stopping the crawl (archive_error)", exc.summary())
        engine = getattr(self.crawler, "engine", None)
        if engine is not None and getattr(engine, "running", False):
            deferred_from_coro(engine.close_spider_async(reason="archive_error"))

    def _inc(self, key: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(f"{PREFIX}/{key}")


def _flush_capture(capture: WarcCapture) -> None:
    """The store's barrier: the WARC bytes lines point at, fsynced (or the store fails)."""
    try:
        capture.flush()
    except CaptureWriteError as exc:
        raise ArchiveWriteError(exc.path, exc) from exc
