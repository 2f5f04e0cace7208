"""A real crawl, in process, through the real settings, pipelines and feed export."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from scrapy.utils.defer import deferred_f_from_coro_f

from tests.crawling import crawl
from tests.site import StaticSite, build_site, serve

pytestmark = pytest.mark.e2e


@pytest.fixture
def local_site() -> Iterator[StaticSite]:
    with serve(build_site()) as site:
        yield site


@deferred_f_from_coro_f
async def test_crawl_local_copy_of_news_site(local_site: StaticSite, tmp_path: Path) -> None:
    out = tmp_path / "items.jsonl"
    feed = {"FEEDS": {str(out): {"format": "jsonlines"}}}
    result = await crawl("snhr_news", tmp_path / "archive", origin=local_site.origin, settings=feed)
    stats = result.stats
    raw = out.read_text("utf-8")
    records = [json.loads(line) for line in raw.splitlines()]
    assert records == result.items  # the feed writes what the harness collects
    assert sorted(r["post_id"] for r in records) == [61342, 93214, 127460, 141766]
    assert len({r["id"] for r in records}) == len(records)
    for record in records:
        assert record["url"].startswith("https://news.snhr.org/20")  # public, canonical
        assert not record["published_at"].startswith("2024-04-26")  # never the header widget
        assert set(record) >= {"id", "source", "site", "language", "url", "post_id", "title",
                               "subtitle", "published_at", "modified_at", "date_source",
                               "categories", "tags", "body_text", "body_html", "attachments",
                               "images", "translations", "crawled_at", "content_sha256"}  # fmt: skip
    # Arabic is written as UTF-8, not as \u escapes.
    assert "\\u" not in raw
    # The old-host duplicate of the torture-death post collapsed (dupefilter or dedupe).
    assert (
        "/2021/05/05/death-of-a-military-defector-from-daraa-due-to-torture-in-syrian-regime-detention-center-confirmed-may-4/"
        in local_site.requests
    )
    assert (
        local_site.requests.count(
            "/2021/05/05/death-of-a-military-defector-from-daraa-due-to-torture-in-syrian-regime-detention-center-confirmed-may-4/"
        )
        == 1
    )
    assert "/?p=141766" in local_site.requests
    assert stats["robotstxt/forbidden"] == 1
    # The gone post; and this copy has no home listing and no category index
    # (REST, two sitemap names), which the walk asks for and does without.
    assert stats["snhr/article/gone/404"] == 1
    assert stats["downloader/response_status_count/404"] == 1 + 1 + 3
    assert stats["snhr/listing/home_missing"] == 1
    assert stats.get("snhr/listing/failed", 0) == 0
    assert stats["snhr/listing/pages"] == 6  # 2 pages of News, 4 single-page categories
    assert stats["finish_reason"] == "finished"
    assert stats["snhr/extract/published_at/json-ld"] == 1
