"""Starting the replica as a child (demo and benchmark): origins read with a bound, no orphans."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from snhr_crawler import demo
from snhr_replica.process import (
    SOURCES,
    ReplicaStartError,
    start_replica_process,
    stop_process,
)

pytestmark = pytest.mark.e2e


def _stand_in(tmp_path: Path, body: str) -> list[str]:
    """A child that records its pid, then runs ``body`` (in place of ``replica serve``)."""
    pid_file = tmp_path / "child.pid"
    code = f"import os, sys, time; open({str(pid_file)!r}, 'w').write(str(os.getpid())); {body}"
    return [sys.executable, "-c", code]


def _gone(tmp_path: Path) -> bool:
    """The stand-in has been stopped and reaped (or was stopped before it wrote its pid)."""
    pid_file = tmp_path / "child.pid"
    if not pid_file.exists():
        return True
    pid = int(pid_file.read_text() or 0)
    if not pid:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_real_replica_prints_one_origin_per_site() -> None:
    process, origins = start_replica_process(["--port", "0", "--posts", "3"], 60)
    try:
        assert list(origins) == list(SOURCES)
        assert all(origin.startswith("http://127.0.0.1:") for origin in origins.values())
    finally:
        stop_process(process)
    assert process.returncode is not None


def test_a_replica_that_hangs_before_printing_is_stopped_after_the_timeout(tmp_path: Path) -> None:
    command = _stand_in(
        tmp_path, "print('snhr_news http://127.0.0.1:1', flush=True); time.sleep(60)"
    )
    start = time.monotonic()
    with pytest.raises(ReplicaStartError, match=r"within 1 s .*'snhr_news'"):
        start_replica_process([], 1.0, command=command)
    assert time.monotonic() - start < 30
    assert _gone(tmp_path)


def test_a_replica_that_exits_early_is_reported(tmp_path: Path) -> None:
    command = _stand_in(tmp_path, "sys.exit(3)")
    with pytest.raises(ReplicaStartError, match="exited with status 3"):
        start_replica_process([], 30, command=command)
    assert _gone(tmp_path)


def test_a_malformed_origin_line_is_reported(tmp_path: Path) -> None:
    command = _stand_in(tmp_path, "print('listening', flush=True); time.sleep(60)")
    with pytest.raises(ReplicaStartError, match="got 'listening'"):
        start_replica_process([], 30, command=command)
    assert _gone(tmp_path)


def test_demo_exits_with_one_line_when_the_replica_hangs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(demo, "_cli", lambda *args: _stand_in(tmp_path, "time.sleep(60)"))
    origins = tmp_path / "origins.txt"
    with pytest.raises(SystemExit) as exit_info:
        demo.start_replica(3, origins, timeout=1.0)
    message = str(exit_info.value.code)
    assert message.startswith("error: the replica did not start")
    assert "\n" not in message
    assert not origins.exists()
    assert _gone(tmp_path)


def test_demo_writes_the_origins_file(tmp_path: Path) -> None:
    origins = tmp_path / "origins.txt"
    server = demo.start_replica(3, origins)
    try:
        lines = [line.split() for line in origins.read_text("utf-8").splitlines()]
        assert [name for name, _ in lines] == list(SOURCES)
    finally:
        stop_process(server)
