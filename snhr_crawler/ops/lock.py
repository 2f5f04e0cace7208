"""RunLock: at most one crawl run per archive, and a killed run's lock is noticed.

The archive store's own ``flock`` (``<archive>/.lock``) only covers the time a
store is open, i.e. one source's crawl; between sources, or while a slow
night's run is still going when cron fires the next one, a second run could
slip in. This lock covers the whole run: ``<archive>/crawl.lock`` is created
atomically (``link``) and holds JSON ``{pid, host, boot_id, run_id, started_at}``.

A lock is **stale** when it names this host and either the machine has
rebooted since (another ``boot_id``) or the pid is no longer alive; a stale
lock is replaced with a warning. A lock from another host (an archive on a
shared disk) is never presumed dead: the message says how to remove it.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
from dataclasses import asdict, dataclass
from pathlib import Path
from types import TracebackType

from snhr_crawler.exceptions import SnhrCrawlerError

logger = logging.getLogger(__name__)

LOCK_FILE = "crawl.lock"
_BOOT_ID = Path("/proc/sys/kernel/random/boot_id")


class RunLockedError(SnhrCrawlerError):
    """Another run holds the archive (raised by ``RunLock.acquire``)."""


@dataclass(frozen=True)
class LockOwner:
    """Who holds the lock; written into the lock file."""

    pid: int
    host: str
    boot_id: str
    run_id: str
    started_at: str

    def describe(self) -> str:
        return f"run {self.run_id} (pid {self.pid} on {self.host}, since {self.started_at})"


def boot_id() -> str:
    """This boot's id on Linux ('' elsewhere): a pid from before a reboot means nothing."""
    try:
        return _BOOT_ID.read_text().strip()
    except OSError:
        return ""


def pid_alive(pid: int) -> bool:
    """True when a process with this pid exists (signal 0 checks without sending)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    return True


def stale_reason(owner: LockOwner, *, host: str, current_boot: str) -> str | None:
    """Why ``owner``'s lock is stale, or None when it may still be running."""
    if owner.host != host:
        return None
    if owner.boot_id and current_boot and owner.boot_id != current_boot:
        return "the machine rebooted since"
    if not pid_alive(owner.pid):
        return f"pid {owner.pid} is not running"
    return None


class RunLock:
    """``with RunLock(archive, run_id, started_at): ...`` holds ``<archive>/crawl.lock``."""

    def __init__(self, archive_dir: Path, run_id: str, started_at: str) -> None:
        self.path = Path(archive_dir) / LOCK_FILE
        self.owner = LockOwner(
            pid=os.getpid(),
            host=socket.gethostname(),
            boot_id=boot_id(),
            run_id=run_id,
            started_at=started_at,
        )
        self.held = False

    def acquire(self) -> None:
        """Take the lock, replacing a stale one; raise ``RunLockedError`` if it is held."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        reason: str | None
        for _ in range(2):
            if self._create():
                self.held = True
                return
            holder = self.read()
            if holder is None:  # unreadable or vanished: treat as stale
                reason = "the lock file is unreadable"
            else:
                reason = stale_reason(holder, host=self.owner.host, current_boot=self.owner.boot_id)
                if reason is None:
                    raise RunLockedError(
                        f"archive {self.path.parent} is locked by {holder.describe()}; if that "
                        f"run is dead, remove {self.path}"
                    )
            logger.warning("Replacing stale run lock %s: %s", self.path, reason)
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()
        raise RunLockedError(f"could not take {self.path}: another run took it first")

    def release(self) -> None:
        if self.held:
            self.held = False
            current = self.read()
            if current is not None and current.run_id == self.owner.run_id:
                with contextlib.suppress(FileNotFoundError):
                    self.path.unlink()

    def read(self) -> LockOwner | None:
        try:
            data = json.loads(self.path.read_text("utf-8"))
            return LockOwner(**data)
        except (OSError, ValueError, TypeError):
            return None

    def _create(self) -> bool:
        """Create the lock file with its content in one step (``link`` fails if it exists).

        Writing after an ``O_EXCL`` create would let a second run read an empty
        file in between and take it for a stale lock.
        """
        tmp = self.path.with_name(f"{self.path.name}.{self.owner.pid}.tmp")
        try:
            with open(tmp, "w", encoding="utf-8") as handle:
                json.dump(asdict(self.owner), handle)
                handle.flush()
                os.fsync(handle.fileno())
            os.link(tmp, self.path)
        except FileExistsError:
            return False
        finally:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
        return True

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
