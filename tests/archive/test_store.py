"""The write path: versions, tombstones, dedupe, write order, batching, locking, rejections."""

from __future__ import annotations

from pathlib import Path

import pytest
from archive_factories import as_dict, make_article

from snhr_crawler.archive import files
from snhr_crawler.archive.lock import ArchiveLockedError, RunLock
from snhr_crawler.archive.reader import index_rows, iter_lines, latest_records
from snhr_crawler.archive.store import ArchiveStore, RejectedRecord

JAN = "snhr_news/2024-01.jsonl"


def _lines(archive_dir: Path, rel: str = JAN) -> list[bytes]:
    return (archive_dir / rel).read_bytes().splitlines(keepends=True)


def _remove(store: ArchiveStore, post_id: int, status: int = 404) -> str:
    return store.put_removal(
        key=f"snhr_news:{post_id}",
        source="snhr_news",
        url=f"https://news.snhr.org/2024/01/15/post-{post_id}/",
        post_id=post_id,
        status=status,
        checked_at="2026-11-25T13:00:00Z",
    )


def test_new_article_is_version_1_in_its_month_file(store: ArchiveStore, archive_dir: Path) -> None:
    assert store.put_article(as_dict(make_article(1))) == "new"
    store.flush()
    (record,) = iter_lines(archive_dir)
    assert (record["id"], record["version"], record["previous_sha256"]) == ("snhr_news:1", 1, None)
    assert record["archived_at"].endswith("Z")
    (row,) = index_rows(archive_dir)
    assert (row.file, row.line, row.offset, row.version) == (JAN, 1, 0, 1)
    assert row.sha256 == record["content_sha256"]


def test_undated_goes_to_undated_file(store: ArchiveStore, archive_dir: Path) -> None:
    store.put_article(as_dict(make_article(1, published_at=None)))
    store.flush()
    assert _lines(archive_dir, "snhr_news/undated.jsonl")


def test_unchanged_article_writes_nothing_but_moves_last_seen(
    store: ArchiveStore, archive_dir: Path
) -> None:
    store.put_article(as_dict(make_article(1)), now="2026-01-01T00:00:00Z")
    store.flush()
    before = (archive_dir / JAN).read_bytes()
    # Re-serialisation noise (trailing spaces) hashes the same.
    assert store.put_article(as_dict(make_article(1)), now="2026-02-01T00:00:00Z") == "unchanged"
    store.flush()
    assert (archive_dir / JAN).read_bytes() == before
    (row,) = index_rows(archive_dir)
    assert (row.first_seen, row.last_seen, row.version) == (
        "2026-01-01T00:00:00Z",
        "2026-02-01T00:00:00Z",
        1,
    )


def test_edit_appends_next_version_with_previous_hash(
    store: ArchiveStore, archive_dir: Path
) -> None:
    first = make_article(1)
    store.put_article(as_dict(first))
    assert store.put_article(as_dict(make_article(1, body_text="Corrected figures."))) == "changed"
    assert store.put_article(as_dict(make_article(1, title="New title"))) == "changed"
    store.flush()
    records = list(iter_lines(archive_dir))
    assert [r["version"] for r in records] == [1, 2, 3]
    assert records[1]["previous_sha256"] == first.content_sha256
    assert records[2]["previous_sha256"] == records[1]["content_sha256"]
    (latest,) = latest_records(archive_dir)
    assert latest["version"] == 3
    assert latest["title"] == "New title"
    assert len(_lines(archive_dir)) == 3  # appended, never rewritten


def test_missing_hash_is_refused_not_computed(store: ArchiveStore, archive_dir: Path) -> None:
    # The hash is derived once, by items.seal (record assembly); the store only keys on it.
    with pytest.raises(RejectedRecord, match="missing_sha256"):
        store.put_article(as_dict(make_article(1, content_sha256="")))
    store.flush()
    assert list(iter_lines(archive_dir)) == []


def test_removal_writes_tombstone_once(store: ArchiveStore, archive_dir: Path) -> None:
    article = make_article(1)
    store.put_article(as_dict(article))
    assert _remove(store, 1, 410) == "removed"
    assert _remove(store, 1) == "already_removed"
    assert _remove(store, 99) == "unknown"
    store.flush()
    records = list(iter_lines(archive_dir))
    assert len(records) == 2
    tomb = records[1]
    assert tomb["tombstone"] is True
    assert tomb["status"] == 410
    assert tomb["version"] == 2
    assert tomb["previous_sha256"] == article.content_sha256
    assert tomb["removed_at"] == "2026-11-25T13:00:00Z"
    assert list(latest_records(archive_dir)) == []
    assert [r["version"] for r in latest_records(archive_dir, include_tombstones=True)] == [2]


def test_article_back_after_tombstone_gets_new_version(store: ArchiveStore) -> None:
    article = make_article(1)
    store.put_article(as_dict(article))
    _remove(store, 1)
    assert store.put_article(as_dict(article)) == "changed"
    row = store.lookup("snhr_news", post_id=1, url=None)
    assert row is not None
    assert row.version == 3
    assert not row.tombstoned


