"""The plain WordPress theme (``theme=plain|mixed``): complete enough to crawl without tagDiv.

A minimal plain-theme reader (the selectors a plain-WordPress spider base would use)
must find every post from the listings and read the truth's fields off each page.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from parsel import Selector
from replica_helpers import NOW, fetch, local

from snhr_crawler.urls import canonical_url, url_date
from snhr_replica import ReplicaServer

SOURCES = ("snhr_news", "snhr_news_ar", "snhr_reports", "snhr_reports_ar")
_OLD = {"news.sn4hr.org": "news.snhr.org", "sn4hr.org": "snhr.org"}


@pytest.fixture(scope="module")
def plain() -> Iterator[ReplicaServer]:
    with ReplicaServer(posts=24, seed=12, now=NOW, switches={"theme": "plain"}) as server:
        yield server


def _public(replica: ReplicaServer, href: str) -> str:
    """A listing href as the canonical public URL (shortlinks resolved, old hosts mapped)."""
    parts = urlsplit(href)
    if parts.query.startswith("p="):
        href = fetch(href).headers["location"]
        parts = urlsplit(href)
    if parts.hostname in _OLD:
        return canonical_url(f"https://{_OLD[parts.hostname]}{parts.path}")
    news = href.startswith(replica.origins["snhr_news"])
    return canonical_url(
        re.sub(
            r"^http://127\.0\.0\.1:\d+",
            "https://news.snhr.org" if news else "https://snhr.org",
            href,
        )
    )


def test_listings_lead_to_every_post(plain) -> None:
    for source in SOURCES:
        site = plain.site.site_by_source[source]
        found: set[str] = set()
        for cat in site.categories:
            url: str | None = f"{plain.origins[source]}{site.category_base}{cat.path}/"
            while url:
                page = Selector(text=fetch(url).text)
                assert page.css("body.archive.category")
                hrefs = page.css("main article.post h2.entry-title a::attr(href)").getall()
                assert hrefs or page.css("main section.no-results")  # an empty category
                found |= {_public(plain, href) for href in hrefs}
                assert page.css("nav.pagination .nav-links") or not page.css("a.page-numbers")
                url = page.css("nav.pagination a.next.page-numbers::attr(href)").get()
        assert {r["url"] for r in plain.truth(source)} <= found, source
        assert not Selector(text=fetch(plain.origins[source] + site.root).text).css(".tdb_loop")


def _text(selector: Selector) -> str:
    return " ".join("".join(selector.css("::text").getall()).split())


def test_a_plain_reader_gets_the_truth_off_every_page(plain) -> None:
    for record in plain.truth():
        page = Selector(text=fetch(local(plain, record["url"])).text)
        assert not page.css("[class*=tdb_], .td-post-content")  # nothing of tagDiv's
        assert page.css(f"body.single.postid-{record['post_id']}")
        assert page.css(f"article#post-{record['post_id']}.post")
        assert _text(page.css("article header.entry-header h1.entry-title")[0]) == record["title"]
        subtitle = page.css("header.entry-header .wp-subtitle")
        assert (_text(subtitle[0]) if subtitle else None) == record["subtitle"]
        categories = page.css("footer.entry-footer .cat-links a[rel~=tag]::text").getall()
        assert categories == record["categories"]
        crumbs = page.css("#breadcrumbs a::text").getall()
        assert crumbs[1:] == record["categories"]
        content = page.css("article div.entry-content")[0]
        blocks = content.xpath(
            "./p[not(ancestor::div[contains(@class,'snhr-available-in')])] | ./h3 | ./h5"
        )
        assert "\n\n".join(_text(block) for block in blocks) == record["body_text"]
        published = (
            page.css("meta[property='article:published_time']::attr(content)").get()
            or page.css("header.entry-header time.entry-date.published::attr(datetime)").get()
            or url_date(record["url"])
        )
        assert published == record["published_at"]
        caption = content.css("figure figcaption::text").get()
        assert [caption] == [image["caption"] for image in record["images"]] or not record["images"]
        others = {
            _public(plain, href) for href in page.css(".snhr-available-in a::attr(href)").getall()
        }
        assert others == (
            {record["url"], *record["translations"].values()} if record["translations"] else set()
        )
        assert page.css("aside#secondary .widget_recent_entries li a")


def test_mixed_theme_draws_about_half_the_posts_plain() -> None:
    with ReplicaServer(posts=30, seed=12, now=NOW, switches={"theme": "mixed"}) as mixed:
        themes = []
        for record in mixed.truth("snhr_news"):
            page = Selector(text=fetch(local(mixed, record["url"])).text)
            themes.append("plain" if page.css("div.entry-content") else "tagdiv")
        assert 0.25 < themes.count("plain") / len(themes) < 0.75
        listing = Selector(text=fetch(mixed.origins["snhr_news"] + "/category/news/").text)
        assert listing.css(".tdb_loop .td_module_flex")  # listings stay tagDiv


def test_plain_not_found_page(plain) -> None:
    reply = fetch(plain.origins["snhr_reports"] + "/blog/no-such-page/")
    assert reply.status == 404
    assert Selector(text=reply.text).css("body.error404 section.error-404 h1.page-title")
