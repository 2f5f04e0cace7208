"""A real crawl, in process, through the real settings, pipelines and feed export."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from scrapy import signals
from scrapy.crawler import CrawlerRunner
from scrapy.utils.defer import deferred_f_from_coro_f, maybe_deferred_to_future
from scrapy.utils.project import get_project_settings

from snhr_crawler.spiders.snhr_news import SnhrNewsSpider
from tests.helpers import LOOPBACK_SETTINGS
from tests.site import StaticSite, build_site, serve


@pytest.fixture
def local_site() -> Iterator[StaticSite]:
    with serve(build_site()) as site:
        yield site


@deferred_f_from_coro_f
async def test_crawl_local_copy_of_news_site(local_site: StaticSite, tmp_path: Path) -> None:
    out = tmp_path / "items.jsonl"
    settings = get_project_settings()
    settings.setdict({**LOOPBACK_SETTINGS, "ARCHIVE_DIR": str(tmp_path / "archive"),
                      "FEEDS": {str(out): {"format": "jsonlines"}}}, priority="cmdline")  # fmt: skip
    crawler = CrawlerRunner(settings).create_crawler(SnhrNewsSpider)
    scraped = []

    def on_item_scraped(item: object) -> None:  # named: signal receivers are weak references
        scraped.append(item)

    crawler.signals.connect(on_item_scraped, signal=signals.item_scraped)
    await maybe_deferred_to_future(crawler.crawl(origin=local_site.origin))

    stats = crawler.stats.get_stats()
    raw = out.read_text("utf-8")
    records = [json.loads(line) for line in raw.splitlines()]
    assert sorted(r["post_id"] for r in records) == [61342, 93214, 127460, 141766]
    assert len({r["id"] for r in records}) == len(records) == len(scraped)
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
    assert stats["downloader/response_status_count/404"] == 1
    assert stats["snhr/listing/pages"] == 6  # 2 pages of News, 4 single-page categories
    assert stats["finish_reason"] == "finished"
    assert stats["snhr/extract/published_at/json-ld"] == 1
