"""The polite defaults, end to end: robots.txt failing closed, Retry-After, same-site redirects."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from scrapy.utils.defer import deferred_f_from_coro_f
from scrapy.utils.project import get_project_settings

from snhr_crawler.middlewares.backoff import retry_after_seconds
from tests.crawling import crawl as run_crawl
from tests.site import build_site, serve

pytestmark = pytest.mark.e2e


async def crawl(
    origin: str, tmp_path: Path, max_pages: str | None = "1", **overrides: Any
) -> dict[str, Any]:
    args = {"max_pages": max_pages} if max_pages else {}
    result = await run_crawl(
        "snhr_news", tmp_path / "archive", origin=origin, settings=overrides, **args
    )
    return result.stats


def test_retry_after_parsing() -> None:
    assert retry_after_seconds(b"120") == 120.0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == 10.0
    assert retry_after_seconds(b"soon") is None
    assert retry_after_seconds(None) is None
    # Digits to str.isdigit() but not to float(): no number, so the usual backoff.
    assert retry_after_seconds("²".encode()) is None
    assert retry_after_seconds("٣") is None


@deferred_f_from_coro_f
async def test_robots_txt_answering_5xx_means_disallow_all(tmp_path: Path) -> None:
    site = build_site()
    site.pages["/robots.txt"] = (503, {"Content-Type": "text/plain"}, b"overloaded")
    with serve(site):
        stats = await crawl(site.origin, tmp_path, RETRY_TIMES=1)
    assert stats["snhr/robots/unavailable"] == 1
    assert site.requests.count("/robots.txt") == 2  # asked again after a wait, then gave up
    assert not any(path.startswith("/category/") for path in site.requests)
    assert stats.get("item_scraped_count", 0) == 0


@deferred_f_from_coro_f
async def test_429_waits_for_retry_after_then_succeeds(tmp_path: Path) -> None:
    site = build_site()
    listing = site.pages["/category/news/"]
    answers = iter([(429, {"Retry-After": "1", "Content-Type": "text/html"}, b"slow down")])

    def throttled() -> tuple[int, dict[str, str], bytes]:
        return next(answers, listing)

    site.pages["/category/news/"] = throttled
    started = time.monotonic()
    with serve(site):
        stats = await crawl(site.origin, tmp_path)
    assert time.monotonic() - started >= 1.0
    assert stats["snhr/backoff/retry_after"] == 1
    assert stats["downloader/response_status_count/429"] == 1
    assert site.requests.count("/category/news/") == 2
    assert stats["item_scraped_count"] >= 3


@deferred_f_from_coro_f
async def test_redirect_off_the_site_is_refused(tmp_path: Path) -> None:
    site = build_site()
    # A listing that redirects to another host: it must not be followed.
    site.pages["/category/news/"] = (302, {"Location": "http://127.0.0.2:9/steal"}, b"")
    with serve(site):
        stats = await crawl(site.origin, tmp_path)
    assert stats["snhr/redirect/offsite"] == 1
    assert not any("steal" in path for path in site.requests)


@deferred_f_from_coro_f
async def test_only_http_download_handlers_are_enabled() -> None:
    from scrapy import Request, Spider
    from scrapy.core.downloader.handlers import DownloadHandlers
    from scrapy.exceptions import NotSupported
    from scrapy.utils.test import get_crawler

    crawler = get_crawler(Spider, get_project_settings().copy_to_dict())
    handlers = DownloadHandlers(crawler)
    for url in ("file:///etc/passwd", "data:,x", "ftp://127.0.0.1/x", "s3://bucket/key"):
        with pytest.raises(NotSupported):
            await handlers.download_request_async(Request(url))
    assert handlers._get_handler("https") is not None


@deferred_f_from_coro_f
async def test_a_listing_that_keeps_failing_is_counted_and_logged_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    site = build_site()
    site.pages["/category/news/page/2/"] = (500, {"Content-Type": "text/html"}, b"down")
    with serve(site):
        stats = await crawl(site.origin, tmp_path, max_pages=None, RETRY_TIMES=1)
    assert stats["snhr/listing/failed"] == 1
    lines = [r.getMessage() for r in caplog.records if "Could not fetch listing" in r.getMessage()]
    assert len(lines) == 1
    assert "/category/news/page/2/" in lines[0]
    assert stats["item_scraped_count"] == 4  # the rest of the site is still archived
