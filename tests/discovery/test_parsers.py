"""The discovery parsers against small saved strings: sitemaps, robots, RSS/Atom, REST JSON."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime

import pytest

from snhr_crawler.discovery.modes import validate_discovery
from snhr_crawler.discovery.parsers import (
    is_post_sitemap,
    parse_feed,
    parse_rest_page,
    parse_sitemap,
    parse_w3c_datetime,
    robots_sitemaps,
    waf_marker,
)
from snhr_crawler.discovery.site import SitePaths, derive_site_path
from snhr_crawler.exceptions import SpiderArgumentError
from snhr_crawler.urls import Origin

YOAST_INDEX = b"""<?xml version="1.0" encoding="UTF-8"?><?xml-stylesheet type="text/xsl" href="//news.snhr.org/main-sitemap.xsl"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://news.snhr.org/post-sitemap.xml</loc><lastmod>2024-11-09T10:02:11+00:00</lastmod></sitemap>
<sitemap><loc>https://news.snhr.org/post-sitemap2.xml</loc><lastmod>2024-11-20T08:00:00+00:00</lastmod></sitemap>
<sitemap><loc>https://news.snhr.org/category-sitemap.xml</loc></sitemap>
</sitemapindex>"""

URLSET = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
<url><loc>https://news.snhr.org/2021/05/05/death-of-a-military-defector-may-4/</loc><lastmod>2021-05-05T09:41:27+00:00</lastmod></url>
<url><loc>https://news.snhr.org/2023/04/17/six-civilians-killed-april-16-2023</loc><lastmod>2023-04-17</lastmod></url>
<url><loc> https://news.snhr.org/2024/11/09/no-lastmod/ </loc></url>
</urlset>"""

