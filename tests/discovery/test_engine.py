"""The discovery engine on hand-made responses: fall-through, WAF pages, paging, watermarks."""

from __future__ import annotations

import json
from typing import Any

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse, TextResponse, XmlResponse
from twisted.python.failure import Failure

from snhr_crawler.discovery.engine import Discoverer, Step, chain_for
from snhr_crawler.discovery.state import DiscoveryState
from snhr_crawler.spiders.snhr_news import SnhrNewsSpider
from tests.fake_archive import FakeArchive
from tests.helpers import attach_archive, make_spider

ORIGIN = "http://127.0.0.1:9"
CLOUDFLARE = b"<html><head><title>Just a moment...</title></head><body>cf-chl-bypass</body></html>"


def discoverer(mode: str, archive: FakeArchive | None = None, **args: str) -> Discoverer:
    spider = make_spider(SnhrNewsSpider, origin=ORIGIN, discovery=mode, **args)
    if archive is not None:
        attach_archive(spider, archive)
    spider.discoverer = Discoverer(spider)
    return spider.discoverer


def answer(
    request: Request, body: bytes, status: int = 200, cls: type = TextResponse, **headers: str
) -> Any:
    """Feed ``body`` to the callback of ``request`` as the site's answer."""
    headers.setdefault("Content-Type", "text/plain")
    response = cls(url=request.url, body=body, status=status, headers=headers, request=request)
    return list(request.callback(response, **request.cb_kwargs))


def is_listing_walk(requests: list[Any]) -> bool:
    """The start of a listing walk: listings (home, seeds), then the site's category index."""
    names = [r.callback.__name__ for r in requests]
    return len(names) > 1 and names == ["parse_listing"] * (len(names) - 1) + ["parse_index"]


def rest_body(*posts: tuple[int, str]) -> bytes:
    return json.dumps(
        [
            {
                "id": post_id,
                "link": f"{ORIGIN}/2024/05/{post_id % 28 + 1:02d}/post-{post_id}/",
                "date": "2024-05-01T12:00:00",
                "date_gmt": "2024-05-01T09:00:00",
                "modified_gmt": modified,
                "categories": [3],
            }
            for post_id, modified in posts
        ]
    ).encode()


def test_chains() -> None:
    assert chain_for("listing", incremental=False) == ["listing"]
    assert chain_for("rest", incremental=True) == ["rest", "listing"]
    assert chain_for("auto", incremental=False)[-2:] == ["rest", "listing"]
    assert chain_for("auto", incremental=True)[-3:] == ["rest", "feed", "listing"]


def test_auto_falls_through_waf_404_and_403_to_listings() -> None:
    engine = discoverer("auto")
    (robots,) = list(engine.start_requests())
    assert robots.url == f"{ORIGIN}/robots.txt"
    # Refusals reach the callback; redirects are followed (no handle_httpstatus_all).
    assert 403 in robots.meta["handle_httpstatus_list"]
    assert "handle_httpstatus_all" not in robots.meta
    (yoast,) = answer(robots, b"User-agent: *\nSitemap: https://news.snhr.org/sitemap_index.xml\n")
    assert yoast.url == f"{ORIGIN}/sitemap_index.xml"  # public URL mapped to the local copy
    (core,) = answer(yoast, CLOUDFLARE, cls=HtmlResponse, **{"Content-Type": "text/html"})
    assert core.url == f"{ORIGIN}/wp-sitemap.xml"  # the named one is not probed twice
    (rest,) = answer(core, b"not found", status=404)
    assert "/wp-json/wp/v2/posts?per_page=100&page=1" in rest.url
    walk = answer(rest, b'{"code":"rest_forbidden"}', status=403)
    assert is_listing_walk(walk)
    why = engine.spider.crawler.stats.get_value("snhr/discovery/why")
    assert why == (
        "discovery=auto: listings (the last resort); unavailable before it: "
        "sitemap https://news.snhr.org/sitemap_index.xml: WAF/challenge page ('cf-chl-'); "
        "sitemap https://news.snhr.org/wp-sitemap.xml: HTTP 404; "
        "rest https://news.snhr.org/wp-json/wp/v2/posts/: HTTP 403"
    )
    stats = engine.spider.crawler.stats
    assert stats.get_value("snhr/discovery/mode") == "listing"
    assert stats.get_value("snhr/discovery/unavailable/sitemap") == 2
    assert stats.get_value("snhr/discovery/unavailable/rest") == 1


