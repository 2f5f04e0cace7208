"""ArchiveExtension: the archive, for one crawl; found with ``crawler.get_extension(ArchiveExtension)``.

Built with the crawler's extensions; building it touches no disk (a crawler
made only to call a callback, as tests and benchmarks do, opens no archive).
The crawl opens it as it starts (``open``, from ``ArchivePipeline.open_spider``
or else ``spider_opened``): ``ARCHIVE_DIR`` resolved, the store opened under
the archive's one lock (``archive.lock``), recovery run; a lock held by
another run fails the start. Everything else reaches the archive through it:

* the spider's ``IncrementalPolicy`` (``policy_for``) asks what is archived;
* ``ArchivePipeline`` writes through ``store``;
* discovery keeps its state in the same store (``discovery_state`` /
  ``save_discovery_state``), committed with the run's outcome;
* ``RunReport`` reports only crawls that have an archive.

Signals: ``spider_opened`` records the run (``begin_run``) and puts the
recovery figures into the stats; ``spider_closed``, which alone knows the
close reason, records how the run ended (complete or not, as the policy
judges) in the same transaction as the staged discovery state, then closes
the store (manifest, lock). The spider's own ``closed`` runs before it, which
is where discovery stages its state.

Settings: ``ARCHIVE_ENABLED`` (default True; the audit turns it off),
``ARCHIVE_DIR``, ``ARCHIVE_FSYNC_EVERY``, ``ARCHIVE_RUN_LOCK`` (the run id of
the ``snhr-crawler crawl`` run that holds the lock for this crawl; empty: the
extension takes the lock itself), ``ARCHIVE_SHARED`` (set by ``crawl`` for a
host group's crawl, ``ops.parallel``: other groups write the same archive at
the same time, so the store recovers only this source's files and leaves the
manifest to the run, which writes it once every group is done).

Stats: ``snhr/archive/quarantined_lines``, ``snhr/archive/recovered_lines``,
``snhr/archive/rebuilt`` (the index was rebuilt from the files),
``snhr/archive/index_replaced`` (an index SQLite could not read was moved to
quarantine), ``snhr/archive/lost_articles`` (articles whose file was gone:
queued as pending), ``snhr/archive/edited_files``, ``snhr/archive/error``
(a failure at close, e.g. the manifest write).

The pending articles (``archive.pending``) live in a table next to
``source_state``; the policy asks through ``pending_due``,
``remember_failure`` and ``resolve_pending``.

The WARC capture hooks the write path in ``ArchivePipeline`` (a record's
``capture`` pointer is written after its bytes are fsynced), and a re-fetch
finds the archived capture here (``latest_capture``). Two processes write one
archive only as one ``crawl`` run's host groups (``ops.parallel``): under its
lock, each on its own sources, through the short index transactions of
``archive.staging``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import NotConfigured

from snhr_crawler.archive.files import ArchiveWriteError
from snhr_crawler.archive.index import PendingArticle
from snhr_crawler.archive.lock import ArchiveLockedError, RunLock
from snhr_crawler.archive.paths import resolve_archive_dir
from snhr_crawler.archive.store import DEFAULT_FSYNC_EVERY, ArchiveStore
from snhr_crawler.discovery.state import DiscoveryState
from snhr_crawler.items import article_id
from snhr_crawler.urls import canonical_url

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler

    from snhr_crawler.archive.pending import Retry
    from snhr_crawler.archive.policy import IncrementalPolicy

logger = logging.getLogger(__name__)

PREFIX = "snhr/archive"


@dataclass(frozen=True)
class ArchivedArticle:
    """A live archived article, for re-checking (404/410 -> ``Removal``) in full runs."""

    key: str
    post_id: int | None
    url: str
    version: int
    published_at: str | None


class ArchiveExtension:
    """The open archive of one crawl (see the module docstring)."""

    def __init__(
        self, crawler: Crawler, root: Path, fsync_every: int, held_by: str, shared: bool = False
    ) -> None:
        self.crawler = crawler
        self.root = root
        self._fsync_every = fsync_every
        self._held_by = held_by
        self._shared = shared
        self._store: ArchiveStore | None = None
        self.policy: IncrementalPolicy | None = None
        self._run_id: int | None = None
        self._source: str | None = None
        self._closed = False
        #: Set when another run holds the archive: this crawl must fetch nothing and stop.
        self.locked: ArchiveLockedError | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        if not settings.getbool("ARCHIVE_ENABLED", True):
            raise NotConfigured
        extension = cls(
            crawler,
            resolve_archive_dir(settings).resolve(),
            settings.getint("ARCHIVE_FSYNC_EVERY", DEFAULT_FSYNC_EVERY),
            settings.get("ARCHIVE_RUN_LOCK") or "",
            settings.getbool("ARCHIVE_SHARED", False),
        )
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    @property
    def opened(self) -> bool:
        return self._store is not None

    @property
    def store(self) -> ArchiveStore:
        """The open store (opened on first use, see ``open``)."""
        return self._store or self.open()

    def open(self) -> ArchiveStore:
        """Open the store under the lock (once); ``ArchiveLockedError`` when another run has it."""
        if self.locked is not None:
            raise self.locked
        if self._store is None:
            held = self._held_by
            try:
                if held and not RunLock.held_here(self.root, held):
                    raise ArchiveLockedError(
                        f"ARCHIVE_RUN_LOCK={held!r}, but this process does not hold"
                        f" {self.root}'s lock"
                    )
                own = [str(self.crawler.spidercls.name)] if self._shared else None
                self._store = ArchiveStore(
                    self.root, fsync_every=self._fsync_every, held_lock=bool(held), sources=own
                )
            except ArchiveLockedError as exc:
                self.locked = exc
                raise
        return self._store

    # -- run ------------------------------------------------------------------------------
    def spider_opened(self, spider: Any) -> None:
        if self.locked is not None:
            return  # said once by the pipeline; the spider stops at its start
        self.open()
        report = self.store.take_recovery_report()
        if report is not None:
            self._set("quarantined_lines", report.quarantined_lines)
            if report.indexed_lines:
                self._set("recovered_lines", report.indexed_lines)
            if report.rebuilt:
                self._set("rebuilt", 1)
            if report.index_replaced:
                self._set("index_replaced", 1)
            if report.lost:
                self._set("lost_articles", len(report.lost))
            if report.edited_files:
                self._set("edited_files", len(report.edited_files))
        self._source = getattr(spider, "name", None)
        if self._source and self.store.failed is None:
            try:
                self._run_id = self.store.begin_run(self._source)
            except ArchiveWriteError as exc:
                logger.error("%s", exc.summary())
        walk_whole = bool(self._source) and self.store.needs_full_walk(str(self._source))
        logger.info(
            "archive %s: %d live article(s) indexed%s",
            self.store.root,
            self.store.count(),
            "; the last run did not finish, so listings are walked whole" if walk_whole else "",
        )

    def spider_closed(self, spider: Any, reason: str) -> None:
        """Record how the run ended (with the staged discovery state), then close the store."""
        if self._closed or self._store is None:
            return
        self._closed = True
        if self._run_id is not None:
            stats = self.crawler.stats.get_stats() if self.crawler.stats is not None else {}
            complete = (
                self.policy.run_complete(reason, stats) if self.policy else reason == "finished"
            )
            self.store.end_run(self._run_id, reason, complete=complete)
        failed_before = self.store.failed
        self.store.close(manifest=not self._shared)
        if self.store.failed is not None and failed_before is None:
            self._inc("error")
            logger.error("%s", self.store.failed.summary())

    def policy_for(self, spider: Any) -> IncrementalPolicy:
        """The crawl's one incremental policy (made on first call; see ``archive.policy``)."""
        from snhr_crawler.archive.policy import IncrementalPolicy

        if self.policy is None:
            self.policy = IncrementalPolicy.for_spider(spider, self)
        return self.policy

    # -- what the policy asks ---------------------------------------------------------------
    def is_archived(self, source: str, *, post_id: int | None, url: str) -> bool:
        """True if ``source`` had a live article with this post id or URL before this run.

        False for a tombstoned article (if a listing shows it again it was
        restored and must be fetched), and for one this run archived itself,
        e.g. through another listing: "K archived items in a row" must mean
        "we reached what earlier runs archived", or a parent listing walked
        after its child listings would stop early and miss its deeper pages.
        Its article page is not fetched twice either way (Scrapy's dupefilter).
        """
        row = self.store.lookup(source, post_id=post_id, url=url)
        if row is None or row.tombstoned:
            return False
        return not self.store.new_this_run(source, row.key)

    def needs_full_walk(self, source: str) -> bool:
        return self.store.needs_full_walk(source)

    def key_for(self, source: str, *, post_id: int | None, url: str) -> str:
        """The archive key of an article: its indexed key if archived, else ``Article.id``'s rule.

        A ``Removal`` must carry this key so the tombstone joins the right
        version chain even when the article was archived under its URL key.
        """
        row = self.store.lookup(source, post_id=post_id, url=url)
        if row is not None:
            return row.key
        return article_id(source, post_id, canonical_url(url))

    def latest_capture(
        self, source: str, *, post_id: int | None, url: str
    ) -> dict[str, Any] | None:
        """The ``capture`` on the latest line of a live archived article, or None."""
        row = self.store.lookup(source, post_id=post_id, url=url)
        if row is None or row.tombstoned:
            return None
        line = self.store.read_line(row.file, row.offset)
        capture = line.get("capture") if line is not None else None
        return capture if isinstance(capture, dict) else None

    def count(self, source: str) -> int:
        return self.store.count(source)

    def archived(self, source: str) -> Iterator[ArchivedArticle]:
        """Every live archived article of ``source``, read from the index a page at a time
        (``ArchiveStore.live_rows``), e.g. to re-check for removal."""
        for row in self.store.live_rows(source):
            yield ArchivedArticle(row.key, row.post_id, row.url, row.version, row.published_at)

    # -- pending articles ------------------------------------------------------------------
    def pending_due(self, source: str) -> list[PendingArticle]:
        return self.store.pending_due(source)

    def pending_counts(self, source: str) -> tuple[int, int]:
        return self.store.pending_counts(source)

    def remember_failure(
        self,
        source: str,
        url: str,
        *,
        post_id: int | None,
        reason: str,
        discovered_by: str | None,
        retry: Retry,
    ) -> PendingArticle | None:
        try:
            return self.store.remember_failure(
                source,
                url,
                post_id=post_id,
                reason=reason,
                discovered_by=discovered_by,
                retry=retry,
            )
        except ArchiveWriteError as exc:
            logger.error("Could not remember the pending article %s: %s", url, exc.summary())
            return None

    def resolve_pending(self, source: str, urls: list[str]) -> int:
        try:
            return self.store.resolve_pending(source, urls)
        except ArchiveWriteError:
            return 0

    # -- discovery state ------------------------------------------------------------------
    def discovery_state(self, source: str) -> DiscoveryState:
        text = self.store.source_state(source)
        if text is None:
            return DiscoveryState.legacy(self.root, source)
        return DiscoveryState.from_json(text, source, where=f"{self.root} ({source})")

    def save_discovery_state(self, state: DiscoveryState) -> None:
        """Stage ``state``; it is committed with the run's end (``spider_closed``)."""
        try:
            self.store.stage_source_state(state.source, state.to_json())
        except ArchiveWriteError as exc:
            logger.error("Could not keep the discovery state of %s: %s", state.source, exc)

    # -- stats ----------------------------------------------------------------------------
    def _inc(self, key: str) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(f"{PREFIX}/{key}")

    def _set(self, key: str, value: int) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.set_value(f"{PREFIX}/{key}", value)


def archive_locked(crawler: Crawler) -> ArchiveLockedError | None:
    """Why this crawl may not write its archive (another run holds it), or None."""
    try:
        archive = crawler.get_extension(ArchiveExtension)
    except RuntimeError:
        return None
    return archive.locked if archive is not None else None


def archive_of(crawler: Crawler) -> ArchiveExtension | None:
    """The crawl's open archive, or None (archive off, extensions not built, or never opened)."""
    try:
        archive = crawler.get_extension(ArchiveExtension)
    except RuntimeError:
        return None
    return archive if archive is not None and archive.opened else None