RSS = b"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"
xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Death Toll \xe2\x80\x93 Syrian Network for Human Rights</title><link>https://snhr.org</link>
<item><title>Syria Is Among the World&#8217;s Worst Countries for the Number of Mines</title>
<link>https://snhr.org/blog/2020/12/10/55735/</link>
<pubDate>Thu, 10 Dec 2020 13:07:04 +0000</pubDate>
<category><![CDATA[Death Toll]]></category>
<guid isPermaLink="false">https://snhr.org/?p=55735</guid>
<content:encoded><![CDATA[<p>Mines Have Killed at Least 2,601 Civilians ]]]]><![CDATA[></p>]]></content:encoded>
</item>
<item><title>No guid</title><link>https://snhr.org/?p=73517</link><pubDate>garbage</pubDate></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
<entry><title>A</title><link rel="alternate" href="https://news.snhr.org/ar/2024/11/16/%d8%a5-2/"/>
<id>https://news.snhr.org/ar/?p=141766</id><published>2024-11-16T10:00:00Z</published></entry>
</feed>"""

CLOUDFLARE = b"""<!DOCTYPE html><html><head><title>Just a moment...</title></head>
<body><div id="cf-browser-verification">Checking your browser</div></body></html>"""


def test_w3c_datetimes_become_aware_utc() -> None:
    assert parse_w3c_datetime("2024-11-09T13:02:11+03:00") == datetime(
        2024, 11, 9, 10, 2, 11, tzinfo=UTC
    )
    assert parse_w3c_datetime("2024-11-09T10:02:11") == datetime(2024, 11, 9, 10, 2, 11, tzinfo=UTC)
    assert parse_w3c_datetime("2024-11-09T10:02:11Z") == datetime(
        2024, 11, 9, 10, 2, 11, tzinfo=UTC
    )
    assert parse_w3c_datetime("2024-11-09") == datetime(2024, 11, 9, tzinfo=UTC)
    assert parse_w3c_datetime("yesterday") is None
    assert parse_w3c_datetime(None) is None


def test_sitemap_index_entries_and_lastmod() -> None:
    doc = parse_sitemap(YOAST_INDEX)
    assert doc is not None
    assert doc.kind == "sitemapindex"
    assert [e.loc for e in doc.entries][:2] == [
        "https://news.snhr.org/post-sitemap.xml",
        "https://news.snhr.org/post-sitemap2.xml",
    ]
    assert doc.entries[1].lastmod == datetime(2024, 11, 20, 8, tzinfo=UTC)
    assert doc.entries[2].lastmod is None


def test_urlset_entries_trimmed_and_dated() -> None:
    doc = parse_sitemap(URLSET)
    assert doc is not None
    assert doc.kind == "urlset"
    assert len(doc.entries) == 3
    assert doc.entries[1].lastmod == datetime(2023, 4, 17, tzinfo=UTC)
    assert doc.entries[2].loc == "https://news.snhr.org/2024/11/09/no-lastmod/"


def test_gzipped_sitemap() -> None:
    doc = parse_sitemap(gzip.compress(URLSET))
    assert doc is not None
    assert len(doc.entries) == 3


@pytest.mark.parametrize("body", [CLOUDFLARE, b"", b'{"code":"rest_no_route"}', b"<rss/>"])
def test_non_sitemaps_are_none(body: bytes) -> None:
    assert parse_sitemap(body) is None


def test_post_sitemap_names() -> None:
    assert is_post_sitemap("https://x/post-sitemap.xml") is True
    assert is_post_sitemap("https://x/post-sitemap12.xml") is True
    assert is_post_sitemap("https://x/ar/wp-sitemap-posts-post-3.xml") is True
    assert is_post_sitemap("https://x/category-sitemap.xml") is False
    assert is_post_sitemap("https://x/page-sitemap.xml") is False
    assert is_post_sitemap("https://x/wp-sitemap-taxonomies-category-1.xml") is False
    assert is_post_sitemap("https://x/wp-sitemap-users-1.xml") is False
    assert is_post_sitemap("https://x/wp-sitemap-posts-page-1.xml") is False
    assert is_post_sitemap("https://x/news-sitemap.xml") is None


def test_robots_sitemap_lines() -> None:
    robots = "User-agent: *\nDisallow: /wp-admin/\nSitemap: https://news.snhr.org/sitemap_index.xml\nsitemap: /ar/sitemap_index.xml\n"
    assert robots_sitemaps(robots, "https://news.snhr.org/robots.txt") == [
        "https://news.snhr.org/sitemap_index.xml",
        "https://news.snhr.org/ar/sitemap_index.xml",
    ]


def test_rss_items_ids_and_dates() -> None:
    items = parse_feed(RSS)
    assert items is not None
    assert len(items) == 2
    first, second = items
    assert first.link == "https://snhr.org/blog/2020/12/10/55735/"
    assert first.post_id == 55735
    assert first.published == datetime(2020, 12, 10, 13, 7, 4, tzinfo=UTC)
    assert first.categories == ("Death Toll",)
    assert second.post_id == 73517  # from the ?p= link when there is no guid
    assert second.published is None


def test_atom_entries() -> None:
    items = parse_feed(ATOM)
    assert items is not None
    assert items[0].post_id == 141766
    assert items[0].link.endswith("%d8%a5-2/")


@pytest.mark.parametrize("body", [CLOUDFLARE, b"", b"[]", URLSET])
def test_non_feeds_are_none(body: bytes) -> None:
    assert parse_feed(body) is None


def test_rest_page_reads_posts_and_totals() -> None:
    data = [
        {
            "id": 141766,
            "date": "2024-11-16T13:00:00",
            "date_gmt": "2024-11-16T10:00:00",
            "modified_gmt": "2024-11-17T08:30:00",
            "link": "https://news.snhr.org/2024/11/16/x/",
            "categories": [3, 2],
        }
    ]
    page = parse_rest_page(data, {b"X-WP-Total": [b"4210"], b"X-WP-TotalPages": [b"43"]})
    assert page is not None
    assert page.total == 4210
    assert page.total_pages == 43
    (post,) = page.posts
    assert post.post_id == 141766
    assert post.categories == (3, 2)
    assert post.modified_gmt == datetime(2024, 11, 17, 8, 30, tzinfo=UTC)
    assert post.date == "2024-11-16T13:00:00"


@pytest.mark.parametrize(
    "data",
    [
        {"code": "rest_forbidden", "message": "Sorry", "data": {"status": 401}},
        [{"id": "1", "link": "x"}],
        [{"id": 1}],
        "<html>",
    ],
)
def test_rest_errors_and_odd_json_are_none(data: object) -> None:
    assert parse_rest_page(data, {}) is None


def test_rest_without_total_headers() -> None:
    page = parse_rest_page([], {"x-wp-total": "0"})
    assert page is not None
    assert page.total == 0
    assert page.total_pages is None


def test_waf_marker() -> None:
    assert waf_marker(CLOUDFLARE) == "cf-browser-verification"
    assert waf_marker(URLSET) is None


def test_site_path_from_seeds() -> None:
    assert derive_site_path(["https://news.snhr.org/category/news/"]) == "/"
    assert derive_site_path(["https://news.snhr.org/ar/category/news-ar/"]) == "/ar/"
    assert derive_site_path(["https://snhr.org/blog/category/death-toll/"]) == "/"
    assert derive_site_path(["https://snhr.org/arabic/category/death-toll/"]) == "/arabic/"
    assert derive_site_path([]) == "/"


def test_post_urls_per_sub_site() -> None:
    origin = Origin(public="https://news.snhr.org", fetch="http://127.0.0.1:8001")
    english, arabic = SitePaths(origin, "/"), SitePaths(origin, "/ar/")
    assert english.is_post_url("https://news.snhr.org/2024/11/09/x/")
    assert not english.is_post_url("https://news.snhr.org/ar/2024/11/09/x/")
    assert arabic.is_post_url("https://news.snhr.org/ar/2024/11/09/x-2/")
    assert english.is_post_url("https://news.snhr.org/?p=91810")
    assert arabic.is_post_url("https://news.snhr.org/ar/?p=91810")
    assert not arabic.is_post_url("https://news.snhr.org/?p=91810")
    assert not english.is_post_url("https://news.snhr.org/category/news/")
    assert not english.is_post_url("https://snhr.org/blog/2024/11/09/x/")
    main = SitePaths(Origin(public="https://snhr.org"), "/")
    assert main.is_post_url("https://snhr.org/blog/2015/03/10/4645/")
    assert not main.is_post_url("https://snhr.org/arabic/2015/03/10/4645/")
    assert arabic.feed(3) == "http://127.0.0.1:8001/ar/feed/?paged=3"
    assert arabic.yoast_index == "http://127.0.0.1:8001/ar/sitemap_index.xml"
    assert arabic.robots == "http://127.0.0.1:8001/robots.txt"
    assert arabic.in_site_dir("http://127.0.0.1:8001/ar/sitemap_index.xml")
    assert not english.in_site_dir("http://127.0.0.1:8001/ar/sitemap_index.xml")


def test_rest_url_parameters() -> None:
    paths = SitePaths(Origin(public="https://snhr.org"), "/arabic/")
    url = paths.rest_posts(2, modified_after=datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC))
    assert url.startswith("https://snhr.org/arabic/wp-json/wp/v2/posts?per_page=100&page=2")
    assert "orderby=modified&order=desc" in url
    assert "modified_after=2024-01-02T03%3A04%3A05%2B00%3A00" in url


@pytest.mark.parametrize("value", ["listing", "SITEMAP", " rest ", "feed", "auto"])
def test_discovery_values(value: str) -> None:
    assert validate_discovery(value) == value.strip().lower()


def test_discovery_default_and_bad_value() -> None:
    assert validate_discovery(None) == "listing"
    with pytest.raises(SpiderArgumentError, match="argument discovery"):
        validate_discovery("everything")
