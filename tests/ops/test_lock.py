"""The run lock: a live run blocks a second one; a dead run's lock is replaced."""

from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from snhr_crawler.cli import main
from snhr_crawler.ops.lock import LOCK_FILE, RunLock, RunLockedError, boot_id


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def write_lock(archive: Path, **owner: object) -> None:
    data = {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "boot_id": boot_id(),
        "run_id": "20261124T021500Z",
        "started_at": "2026-11-24T02:15:00Z",
    }
    data.update(owner)
    (archive / LOCK_FILE).write_text(json.dumps(data), "utf-8")


def test_lock_is_taken_and_released(archive_dir: Path) -> None:
    with RunLock(archive_dir, "r1", "t") as lock:
        assert lock.read() is not None
        assert lock.read().run_id == "r1"
    assert not (archive_dir / LOCK_FILE).exists()


def test_active_lock_blocks_a_second_run(archive_dir: Path) -> None:
    with RunLock(archive_dir, "r1", "t"), pytest.raises(RunLockedError, match="locked by run r1"):
        RunLock(archive_dir, "r2", "t").acquire()


def test_lock_of_a_dead_pid_is_stale(archive_dir: Path, caplog: pytest.LogCaptureFixture) -> None:
    write_lock(archive_dir, pid=dead_pid())
    with caplog.at_level(logging.WARNING), RunLock(archive_dir, "r2", "t") as lock:
        assert lock.read().run_id == "r2"  # type: ignore[union-attr]
    assert "is not running" in caplog.text


def test_lock_from_before_a_reboot_is_stale(archive_dir: Path) -> None:
    if not boot_id():
        pytest.skip("no boot id on this system")
    write_lock(archive_dir, boot_id="another-boot")  # our own (live) pid, but another boot
    with RunLock(archive_dir, "r2", "t") as lock:
        assert lock.read().run_id == "r2"  # type: ignore[union-attr]


def test_lock_from_another_host_is_never_presumed_dead(archive_dir: Path) -> None:
    write_lock(archive_dir, pid=dead_pid(), host="other-host.example")
    with pytest.raises(RunLockedError, match=f"remove {archive_dir / LOCK_FILE}"):
        RunLock(archive_dir, "r2", "t").acquire()


def test_crawl_exits_75_while_another_run_holds_the_archive(
    archive_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_lock(archive_dir)  # this (live) process holds it
    code = main(["crawl", "snhr_news", "--archive", str(archive_dir)])
    err = capsys.readouterr().err
    assert code == 75
    assert len(err.splitlines()) == 1
    assert "locked by run 20261124T021500Z" in err
