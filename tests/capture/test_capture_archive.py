"""End to end: crawls of the replica leave an archive whose every line points at its bytes.

The oracles are warcio (it reads each file and each record at the offset a
line names, and ``warcio check`` accepts every file) and the replica (its
request log and its truth); the crawler's own reader only confirms.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from scrapy.utils.defer import deferred_f_from_coro_f
from warcio.archiveiterator import ArchiveIterator

from snhr_crawler.archive.reader import iter_lines, latest_records
from snhr_crawler.archive.verify import verify
from snhr_crawler.capture.pointer import CapturePointer
from snhr_crawler.capture.reader import check_pointer
from snhr_crawler.ops.crawl import project_settings
from snhr_crawler.ops.status import collect
from snhr_crawler.reparse import reparse
from snhr_replica import ReplicaServer
from tests.capture.warc_helpers import assert_warcio_check_passes, read_warc
from tests.crawling import CrawlSpec, crawl, crawl_all

pytestmark = pytest.mark.e2e

SOURCES = ("snhr_news", "snhr_news_ar", "snhr_reports", "snhr_reports_ar")


def record_at(archive: Path, capture: dict[str, Any]) -> Any:
    """What warcio reads at the offset a line names (its own parse, not ours)."""
    with open(archive / capture["warc_file"], "rb") as handle:
        handle.seek(capture["offset"])
        record = next(iter(ArchiveIterator(handle)))
        return (
            record.rec_type,
            record.rec_headers.get_header("WARC-Record-ID"),
            (record.rec_headers.get_header("WARC-Target-URI")),
        )


def warc_files(archive: Path, source: str | None = None) -> list[Path]:
    return sorted((archive / "warc").glob(f"{source or '*'}/*.warc.gz"))


def path_of(url: str) -> str:
    return urlsplit(url).path


@deferred_f_from_coro_f
async def test_every_line_of_a_replica_crawl_resolves_and_reparses_to_itself(
    tmp_path: Path,
) -> None:
    archive = tmp_path / "archive"
    with ReplicaServer(posts=12, seed=7) as server:
        specs = [
            CrawlSpec(
                source, archive / source, server.origins[source], settings={"DOWNLOAD_PDFS": True}
            )
            for source in SOURCES
        ]
        results = await crawl_all(*specs)
        truth = {source: server.truth(source) for source in SOURCES}
    for source, result in zip(SOURCES, results, strict=True):
        one = archive / source
        assert result.finished, result.stats
        files = warc_files(one)
        assert files
        assert_warcio_check_passes(*files)
        lines = list(iter_lines(one))
        assert len(lines) == len(truth[source])
        for line in lines:
            capture = line["capture"]
            assert capture is not None, line["url"]
            kind, record_id, target = record_at(one, capture)
            assert (kind, record_id) == ("response", capture["record_id"])
            assert path_of(target) == path_of(line["url"])  # the page this line was read from
            assert check_pointer(one, CapturePointer.from_dict(capture)) == []
            assert line["change"] == "new"
        report = verify(one, deep=True)
        assert report.ok, report.problems
        assert (report.captures, report.uncaptured, report.reparsed) == (len(lines), 0, len(lines))
        run = reparse(one, project_settings(), dry_run=True)
        assert run.records == len(lines)
        assert run.changed == 0


@deferred_f_from_coro_f
async def test_a_full_rerun_keeps_revisits_and_edits_and_removals_point_at_their_bytes(
    tmp_path: Path,
) -> None:
    archive = tmp_path / "archive"
    source = "snhr_news"
    with ReplicaServer(posts=20, seed=3) as server:
        origin = server.origins[source]
        await crawl(source, archive, origin=origin, settings={"CAPTURE_RUN_ID": "run1"})
        lines = {line["id"]: line for line in latest_records(archive)}
        data = {p.name: p.read_bytes() for p in archive.glob(f"{source}/*.jsonl")}

        again = await crawl(
            source, archive, origin=origin, settings={"CAPTURE_RUN_ID": "run2"}, full="true"
        )
        assert again.finished, again.stats
        assert again.stat("snhr/archive/unchanged") == len(lines)
        assert {p.name: p.read_bytes() for p in archive.glob(f"{source}/*.jsonl")} == data
        (rerun,) = warc_files(archive, source)[1:]
        seen = read_warc(rerun)
        revisits = [r for r in seen if r.type == "revisit"]
        # Every archived article came back byte for byte: a revisit of its archived capture.
        assert again.stat("snhr/capture/revisits") == len(revisits) == len(lines)
        archived_ids = {line["capture"]["record_id"] for line in lines.values()}
        assert {r.headers["WARC-Refers-To"] for r in revisits} == archived_ids
        assert all(r.payload == b"" for r in revisits)  # headers only: no second copy
        originals = sum(
            r.length for path in warc_files(archive, source)[:1] for r in read_warc(path)
            if r.type == "response" and r.id in archived_ids
        )  # fmt: skip
        assert sum(r.length for r in revisits) < originals / 2

        edited, deleted = server.site.live(source)[1], server.site.live(source)[3]
        server.site.edit(source, edited.post_id, "Update: SNHR corrected the figures.")
        server.site.delete(source, deleted.post_id, 410)
        third = await crawl(
            source, archive, origin=origin, settings={"CAPTURE_RUN_ID": "run3"}, full="true"
        )
    assert third.stat("snhr/archive/changed") == third.stat("snhr/archive/removed") == 1
    latest = {line["id"]: line for line in latest_records(archive, include_tombstones=True)}
    edit, tomb = latest[f"{source}:{edited.post_id}"], latest[f"{source}:{deleted.post_id}"]
    assert (edit["version"], edit["change"]) == (2, "edit")
    assert (tomb["version"], tomb["change"], tomb["tombstone"]) == (2, "removal", True)
    assert edit["capture"]["warc_file"].startswith(f"warc/{source}/run3-")
    assert record_at(archive, edit["capture"])[0] == "response"  # new bytes, kept whole
    assert (tomb["capture"]["status"], record_at(archive, tomb["capture"])[0]) == (410, "response")
    report = verify(archive, deep=True)
    assert report.ok, report.problems
    kinds = Counter(
        record_at(archive, line["capture"])[0] for line in iter_lines(archive) if line["capture"]
    )
    assert kinds == {"response": len(lines) + 2}
    assert json.loads((archive / "manifest.json").read_text("utf-8"))["files"]
    (row,) = [r for r in collect(archive, [source])["sources"] if r["source"] == source]
    on_disk = warc_files(archive, source)
    assert (row["capture_files"], row["capture_bytes"]) == (
        len(on_disk),
        sum(path.stat().st_size for path in on_disk),
    )
