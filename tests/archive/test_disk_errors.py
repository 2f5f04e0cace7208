"""Disk full / permission errors: the crawl stops, the archive stays valid."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from archive_factories import as_dict, make_article

from snhr_crawler.archive import files
from snhr_crawler.archive.files import ArchiveWriteError
from snhr_crawler.archive.reader import iter_lines
from snhr_crawler.archive.store import ArchiveStore
from snhr_crawler.archive.verify import verify

JAN = "snhr_news/2024-01.jsonl"


def _half_then_enospc(monkeypatch: pytest.MonkeyPatch) -> None:
    real_write = files._os_write

    def write(fd: int, data: bytes) -> int:
        real_write(fd, bytes(data[: len(data) // 2]))
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(files, "_os_write", write)


def test_enospc_mid_line_is_cut_back_and_store_stops(
    archive_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = ArchiveStore(archive_dir, fsync_every=1)
    store.put_article(as_dict(make_article(1)))
    _half_then_enospc(monkeypatch)
    with pytest.raises(ArchiveWriteError) as info:
        store.put_article(as_dict(make_article(2)))
    message = info.value.summary()
    assert str(archive_dir / JAN) in message
    assert "Errno 28" in message
    assert "ENOSPC" in message
    assert "No space left" in message
    assert store.failed is info.value
    with pytest.raises(ArchiveWriteError):  # refuses further records
        store.put_article(as_dict(make_article(3)))
    monkeypatch.undo()
    store.close()
    assert not (archive_dir / "manifest.json").exists()  # never describes a failed run
    assert (archive_dir / JAN).read_bytes().endswith(b"\n")  # no torn line left behind
    store = ArchiveStore(archive_dir)
    assert store.recovery.quarantined_lines == 0
    assert store.put_article(as_dict(make_article(2))) == "new"
    store.close()
    assert [r["id"] for r in iter_lines(archive_dir)] == ["snhr_news:1", "snhr_news:2"]
    assert verify(archive_dir).ok


def test_torn_line_that_cannot_be_cut_back_is_quarantined_next_start(
    archive_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = ArchiveStore(archive_dir, fsync_every=1)
    store.put_article(as_dict(make_article(1)))
    _half_then_enospc(monkeypatch)

    def no_truncate(fd: int, length: int) -> None:
        raise OSError(errno.ENOSPC, "still full")

    monkeypatch.setattr(files.os, "ftruncate", no_truncate)
    with pytest.raises(ArchiveWriteError):
        store.put_article(as_dict(make_article(2)))
    monkeypatch.undo()
    store.close()
    assert not (archive_dir / JAN).read_bytes().endswith(b"\n")
    assert [r["id"] for r in iter_lines(archive_dir)] == ["snhr_news:1"]  # torn one not counted
    store = ArchiveStore(archive_dir)
    assert store.recovery.quarantined_lines == 1
    assert store.lookup("snhr_news", post_id=2, url=None) is None  # refetched next run
    store.close()
    assert verify(archive_dir).ok


def test_fsync_error_fails_before_the_index_commits(
    archive_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = ArchiveStore(archive_dir, fsync_every=2)
    store.put_article(as_dict(make_article(1)))

    def fsync(fd: int) -> None:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(files, "_os_fsync", fsync)
    with pytest.raises(ArchiveWriteError) as info:
        store.put_article(as_dict(make_article(2)))
    assert "Errno 5" in info.value.summary()
    monkeypatch.undo()
    store.close()
    # Both lines are on disk (page cache), none committed: the next start indexes them.
    store = ArchiveStore(archive_dir)
    assert store.recovery.indexed_lines == 2
    store.close()
    assert verify(archive_dir).ok


def test_permission_error_on_new_file(archive_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = ArchiveStore(archive_dir)
    real_open = os.open

    def deny(path: object, flags: int, mode: int = 0o777) -> int:
        if str(path).endswith(".jsonl"):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real_open(path, flags, mode)

    monkeypatch.setattr(files.os, "open", deny)
    with pytest.raises(ArchiveWriteError) as info:
        store.put_article(as_dict(make_article(1)))
    monkeypatch.undo()
    assert "Errno 13" in info.value.summary()
    assert JAN in info.value.summary()
    store.close()
    assert verify(archive_dir).ok or not list(iter_lines(archive_dir))
