"""The write path: decide what to append, append it, and commit in a loss-proof order.

Rules (each has a test in ``tests/archive``):

* an article whose ``content_sha256`` equals the index's latest writes nothing;
  only ``last_seen`` moves (outcome ``unchanged``);
* a new article is appended as version 1 (``new``); an edited one as version
  n+1 with ``previous_sha256`` (``changed``); an article that returns after a
  tombstone also gets version n+1; each line says why in ``change``
  (``new``, ``edit``, ``restore``; ``reparse`` for ``put_reparsed``, and for
  an article re-fetched byte for byte but read differently, ``removal`` for a
  tombstone);
* a ``Removal`` of a live archived article appends a tombstone (``removed``)
  into the file of its latest version; nothing is ever rewritten in place;
* order: line appended -> (every ``fsync_every`` operations and at close)
  fsync of the files -> index commit. A record counts as archived only after
  that commit; lines that reached the disk but not the index are taken in by
  ``recovery`` on the next start, so a re-run neither loses nor duplicates;
* with a barrier (``add_barrier``: the WARC capture's ``flush``), lines are
  held in memory and, at each batch boundary, written only after every
  barrier returned: barrier (captured bytes fsynced) -> lines written ->
  fsync -> index commit. No line ever reaches the disk before the bytes its
  ``capture`` points at; a kill loses the held lines, which were never
  counted as archived, and the next run fetches those articles again;
* index writes are staged in memory and replayed at the commit in one short
  transaction (``archive.staging``), so other processes writing other
  sources into the same index wait milliseconds, not a batch;
* one writer per archive: a store is opened under the archive's one lock
  (``archive.lock.RunLock``, ``<dir>/crawl.lock``), taken here unless the
  caller holds it already (``held_lock``: the CLI's run, or the archive
  extension of a ``scrapy crawl``); calls are serialised by a mutex.

The index is a cache of the files: one SQLite cannot read (a corrupted
``index.sqlite3``) is moved to ``quarantine/`` and rebuilt from the files on
open, with the rebuild reported (``RecoveryReport.index_replaced``); what
lived only there (run history, discovery state, pending articles) starts
afresh, and the next walk is whole.

Any OSError (or SQLite error) while writing marks the store failed: it stops
accepting records, rolls the open index transaction back, and the caller stops
the crawl; what reached the disk is reconciled on the next start.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

from snhr_crawler.archive.files import AppendWriter, ArchiveWriteError
from snhr_crawler.archive.index import ArchiveIndex, FileState, IndexRow, PendingArticle
from snhr_crawler.archive.lock import ArchiveLockedError, RunLock
from snhr_crawler.archive.manifest import update_manifest
from snhr_crawler.archive.paths import INDEX_NAME, QUARANTINE_DIR, is_valid_source, relative_file
from snhr_crawler.archive.pending import Retry, next_entry
from snhr_crawler.archive.records import (
    article_line,
    decode_line,
    encode_line,
    missing_required,
    tombstone_line,
    utc_now,
)
from snhr_crawler.archive.recovery import RecoveryReport, recover
from snhr_crawler.archive.schema import problems
from snhr_crawler.archive.staging import StagedIndex
from snhr_crawler.clock import utc_now as utc_moment
from snhr_crawler.urls import canonical_url, valid_post_id

logger = logging.getLogger(__name__)

Outcome = Literal["new", "changed", "unchanged"]
RemovalOutcome = Literal["removed", "unknown", "already_removed"]
ReparseOutcome = Literal["reparsed", "stale"]

DEFAULT_FSYNC_EVERY = 50


class RejectedRecord(ValueError):
    """A record the archive refuses; ``reason`` becomes ``snhr/archive/rejected/<reason>``."""

    def __init__(self, reason: str, detail: str = "") -> None:
        self.reason = reason
        super().__init__(f"{reason}: {detail}" if detail else reason)


class ArchiveStore:
    """An open archive directory: index, writer, recovery report, under the archive's lock.

    ``held_lock`` True: the caller holds ``<root>/crawl.lock`` for as long as
    this store is open (and checked it, see ``RunLock.held_here``); False:
    the store takes it now (``ArchiveLockedError`` when another run has it)
    and releases it at ``close``. ``sources``: the store writes only these,
    and recovers only their files (a host group's crawl, ``ops.parallel``,
    while another group's crawl writes the same archive).
    """

    def __init__(
        self,
        root: Path,
        *,
        fsync_every: int = DEFAULT_FSYNC_EVERY,
        held_lock: bool = False,
        sources: list[str] | None = None,
    ) -> None:
        self.root = Path(root).resolve()
        self.root.mkdir(parents=True, exist_ok=True)
        self.fsync_every = max(1, fsync_every)
        self._lock: RunLock | None = None
        if not held_lock:
            self._lock = RunLock(self.root, f"store-{os.getpid()}", utc_now())
            self._lock.acquire()
        self._mutex = threading.RLock()
        self._pending = 0
        self._changed_files: set[str] = set()
        self.failed: ArchiveWriteError | None = None
        self.closed = False
        try:
            index, replaced = self._open_index()
            self.recovery: RecoveryReport = recover(self.root, index, sources)
            self.recovery.index_replaced = replaced
            # Writes wait in memory to each batch's commit: SQLite's write lock is
            # held for milliseconds, so several crawls can share one index.
            self.index = StagedIndex(index)
            self._queue_lost(self.recovery)
        except BaseException:
            self._release_lock()
            raise
        self._recovery_reported = False
        self._full_walk: dict[str, bool] = {}
        self._new_this_run: dict[str, set[str]] = {}
        self._run_sources: dict[int, str] = {}
        self._barriers: list[Callable[[], None]] = []
        self.writer = AppendWriter(self.root)

    def _open_index(self) -> tuple[ArchiveIndex, str | None]:
        """The index, or a fresh one when SQLite cannot read it (the old one kept in quarantine)."""
        path = self.root / INDEX_NAME
        index: ArchiveIndex | None = None
        try:
            index = ArchiveIndex.open(path)
            index.check()
            return index, None
        except sqlite3.DatabaseError as exc:
            if index is not None:
                with contextlib.suppress(sqlite3.Error):
                    index.close()
            kept = self._quarantine_index(path)
            logger.warning(
                "archive index %s is unreadable (%s): moved to %s; rebuilding it from the files",
                path,
                exc,
                kept,
            )
            return ArchiveIndex.open(path), kept

    def _quarantine_index(self, path: Path) -> str:
        folder = self.root / QUARANTINE_DIR
        folder.mkdir(parents=True, exist_ok=True)
        stamp = utc_moment().strftime("%Y%m%dT%H%M%S%fZ")
        target = folder / f"{path.name}.{stamp}.corrupt"
        os.replace(path, target)
        for suffix in ("-wal", "-shm"):
            side = path.with_name(path.name + suffix)
            if side.exists():
                os.replace(side, folder / f"{target.name}{suffix}")
        return target.relative_to(self.root).as_posix()

    def _queue_lost(self, report: RecoveryReport) -> None:
        """Articles whose lines vanished with a lost file: fetched again as pending ones."""
        if not report.lost:
            return
        retry = Retry(base_hours=0)
        self.index.begin()
        for row in report.lost:
            previous = self.index.pending_get(row.source, row.url)
            self.index.pending_put(
                next_entry(
                    previous,
                    source=row.source,
                    url=row.url,
                    post_id=row.post_id,
                    reason="lost_file",
                    discovered_by="archive",
                    now=utc_moment(),
                    retry=retry,
                )
            )
        self.index.commit()
        logger.warning(
            "archive: %d article(s) lost with their file(s) will be fetched again", len(report.lost)
        )

    def add_barrier(self, barrier: Callable[[], None]) -> None:
        """Hold lines until ``barrier()`` has run at the batch boundary (see the module docstring).

        ``barrier`` makes what lines point at durable; it raises
        ``ArchiveWriteError`` when it cannot, and then no held line is written.
        """
        with self._mutex:
            self._barriers.append(barrier)

    # -- queries --------------------------------------------------------------------
    def take_recovery_report(self) -> RecoveryReport | None:
        """The start-up recovery report, once (several crawlers may share this store)."""
        with self._mutex:
            if self._recovery_reported:
                return None
            self._recovery_reported = True
            return self.recovery

    def lookup(self, source: str, *, post_id: int | None, url: str | None) -> IndexRow | None:
        """The index row for a post id or (canonicalised) URL within ``source``."""
        with self._mutex:
            return self.index.find(source, post_id=post_id, url=canonical_url(url) if url else None)

    def latest_published(self, source: str) -> str | None:
        with self._mutex:
            return self.index.latest_published(source)

    def count(self, source: str | None = None) -> int:
        with self._mutex:
            return self.index.count(source)

    def live_rows(self, source: str, *, page: int = 1000) -> Iterator[IndexRow]:
        """Every live row of ``source``, read ``page`` rows at a time (memory flat in archive size)."""
        after = ""
        while True:
            with self._mutex:
                rows = self.index.live_page(source, after, page)
            yield from rows
            if len(rows) < page:
                return
            after = rows[-1].key

    def needs_full_walk(self, source: str) -> bool:
        """Whether this run must walk whole listings (see ``begin_run``)."""
        with self._mutex:
            return self._full_walk.get(source, False)

    def new_this_run(self, source: str, key: str) -> bool:
        """Whether ``key`` was first archived by the current run of ``source``."""
        with self._mutex:
            return key in self._new_this_run.get(source, ())

    def source_state(self, source: str) -> str | None:
        """What discovery kept for ``source`` after its last clean run (JSON), or None."""
        with self._mutex:
            return self.index.source_state(source)

    # -- pending articles ---------------------------------------------------------------
    def pending_due(self, source: str) -> list[PendingArticle]:
        with self._mutex:
            return self.index.pending_due(source, utc_now())

    def pending_counts(self, source: str) -> tuple[int, int]:
        """(waiting, given up) pending articles of ``source``."""
        with self._mutex:
            return self.index.pending_counts(source)

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
        """Record one more failed attempt at ``url`` (in the open batch); None if the store failed."""
        url = canonical_url(url)
        with self._mutex:
            if self.failed is not None or self.closed:
                return None
            with self._index_errors_stop_the_store():
                self.index.begin()
                entry = next_entry(
                    self.index.pending_get(source, url),
                    source=source,
                    url=url,
                    post_id=valid_post_id(post_id),
                    reason=reason,
                    discovered_by=discovered_by,
                    now=utc_moment(),
                    retry=retry,
                )
                self.index.pending_put(entry)
                self._count_op()
                return entry

    def resolve_pending(self, source: str, urls: list[str]) -> int:
        """The article at any of ``urls`` is archived: its pending entries go; how many did."""
        with self._mutex:
            if self.failed is not None or self.closed:
                return 0
            with self._index_errors_stop_the_store():
                self.index.begin()
                return sum(
                    self.index.pending_delete(source, canonical_url(url))
                    for url in dict.fromkeys(urls)
                )

    def read_line(self, rel: str, offset: int) -> dict[str, Any] | None:
        """The archived line at ``offset`` of ``rel`` (a held one too), or None if unreadable."""
        with self._mutex:
            raw = self.writer.held_line(rel, offset)
            if raw is None:
                try:
                    with open(self.root / rel, "rb") as handle:
                        handle.seek(offset)
                        raw = handle.readline()
                except OSError:
                    return None
        if not raw.endswith(b"\n"):
            return None
        try:
            return decode_line(raw)
        except ValueError:
            return None

    # -- runs -------------------------------------------------------------------------
    def begin_run(self, source: str) -> int:
        """Record a crawl of ``source`` starting; decide whether it must walk whole listings.

        It must when the previous run of ``source`` did not finish cleanly
        (killed, ``archive_error``, shutdown, limited by since/max_pages), or
        when the archive holds articles of ``source`` but no run history.
        """
        with self._mutex:
            self._check_usable()
            self.index.begin()
            last = self.index.last_run_complete(source)
            self._full_walk[source] = (
                (not last) if last is not None else self.index.count(source) > 0
            )
            run_id = self.index.start_run(source, utc_now())
            self._new_this_run[source] = set()
            self._run_sources[run_id] = source
            self.flush()
            return run_id

    def end_run(self, run_id: int, reason: str, *, complete: bool) -> None:
        """Record how a run ended (``complete``: its listing walks can be trusted next time)."""
        with self._mutex:
            self._new_this_run.pop(self._run_sources.pop(run_id, ""), None)
            if self.failed is not None or self.closed:
                return
            self.index.begin()
            self.index.finish_run(run_id, utc_now(), reason, complete and self.failed is None)
            self.flush()

    def stage_source_state(self, source: str, discovery: str) -> None:
        """Write ``source``'s discovery state into the open batch (committed with the run's end)."""
        with self._mutex, self._index_errors_stop_the_store():
            self._check_usable()
            self.index.begin()
            self.index.set_source_state(source, discovery, utc_now())

    # -- writes ---------------------------------------------------------------------
    def put_article(self, article: dict[str, Any], *, now: str | None = None) -> Outcome:
        """Archive one article (``items.record_fields(Article)``); see the module rules."""
        if reason := missing_required(article):
            raise RejectedRecord(reason)
        if article.get("post_id") is not None and valid_post_id(article.get("post_id")) is None:
            # Checked before anything is written: SQLite cannot hold it, and a line the
            # index never recorded would fail verify for ever.
            raise RejectedRecord("bad_post_id", repr(article.get("post_id")))
        source = article.get("source")
        if not is_valid_source(source):
            raise RejectedRecord("bad_source", repr(source))
        assert isinstance(source, str)
        now = now or utc_now()
        url = canonical_url(str(article["url"]))
        post_id = article.get("post_id")
        sha = str(article["content_sha256"])  # derived once, by ``items.seal``
        with self._mutex, self._index_errors_stop_the_store():
            self._check_usable()
            self.index.begin()
            key = str(article["id"])
            row = self.index.get(key)
            if row is None:
                # The same URL archived earlier under another key (e.g. before its
                # post id could be read) is the same article: keep its first key.
                by_url = self.index.find(source, post_id=None, url=url)
                if by_url is not None and by_url.post_id in (None, post_id):
                    row = by_url
            if row is not None and not row.tombstoned and row.sha256 == sha:
                self.index.touch(row.key, now)
                self._count_op()
                return "unchanged"
            if row is not None:
                key = row.key
            record = article_line(
                {**article, "id": key, "content_sha256": sha},
                version=row.version + 1 if row else 1,
                previous_sha256=row.sha256 if row else None,
                archived_at=now,
                change=self._change(row, article),
            )
            self._append(record, relative_file(source, record.get("published_at")), row, url)
            if row is not None:
                return "changed"
            self._new_this_run.setdefault(source, set()).add(key)
            return "new"

    def _change(self, row: IndexRow | None, article: dict[str, Any]) -> str:
        """``new``, ``restore`` or ``edit``; ``reparse`` when the bytes are the archived ones.

        A re-fetch whose payload digest is the latest line's read the same
        bytes: if the record still differs, the parser changed, not the page.
        """
        if row is None:
            return "new"
        if row.tombstoned:
            return "restore"
        digest = _payload_digest(article)
        if digest is not None:
            previous = self.read_line(row.file, row.offset)
            if previous is not None and _payload_digest(previous) == digest:
                return "reparse"
        return "edit"

    def put_removal(
        self,
        *,
        key: str,
        source: str,
        url: str,
        post_id: int | None,
        status: int,
        checked_at: str,
        capture: dict[str, Any] | None = None,
        now: str | None = None,
    ) -> RemovalOutcome:
        """Tombstone an archived article that now answers 404/410 (nothing for unknown ones)."""
        if status not in (404, 410):
            raise RejectedRecord("bad_status", str(status))
        now = now or utc_now()
        with self._mutex, self._index_errors_stop_the_store():
            self._check_usable()
            self.index.begin()
            row = self.index.get(key) or self.index.find(
                source, post_id=post_id, url=canonical_url(url)
            )
            if row is None:
                return "unknown"
            if row.tombstoned:
                return "already_removed"
            record = tombstone_line(
                key=row.key,
                source=row.source,
                url=row.url,
                post_id=row.post_id,
                removed_at=checked_at or now,
                status=status,
                version=row.version + 1,
                previous_sha256=row.sha256,
                archived_at=now,
                capture=capture,
            )
            self._append(record, row.file, row, row.url)
            return "removed"

    def put_reparsed(
        self, article: dict[str, Any], *, key: str, version: int, now: str | None = None
    ) -> ReparseOutcome:
        """Archive ``article``, re-read from the capture of ``key``'s ``version``, as the next version.

        The caller has decided that it differs (``reparse`` compares every
        field); the line says ``change: reparse``. ``stale`` (nothing written)
        when the archive's latest version of ``key`` is no longer ``version``.
        """
        if reason := missing_required(article):
            raise RejectedRecord(reason)
        source = article.get("source")
        if not is_valid_source(source):
            raise RejectedRecord("bad_source", repr(source))
        assert isinstance(source, str)
        now = now or utc_now()
        url = canonical_url(str(article["url"]))
        with self._mutex, self._index_errors_stop_the_store():
            self._check_usable()
            self.index.begin()
            row = self.index.get(key)
            if row is None or row.tombstoned or row.version != version:
                return "stale"
            record = article_line(
                {**article, "id": row.key},
                version=row.version + 1,
                previous_sha256=row.sha256,
                archived_at=now,
                change="reparse",
            )
            self._append(record, relative_file(source, record.get("published_at")), row, url)
            return "reparsed"

    def flush(self) -> None:
        """The batch boundary: fsync written files, then commit the index."""
        with self._mutex:
            if self.failed is not None or self.closed:
                return
            try:
                if self.writer.holding:
                    for barrier in self._barriers:
                        barrier()
                    self.writer.write_held()
                for rel, state in self.writer.sync():
                    self.index.set_file_state(rel, state)
                    self._changed_files.add(rel)
                self.index.commit()
            except ArchiveWriteError as exc:
                self._fail(exc)
            except sqlite3.Error as exc:
                self._fail(ArchiveWriteError(self.root / INDEX_NAME, exc))
            self._pending = 0

    def close(self, *, manifest: bool = True) -> None:
        """Flush, refresh the manifest (unless the store failed), release the lock."""
        with self._mutex:
            if self.closed:
                return
            self.flush()
            if manifest and self.failed is None:
                try:
                    update_manifest(self.root, self._changed_files, lost=self.recovery.lost_files)
                except OSError as exc:
                    self._fail(ArchiveWriteError(self.root, exc))
            if self.failed is not None:
                self.index.rollback()
            self.writer.close()
            self.index.close()
            self._release_lock()
            self.closed = True

    def _release_lock(self) -> None:
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    # -- internals --------------------------------------------------------------------
    def _append(self, record: dict[str, Any], rel: str, row: IndexRow | None, url: str) -> None:
        errors = problems(record)
        if errors:
            raise RejectedRecord("schema", "; ".join(errors))
        known = None if self.writer.state(rel) else self.index.file_state(rel)
        try:
            line, offset = self.writer.append(
                rel, encode_line(record), known, hold=bool(self._barriers)
            )
        except ArchiveWriteError as exc:
            self._fail(exc)
            raise
        tombstone = record.get("tombstone") is True
        now = record["archived_at"]
        self.index.upsert(
            IndexRow(
                key=record["id"],
                source=record["source"],
                post_id=record.get("post_id"),
                url=url,
                sha256=record["previous_sha256"] if tombstone else record["content_sha256"],
                version=record["version"],
                tombstoned=tombstone,
                published_at=(row.published_at if row else None)
                if tombstone
                else record.get("published_at"),
                first_seen=row.first_seen if row else now,
                last_seen=now,
                file=rel,
                line=line,
                offset=offset,
            )
        )
        self._count_op()

    def _count_op(self) -> None:
        self._pending += 1
        if self._pending >= self.fsync_every:
            self.flush()
            if self.failed is not None:
                raise self.failed

    def _check_usable(self) -> None:
        if self.failed is not None:
            raise self.failed
        if self.closed:
            raise RuntimeError(f"archive store {self.root} is closed")

    @contextmanager
    def _index_errors_stop_the_store(self) -> Iterator[None]:
        """An index error mid-write fails the store, as one in ``flush`` does.

        Carrying on would let a later flush commit a file state that includes
        a line the index never recorded; recovery would then skip that line
        and the next run would append it again as a second version 1.
        """
        try:
            yield
        except (sqlite3.Error, OverflowError) as exc:  # OverflowError: an int SQLite cannot hold
            self._fail(ArchiveWriteError(self.root / INDEX_NAME, exc))
            assert self.failed is not None
            raise self.failed from exc

    def _fail(self, exc: ArchiveWriteError) -> None:
        self.writer.drop_held()  # never counted as archived; the next run fetches them again
        if self.failed is None:
            self.failed = exc
            logger.error("%s", exc.summary())
        try:
            self.index.rollback()
        except sqlite3.Error:
            logger.exception("archive index rollback failed")


def _payload_digest(record: dict[str, Any]) -> str | None:
    capture = record.get("capture")
    digest = capture.get("payload_digest") if isinstance(capture, dict) else None
    return digest if isinstance(digest, str) else None


__all__ = [
    "ArchiveLockedError",
    "ArchiveStore",
    "ArchiveWriteError",
    "FileState",
    "RejectedRecord",
]
