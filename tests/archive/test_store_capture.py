"""The store's side of capture: ``change`` on every line, the barrier order, re-parsed versions."""

from __future__ import annotations

import errno
from pathlib import Path
from typing import Any

import pytest
from archive_factories import as_dict, make_article

from snhr_crawler.archive import files
from snhr_crawler.archive.files import ArchiveWriteError
from snhr_crawler.archive.reader import index_rows, iter_lines
from snhr_crawler.archive.store import ArchiveStore
from snhr_crawler.archive.verify import verify
from tests.capture.warc_helpers import request, response, writer

JAN = "snhr_news/2024-01.jsonl"
URL = "https://news.snhr.org/2024/01/15/post-1/"


def captured(archive_dir: Path, *statuses: int) -> list[dict[str, Any]]:
    """Pointers to real exchanges of ``URL`` answering ``statuses``, in a closed WARC file."""
    w = writer(archive_dir)
    pointers = [
        w.write_exchange(request(URL), response(URL, b"<p>page</p>", status=status)).as_dict()
        for status in statuses
    ]
    w.close()
    return pointers


def _size(archive_dir: Path, rel: str = JAN) -> int:
    path = archive_dir / rel
    return path.stat().st_size if path.exists() else 0


def test_each_line_says_why_it_was_written(store: ArchiveStore, archive_dir: Path) -> None:
    page, gone = captured(archive_dir, 200, 410)
    store.put_article(as_dict(make_article(1, capture=page)))
    store.put_article(as_dict(make_article(1, body_text="Corrected.")))
    store.put_removal(
        key="snhr_news:1",
        source="snhr_news",
        url="https://news.snhr.org/2024/01/15/post-1/",
        post_id=1,
        status=410,
        checked_at="2026-11-25T13:00:00Z",
        capture=gone,
    )
    store.put_article(as_dict(make_article(1, body_text="Back again.")))
    store.close()
    lines = list(iter_lines(archive_dir))
    assert [(r["version"], r["change"]) for r in lines] == [
        (1, "new"),
        (2, "edit"),
        (3, "removal"),
        (4, "restore"),
    ]
    assert lines[0]["capture"] == page
    assert lines[1]["capture"] is None  # the article as handed over: nothing captured
    assert lines[2]["capture"] == gone  # the tombstone points at the 410
    report = verify(archive_dir)
    assert report.ok, report.problems


def test_with_a_barrier_no_line_is_written_before_it_ran(
    store: ArchiveStore, archive_dir: Path
) -> None:
    seen: list[int] = []
    store.add_barrier(lambda: seen.append(_size(archive_dir)))
    store.put_article(as_dict(make_article(1)))
    store.put_article(as_dict(make_article(2)))
    assert _size(archive_dir) == 0  # held: not on disk yet
    row = store.lookup("snhr_news", post_id=2, url=None)
    assert row is not None
    assert store.read_line(row.file, row.offset)["id"] == "snhr_news:2"  # the run reads it
    store.flush()
    assert seen == [0]  # the barrier ran once, before either line reached the file
    assert [r["id"] for r in iter_lines(archive_dir)] == ["snhr_news:1", "snhr_news:2"]
    assert [(r.line, r.offset) for r in index_rows(archive_dir)] == [
        (1, 0),
        (2, (archive_dir / JAN).read_bytes().index(b"\n") + 1),
    ]
    store.put_article(as_dict(make_article(1)))  # unchanged: nothing held
    store.flush()
    assert seen == [0]  # nothing to hold, no barrier


def test_a_failing_barrier_writes_nothing_and_stops_the_store(
    store: ArchiveStore, archive_dir: Path
) -> None:
    store.put_article(as_dict(make_article(1)))
    store.flush()
    before = (archive_dir / JAN).read_bytes()

    def barrier() -> None:
        raise ArchiveWriteError(archive_dir / "warc", OSError(errno.EIO, "Input/output error"))

    store.add_barrier(barrier)
    store.put_article(as_dict(make_article(2)))
    store.flush()
    assert store.failed is not None
    assert "Errno 5" in store.failed.summary()
    assert (archive_dir / JAN).read_bytes() == before
    store.close()
    assert [r.key for r in index_rows(archive_dir)] == ["snhr_news:1"]


def test_a_write_failing_at_the_boundary_keeps_the_lines_before_it(
    archive_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = ArchiveStore(archive_dir, fsync_every=10)
    store.add_barrier(lambda: None)
    for post_id in (1, 2, 3):
        store.put_article(as_dict(make_article(post_id)))
    real_write = files._os_write
    calls = {"n": 0}

    def second_fails(fd: int, data: memoryview) -> int:
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(files, "_os_write", second_fails)
    store.flush()
    monkeypatch.undo()
    assert store.failed is not None
    store.close()
    # One line reached the file, none was committed; the next open takes it in.
    assert [r["id"] for r in iter_lines(archive_dir)] == ["snhr_news:1"]
    assert list(index_rows(archive_dir)) == []
    again = ArchiveStore(archive_dir)
    assert again.recovery.indexed_lines == 1
    again.close()
    report = verify(archive_dir)
    assert report.ok, report.problems


def test_a_reparsed_version_keeps_the_key_and_chains_the_hash(
    store: ArchiveStore, archive_dir: Path
) -> None:
    (page,) = captured(archive_dir, 200)
    first = make_article(None, url="https://news.snhr.org/2024/01/15/no-id/", capture=page)
    store.put_article(as_dict(first))
    # Today's parser reads a post id, a corrected date and the same text.
    again = make_article(
        7,
        url=first.url,
        title=first.title,
        body_text=first.body_text,
        published_at="2024-02-03T10:00:00+03:00",
        capture=page,
    )
    assert store.put_reparsed(as_dict(again), key=first.id, version=2) == "stale"
    assert store.put_reparsed(as_dict(again), key=first.id, version=1) == "reparsed"
    store.close()
    v1, v2 = iter_lines(archive_dir)  # two month files, January first
    assert (v2["id"], v2["version"], v2["change"]) == (first.id, 2, "reparse")
    assert v2["post_id"] == 7
    assert v2["previous_sha256"] == v1["content_sha256"] == v2["content_sha256"]
    assert v2["capture"] == v1["capture"] == page
    (row,) = index_rows(archive_dir)
    assert (row.key, row.version, row.file) == (first.id, 2, "snhr_news/2024-02.jsonl")
    report = verify(archive_dir)
    assert report.ok, report.problems
