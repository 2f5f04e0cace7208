"""Arabic fixture pages round-trip to JSON Lines byte for byte, through the real feed export.

A static server serves the Arabic fixture pages exactly as stored (the
windows-1256 one without any charset), the spiders crawl it through the
project's settings and pipelines, and the feed file must hold each page's
Arabic text unescaped and identical to what the page says, marks included.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
import pytest
from scrapy.utils.defer import deferred_f_from_coro_f

from snhr_crawler.urls import canonical_url
from tests.crawling import crawl
from tests.helpers import FIXTURES, fixture_meta
from tests.site import StaticSite, serve

pytestmark = pytest.mark.e2e

#: (spider, category listing path its seeds start with, fixture cases, page encoding)
SITES = {
    "snhr_news_ar": (
        "/ar/category/news-ar/",
        {"tdb_torture_death": "utf-8", "classic_cp1256_no_charset": "cp1256"},
    ),
    "snhr_reports_ar": (
        "/arabic/category/death-toll/",
        {"tdb_death_toll_report": "utf-8", "classic_numeric_slug": "utf-8"},
    ),
}
ROBOTS = (200, {"Content-Type": "text/plain"}, b"User-agent: *\nAllow: /\n")


def build(source: str) -> StaticSite:
    listing_path, cases = SITES[source]
    site = StaticSite()
    site.pages["/robots.txt"] = ROBOTS
    links = []
    for case in cases:
        meta = fixture_meta(source, case)
        body = (FIXTURES / source / case / "response.html").read_bytes()
        headers = meta.get("headers") or {"Content-Type": "text/html; charset=UTF-8"}
        site.pages[urlsplit(canonical_url(meta["url"])).path] = (200, headers, body)
        links.append(meta["url"])  # as a listing would link it: public, maybe the old host
    modules = "".join(
        f'<div class="td_module_flex"><h3 class="entry-title"><a href="{url}">x</a></h3></div>'
        for url in links
    )
    listing = (
        f'<html><meta charset="utf-8"><body><div class="tdb_loop">{modules}</div></body></html>'
    )
    site.pages[listing_path] = (200, {"Content-Type": "text/html; charset=UTF-8"}, listing.encode())
    return site


def page_texts(source: str, case: str, encoding: str) -> list[str]:
    """The page's title and paragraphs as a reader sees them, decoded with the true charset."""
    raw = (FIXTURES / source / case / "response.html").read_bytes()
    tree = lxml.html.fromstring(raw.decode(encoding))
    title = tree.xpath("//h1")[0].text_content()
    paragraphs = tree.xpath(
        "//div[contains(@class, 'td-post-content')]//*[self::p or self::h5]"
        "[not(ancestor::*[contains(@class, 'available-in')])][not(.//a)]"
    )
    texts = [" ".join(p.text_content().split()) for p in paragraphs]
    # The classic switch's label paragraph is page furniture, not text.
    return [" ".join(title.split())] + [t for t in texts if t != "متوفر باللغة"]


@pytest.fixture(params=sorted(SITES))
def source(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def local_site(source: str) -> Iterator[StaticSite]:
    with serve(build(source)) as site:
        yield site


@deferred_f_from_coro_f
async def test_arabic_pages_round_trip_to_json_lines(
    source: str, local_site: StaticSite, tmp_path: Path
) -> None:
    out = tmp_path / "items.jsonl"
    feed = {"FEED_EXPORT_ENCODING": "utf-8", "FEEDS": {str(out): {"format": "jsonlines"}}}
    result = await crawl(source, tmp_path / "archive", origin=local_site.origin, settings=feed)

    raw = out.read_bytes()
    text = raw.decode("utf-8")  # strict: the feed is valid UTF-8
    records = [json.loads(line) for line in text.splitlines()]
    _, cases = SITES[source]
    assert len(records) == len(cases)
    assert "\\u" not in text  # no escaping of Arabic, RLM or ZWNJ
    assert "\u200f" in text
    assert "\u200c" in text
    by_title = {record["title"]: record for record in records}
    for case, encoding in cases.items():
        title, *paragraphs = page_texts(source, case, encoding)
        record = by_title[title]  # the title exactly as the page writes it
        assert title.encode("utf-8") in raw
        for paragraph in paragraphs:
            assert paragraph in record["body_text"].split("\n\n"), (case, paragraph)
            assert paragraph.encode("utf-8") in raw
    stats = result.stats
    assert "snhr/charset/undecodable_bytes" not in stats
    assert stats["finish_reason"] == "finished"