def test_a_probe_that_cannot_be_fetched_moves_on() -> None:
    engine = discoverer("rest")
    (rest,) = list(engine.start_requests())
    failure = Failure(ConnectionRefusedError("refused"))
    failure.request = rest  # as Scrapy sets it before calling the errback
    listings = list(rest.errback(failure))
    assert listings
    assert is_listing_walk(listings)


def test_rest_full_walk_requests_every_page_one_after_another_and_records_totals() -> None:
    engine = discoverer("rest")
    (rest,) = list(engine.start_requests())
    out = answer(
        rest,
        rest_body((101, "2024-06-01T00:00:00"), (102, "2024-05-02T00:00:00")),
        cls=TextResponse,
        **{"Content-Type": "application/json", "X-WP-Total": "250", "X-WP-TotalPages": "3"},
    )
    articles = [r for r in out if r.callback.__name__ == "parse_article"]
    pages = [r for r in out if r.callback.__name__ == "parse_discovery"]
    assert [r.meta["discovered_by"] for r in articles] == ["rest", "rest"]
    assert articles[0].url == f"{ORIGIN}/2024/05/18/post-101/"
    # One page after another: X-WP-TotalPages is the site's claim, not a queue to fill at once.
    assert [r.cb_kwargs["page"] for r in pages] == [2]
    headers = {"Content-Type": "application/json", "X-WP-Total": "250", "X-WP-TotalPages": "3"}
    body = rest_body((103, "2024-04-01T00:00:00"))
    (third,) = [r for r in answer(pages[0], body, cls=TextResponse, **headers) if r.cb_kwargs.get("page")]
    assert third.cb_kwargs["page"] == 3
    assert [r for r in answer(third, body, cls=TextResponse, **headers) if r.cb_kwargs.get("page")] == []
    stats = engine.spider.crawler.stats
    assert stats.get_value("snhr/discovery/rest/total") == 250
    assert stats.get_value("snhr/discovery/rest/total_pages") == 3
    assert stats.get_value("snhr/discovery/mode") == "rest"


def test_rest_incremental_uses_the_watermark() -> None:
    state = DiscoveryState(source="snhr_news", last_run="2024-05-20T00:00:00+00:00")
    state.watermarks["rest"] = "2024-05-10T00:00:00+00:00"
    archive = FakeArchive(known_ids={101, 102, 103}, state=state)
    engine = discoverer("rest", archive)
    (rest,) = list(engine.start_requests())
    assert "modified_after=2024-05-10T00%3A00%3A00%2B00%3A00" in rest.url
    out = answer(
        rest,
        # 101 edited after the watermark, 104 new, 102 archived and unchanged (server ignored the filter).
        rest_body((101, "2024-05-15T00:00:00"), (104, "2024-05-12T00:00:00"), (102, "2024-05-01T00:00:00")),
        **{"Content-Type": "application/json", "X-WP-Total": "300", "X-WP-TotalPages": "3"},
    )  # fmt: skip
    assert [r.url.rsplit("-", 1)[1] for r in out] == ["101/", "104/"]  # no page 2: past the mark
    stats = engine.spider.crawler.stats
    assert stats.get_value("snhr/discovery/rest/changed") == 1
    assert stats.get_value("snhr/article/skipped/archived") == 1
    engine.close("finished")
    (saved,) = archive.saved
    assert saved.watermarks["rest"] == "2024-05-15T00:00:00+00:00"
    assert saved.mode == "rest"


def test_no_watermark_after_a_failed_run() -> None:
    archive = FakeArchive(
        full_walk=True,
        state=DiscoveryState(source="snhr_news", watermarks={"rest": "2024-05-10T00:00:00+00:00"}),
    )
    engine = discoverer("rest", archive)
    (rest,) = list(engine.start_requests())
    assert "modified_after" not in rest.url
    answer(rest, rest_body((1, "2024-09-01T00:00:00")), **{"Content-Type": "application/json"})
    engine.close("shutdown")
    assert archive.saved == []  # not advanced


