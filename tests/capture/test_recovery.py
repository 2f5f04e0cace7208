"""Torn tails: a WARC file cut at every byte offset recovers to its last whole record."""

from __future__ import annotations

import fcntl
import gzip
import logging
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from snhr_crawler.capture import writer as writer_module
from snhr_crawler.capture.recovery import (
    DamagedWarcError,
    quarantine_dir_for,
    recover_open_files,
    recover_torn_tail,
)
from tests.capture.warc_helpers import START, read_warc, request, response, writer

URL = "https://news.snhr.org/2024/04/22/a/"


@pytest.fixture(scope="module")
def small_warc(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[bytes, list[tuple[int, int, str]]]:
    """A closed file of two exchanges, and warcio's (offset, end, id) of each record."""
    archive = tmp_path_factory.mktemp("small")
    w = writer(archive)
    encoded = gzip.compress(b"<p>one</p>" * 3, mtime=0)
    w.write_exchange(
        request(URL),
        response(URL, encoded, headers={"Content-Encoding": "gzip", "Content-Type": "text/html"}),
    )
    w.write_exchange(request(URL + "?2"), response(URL + "?2", b"", status=404))
    w.close()
    (path,) = (archive / "warc").rglob("*.warc.gz")
    records = [(s.offset, s.offset + s.length, s.id) for s in read_warc(path)]
    return path.read_bytes(), records


@pytest.fixture
def no_fsync(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    """Thousands of recoveries: durability is tested elsewhere, cutting is tested here."""
    monkeypatch.setattr(writer_module, "_os_fsync", lambda fd: None)
    caplog.set_level(logging.ERROR, logger="snhr_crawler.capture.recovery")


def test_a_file_cut_at_every_byte_offset_recovers_to_its_last_whole_record(
    tmp_path: Path, small_warc: tuple[bytes, list[tuple[int, int, str]]], no_fsync: None
) -> None:
    data, records = small_warc
    ends = [0] + [end for _, end, _ in records]
    path = tmp_path / "torn.warc.gz.open"
    quarantine = tmp_path / "quarantine"
    assert ends[-1] == len(data)
    for cut in range(len(data) + 1):
        path.unlink(missing_ok=True)  # a new file: rewriting one in place makes ext4 flush it
        path.write_bytes(data[:cut])
        result = recover_torn_tail(path, quarantine, clock=lambda: START)
        kept = max(end for end in ends if end <= cut)  # warcio's boundaries: the oracle
        assert result.kept_bytes == kept, cut
        assert path.read_bytes() == data[:kept], cut
        assert result.kept_records == ends.index(kept), cut
        assert result.cut_bytes == cut - kept, cut
        if cut == kept:
            assert result.quarantine_path is None
            continue
        assert result.quarantine_path is not None
        assert result.quarantine_path.read_bytes() == data[kept:cut], cut
        result.quarantine_path.unlink()
        (torn_id,) = [rid for start, end, rid in records if start == kept]
        assert set(result.lost_record_ids) <= {torn_id}, cut
        end = next(end for start, end, _ in records if start == kept)
        if cut >= end - 8:  # only the gzip trailer is missing: its headers are all readable
            assert result.lost_record_ids == (torn_id,), cut
    # What is left after any cut is a file warcio reads whole.
    path.write_bytes(data[: len(data) - 3])
    recover_torn_tail(path, quarantine, clock=lambda: START)
    assert len(read_warc(path)) == len(records) - 1


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(garbage=st.binary(min_size=1, max_size=300))
def test_bytes_after_the_last_record_are_cut_and_kept(
    tmp_path: Path,
    small_warc: tuple[bytes, list[tuple[int, int, str]]],
    no_fsync: None,
    garbage: bytes,
) -> None:
    data, records = small_warc
    path = tmp_path / "tail.warc.gz.open"
    path.write_bytes(data + garbage)
    shutil.rmtree(tmp_path / "q", ignore_errors=True)
    result = recover_torn_tail(path, tmp_path / "q", clock=lambda: START)
    assert path.read_bytes() == data
    assert result.kept_records == len(records)
    assert result.quarantine_path is not None
    assert result.quarantine_path.read_bytes() == garbage


def test_damage_before_whole_records_is_not_a_torn_tail(
    tmp_path: Path, small_warc: tuple[bytes, list[tuple[int, int, str]]]
) -> None:
    data, records = small_warc
    start, end, _ = records[1]  # a record in the middle
    damaged = bytearray(data)
    damaged[(start + end) // 2] ^= 0xFF
    path = tmp_path / "rot.warc.gz"
    path.write_bytes(bytes(damaged))
    with pytest.raises(DamagedWarcError, match="whole record follows"):
        recover_torn_tail(path, tmp_path / "q")
    assert path.read_bytes() == bytes(damaged)  # nothing cut
    assert not (tmp_path / "q").exists()


def test_files_a_killed_run_left_open_are_cut_and_closed(
    tmp_path: Path, small_warc: tuple[bytes, list[tuple[int, int, str]]]
) -> None:
    data, records = small_warc
    directory = tmp_path / "warc" / "snhr_news"
    directory.mkdir(parents=True)
    torn = directory / "20261124T021500Z-00001.warc.gz.open"
    torn.write_bytes(data[:-5])
    nothing_whole = directory / "20261124T021500Z-00002.warc.gz.open"
    nothing_whole.write_bytes(data[:20])
    live = directory / "20261124T021500Z-00003.warc.gz.open"
    live.write_bytes(data[:-5])
    holder = os.open(live, os.O_RDONLY)
    fcntl.flock(holder, fcntl.LOCK_EX)  # as the writer of a running crawl holds it
    try:
        done = recover_open_files(tmp_path, "snhr_news", clock=lambda: START)
    finally:
        os.close(holder)
    assert [item.recovery.path for item in done] == [torn, nothing_whole]
    closed = directory / "20261124T021500Z-00001.warc.gz"
    assert done[0].closed_as == closed
    assert closed.read_bytes() == data[: records[-1][0]]
    assert done[0].recovery.lost_record_ids == (records[-1][2],)
    assert done[1].closed_as is None
    assert not nothing_whole.exists()
    assert live.read_bytes() == data[:-5]  # a live crawl's file is never touched
    quarantined = sorted(quarantine_dir_for(tmp_path, "snhr_news").iterdir())
    assert [q.name for q in quarantined] == [
        "20261124T021500Z-00001.warc.gz.open.20261125T021503123456Z.torn",
        "20261124T021500Z-00002.warc.gz.open.20261125T021503123456Z.torn",
    ]
    assert recover_open_files(tmp_path, "snhr_other") == []
