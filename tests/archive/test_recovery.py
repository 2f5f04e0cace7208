"""Start-up recovery: torn tails to quarantine, unindexed lines indexed, bad rows repaired."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from archive_factories import as_dict, crash, make_article

from snhr_crawler.archive.reader import index_rows, iter_lines
from snhr_crawler.archive.store import ArchiveStore
from snhr_crawler.archive.verify import verify

JAN = "snhr_news/2024-01.jsonl"


def _archive(archive_dir: Path, *post_ids: int) -> None:
    store = ArchiveStore(archive_dir)
    for post_id in post_ids:
        store.put_article(as_dict(make_article(post_id)))
    store.close()


def test_torn_tail_is_quarantined_and_counted(archive_dir: Path) -> None:
    _archive(archive_dir, 1, 2)
    good = (archive_dir / JAN).read_bytes()
    with open(archive_dir / JAN, "ab") as handle:
        handle.write(b'{"id": "snhr_news:3", "title": "cut sho')
    store = ArchiveStore(archive_dir)
    assert store.recovery.quarantined_lines == 1
    (qfile,) = store.recovery.quarantine_files
    assert qfile.startswith("quarantine/snhr_news/2024-01.jsonl.")
    assert (archive_dir / qfile).read_bytes() == b'{"id": "snhr_news:3", "title": "cut sho'
    assert (archive_dir / JAN).read_bytes() == good
    store.put_article(as_dict(make_article(3)))
    store.close()
    assert [r["id"] for r in iter_lines(archive_dir)] == [f"snhr_news:{i}" for i in (1, 2, 3)]
    assert verify(archive_dir).ok


def test_garbage_last_line_is_quarantined(archive_dir: Path) -> None:
    _archive(archive_dir, 1)
    with open(archive_dir / JAN, "ab") as handle:
        handle.write(b"\x00\x00\x00\n")
    store = ArchiveStore(archive_dir)
    assert store.recovery.quarantined_lines == 1
    store.close()
    assert verify(archive_dir).ok


def test_lines_on_disk_but_not_in_index_are_taken_in(archive_dir: Path) -> None:
    store = ArchiveStore(archive_dir, fsync_every=1000)
    for post_id in (1, 2, 3):
        store.put_article(as_dict(make_article(post_id)))
    store.writer.sync()  # lines reached the disk ...
    crash(store)  # ... but the index never committed
    assert list(index_rows(archive_dir)) == []
    store = ArchiveStore(archive_dir)
    assert store.recovery.indexed_lines == 3
    # The re-run sees them as archived and writes nothing new.
    assert store.put_article(as_dict(make_article(2))) == "unchanged"
    store.close()
    assert len((archive_dir / JAN).read_bytes().splitlines()) == 3
    assert verify(archive_dir).ok


def test_unsynced_batch_lost_by_kill_is_simply_rewritten(archive_dir: Path) -> None:
    """A kill with lines still in flight: whatever is on disk is indexed, the rest re-archived."""
    store = ArchiveStore(archive_dir, fsync_every=1000)
    store.put_article(as_dict(make_article(1)))
    crash(store)
    store = ArchiveStore(archive_dir)
    for post_id in (1, 2):
        store.put_article(as_dict(make_article(post_id)))
    store.close()
    assert sorted(r["id"] for r in iter_lines(archive_dir)) == ["snhr_news:1", "snhr_news:2"]
    assert verify(archive_dir).ok


def test_index_rows_pointing_past_the_file_are_rebuilt(archive_dir: Path) -> None:
    _archive(archive_dir, 1, 2)
    conn = sqlite3.connect(archive_dir / "index.sqlite3")
    with conn:
        conn.execute("UPDATE articles SET line = 99, offset = 99999 WHERE key = 'snhr_news:2'")
        conn.execute("UPDATE articles SET last_seen = '2030-01-01T00:00:00Z'")
    conn.close()
    store = ArchiveStore(archive_dir)
    assert store.recovery.rebuilt
    row = store.lookup("snhr_news", post_id=2, url=None)
    assert row is not None
    assert (row.line, row.offset) == (2, row.offset)
    assert row.last_seen == "2030-01-01T00:00:00Z"  # kept across the rebuild
    store.close()
    assert verify(archive_dir).ok


def test_shrunk_file_triggers_rebuild(archive_dir: Path) -> None:
    _archive(archive_dir, 1, 2)
    lines = (archive_dir / JAN).read_bytes().splitlines(keepends=True)
    (archive_dir / JAN).write_bytes(lines[0])  # e.g. files restored from an older backup
    store = ArchiveStore(archive_dir)
    assert store.recovery.rebuilt
    assert store.lookup("snhr_news", post_id=2, url=None) is None
    assert store.put_article(as_dict(make_article(2))) == "new"
    store.close()
    assert verify(archive_dir).ok


def test_lost_index_is_rebuilt_from_files(archive_dir: Path) -> None:
    _archive(archive_dir, 1, 2)
    for suffix in ("", "-wal", "-shm"):
        (archive_dir / f"index.sqlite3{suffix}").unlink(missing_ok=True)
    store = ArchiveStore(archive_dir)
    assert store.recovery.indexed_lines == 2
    assert store.put_article(as_dict(make_article(1))) == "unchanged"
    store.close()
    assert verify(archive_dir).ok


def test_hole_in_an_unsynced_tail_quarantines_the_rest(archive_dir: Path) -> None:
    """After a power cut a later page can reach the disk before an earlier one."""
    _archive(archive_dir, 1)
    store = ArchiveStore(archive_dir, fsync_every=1000)
    store.put_article(as_dict(make_article(2)))
    store.put_article(as_dict(make_article(3)))
    crash(store)
    lines = (archive_dir / JAN).read_bytes().splitlines(keepends=True)
    lines[1] = b"\x00" * (len(lines[1]) - 1) + b"\n"  # line 2 never reached the disk
    (archive_dir / JAN).write_bytes(b"".join(lines))
    store = ArchiveStore(archive_dir)
    assert store.recovery.quarantined_lines == 2  # the hole and the line after it
    assert store.lookup("snhr_news", post_id=3, url=None) is None  # fetched again next run
    for post_id in (2, 3):
        assert store.put_article(as_dict(make_article(post_id))) == "new"
    store.close()
    assert verify(archive_dir).ok


def test_rebuild_leaves_a_bad_middle_line_for_verify(archive_dir: Path) -> None:
    _archive(archive_dir, 1, 2, 3)
    lines = (archive_dir / JAN).read_bytes().splitlines(keepends=True)
    lines[1] = b"not json\n"
    (archive_dir / JAN).write_bytes(b"".join(lines))
    for suffix in ("", "-wal", "-shm"):
        (archive_dir / f"index.sqlite3{suffix}").unlink(missing_ok=True)
    store = ArchiveStore(archive_dir)
    assert store.recovery.quarantined_lines == 0
    assert store.recovery.skipped_lines == 1
    assert store.lookup("snhr_news", post_id=3, url=None) is not None  # not cut off
    store.close()
    assert any(p.endswith(":2: not a JSON object") for p in verify(archive_dir).problems)
