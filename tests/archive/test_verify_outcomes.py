"""verify as the README promises: a copy without its index, a running crawl, a stopped run.

OK (exit 0): everything holds. RESUMABLE (exit 0): a stopped run left lines
that neither the index nor the manifest took in; nothing was lost and the
next crawl completes it. FAILED (exit 1): corruption. A crawl writing the
archive: exit 75, one line.
"""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from archive_factories import as_dict, crash, make_article

from snhr_crawler.archive import files
from snhr_crawler.archive.files import ArchiveWriteError
from snhr_crawler.archive.lock import RunLock
from snhr_crawler.archive.store import ArchiveStore
from snhr_crawler.archive.verify import verify
from snhr_crawler.cli import main

JAN = "snhr_news/2024-01.jsonl"


def article(n: int) -> dict[str, Any]:
    return as_dict(make_article(n))


@pytest.fixture
def archived(archive_dir: Path) -> Path:
    """Ten articles from a run that closed cleanly (index, manifest and all)."""
    store = ArchiveStore(archive_dir)
    for n in range(1, 11):
        store.put_article(article(n))
    store.close()
    return archive_dir


def cli_verify(archive: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["verify", "--archive", str(archive)])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_copy_without_the_index_verifies_from_files_and_manifest(
    archived: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(archived, copy, ignore=shutil.ignore_patterns("index.sqlite3*", ".lock"))
    code, out, err = cli_verify(copy, capsys)
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"verify OK: {copy}: 1 file(s), 10 line(s), 10 article(s), 0 tombstoned; not checked:"
        " index (no index.sqlite3: a copy verifies from files and manifest; a crawl rebuilds it)"
    ]
    # Damage still shows without the index: the manifest's hashes catch it.
    data = (copy / JAN).read_bytes()
    (copy / JAN).write_bytes(data.replace("تقرير رقم 3".encode(), "تقرير رقم 8".encode()))
    code, out, _ = cli_verify(copy, capsys)
    assert code == 1
    assert f"  {JAN}: sha256/lines differ from manifest.json" in out.splitlines()


def test_a_copy_with_lines_the_manifest_does_not_list_is_not_resumable(
    archived: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(archived, copy, ignore=shutil.ignore_patterns("index.sqlite3*"))
    (copy / "snhr_news" / "2023-12.jsonl").write_bytes((copy / JAN).read_bytes()[:0])
    assert "snhr_news/2023-12.jsonl: not in manifest.json" in verify(copy).problems


def test_while_a_crawl_writes_the_archive_verify_says_so_and_exits_75(
    archived: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = ArchiveStore(archived)  # a crawl's store: it holds the archive's lock
    store.put_article(article(11))
    store.flush()
    try:
        code, out, err = cli_verify(archived, capsys)
    finally:
        store.close()
    assert (code, out) == (75, "")
    assert err.startswith(f"snhr-crawler verify: error: a crawl is writing {archived} (run store-")
    assert err.endswith(
        "); its newest lines reach the index and manifest only when it ends: verify after it\n"
    )
    with RunLock(archived, "20261125T021500Z", "2026-11-25T02:15:00Z"):  # between sources
        code, _, err = cli_verify(archived, capsys)
    assert code == 75
    assert "(run 20261125T021500Z (pid " in err
    code, out, _ = cli_verify(archived, capsys)
    assert code == 0
    assert out.startswith("verify OK")


def test_after_a_kill_the_archive_is_resumable_and_the_next_crawl_completes_it(
    archived: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = ArchiveStore(archived, fsync_every=3)
    for n in range(11, 18):  # committed at 3 and 6: 11-16; 17 written, never committed
        store.put_article(article(n))
    with open(archived / JAN, "ab") as handle:
        handle.write(b'{"id": "snhr_news:18", "ti')  # the write the kill cut short
    crash(store)
    report = verify(archived)
    assert report.state == "RESUMABLE", report.problems
    assert report.pending_lines == 7  # none of them was in the manifest yet
    assert report.pending == [
        f"{JAN}:18: torn last line (a write cut short; quarantined next)",
        f"{JAN}: 1 line(s) after the last index commit (indexed next)",
        f"{JAN}: 7 line(s) appended after manifest.json was written (recorded by the next crawl)",
    ]
    code, out, _ = cli_verify(archived, capsys)
    assert code == 0
    assert out.splitlines()[0].startswith("verify RESUMABLE: ")
    assert (
        "a stopped run left 7 line(s) that the index or manifest does not hold yet:"
        " nothing lost, the next crawl takes them in"
    ) in out
    assert out.count("  pending: ") == 3

    ArchiveStore(archived).close()  # the next crawl's start: recovery, then the manifest
    after = verify(archived)
    assert after.ok, (after.problems, after.pending)
    assert (after.articles, after.quarantined) == (17, 1)


def test_after_a_disk_full_stop_the_archive_is_resumable(
    archived: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_write = files._os_write
    writes = {"n": 0}

    def fill_up(fd: int, data: Any) -> int:
        writes["n"] += 1
        if writes["n"] > 4:
            real_write(fd, bytes(data[:10]))
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(fd, data)

    store = ArchiveStore(archived, fsync_every=3)
    monkeypatch.setattr(files, "_os_write", fill_up)
    for n in range(11, 15):
        store.put_article(article(n))
    with pytest.raises(ArchiveWriteError):
        store.put_article(article(15))  # the fifth write: the disk is full
    monkeypatch.undo()
    store.close()  # the failed store writes no manifest
    report = verify(archived)
    assert report.state == "RESUMABLE", report.problems
    assert report.pending_lines == 4  # 3 committed, 1 written after: none in the manifest
    ArchiveStore(archived).close()
    assert verify(archived).ok


def test_a_damaged_committed_line_is_corruption_not_a_stopped_run(
    archived: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = ArchiveStore(archived, fsync_every=100)
    store.put_article(article(11))  # uncommitted: a stopped run's line
    crash(store)
    lines = (archived / JAN).read_bytes().splitlines(keepends=True)
    lines[2] = b"x" * (len(lines[2]) - 1) + b"\n"  # a committed line, garbled
    (archived / JAN).write_bytes(b"".join(lines))
    report = verify(archived)
    assert report.state == "FAILED"
    assert f"{JAN}:3: not a JSON object" in report.problems
    code, out, _ = cli_verify(archived, capsys)
    assert code == 1
    assert "pending:" not in out  # the problems are what matters


def test_committed_lines_that_are_gone_are_corruption(archived: Path) -> None:
    data = (archived / JAN).read_bytes()
    cut = data[: data.rindex(b"\n", 0, len(data) - 1) + 1]  # the last committed line removed
    (archived / JAN).write_bytes(cut)
    problems = verify(archived).problems
    assert any("committed lines are gone" in p for p in problems), problems