def test_removal_rejects_other_statuses(store: ArchiveStore) -> None:
    store.put_article(as_dict(make_article(1)))
    with pytest.raises(RejectedRecord) as info:
        _remove(store, 1, 500)
    assert info.value.reason == "bad_status"


def test_without_post_id_dedupes_on_canonical_url(store: ArchiveStore, archive_dir: Path) -> None:
    url = "https://news.snhr.org/2024/01/15/no-id/"
    store.put_article(as_dict(make_article(None, url=url)))
    variant = "http://www.news.sn4hr.org/2024/01/15/no-id?utm_source=x"
    assert store.put_article(as_dict(make_article(None, url=url, id="snhr_news:u" + "0" * 16)))
    assert store.put_article(as_dict(make_article(None, url=variant))) == "unchanged"
    store.flush()
    assert len(list(index_rows(archive_dir))) == 1


def test_dash_2_slug_is_another_article(store: ArchiveStore, archive_dir: Path) -> None:
    store.put_article(as_dict(make_article(None, url="https://news.snhr.org/2024/01/15/x/")))
    store.put_article(as_dict(make_article(None, url="https://news.snhr.org/2024/01/15/x-2/")))
    store.flush()
    assert len(list(index_rows(archive_dir))) == 2


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"title": "  "}, "missing_title"),
        ({"body_text": ""}, "missing_body"),
        ({"source": "../etc"}, "bad_source"),
        ({"doc_type": "rumour"}, "schema"),
        ({"published_at": "15 January"}, "schema"),
    ],
)
def test_bad_records_are_rejected_and_not_written(
    store: ArchiveStore, archive_dir: Path, overrides: dict, reason: str
) -> None:
    with pytest.raises(RejectedRecord) as info:
        store.put_article(as_dict(make_article(1, **overrides)))
    assert info.value.reason == reason
    store.flush()
    assert list(iter_lines(archive_dir)) == []


