"""StagedIndex: the store's index, whose writes wait in memory until the batch commits.

A store used to open an index transaction at its first write and hold it to
the batch boundary (``fsync_every`` records later), so SQLite's one write
lock was held almost all the time. Two crawls writing one archive (``crawl``
runs host groups in parallel, ``ops.parallel``) would then take turns, each
waiting for the other's whole batch. Here a write is staged instead, and
``commit`` replays the batch in one ``BEGIN IMMEDIATE ... COMMIT``: the lock is
held for the milliseconds the replay takes. The write order is unchanged: the
store commits only after it fsynced the files, and a kill loses the staged
batch exactly as it lost the open transaction.

Reads see the staged writes:

* ``get``, ``find``, ``file_state``, ``pending_get`` (the per-record lookups of
  the write path) look in the staged batch, then in SQLite;
* every other read, rare and aggregate (counts, pending due, a page of live
  rows), runs inside a transaction that replays the batch and rolls back, so
  it answers as if the batch were committed, and commits nothing.

``start_run`` is the one write made at once (the caller needs the run's id):
a row in ``runs`` says nothing about the files.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import replace
from typing import Any, TypeVar

from snhr_crawler.archive.index import ArchiveIndex, FileState, IndexRow, PendingArticle

T = TypeVar("T")
_GONE = object()  # a pending entry deleted in this batch


class StagedIndex:
    """The ``ArchiveIndex`` calls ``ArchiveStore`` makes, with writes staged to ``commit``."""

    def __init__(self, index: ArchiveIndex) -> None:
        self.index = index
        self._ops: list[tuple[str, tuple[Any, ...]]] = []
        self._rows: dict[str, IndexRow] = {}
        self._files: dict[str, FileState] = {}
        self._pending: dict[tuple[str, str], Any] = {}

    @property
    def conn(self) -> sqlite3.Connection:
        return self.index.conn

    def close(self) -> None:
        self.index.close()

    # -- transactions --------------------------------------------------------------------
    @property
    def in_transaction(self) -> bool:
        return bool(self._ops)

    def begin(self) -> None:
        """Nothing to open: writes are staged until ``commit``."""

    def commit(self) -> None:
        """Replay the staged batch in one short write transaction."""
        if not self._ops:
            return
        self.index.begin()
        try:
            self._replay()
            self.index.commit()
        except BaseException:
            self.index.rollback()
            raise
        self._clear()

    def rollback(self) -> None:
        """Forget the staged batch (as a kill would)."""
        self._clear()
        self.index.rollback()

    def _stage(self, name: str, *args: Any) -> None:
        self._ops.append((name, args))

    def _replay(self) -> None:
        for name, args in self._ops:
            getattr(self.index, name)(*args)

    def _clear(self) -> None:
        self._ops.clear()
        self._rows.clear()
        self._files.clear()
        self._pending.clear()

    def _as_committed(self, read: Callable[[], T]) -> T:
        """``read()`` as if the staged batch were committed; nothing is."""
        if not self._ops:
            return read()
        self.index.begin()
        try:
            self._replay()
            return read()
        finally:
            self.index.rollback()

    # -- articles ---------------------------------------------------------------------
    def get(self, key: str) -> IndexRow | None:
        row = self._rows.get(key)
        return row if row is not None else self.index.get(key)

    def find(self, source: str, *, post_id: int | None, url: str | None) -> IndexRow | None:
        """As ``ArchiveIndex.find`` (post id first, live rows first), the batch included."""
        for column, value in (("post_id", post_id), ("url", url)):
            if value is None or value == "":
                continue
            found = [
                row
                for row in self.index.matches(source, column, value)
                if row.key not in self._rows
            ]
            found += [
                row
                for row in self._rows.values()
                if row.source == source and getattr(row, column) == value
            ]
            if found:
                return min(found, key=lambda row: row.tombstoned)
        return None

    def upsert(self, row: IndexRow) -> None:
        self._rows[row.key] = row
        self._stage("upsert", row)

    def touch(self, key: str, last_seen: str) -> None:
        if key in self._rows:
            self._rows[key] = replace(self._rows[key], last_seen=last_seen)
        self._stage("touch", key, last_seen)

    def count(self, source: str | None = None, *, include_tombstoned: bool = False) -> int:
        return self._as_committed(
            lambda: self.index.count(source, include_tombstoned=include_tombstoned)
        )

    def latest_published(self, source: str) -> str | None:
        return self._as_committed(lambda: self.index.latest_published(source))

    def live_page(self, source: str, after: str, limit: int) -> list[IndexRow]:
        return self._as_committed(lambda: self.index.live_page(source, after, limit))

    # -- runs and per-source state --------------------------------------------------------
    def last_run_complete(self, source: str) -> bool | None:
        return self._as_committed(lambda: self.index.last_run_complete(source))

    def start_run(self, source: str, started_at: str) -> int:
        """Written at once, in its own transaction: the caller needs the id now."""
        if self.index.in_transaction:
            return self.index.start_run(source, started_at)
        self.index.begin()
        try:
            run_id = self.index.start_run(source, started_at)
            self.index.commit()
        except BaseException:
            self.index.rollback()
            raise
        return run_id

    def finish_run(self, run_id: int, finished_at: str, reason: str, complete: bool) -> None:
        self._stage("finish_run", run_id, finished_at, reason, complete)

    def source_state(self, source: str) -> str | None:
        return self._as_committed(lambda: self.index.source_state(source))

    def set_source_state(self, source: str, discovery: str, updated_at: str) -> None:
        self._stage("set_source_state", source, discovery, updated_at)

    # -- pending articles -------------------------------------------------------------------
    def pending_get(self, source: str, url: str) -> PendingArticle | None:
        staged = self._pending.get((source, url))
        if staged is _GONE:
            return None
        return staged if staged is not None else self.index.pending_get(source, url)

    def pending_put(self, entry: PendingArticle) -> None:
        self._pending[(entry.source, entry.url)] = entry
        self._stage("pending_put", entry)

    def pending_delete(self, source: str, url: str) -> bool:
        existed = self.pending_get(source, url) is not None
        self._pending[(source, url)] = _GONE
        self._stage("pending_delete", source, url)
        return existed

    def pending_due(self, source: str, now: str) -> list[PendingArticle]:
        return self._as_committed(lambda: self.index.pending_due(source, now))

    def pending_counts(self, source: str) -> tuple[int, int]:
        return self._as_committed(lambda: self.index.pending_counts(source))

    # -- files ----------------------------------------------------------------------------
    def file_state(self, path: str) -> FileState | None:
        staged = self._files.get(path)
        return staged if staged is not None else self.index.file_state(path)

    def set_file_state(self, path: str, state: FileState) -> None:
        self._files[path] = state
        self._stage("set_file_state", path, state)
