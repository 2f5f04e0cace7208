"""``reparse``: archived records re-read offline from their captures, versioned when they differ.

One crawl of the replica (module scope, the replica stopped before any
re-read, so nothing could be fetched even if the code tried) gives the
archive; each test re-reads a copy of it. What must change comes from the
replica's own truth (which posts are *Arrests* news, which are daily death
tolls), not from the code under test; the deliberate parser change is
``changed_spiders``.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from scrapy.settings import Settings
from scrapy.utils.defer import deferred_f_from_coro_f

from snhr_crawler.archive.lock import ArchiveLockedError, RunLock
from snhr_crawler.archive.reader import iter_lines, latest_records
from snhr_crawler.archive.verify import verify
from snhr_crawler.cli import main
from snhr_crawler.ops.crawl import project_settings
from snhr_crawler.reparse import reparse
from snhr_replica import ReplicaServer
from tests.crawling import CrawlSpec, crawl, crawl_blocking
from tests.reparse.changed_spiders import PREFIX

pytestmark = pytest.mark.e2e

SOURCE = "snhr_news"


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, Any]]]:
    """(a crawled archive, the replica's truth for it); the replica is stopped afterwards."""
    archive = tmp_path_factory.mktemp("reparse") / "archive"
    with ReplicaServer(posts=40, seed=3) as server:
        (result,) = crawl_blocking(CrawlSpec(SOURCE, archive, server.origins[SOURCE]))
        truth = server.truth(SOURCE)
    assert result.finished, result.stats
    assert result.stat("snhr/archive/new") == len(truth) == 40
    return archive, truth


@pytest.fixture
def archive(crawled: tuple[Path, list[dict[str, Any]]], tmp_path: Path) -> Path:
    copy = tmp_path / "archive"
    shutil.copytree(crawled[0], copy)
    return copy


@pytest.fixture
def truth(crawled: tuple[Path, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    return crawled[1]


def changed_settings() -> Settings:
    settings = project_settings()
    settings.set("SPIDER_MODULES", ["tests.reparse.changed_spiders"], priority="cmdline")
    return settings


def data_files(archive: Path) -> dict[str, bytes]:
    return {p.relative_to(archive).as_posix(): p.read_bytes() for p in archive.glob("*/*.jsonl")}


def versions(archive: Path) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for line in iter_lines(archive):
        found.setdefault(line["id"], []).append(line)
    return {key: sorted(lines, key=lambda r: r["version"]) for key, lines in found.items()}


def key(record: dict[str, Any]) -> str:
    return f"{SOURCE}:{record['post_id']}"


def test_the_same_parser_reads_every_capture_the_same(archive: Path) -> None:
    before = data_files(archive)
    run = reparse(archive, project_settings())
    (tally,) = run.sources.values()
    assert (tally.records, tally.changed, tally.outcomes["unchanged"]) == (40, 0, 40)
    assert data_files(archive) == before
    assert not (archive / "crawl.lock").exists()  # the run's lock, released
    report = verify(archive, deep=True)
    assert report.ok, report.problems
    assert (report.captures, report.reparsed) == (40, 40)


def test_a_parser_change_versions_exactly_the_records_it_changes(
    archive: Path, truth: list[dict[str, Any]]
) -> None:
    titled = {key(r) for r in truth if "Arrests" in r["categories"]}
    tagged = {key(r) for r in truth if "Daily Death Toll" in r["categories"]}
    assert titled
    assert tagged
    v1 = {line["id"]: line for line in latest_records(archive)}

    run = reparse(archive, changed_settings())
    (tally,) = run.sources.values()
    assert tally.changed == len(titled | tagged)
    assert tally.fields["title"] == tally.fields["content_sha256"] == len(titled)
    assert tally.fields["tags"] == len(tagged)
    history = versions(archive)
    assert {k for k, lines in history.items() if len(lines) > 1} == titled | tagged
    for k in titled | tagged:
        first, second = history[k]
        assert (second["version"], second["change"]) == (2, "reparse")
        assert second["previous_sha256"] == first["content_sha256"]
        # What the page did not say is the first version's: the same bytes, fetched then.
        for name in ("capture", "crawled_at", "discovered_by", "url", "published_at"):
            assert second[name] == first[name], name
    for k in titled:
        assert history[k][1]["title"] == PREFIX + v1[k]["title"]
        assert history[k][1]["content_sha256"] != v1[k]["content_sha256"]
    for k in tagged:
        assert history[k][1]["tags"] == ["re-read"]
        assert history[k][1]["content_sha256"] == v1[k]["content_sha256"]
    assert verify(archive).ok

    # The shipped parser no longer reproduces the re-titled records' hashes.
    deep = verify(archive, deep=True)
    assert deep.state == "FAILED"
    assert sorted(p.split(" ")[0] for p in deep.problems) == sorted(titled)

    # Idempotent: the same parser again changes nothing.
    before = data_files(archive)
    again = reparse(archive, changed_settings())
    assert again.changed == 0
    assert data_files(archive) == before

    # The shipped parser again: each changed record goes back to what it was, as v3.
    back = reparse(archive, project_settings())
    assert back.changed == len(titled | tagged)
    for k in titled | tagged:
        first, _, third = versions(archive)[k]
        assert (third["version"], third["change"]) == (3, "reparse")
        fields = ("title", "tags", "content_sha256", "incident", "body_text")
        assert {n: third[n] for n in fields} == {n: first[n] for n in fields}
    report = verify(archive, deep=True)
    assert report.ok, report.problems


def test_since_bounds_the_records_re_read(archive: Path, truth: list[dict[str, Any]]) -> None:
    days = sorted(r["published_at"][:10] for r in truth)
    since = days[len(days) // 2]
    run = reparse(archive, changed_settings(), since=since)
    (tally,) = run.sources.values()
    assert tally.records == sum(day >= since for day in days)
    expected = {
        key(r)
        for r in truth
        if r["published_at"][:10] >= since
        and ({"Arrests", "Daily Death Toll"} & set(r["categories"]))
    }
    assert {k for k, lines in versions(archive).items() if len(lines) > 1} == expected


def test_a_dry_run_counts_and_shows_a_diff_and_writes_nothing(
    archive: Path,
    truth: list[dict[str, Any]],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SCRAPY_SETTINGS_MODULE", "tests.reparse.changed_settings")
    before = data_files(archive)
    changing = sum(bool({"Arrests", "Daily Death Toll"} & set(r["categories"])) for r in truth)
    assert main(["reparse", "--archive", str(archive), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert data_files(archive) == before
    assert f": {changing} would change (dry run: nothing written)" in out
    assert "- title: " in out
    assert f'+ title: "{PREFIX}' in out
    (path,) = (archive / "runs" / "reparse").glob("*.json")
    report = json.loads(path.read_text("utf-8"))
    assert report["kind"] == "reparse"
    assert report["options"]["dry_run"] is True
    assert report["sources"][SOURCE]["changed"] == changing
    assert report["sources"][SOURCE]["records_per_s"] > 0
    assert report["sources"][SOURCE]["extraction_layers"]["title"]
    assert report["outcome"] == "ok"
    # A re-read is not a crawl: status's last run and the crawl checks' history skip it.
    assert main(["status", "--archive", str(archive), "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["last_run"]["run_id"] != report["run_id"]


def test_a_capture_that_cannot_be_read_keeps_its_record_and_fails_the_run(
    archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (warc,) = (archive / "warc" / SOURCE).glob("*.warc.gz")
    warc.unlink()
    before = data_files(archive)
    assert main(["reparse", "--archive", str(archive)]) == 1
    err = capsys.readouterr().err
    assert "40 record(s) could not be re-read" in err
    assert data_files(archive) == before


def test_lines_without_a_capture_are_counted(archive: Path) -> None:
    for line_file in archive.glob(f"{SOURCE}/*.jsonl"):  # as lines archived before capture
        lines = [json.loads(raw) for raw in line_file.read_text("utf-8").splitlines()]
        text = "".join(json.dumps({**r, "capture": None}, ensure_ascii=False) + "\n" for r in lines)
        line_file.write_text(text, "utf-8")
    for name in ("manifest.json", "index.sqlite3"):  # a copy: latest versions from the files
        (archive / name).unlink()
    run = reparse(archive, project_settings(), dry_run=True)
    (tally,) = run.sources.values()
    assert (tally.records, tally.outcomes["no_capture"], tally.changed) == (40, 40, 0)


def test_reparse_waits_for_no_crawl(archive: Path) -> None:
    with RunLock(archive, "20261125T021500Z", "2026-11-25T02:15:00Z"):
        with pytest.raises(ArchiveLockedError):
            reparse(archive, project_settings())
        with pytest.raises(ArchiveLockedError):
            reparse(archive, project_settings(), dry_run=True)


@deferred_f_from_coro_f
async def test_a_full_crawl_after_a_parser_change_versions_same_bytes_as_a_reparse(
    tmp_path: Path,
) -> None:
    """The first crawl's parser differs from today's: the re-fetch finds the same bytes.

    Those lines then point at revisits; re-reading them goes to the originals.
    """
    archive = tmp_path / "archive"
    changed = {"SPIDER_MODULES": ["tests.reparse.changed_spiders"]}
    with ReplicaServer(posts=20, seed=3) as server:
        origin = server.origins[SOURCE]
        truth = server.truth(SOURCE)
        assert (await crawl(SOURCE, archive, origin=origin, settings=changed)).finished
        full = await crawl(SOURCE, archive, origin=origin, full="true")
    touched = {key(r) for r in truth if {"Arrests", "Daily Death Toll"} & set(r["categories"])}
    retitled = {key(r) for r in truth if "Arrests" in r["categories"]}
    assert full.stat("snhr/capture/revisits") == len(truth)  # every page byte for byte
    assert full.stat("snhr/archive/changed") == len(retitled)  # the hash moved: a new version
    history = versions(archive)
    for k in retitled:
        first, second = history[k]
        assert second["change"] == "reparse"  # the same bytes, read otherwise: not an edit
        assert second["capture"]["payload_digest"] == first["capture"]["payload_digest"]
        assert second["capture"]["record_id"] != first["capture"]["record_id"]  # the revisit
    report = verify(archive, deep=True)  # the revisits resolve, and re-parse from originals
    assert report.ok, report.problems
    assert reparse(archive, project_settings()).changed == len(touched - retitled)  # the tags
    again = reparse(archive, changed_settings())
    assert again.changed == len(touched)
    for k in retitled:
        assert versions(archive)[k][-1]["title"].startswith(PREFIX)
