"""Appending lines to data files, durably.

Each record is written with one ``os.write`` on an ``O_APPEND`` descriptor (no
user-space buffer), so a killed process leaves at most one torn line, which
``recovery`` quarantines on the next start. ``sync`` fsyncs every file written
since the last sync, plus the parent directory of files it created, so the
lines and their directory entries are on disk before the index commits.

A failed write is cut back to the last whole line when the OS allows it; if it
does not, the torn bytes stay and are quarantined on the next start. Either
way no torn line is ever counted as archived. Errors surface as
``ArchiveWriteError`` with the path and errno.

A line may also be *held* (``append(..., hold=True)``): its line number and
offset are fixed at once, but its bytes reach the file only at
``write_held``. The store holds lines that point at captured bytes, so they
are written only after those bytes were made durable (``ArchiveStore``).
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from snhr_crawler import durable
from snhr_crawler.archive.index import FileState
from snhr_crawler.durable import DurableWriteError

# Indirections so tests can inject faults (ENOSPC, EACCES) without touching ``os``.
_os_write = os.write
_os_fsync = os.fsync

#: How many data files stay open at once (a full crawl touches one file per month).
MAX_OPEN_FILES = 64


class ArchiveWriteError(DurableWriteError):
    """A write, fsync or index commit failed; the crawl must stop (``archive_error``)."""

    what = "archive write"


@dataclass
class _Open:
    fd: int
    state: FileState  # what is written (held lines not included)
    dirty: bool = False
    held: list[tuple[int, bytes]] = field(default_factory=list)  # (offset, line), in order

    @property
    def end(self) -> FileState:
        """The file as it will be once the held lines are written."""
        if not self.held:
            return self.state
        offset, data = self.held[-1]
        return FileState(self.state.lines + len(self.held), offset + len(data))


def fsync_dir(path: Path) -> None:
    """Make a directory entry (a created or renamed file) durable (through ``_os_fsync``)."""
    durable.fsync_dir(path, _os_fsync)


class AppendWriter:
    """Appends encoded lines to archive-relative files under ``root``."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._open: dict[str, _Open] = {}
        self._new_dirs: set[Path] = set()

    def append(
        self, rel: str, data: bytes, known: FileState | None, *, hold: bool = False
    ) -> tuple[int, int]:
        """Append one line to ``rel``; returns its (1-based line number, byte offset).

        ``known`` is the index's view of the file (None for a file the index has
        never seen), used for the line count; after recovery it matches the disk.
        ``hold``: keep the line in memory until ``write_held`` (see the module
        docstring); lines are written in the order they were appended either way.
        """
        handle = self._handle(rel, known)
        end = handle.end
        handle.dirty = True
        if hold:
            handle.held.append((end.size, data))
            return end.lines + 1, end.size
        if handle.held:
            self._write_held(rel, handle)
        self._write(rel, handle, data)
        return handle.state.lines, end.size

    @property
    def holding(self) -> bool:
        """Whether any line waits for ``write_held``."""
        return any(handle.held for handle in self._open.values())

    def held_line(self, rel: str, offset: int) -> bytes | None:
        """The held (not yet written) line of ``rel`` at ``offset``, if there is one."""
        handle = self._open.get(rel)
        for start, data in handle.held if handle else ():
            if start == offset:
                return data
        return None

    def write_held(self) -> None:
        """Write every held line, file by file in the order appended."""
        for rel, handle in self._open.items():
            if handle.held:
                self._write_held(rel, handle)

    def drop_held(self) -> None:
        """Forget held lines (the store failed: they must never reach the files)."""
        for handle in self._open.values():
            handle.held.clear()

    def state(self, rel: str) -> FileState | None:
        handle = self._open.get(rel)
        return handle.state if handle else None

    def _write_held(self, rel: str, handle: _Open) -> None:
        held, handle.held = handle.held, []
        for _, data in held:
            self._write(rel, handle, data)

    def _write(self, rel: str, handle: _Open, data: bytes) -> None:
        offset = handle.state.size
        try:
            durable.write_all(handle.fd, data, _os_write)
        except OSError as exc:
            self._cut_back(handle, offset)
            raise ArchiveWriteError(self.root / rel, exc) from exc
        handle.state = FileState(handle.state.lines + 1, offset + len(data))

    def sync(self) -> list[tuple[str, FileState]]:
        """fsync every file written since the last sync; returns their new states."""
        synced: list[tuple[str, FileState]] = []
        for rel, handle in self._open.items():
            if handle.dirty:
                try:
                    _os_fsync(handle.fd)
                except OSError as exc:
                    raise ArchiveWriteError(self.root / rel, exc) from exc
                handle.dirty = False
                synced.append((rel, handle.state))
        for directory in sorted(self._new_dirs):
            try:
                fsync_dir(directory)
            except OSError as exc:
                raise ArchiveWriteError(directory, exc) from exc
        self._new_dirs.clear()
        return synced

    def close(self) -> None:
        """Close descriptors without syncing (call ``sync`` first to keep what was written)."""
        for handle in self._open.values():
            os.close(handle.fd)
        self._open.clear()

    def _handle(self, rel: str, known: FileState | None) -> _Open:
        handle = self._open.get(rel)
        if handle is not None:
            return handle
        if len(self._open) >= MAX_OPEN_FILES:
            self._evict()
        path = self.root / rel
        try:
            if not path.parent.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
                self._new_dirs.add(path.parent.parent)
            created = not path.exists()
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        except OSError as exc:
            raise ArchiveWriteError(path, exc) from exc
        if created:
            self._new_dirs.add(path.parent)
        size = os.fstat(fd).st_size
        if known is not None and known.size == size:
            lines = known.lines
        else:
            lines = _count_lines(path) if size else 0
        handle = _Open(fd, FileState(lines, size))
        self._open[rel] = handle
        return handle

    def _evict(self) -> None:
        """Close clean descriptors to stay under ``MAX_OPEN_FILES`` (dirty ones wait for sync)."""
        for rel in [rel for rel, handle in self._open.items() if not handle.dirty]:
            os.close(self._open.pop(rel).fd)

    @staticmethod
    def _cut_back(handle: _Open, offset: int) -> None:
        # If even this fails, recovery quarantines the torn tail on the next start.
        with contextlib.suppress(OSError):
            os.ftruncate(handle.fd, offset)


def _count_lines(path: Path) -> int:
    count = 0
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            count += chunk.count(b"\n")
    return count
