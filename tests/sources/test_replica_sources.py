"""End to end: each new spider crawls its site on the offline replica, through the real
settings, pipelines and feed export, and must reproduce the replica's ground truth."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from scrapy.utils.defer import deferred_f_from_coro_f
from scrapy.utils.project import get_project_settings

from snhr_replica import ReplicaServer
from tests.crawling import crawl as run_crawl
from tests.truth_check import compare_with_truth

pytestmark = pytest.mark.e2e

SOURCES = ("snhr_news_ar", "snhr_reports", "snhr_reports_ar")
PDF_PIPELINE = "snhr_crawler.pipelines.pdfs.PdfPipeline"


@pytest.fixture(scope="module")
def replica() -> Iterator[ReplicaServer]:
    with ReplicaServer(posts=30, seed=2) as server:
        yield server


async def crawl(
    source: str, origin: str, tmp: Path, discovery: str = "listing", **overrides: Any
) -> tuple[list[dict[str, Any]], str, dict[str, Any]]:
    """Run one spider in process; (records, raw feed text, stats)."""
    out = tmp / f"{source}.jsonl"
    settings = get_project_settings()
    pipelines = dict(settings.getdict("ITEM_PIPELINES"))
    if overrides.pop("DOWNLOAD_PDFS", False):
        pipelines[PDF_PIPELINE] = 350
        overrides["DOWNLOAD_PDFS"] = True
    feed = {str(out): {"format": "jsonlines", "encoding": "utf-8", "overwrite": True}}
    result = await run_crawl(
        source,
        tmp / "archive",
        origin=origin,
        settings={"FEEDS": feed, "ITEM_PIPELINES": pipelines, **overrides},
        full="true",
        discovery=discovery,
    )
    return result.items, out.read_text("utf-8"), result.stats


def by_id(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {record["id"]: record for record in records}


@pytest.mark.parametrize("source", SOURCES)
@deferred_f_from_coro_f
async def test_replica_crawl_matches_truth(
    source: str, replica: ReplicaServer, tmp_path: Path
) -> None:
    records, raw, stats = await crawl(source, replica.origins[source], tmp_path)
    report = compare_with_truth(records, replica.truth(source))
    assert report.ok, report.summary()
    assert stats["finish_reason"] == "finished"
    assert "snhr/article/not_an_article" not in stats
    assert not any(name.startswith("snhr/charset/redecoded") for name in stats)
    if source.endswith("_ar"):
        assert "\\u" not in raw  # Arabic written as UTF-8, never escaped
    for record in records:
        assert "127.0.0.1" not in json.dumps(record)  # public URLs only


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("discovery", ["sitemap", "rest"])
@deferred_f_from_coro_f
async def test_replica_crawl_through_the_site_indexes(
    source: str, discovery: str, replica: ReplicaServer, tmp_path: Path
) -> None:
    """Sitemaps and REST list the whole (sub-)site: only this source's posts are taken."""
    records, _, _ = await crawl(source, replica.origins[source], tmp_path, discovery)
    report = compare_with_truth(
        records, replica.truth(source), overrides={"discovered_by": discovery}
    )
    assert report.ok, report.summary()


@pytest.mark.parametrize("source", ["snhr_news_ar", "snhr_reports_ar"])
@pytest.mark.parametrize("mode", ["cp1256", "wrong"])
@deferred_f_from_coro_f
async def test_replica_crawl_with_wrong_charsets(source: str, mode: str, tmp_path: Path) -> None:
    faults = f"charset=1,charset_mode={mode},attempts=1000"
    with ReplicaServer(posts=12, seed=5, faults=faults) as server:
        records, _, stats = await crawl(source, server.origins[source], tmp_path)
        truth = by_id(server.truth(source))
    got = by_id(records)
    assert sorted(got) == sorted(truth)
    for key, expected in truth.items():
        for name in ("title", "subtitle", "body_text", "categories", "incident_date"):
            assert got[key][name] == expected[name], (key, name)
    if mode == "wrong":  # UTF-8 labelled ISO-8859-1: Scrapy trusts the label, we do not
        assert stats.get("snhr/charset/redecoded/utf-8", 0) >= len(truth)
    assert "snhr/charset/undecodable_bytes" not in stats


@deferred_f_from_coro_f
async def test_translation_groups_link_both_languages(
    replica: ReplicaServer, tmp_path: Path
) -> None:
    for english, arabic in (("snhr_reports", "snhr_reports_ar"), ("snhr_news", "snhr_news_ar")):
        en, _, _ = await crawl(english, replica.origins[english], tmp_path / english)
        ar, _, _ = await crawl(arabic, replica.origins[arabic], tmp_path / arabic)
        en_by_url = {record["url"]: record for record in en}
        ar_by_url = {record["url"]: record for record in ar}
        paired = [record for record in en if record["translations"]]
        assert paired, "the replica publishes some documents in both languages"
        for record in paired:
            other = ar_by_url[record["translations"]["ar"]]
            assert other["translations"]["en"] == record["url"]
            assert other["translation_group"] == record["translation_group"] is not None
        for record in ar:
            if record["translations"]:
                assert (
                    en_by_url[record["translations"]["en"]]["translation_group"]
                    == (record["translation_group"])
                )
            else:
                assert record["translation_group"] is None
        groups = [record["translation_group"] for record in paired]
        assert len(set(groups)) == len(groups)


@pytest.mark.parametrize("source", ["snhr_reports", "snhr_reports_ar"])
@deferred_f_from_coro_f
async def test_pdfs_are_downloaded_once_into_the_archive(
    source: str, replica: ReplicaServer, tmp_path: Path
) -> None:
    before = replica.request_counts()
    records, _, stats = await crawl(source, replica.origins[source], tmp_path, DOWNLOAD_PDFS=True)
    attachments = [a for record in records for a in record["attachments"]]
    assert attachments
    archive = tmp_path / "archive"
    for attachment in attachments:
        assert attachment["path"].startswith("files/snhr.org/")
        stored = (archive / attachment["path"]).read_bytes()
        assert stored.startswith(b"%PDF-")
        assert len(stored) == attachment["size"]
        assert hashlib.sha256(stored).hexdigest() == attachment["sha256"]
        assert attachment["url"].startswith("https://snhr.org/")
        assert attachment["title"]
    fetched = replica.request_counts() - before
    pdf_paths = [path for path in fetched if path.endswith(".pdf")]
    assert pdf_paths
    assert all(fetched[path] == 1 for path in pdf_paths)
    assert stats["snhr/pdfs/stored"] == len(attachments)
    # The archive pipeline (400) runs after this one (350): it stores the enriched entries.
    archived = [
        json.loads(line)
        for path in sorted((archive / source).glob("*.jsonl"))
        for line in path.read_text("utf-8").splitlines()
    ]
    assert sorted(a["sha256"] for r in archived for a in r["attachments"]) == sorted(
        a["sha256"] for a in attachments
    )

    # A second run stores nothing new and fetches no PDF again, yet records the digests.
    before = replica.request_counts()
    again, _, stats = await crawl(source, replica.origins[source], tmp_path, DOWNLOAD_PDFS=True)
    fetched = replica.request_counts() - before
    assert not [path for path in fetched if path.endswith(".pdf")]
    assert stats.get("file_status_count/uptodate") == len(pdf_paths)

    def key(attachment: dict[str, Any]) -> str:
        return attachment["url"]

    assert sorted((a for r in again for a in r["attachments"]), key=key) == sorted(
        attachments, key=key
    )
