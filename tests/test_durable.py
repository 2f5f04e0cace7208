"""The durable-write rules every writer of the archive shares (``snhr_crawler.durable``)."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from snhr_crawler import durable


def test_short_writes_are_continued(tmp_path: Path) -> None:
    def two_bytes_at_a_time(fd: int, view: memoryview) -> int:
        return os.write(fd, view[:2])

    path = tmp_path / "f"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT)
    try:
        durable.write_all(fd, b"abcdefg", two_bytes_at_a_time)
    finally:
        os.close(fd)
    assert path.read_bytes() == b"abcdefg"


def test_move_tail_keeps_the_cut_bytes_before_cutting(tmp_path: Path) -> None:
    path = tmp_path / "data.jsonl"
    path.write_bytes(b'{"a": 1}\n{"b": tor')
    quarantined = tmp_path / "quarantine" / "data.jsonl.torn"
    synced: list[int] = []

    tail = durable.move_tail(path, 9, quarantined, lambda fd: synced.append(fd))
    assert tail == b'{"b": tor'
    assert quarantined.read_bytes() == tail
    assert path.read_bytes() == b'{"a": 1}\n'
    assert len(synced) == 3  # the quarantined file, its directory, the cut file


def test_move_tail_never_overwrites_a_quarantined_file(tmp_path: Path) -> None:
    path = tmp_path / "data.jsonl"
    path.write_bytes(b"whole\ntorn")
    quarantined = tmp_path / "earlier.torn"
    quarantined.write_bytes(b"kept")
    with pytest.raises(FileExistsError):
        durable.move_tail(path, 6, quarantined)
    assert quarantined.read_bytes() == b"kept"
    assert path.read_bytes() == b"whole\ntorn"  # nothing cut without its copy


def test_replace_file_removes_what_a_killed_writer_left(tmp_path: Path) -> None:
    target = tmp_path / "manifest.json"
    target.write_bytes(b"old")
    stale = tmp_path / ".manifest.json.12345.tmp"
    stale.write_bytes(b"half")
    durable.replace_file(target, b"new")
    assert target.read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["manifest.json"]


def test_append_file_creates_then_appends(tmp_path: Path) -> None:
    path = tmp_path / "chain.jsonl"
    durable.append_file(path, b"1\n")
    durable.append_file(path, b"2\n")
    assert path.read_bytes() == b"1\n2\n"


def test_errors_name_the_writer_the_path_and_the_errno() -> None:
    class ExampleWriteError(durable.DurableWriteError):
        what = "example write"

    error = ExampleWriteError("/x/y", OSError(errno.ENOSPC, "No space left on device"))
    assert str(error) == "example write failed: /x/y: [Errno 28 ENOSPC] No space left on device"
    assert error.errno == errno.ENOSPC
