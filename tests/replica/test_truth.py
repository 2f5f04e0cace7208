"""Ground-truth invariants, and truth checked against the pages themselves."""

from __future__ import annotations

import dataclasses
import json
import re
from urllib.parse import urlsplit

from parsel import Selector
from replica_helpers import NOW, fetch, local

from snhr_crawler.items import Article
from snhr_crawler.urls import canonical_url, url_date
from snhr_replica import ReplicaServer

#: Every record field but what only a crawl can know: when it fetched, where it kept the bytes.
FIELDS = {f.name for f in dataclasses.fields(Article)} - {"crawled_at", "capture"}
SOURCES = ("snhr_news", "snhr_news_ar", "snhr_reports", "snhr_reports_ar")
_PUBLIC = {"news.sn4hr.org": "news.snhr.org", "sn4hr.org": "snhr.org"}


def test_records_match_article_fields_and_are_canonical(replica):
    records = replica.truth()
    assert len(records) == 4 * 40
    assert {r["source"] for r in records} == set(SOURCES)
    assert len({r["id"] for r in records}) == len(records)
    for record in records:
        assert set(record) == FIELDS
        Article(**record)  # constructible
        assert record["url"] == canonical_url(record["url"])
        assert record["url"].startswith(("https://news.snhr.org/", "https://snhr.org/"))
        assert "127.0.0.1" not in json.dumps(record)
        assert all(u == canonical_url(u) for u in record["translations"].values())
        if record["date_source"] == "url":
            assert record["published_at"] == url_date(record["url"])
    news = [r for r in records if r["site"] == "news.snhr.org"]
    assert len({r["post_id"] for r in news}) == len(news)  # one WordPress install


def test_translations_point_both_ways(replica):
    by_url = {r["url"]: r for r in replica.truth()}
    paired = [r for r in by_url.values() if r["translations"]]
    assert paired
    for record in paired:
        ((lang, other_url),) = record["translations"].items()
        other = by_url[other_url]
        assert other["language"] == lang != record["language"]
        assert other["translations"] == {record["language"]: record["url"]}
        assert other["translation_group"] == record["translation_group"]


def test_corpus_covers_the_reference_shapes():
    with ReplicaServer(posts=120, seed=1, now=NOW) as replica:
        records = replica.truth()
    urls = [r["url"] for r in records]
    assert any(
        re.search(r"/blog/20(1[2-9]|2[01])/\d\d/\d\d/\d+/$", u) for u in urls
    )  # numeric slugs
    assert any(u.endswith("-2/") for u in urls)  # WordPress de-dup suffix
    assert any(len(urlsplit(u).path.rstrip("/").rsplit("/", 1)[1]) >= 190 for u in urls)
    assert {r["date_source"] for r in records} == {"json-ld", "meta", "time-element", "url"}
    assert {r["doc_type"] for r in records} >= {
        "news",
        "daily_death_toll",
        "report",
        "statement",
        "event",
    }
    assert any(r["attachments"] for r in records)
    assert any(r["subtitle"] for r in records)
    december = [
        r for r in records
        if r["incident_date"] and r["incident_date"][5:7] == "12" and url_date(r["url"])[5:7] == "01"
    ]  # fmt: skip
    assert december
    assert all(r["incident_date"][:4] == str(int(url_date(r["url"])[:4]) - 1) for r in december)
    assert any("كانون الأول/ديسمبر" in r["title"] for r in records)


def _blocks(content: Selector) -> list[Selector]:
    return content.xpath(
        "./p[not(ancestor::div[contains(@class,'snhr-available-in')])] | ./h3 | ./h5"
    )


