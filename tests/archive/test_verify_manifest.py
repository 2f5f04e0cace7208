"""Manifest (content, atomic replace) and verify: every kind of damage is detected."""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
from pathlib import Path

import pytest
from archive_factories import as_dict, make_article

from snhr_crawler import durable
from snhr_crawler.archive.manifest import update_manifest
from snhr_crawler.archive.reader import read_manifest
from snhr_crawler.archive.store import ArchiveStore
from snhr_crawler.archive.verify import MAX_PROBLEMS, main, register, verify

JAN = "snhr_news/2024-01.jsonl"


@pytest.fixture
def archived(archive_dir: Path) -> Path:
    store = ArchiveStore(archive_dir)
    store.put_article(as_dict(make_article(1)))
    store.put_article(as_dict(make_article(2, published_at="2024-01-03")))
    store.put_article(as_dict(make_article(1, body_text="edited")))
    store.put_article(as_dict(make_article(3, published_at=None)))
    store.close()
    return archive_dir


def _sql(archive_dir: Path, statement: str) -> None:
    conn = sqlite3.connect(archive_dir / "index.sqlite3")
    with conn:
        conn.execute(statement)
    conn.close()


def test_manifest_describes_each_file(archived: Path) -> None:
    manifest = read_manifest(archived)
    assert manifest is not None
    assert manifest["schema_version"] == 1
    jan = manifest["files"][JAN]
    assert jan["lines"] == 3
    assert (jan["first_published"], jan["last_published"]) == (
        "2024-01-03",
        "2024-01-15T10:00:00+03:00",
    )
    assert manifest["files"]["snhr_news/undated.jsonl"]["first_published"] is None
    assert manifest["totals"] == {"files": 2, "lines": 4}


