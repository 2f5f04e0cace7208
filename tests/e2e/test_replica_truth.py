"""Crawl the offline replica with the real spiders, settings and pipelines; compare with its truth.

Every post of every site must be archived once, with every field equal to the
record the replica says a perfect crawler would produce (``crawled_at``
aside). Politeness is lowered for loopback only.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from scrapy.utils.defer import deferred_f_from_coro_f

from snhr_replica import ReplicaServer
from tests.crawling import crawl as run_crawl
from tests.truth_check import compare_with_truth

pytestmark = pytest.mark.e2e

SOURCES = ("snhr_news", "snhr_news_ar", "snhr_reports", "snhr_reports_ar")
POSTS = 30


@pytest.fixture(scope="module")
def replica() -> Iterator[ReplicaServer]:
    with ReplicaServer(posts=POSTS, seed=7) as server:
        yield server


async def crawl(
    source: str, origin: str, tmp_path: Path, **args: str
) -> tuple[str, dict[str, Any]]:
    out = tmp_path / f"{source}.jsonl"
    feed = {"FEEDS": {str(out): {"format": "jsonlines"}}}
    result = await run_crawl(source, tmp_path / "archive", origin=origin, settings=feed, **args)
    return out.read_text("utf-8"), result.stats


@pytest.mark.parametrize("source", SOURCES)
@deferred_f_from_coro_f
async def test_crawl_equals_truth(replica: ReplicaServer, tmp_path: Path, source: str) -> None:
    raw, stats = await crawl(source, replica.origins[source], tmp_path)
    records = [json.loads(line) for line in raw.splitlines()]
    truth = replica.truth(source)
    assert len(truth) == POSTS
    report = compare_with_truth(records, truth)
    assert report.ok, report.summary()
    assert len({record["id"] for record in records}) == len(records), "one id per record"
    assert stats["finish_reason"] == "finished"
    assert stats.get("log_count/ERROR", 0) == 0


@deferred_f_from_coro_f
async def test_pagination_duplicates_and_header_date(
    replica: ReplicaServer, tmp_path: Path
) -> None:
    before = len(replica.requests)
    raw, stats = await crawl("snhr_news", replica.origins["snhr_news"], tmp_path)
    paths = [path for _, path, status in replica.requests[before:] if status == 200]
    # Pagination walked to the last page of each listing.
    last_pages = stats["snhr/listing/last_page"]
    assert any(f"/page/{last_pages}/" in path for path in paths)
    # Shortlinks and old-host links reached posts already found elsewhere: one record each.
    redirected = [path for _, path, status in replica.requests[before:] if status == 301]
    assert redirected, "the replica should have served shortlink redirects"
    assert stats.get("dupefilter/filtered", 0) + stats.get("snhr/dedupe/dropped", 0) > 0
    records = [json.loads(line) for line in raw.splitlines()]
    # The header's "today" widget is the server's clock; no record is dated by it.
    today = replica.site.now().date().isoformat()
    assert not any((r["published_at"] or "").startswith(today) for r in records)


@deferred_f_from_coro_f
async def test_arabic_is_written_unescaped(replica: ReplicaServer, tmp_path: Path) -> None:
    raw, _ = await crawl("snhr_news_ar", replica.origins["snhr_news_ar"], tmp_path)
    assert "\\u06" not in raw  # UTF-8 text, never \u escapes
    records = [json.loads(line) for line in raw.splitlines()]
    assert all(any("\u0600" <= ch <= "\u06ff" for ch in r["title"]) for r in records)