def test_fsync_then_commit_at_batch_boundaries(
    archive_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    events: list[str] = []
    real_fsync = files._os_fsync

    def fsync(fd: int) -> None:
        events.append("fsync")
        real_fsync(fd)

    monkeypatch.setattr(files, "_os_fsync", fsync)
    store = ArchiveStore(archive_dir, fsync_every=3)
    real_commit = store.index.commit

    def commit() -> None:
        events.append("commit")
        real_commit()

    monkeypatch.setattr(store.index, "commit", commit)
    for post_id in (1, 2):
        store.put_article(as_dict(make_article(post_id)))
    assert events == []
    assert list(index_rows(archive_dir)) == []  # not archived until the batch commits
    assert store.lookup("snhr_news", post_id=2, url=None) is not None  # but the run sees it
    store.put_article(as_dict(make_article(3)))
    assert events[-1] == "commit"
    assert "fsync" in events
    assert events.index("fsync") < events.index("commit")
    assert len(list(index_rows(archive_dir))) == 3
    events.clear()
    store.put_article(as_dict(make_article(4)))
    store.close()  # close flushes the partial batch
    assert events[:2] == ["fsync", "commit"]
    assert len(list(index_rows(archive_dir))) == 4


def test_one_writer_per_archive_even_in_one_process(archive_dir: Path) -> None:
    first = ArchiveStore(archive_dir)
    with pytest.raises(ArchiveLockedError):
        ArchiveStore(archive_dir / ".." / "archive")  # the same directory, spelled otherwise
    first.close()
    second = ArchiveStore(archive_dir)  # the lock went with the first store
    second.close()


def test_a_store_under_a_held_run_lock_takes_none_of_its_own(archive_dir: Path) -> None:
    with RunLock(archive_dir, "run-1", "2026-11-25T00:00:00Z"):
        assert RunLock.held_here(archive_dir, "run-1")
        assert not RunLock.held_here(archive_dir, "run-2")
        store = ArchiveStore(archive_dir, held_lock=True)
        store.close()
        assert RunLock.held_here(archive_dir, "run-1")  # closing the store kept the run's lock
    assert not RunLock.held_here(archive_dir, "run-1")


def test_second_writer_is_locked_out(store: ArchiveStore, archive_dir: Path) -> None:
    with pytest.raises(ArchiveLockedError):
        ArchiveStore(archive_dir)


def test_close_writes_manifest(store: ArchiveStore, archive_dir: Path) -> None:
    store.put_article(as_dict(make_article(1)))
    store.close()
    assert (archive_dir / "manifest.json").exists()
    assert not list(archive_dir.glob(".manifest*"))


def test_reader_filters_by_source(store: ArchiveStore, archive_dir: Path) -> None:
    store.put_article(as_dict(make_article(1)))
    store.put_article(as_dict(make_article(1, source="snhr_ar", url="https://snhr.org/ar/x/")))
    store.flush()
    assert [r["source"] for r in latest_records(archive_dir, ["snhr_ar"])] == ["snhr_ar"]
    assert [r["source"] for r in iter_lines(archive_dir, ["snhr_news"])] == ["snhr_news"]
    assert list(latest_records(archive_dir, [])) == []
    assert list(index_rows(archive_dir, ["nope"])) == []


def test_latest_records_without_index_scans_the_files(archive_dir: Path) -> None:
    store = ArchiveStore(archive_dir)
    store.put_article(as_dict(make_article(1)))
    store.put_article(as_dict(make_article(2, published_at=None)))
    store.put_article(as_dict(make_article(1, body_text="edited")))
    store.close()
    with_index = list(latest_records(archive_dir))
    for suffix in ("", "-wal", "-shm"):
        (archive_dir / f"index.sqlite3{suffix}").unlink(missing_ok=True)
    assert list(latest_records(archive_dir)) == with_index
    assert [r["version"] for r in with_index] == [2, 1]


def test_a_post_id_seen_later_keeps_the_first_key(store: ArchiveStore, archive_dir: Path) -> None:
    url = "https://news.snhr.org/2024/01/15/no-id-at-first/"
    first = make_article(None, url=url)
    store.put_article(as_dict(first))
    later = make_article(77, url=url, title=first.title, body_text=first.body_text)
    assert store.put_article(as_dict(later)) == "unchanged"
    store.flush()
    assert [row.key for row in index_rows(archive_dir)] == [first.id]
    # A different post that happens to share nothing but a stale URL row is not merged.
    other = make_article(78, url="https://news.snhr.org/2024/01/15/post-78/")
    assert store.put_article(as_dict(other)) == "new"


def test_an_index_error_mid_write_stops_the_store_and_loses_nothing(
    archive_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    store = ArchiveStore(archive_dir, fsync_every=50)
    store.put_article(as_dict(make_article(1)))
    real_upsert = store.index.upsert

    def full(row: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(store.index, "upsert", full)
    with pytest.raises(files.ArchiveWriteError):
        store.put_article(as_dict(make_article(2)))
    assert store.failed is not None
    with pytest.raises(files.ArchiveWriteError):
        store.put_article(as_dict(make_article(3)))  # a failed store accepts nothing more
    monkeypatch.setattr(store.index, "upsert", real_upsert)
    store.close()

    # The next start reconciles: each article once, version 1, nothing duplicated.
    reopened = ArchiveStore(archive_dir, fsync_every=50)
    assert reopened.put_article(as_dict(make_article(2))) == "unchanged"
    reopened.close()
    versions = [(line["id"], line["version"]) for line in iter_lines(archive_dir)]
    assert sorted(versions) == [("snhr_news:1", 1), ("snhr_news:2", 1)]


def test_live_rows_are_read_a_page_at_a_time(
    store: ArchiveStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full run's re-check reads the index in pages: memory flat in the archive's size."""
    for post_id in range(1, 26):
        store.put_article(as_dict(make_article(post_id)))
    _remove(store, 7)
    store.flush()
    pages: list[int] = []
    real = store.index.live_page
    monkeypatch.setattr(
        store.index, "live_page", lambda *a: pages.append(len(rows := real(*a))) or rows
    )
    rows = store.live_rows("snhr_news", page=10)
    first = next(rows)
    assert pages == [10]  # one page read for the first row, not the whole table
    keys = [first.key, *(row.key for row in rows)]
    assert pages == [10, 10, 4]
    assert keys == sorted(f"snhr_news:{n}" for n in range(1, 26) if n != 7)


def test_the_index_write_lock_is_held_only_while_a_batch_commits(archive_dir: Path) -> None:
    """Between commits another writer of the index (another host group's crawl) is not blocked."""
    import sqlite3

    from snhr_crawler.archive.paths import INDEX_NAME

    store = ArchiveStore(archive_dir, fsync_every=50)
    other = sqlite3.connect(archive_dir / INDEX_NAME, timeout=0, isolation_level=None)
    try:
        for post_id in (1, 2, 3):
            store.put_article(as_dict(make_article(post_id)))
            other.execute("BEGIN IMMEDIATE")  # would raise "database is locked" before
            other.execute("COMMIT")
        assert store.lookup("snhr_news", post_id=3, url=None) is not None  # staged, seen
        assert other.execute("SELECT COUNT(*) FROM articles").fetchone() == (0,)
        assert store.count("snhr_news") == 3  # an aggregate answers with the batch in it
        store.flush()
        assert other.execute("SELECT COUNT(*) FROM articles").fetchone() == (3,)
    finally:
        other.close()
        store.close()


def test_since_is_a_range_on_the_publication_date_index(store: ArchiveStore) -> None:
    plan = store.index.conn.execute(
        "EXPLAIN QUERY PLAN SELECT key FROM articles"
        " WHERE source IN (?) AND tombstoned = 0 AND published_at >= ?",
        ("snhr_news", "2024-01-01"),
    ).fetchall()
    assert any("articles_by_published" in str(step) for step in plan), plan