def test_sitemap_index_skips_unchanged_children_and_other_sitemaps() -> None:
    state = DiscoveryState(source="snhr_news", watermarks={"sitemap": "2024-05-10T00:00:00+00:00"})
    engine = discoverer("sitemap", FakeArchive(known_ids={1}, state=state))
    index = Request(f"{ORIGIN}/sitemap_index.xml", callback=engine.spider.parse_discovery,
                    cb_kwargs={"step": "sitemap"}, meta={"discovery_step": Step("sitemap", f"{ORIGIN}/sitemap_index.xml")})  # fmt: skip
    body = b"""<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://news.snhr.org/post-sitemap.xml</loc><lastmod>2024-05-01T00:00:00+00:00</lastmod></sitemap>
<sitemap><loc>https://news.snhr.org/post-sitemap2.xml</loc><lastmod>2024-05-11T00:00:00+00:00</lastmod></sitemap>
<sitemap><loc>https://news.snhr.org/category-sitemap.xml</loc></sitemap></sitemapindex>"""
    (child,) = answer(index, body, cls=XmlResponse, **{"Content-Type": "application/xml"})
    assert child.url == f"{ORIGIN}/post-sitemap2.xml"
    urls = b"""<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>https://news.snhr.org/2024/05/11/new-post/</loc><lastmod>2024-05-11T00:00:00+00:00</lastmod></url>
<url><loc>https://news.snhr.org/ar/2024/05/11/arabic-post/</loc></url>
<url><loc>https://news.snhr.org/category/news/</loc></url></urlset>"""
    (article,) = answer(child, urls, cls=XmlResponse, **{"Content-Type": "application/xml"})
    assert article.url == f"{ORIGIN}/2024/05/11/new-post/"
    assert article.meta["discovered_by"] == "sitemap"
    stats = engine.spider.crawler.stats
    assert stats.get_value("snhr/discovery/sitemap/files_unchanged") == 1
    assert stats.get_value("snhr/discovery/sitemap/not_post") == 2


def test_a_broken_child_sitemap_adds_the_listing_walk() -> None:
    engine = discoverer("sitemap")
    child = Request(f"{ORIGIN}/post-sitemap2.xml", callback=engine.spider.parse_discovery,
                    cb_kwargs={"step": "sitemap", "child": True})  # fmt: skip
    engine.chosen = "sitemap"
    listings = answer(child, b"oops", status=500)
    assert listings
    assert is_listing_walk(listings)
    assert engine.spider.crawler.stats.get_value("snhr/discovery/fallback/listing") == 1


def test_feed_that_does_not_page_hands_over_to_listings() -> None:
    engine = discoverer("feed")
    (feed,) = list(engine.start_requests())
    rss = b"""<?xml version="1.0"?><rss version="2.0"><channel><item><title>A</title>
<link>https://news.snhr.org/2024/05/11/a/</link><guid isPermaLink="false">https://news.snhr.org/?p=7</guid>
<pubDate>Sat, 11 May 2024 10:00:00 +0000</pubDate></item></channel></rss>"""
    out = answer(feed, rss, cls=XmlResponse, **{"Content-Type": "application/rss+xml"})
    article, page2 = out
    assert article.meta["discovered_by"] == "feed"
    assert page2.url == f"{ORIGIN}/feed/?paged=2"
    listings = answer(page2, rss, cls=XmlResponse, **{"Content-Type": "application/rss+xml"})
    assert listings
    assert is_listing_walk(listings)


def test_feed_end_of_pages_is_not_an_error() -> None:
    engine = discoverer("feed")
    engine.chosen = "feed"
    page = Request(f"{ORIGIN}/feed/?paged=5", callback=engine.spider.parse_discovery,
                   cb_kwargs={"step": "feed", "page": 5})  # fmt: skip
    assert answer(page, b"", status=404) == []
    assert not engine.listing_started


@pytest.mark.parametrize("mode", ["listing", "auto"])
def test_without_an_archive_no_state_is_written(mode: str) -> None:
    engine = discoverer(mode)
    assert engine.policy.archive is None
    engine.close("finished")  # nothing to write to, and no error


def test_feed_conditional_get_and_304() -> None:
    state = DiscoveryState(
        source="snhr_news",
        last_run="2024-05-20T00:00:00+00:00",
        validators={"feed_etag": '"abc"', "feed_last_modified": "Sat, 11 May 2024 10:00:00 GMT"},
    )
    engine = discoverer("feed", FakeArchive(known_ids={7}, state=state))
    (feed,) = list(engine.start_requests())
    assert feed.headers[b"If-None-Match"] == b'"abc"'
    assert feed.headers[b"If-Modified-Since"] == b"Sat, 11 May 2024 10:00:00 GMT"
    assert 304 in feed.meta["handle_httpstatus_list"]
    assert answer(feed, b"", status=304) == []
    stats = engine.spider.crawler.stats
    assert stats.get_value("snhr/discovery/feed/not_modified") == 1
    assert stats.get_value("snhr/discovery/mode") == "feed"
    assert not engine.listing_started