def test_manifest_replace_is_atomic(archived: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = (archived / "manifest.json").read_bytes()

    def crash_on_rename(src: str, dst: str) -> None:
        raise OSError("killed before rename")

    monkeypatch.setattr(durable.os, "replace", crash_on_rename)
    with pytest.raises(OSError, match="killed"):
        update_manifest(archived, changed=[JAN])
    monkeypatch.undo()
    assert (archived / "manifest.json").read_bytes() == before  # old one intact
    json.loads(before)


def test_clean_archive_verifies(archived: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = verify(archived)
    assert report.ok, report.problems
    assert (report.files, report.lines, report.articles) == (2, 4, 3)
    assert main(["--archive", str(archived)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [report.summary()]
    assert out[0].startswith("verify OK")


def test_bad_schema_line_is_detected(archived: Path) -> None:
    lines = (archived / JAN).read_bytes().splitlines(keepends=True)
    record = json.loads(lines[1])
    record["doc_type"] = "rumour"
    lines[1] = (json.dumps(record, ensure_ascii=False) + "\n").encode()
    (archived / JAN).write_bytes(b"".join(lines))
    update_manifest(archived, changed=[JAN])  # hashes agree, so only the schema fails
    report = verify(archived)
    assert not report.ok
    assert any(p.startswith(f"{JAN}:2: schema: doc_type") for p in report.problems)


def test_hash_mismatch_is_detected(archived: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = (archived / JAN).read_bytes().replace(b"edited", b"EDITED")
    (archived / JAN).write_bytes(data)
    report = verify(archived)
    assert report.problems == [
        f"{JAN}: its first {len(data)} bytes changed since manifest #1 hashed them",
        f"{JAN}: sha256/lines differ from manifest.json",
    ]
    assert main(["--archive", str(archived)]) == 1
    assert "FAILED (2 problem(s))" in capsys.readouterr().out


def test_lines_appended_after_manifest_are_reported(archived: Path) -> None:
    store = ArchiveStore(archived)
    store.put_article(as_dict(make_article(9)))
    store.flush()
    report = verify(archived)  # indexed, not yet in the manifest: nothing lost
    assert report.resumable, report.problems
    assert any("1 line(s) appended after" in p for p in report.pending)
    store.close()
    assert verify(archived).ok


def test_missing_index_row_is_detected(archived: Path) -> None:
    _sql(archived, "DELETE FROM articles WHERE key = 'snhr_news:2'")
    report = verify(archived)
    assert report.problems == [f"index.sqlite3: no row for snhr_news:2 ({JAN}:2)"]


def test_index_row_pointing_wrong_is_detected(archived: Path) -> None:
    _sql(
        archived, "UPDATE articles SET version = 1, line = 1, offset = 0 WHERE key = 'snhr_news:1'"
    )
    report = verify(archived)
    assert len(report.problems) == 1
    assert "row snhr_news:1 points at v1" in report.problems[0]


def test_index_row_without_lines_is_detected(archived: Path) -> None:
    _sql(
        archived,
        "INSERT INTO articles SELECT 'snhr_news:77', source, 77, url, sha256, version, tombstoned,"
        " published_at, first_seen, last_seen, file, line, offset FROM articles"
        " WHERE key = 'snhr_news:2'",
    )
    assert verify(archived).problems == ["index.sqlite3: row snhr_news:77 has no line in the files"]


def test_duplicate_version_and_torn_line_are_detected(archived: Path) -> None:
    lines = (archived / JAN).read_bytes().splitlines(keepends=True)
    with open(archived / JAN, "ab") as handle:
        handle.write(lines[0])
        handle.write(b'{"torn')
    update_manifest(archived, changed=[JAN])
    report = verify(archived)
    assert any("duplicate version 1 of snhr_news:1" in p for p in report.problems)
    # A torn last line never counted as archived (no manifest or index has it): pending.
    assert any("torn last line" in p for p in report.pending)


def test_broken_version_chain_is_detected(archived: Path) -> None:
    lines = (archived / JAN).read_bytes().splitlines(keepends=True)
    record = json.loads(lines[2])
    record["previous_sha256"] = "0" * 64
    lines[2] = (json.dumps(record, ensure_ascii=False) + "\n").encode()
    (archived / JAN).write_bytes(b"".join(lines))
    update_manifest(archived, changed=[JAN])
    # The chain saw the edit (the file no longer begins as manifest #1 hashed it) ...
    chain, problem = verify(archived).problems
    assert chain.startswith(f"{JAN}: no longer holds")
    # ... and, the manifest recomputed, the version chain still shows it.
    assert "v2 previous_sha256 is not the hash of v1" in problem


def test_missing_manifest_and_file_in_wrong_partition(archived: Path) -> None:
    os.rename(archived / JAN, archived / "snhr_news" / "2023-12.jsonl")
    (archived / "manifest.json").unlink()
    report = verify(archived)
    assert report.pending[0].startswith("manifest.json: not written yet")  # the index is there
    assert report.not_checked == ["hashes (no manifest.json)"]
    assert any("in 2023-12.jsonl" in p for p in report.problems)


def test_problem_list_is_capped_but_counted(archived: Path) -> None:
    with open(archived / JAN, "ab") as handle:
        handle.write(b"[]\n" * 30)
    update_manifest(archived, changed=[JAN])  # recorded: damage, not a stopped run's tail
    report = verify(archived)
    assert len(report.problems) == MAX_PROBLEMS
    assert report.problem_count > MAX_PROBLEMS


def test_register_adds_verify_subcommand(archived: Path) -> None:
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["verify", "--archive", str(archived)])
    assert args.func(args) == 0


def test_verify_uses_env_when_no_archive_flag(
    archived: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SNHR_ARCHIVE_DIR", str(archived))
    assert main([]) == 0


def test_snhr_crawler_cli_runs_verify(archived: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cli = pytest.importorskip("snhr_crawler.cli")
    assert cli.main(["verify", "--archive", str(archived)]) == 0
    assert capsys.readouterr().out.startswith("verify OK")
    (archived / JAN).write_bytes((archived / JAN).read_bytes()[:-1])  # tear the last line
    assert cli.main(["verify", "--archive", str(archived)]) == 1


def test_id_of_another_source_is_detected(archived: Path) -> None:
    lines = (archived / JAN).read_bytes().splitlines(keepends=True)
    lines[1] = lines[1].replace(b'"id":"snhr_news:2"', b'"id":"snhr_ar:2"')
    (archived / JAN).write_bytes(b"".join(lines))
    update_manifest(archived, changed=[JAN])
    assert any("is not a snhr_news key" in p for p in verify(archived).problems)
