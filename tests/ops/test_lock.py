"""The run lock: a live run blocks a second one; a dead run's lock never blocks the next."""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from snhr_crawler.archive import lock as lock_module
from snhr_crawler.archive.lock import LOCK_FILE, ArchiveLockedError, RunLock
from snhr_crawler.cli import main

HOLDER = """
import sys
from snhr_crawler.archive.lock import RunLock
lock = RunLock(sys.argv[1], "20261124T021500Z", "2026-11-24T02:15:00Z")
lock.acquire()
print("held", flush=True)
sys.stdin.read()
"""


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def write_lock(archive: Path, **owner: object) -> None:
    """A lock file as a run would leave it, without anyone holding the ``flock``."""
    data = {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "run_id": "20261124T021500Z",
        "started_at": "2026-11-24T02:15:00Z",
    }
    data.update(owner)
    (archive / LOCK_FILE).write_text(json.dumps(data), "utf-8")


def hold_in_child(archive: Path) -> subprocess.Popen[str]:
    child = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(archive)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "held"
    return child


def test_lock_is_taken_and_released(archive_dir: Path) -> None:
    with RunLock(archive_dir, "r1", "t") as lock:
        assert lock.read() is not None
        assert lock.read().run_id == "r1"  # type: ignore[union-attr]
    assert not (archive_dir / LOCK_FILE).exists()


def test_active_lock_blocks_a_second_run(archive_dir: Path) -> None:
    with (
        RunLock(archive_dir, "r1", "t"),
        pytest.raises(ArchiveLockedError, match="locked by run r1"),
    ):
        RunLock(archive_dir, "r2", "t").acquire()


def test_a_run_in_another_process_blocks_until_it_ends(archive_dir: Path) -> None:
    child = hold_in_child(archive_dir)
    try:
        with pytest.raises(
            ArchiveLockedError, match=f"locked by run 20261124T021500Z .pid {child.pid}"
        ):
            RunLock(archive_dir, "r2", "t").acquire()
    finally:
        child.send_signal(signal.SIGKILL)  # no release: the kernel drops the flock
        child.wait()
    assert (archive_dir / LOCK_FILE).exists()
    with RunLock(archive_dir, "r2", "t") as lock:
        assert lock.read().run_id == "r2"  # type: ignore[union-attr]


def test_lock_left_by_a_dead_pid_is_taken_over(
    archive_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    write_lock(archive_dir, pid=dead_pid())
    with caplog.at_level(logging.WARNING), RunLock(archive_dir, "r2", "t") as lock:
        assert lock.read().run_id == "r2"  # type: ignore[union-attr]
    assert "no longer running" in caplog.text


def test_a_reused_pid_is_not_taken_for_a_live_run(archive_dir: Path) -> None:
    write_lock(archive_dir)  # names this (live) process, which does not hold the flock
    with RunLock(archive_dir, "r2", "t") as lock:
        assert lock.read().run_id == "r2"  # type: ignore[union-attr]


def test_two_runs_replacing_a_stale_lock_at_once_cannot_both_hold_it(
    archive_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second run starts exactly while the first is replacing the stale lock."""
    write_lock(archive_dir, pid=dead_pid())
    first, second = RunLock(archive_dir, "r1", "t"), RunLock(archive_dir, "r2", "t")
    warning = lock_module.logger.warning
    outcome: list[str] = []

    def second_run_starts(*args: object) -> None:
        warning(*args)  # type: ignore[arg-type]
        if not outcome:
            outcome.append("started")
            try:
                second.acquire()
                outcome.append("second holds it")
            except ArchiveLockedError:
                outcome.append("second refused")

    monkeypatch.setattr(lock_module.logger, "warning", second_run_starts)
    try:
        first.acquire()
        assert outcome == ["started", "second refused"]
        assert first.held
        assert not second.held
        assert first.read().run_id == "r1"  # type: ignore[union-attr]
    finally:
        first.release()
        second.release()


def test_lock_from_another_host_is_never_presumed_dead(archive_dir: Path) -> None:
    write_lock(archive_dir, pid=dead_pid(), host="other-host.example")
    with pytest.raises(ArchiveLockedError, match=f"remove {archive_dir / LOCK_FILE}"):
        RunLock(archive_dir, "r2", "t").acquire()


def test_crawl_exits_75_while_another_run_holds_the_archive(
    archive_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    child = hold_in_child(archive_dir)
    try:
        code = main(["crawl", "snhr_news", "--archive", str(archive_dir)])
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    err = capsys.readouterr().err
    assert code == 75
    assert len(err.splitlines()) == 1
    assert "locked by run 20261124T021500Z" in err
