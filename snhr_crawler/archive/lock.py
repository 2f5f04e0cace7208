"""RunLock: the one lock of an archive, at most one run writing it, released by the kernel if the run dies.

Whoever writes the archive holds ``<archive>/crawl.lock``, opened and
``flock``-ed (exclusive, non-blocking): ``snhr-crawler crawl`` for the whole
run (all its sources, so nothing slips in between two of them; its host
groups' processes inherit the lock and check it, ``ops.parallel``), else
the archive extension of a lone ``scrapy crawl`` for that crawl, else a
program opening an ``ArchiveStore`` directly. The CLI tells the crawls it
runs that it holds the lock (the ``ARCHIVE_RUN_LOCK`` setting names its run);
``RunLock.held_here`` checks that claim rather than trusting it. The kernel
drops the ``flock`` when the process ends, however it ends, so a killed run
never leaves a lock that blocks the next one, and a pid reused by another
process is never mistaken for a live run.

The file also holds JSON ``{pid, host, run_id, started_at}``, only to name the
holder in the message a second run prints. A file left behind by a killed run
on this host is taken over with a warning. A file naming another host (an
archive on a shared disk, where ``flock`` may not reach across machines) is
never presumed dead: the message says how to remove it.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import socket
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from types import TracebackType

from snhr_crawler.exceptions import SnhrCrawlerError

logger = logging.getLogger(__name__)

LOCK_FILE = "crawl.lock"


class ArchiveLockedError(SnhrCrawlerError):
    """Another run holds the archive (raised by ``RunLock.acquire``; the CLI exits 75)."""


@dataclass(frozen=True)
class LockOwner:
    """Who holds the lock; written into the lock file for messages."""

    pid: int
    host: str
    run_id: str
    started_at: str

    def describe(self) -> str:
        return f"run {self.run_id} (pid {self.pid} on {self.host}, since {self.started_at})"

    @classmethod
    def from_json(cls, text: str) -> LockOwner | None:
        """The owner in a lock file's text (extra keys ignored), or None if unreadable."""
        try:
            data = json.loads(text)
            return cls(**{f.name: data[f.name] for f in fields(cls)})
        except (ValueError, TypeError, KeyError):
            return None


class RunLock:
    """``with RunLock(archive, run_id, started_at): ...`` holds ``<archive>/crawl.lock``."""

    def __init__(self, archive_dir: Path, run_id: str, started_at: str) -> None:
        self.path = Path(archive_dir) / LOCK_FILE
        self.owner = LockOwner(
            pid=os.getpid(), host=socket.gethostname(), run_id=run_id, started_at=started_at
        )
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> None:
        """Take the lock; raise ``ArchiveLockedError`` if another run holds it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = _read_fd(fd)
                os.close(fd)
                who = holder.describe() if holder else "another run"
                raise ArchiveLockedError(f"archive {self.path.parent} is locked by {who}") from None
            # The holder before us may have unlinked the file between our open and flock:
            # then we locked a file nobody else will see; start again on the current one.
            try:
                same = os.fstat(fd).st_ino == os.stat(self.path).st_ino
            except FileNotFoundError:
                same = False
            if same:
                break
            os.close(fd)
        previous = _read_fd(fd)
        if previous is not None and previous.host != self.owner.host:
            os.close(fd)
            raise ArchiveLockedError(
                f"archive {self.path.parent} is locked by {previous.describe()}; if that "
                f"run is over, remove {self.path}"
            )
        if previous is not None:
            logger.warning(
                "Taking over run lock %s left by %s: that run is no longer running",
                self.path,
                previous.describe(),
            )
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(asdict(self.owner)).encode("utf-8"), 0)
        os.fsync(fd)
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()  # while still locked: see the inode check in acquire
            os.close(fd)

    @classmethod
    def held_here(cls, archive_dir: Path, run_id: str) -> bool:
        """True when this process, or its parent, holds ``archive_dir``'s lock for run ``run_id``.

        The lock file must name this pid (or the parent's: ``crawl`` runs host
        groups in child processes under its own lock, ``ops.parallel``), host
        and run, and its ``flock`` must be taken (a fresh descriptor cannot
        take it): a file left by a dead run with a reused pid fails the second
        test.
        """
        path = Path(archive_dir) / LOCK_FILE
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:
            return False
        try:
            owner = _read_fd(fd)
            if owner is None or (owner.host, owner.run_id) != (socket.gethostname(), run_id):
                return False
            if owner.pid not in (os.getpid(), os.getppid()):
                return False
            try:
                fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except BlockingIOError:
                return True
            fcntl.flock(fd, fcntl.LOCK_UN)
            return False
        finally:
            os.close(fd)

    def read(self) -> LockOwner | None:
        """Who the lock file names (it may be a run that is over), or None."""
        try:
            return LockOwner.from_json(self.path.read_text("utf-8"))
        except OSError:
            return None

    def __enter__(self) -> RunLock:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()


def _read_fd(fd: int) -> LockOwner | None:
    try:
        return LockOwner.from_json(os.pread(fd, 4096, 0).decode("utf-8", "replace"))
    except OSError:
        return None