def test_pages_agree_with_truth(replica):
    """A minimal parser over a sample of pages reproduces title, crumbs, body and dates."""
    for record in replica.truth()[::7]:
        page = Selector(text=fetch(local(replica, record["url"])).text)
        tdb = bool(page.css(".tdb_single_content"))
        title = page.css("h1.tdb-title-text::text" if tdb else "h1.entry-title::text").get()
        assert " ".join(title.split()) == record["title"]
        crumbs = page.css("a.tdb-entry-crumb::text" if tdb else "a.entry-crumb::text").getall()
        assert crumbs[1:] == record["categories"]
        content = page.css(
            ".tdb_single_content .tdb-block-inner" if tdb else "div.td-post-content"
        )[0]
        text = "\n\n".join(
            " ".join("".join(b.css("::text").getall()).split()) for b in _blocks(content)
        )
        assert text == record["body_text"]
        published = (
            page.css("meta[property='article:published_time']::attr(content)").get()
            or page.css(
                ".tdb_single_date time::attr(datetime), header.td-post-title time::attr(datetime)"
            ).get()
            or url_date(record["url"])
        )
        assert published == record["published_at"]
        assert page.css(f"body.postid-{record['post_id']}")
        links = page.css(".snhr-available-in a::attr(href)").getall()
        own = {
            canonical_url(u.replace(urlsplit(u).netloc, record["site"]).replace("http:", "https:"))
            for u in links
        }
        assert own == (
            {record["url"], *record["translations"].values()} if record["translations"] else set()
        )


def _listing_links(replica: ReplicaServer, start: str) -> set[str]:
    """Every loop item's URL on a listing and its later pages, resolved to public canonical form."""
    found, url = set(), start
    while url:
        page = Selector(text=fetch(url).text)
        for href in page.css(".tdb_loop .td_module_flex h3.entry-title a::attr(href)").getall():
            parts = urlsplit(href)
            if parts.query.startswith("p="):
                href = fetch(href).headers["location"]
            elif parts.hostname in _PUBLIC:
                href = f"https://{_PUBLIC[parts.hostname]}{parts.path}"
            found.add(
                canonical_url(
                    re.sub(r"^http://127\.0\.0\.1:\d+", _public_origin(replica, href), href)
                )
            )
        url = page.css("a[aria-label=next-page]::attr(href)").get()
    return found


def _public_origin(replica: ReplicaServer, href: str) -> str:
    return (
        "https://news.snhr.org"
        if href.startswith(replica.origins["snhr_news"])
        else "https://snhr.org"
    )


def _category_urls(replica: ReplicaServer, source: str) -> list[str]:
    from snhr_replica.sites import SITE_BY_SOURCE

    site = SITE_BY_SOURCE[source]
    origin = replica.origins[source]
    return [f"{origin}{site.category_base}{cat.path}/" for cat in site.categories]


def test_every_post_reachable_from_listings_and_legacy_links_present(replica):
    for source in SOURCES:
        seen: set[str] = set()
        for url in _category_urls(replica, source):
            seen |= _listing_links(replica, url)
        assert {r["url"] for r in replica.truth(source)} <= seen
    home = fetch(replica.origins["snhr_news"] + "/category/news/").text
    raw = re.findall(r'<h3 class="entry-title td-module-title"><a href="([^"]+)"', home)
    assert raw


def test_legacy_links_occur_and_can_be_switched_off():
    with ReplicaServer(posts=60, seed=2, now=NOW) as replica:
        html = "".join(
            fetch(replica.origins["snhr_news"] + f"/page/{n}/").text for n in range(2, 7)
        )
        assert "?p=" in html
        assert "http://news.sn4hr.org/" in html
    with ReplicaServer(posts=60, seed=2, now=NOW, switches={"legacy_links": "off"}) as replica:
        html = "".join(
            fetch(replica.origins["snhr_news"] + f"/page/{n}/").text for n in range(2, 7)
        )
        assert "news.sn4hr.org" not in html
        assert 'rel="bookmark" title' in html


def test_hide_one_per_listing_keeps_posts_in_sitemaps():
    with ReplicaServer(
        posts=30, seed=2, now=NOW, switches={"hide_one_per_listing": "on"}
    ) as replica:
        source = "snhr_reports"
        seen: set[str] = set()
        for url in _category_urls(replica, source):
            seen |= _listing_links(replica, url)
        truth_urls = {r["url"] for r in replica.truth(source)}
        hidden = truth_urls - seen
        assert hidden
        sitemap = fetch(replica.origins[source] + "/post-sitemap.xml").text
        for url in hidden:
            assert local(replica, url).replace("%D", "%d").lower() in sitemap.lower()
