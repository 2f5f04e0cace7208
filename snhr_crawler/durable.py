"""Writing files so that a crash leaves the old state or the new one, never half of either.

The archive's data files, its WARC files, the manifest and its chain, the
quarantine and the run reports all follow the same few rules, kept here once:

* every byte handed to ``write`` is written (a short write is continued, not
  taken for the whole);
* a file is fsynced before anything counts on it, and so is its directory
  when the file was created, renamed or cut;
* a file that replaces another is written whole under a temporary name, then
  renamed over it, so a reader sees one or the other;
* bytes cut off a file (a torn tail) are first made durable elsewhere.

``fsync`` (and ``write``) are parameters so that the writers that inject
faults in tests (``archive.files``, ``capture.writer``) can pass their own
indirections.
"""

from __future__ import annotations

import errno as errno_mod
import os
from collections.abc import Callable
from pathlib import Path

Fsync = Callable[[int], None]
Write = Callable[[int, memoryview], int]


class DurableWriteError(Exception):
    """A write, fsync or rename failed; ``what`` names the writer (``archive write``...)."""

    what = "write"

    def __init__(self, path: Path | str, error: BaseException) -> None:
        self.path = str(path)
        self.errno = getattr(error, "errno", None)
        self.strerror = getattr(error, "strerror", None) or str(error)
        super().__init__(self.summary())

    def summary(self) -> str:
        name = errno_mod.errorcode.get(self.errno, "") if self.errno is not None else ""
        code = f"[Errno {self.errno}{' ' + name if name else ''}] " if self.errno else ""
        return f"{self.what} failed: {self.path}: {code}{self.strerror}"


def write_all(fd: int, data: bytes, write: Write = os.write) -> None:
    """Write all of ``data`` to ``fd``, continuing after short writes."""
    view = memoryview(data)
    while view:
        view = view[write(fd, view) :]


def fsync_dir(path: Path, fsync: Fsync = os.fsync) -> None:
    """Make a directory entry (a created, renamed or removed file) durable."""
    fd = os.open(path, os.O_RDONLY)
    try:
        fsync(fd)
    finally:
        os.close(fd)


def create_file(path: Path, data: bytes, fsync: Fsync = os.fsync) -> None:
    """Create ``path`` (it must not exist) holding ``data``, file and entry fsynced."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        write_all(fd, data)
        fsync(fd)
    finally:
        os.close(fd)
    fsync_dir(path.parent, fsync)


def append_file(path: Path, data: bytes, fsync: Fsync = os.fsync) -> None:
    """Append ``data`` to ``path`` (created when missing) and fsync it (and its entry if new)."""
    created = not path.exists()
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        write_all(fd, data)
        fsync(fd)
    finally:
        os.close(fd)
    if created:
        fsync_dir(path.parent, fsync)


def replace_file(target: Path, data: bytes, fsync: Fsync = os.fsync) -> None:
    """Replace ``target`` with ``data``: a temporary file, fsync, rename, fsync of the directory.

    Temporary files a writer killed mid-replace left behind are removed first.
    """
    for stale in target.parent.glob(f".{target.name}.*.tmp"):
        stale.unlink(missing_ok=True)
    temporary = target.parent / f".{target.name}.{os.getpid()}.tmp"
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        write_all(fd, data)
        fsync(fd)
    finally:
        os.close(fd)
    os.replace(temporary, target)
    fsync_dir(target.parent, fsync)


def move_tail(path: Path, offset: int, quarantined: Path, fsync: Fsync = os.fsync) -> bytes:
    """Cut ``path`` at ``offset``, its bytes from there kept in the new file ``quarantined``.

    The tail is durable in ``quarantined`` before ``path`` is cut, so a crash
    in between loses nothing (the next recovery finds the tail again).
    Returns the tail.
    """
    with open(path, "rb") as handle:
        handle.seek(offset)
        tail = handle.read()
    quarantined.parent.mkdir(parents=True, exist_ok=True)
    create_file(quarantined, tail, fsync)
    fd = os.open(path, os.O_WRONLY)
    try:
        os.ftruncate(fd, offset)
        fsync(fd)
    finally:
        os.close(fd)
    return tail
