"""Category listings learned from the site: what counts as one, where they come from, the seeds.

Pages and JSON here are written by hand (what WordPress and tagDiv print);
the expected URLs are spelled out, never computed with the code under test.
"""

from __future__ import annotations

import json
from typing import Any

from scrapy.http import HtmlResponse, Request, TextResponse

from snhr_crawler.discovery.categories import (
    CategoryCatalog,
    page_category_links,
    rest_categories,
    slugify,
)
from snhr_crawler.discovery.listings import ListingSources
from snhr_crawler.discovery.site import SitePaths
from snhr_crawler.discovery.state import DiscoveryState
from snhr_crawler.sites.snhr import SNHR_NEWS, SNHR_NEWS_AR, SNHR_REPORTS
from snhr_crawler.spiders.snhr_news import SnhrNewsSpider
from snhr_crawler.urls import Origin
from tests.fake_archive import FakeArchive
from tests.helpers import attach_archive, make_spider

LOCAL = "http://127.0.0.1:8001"


def catalog(site: Any = SNHR_NEWS, path: str = "/") -> CategoryCatalog:
    return CategoryCatalog(SitePaths(Origin.for_site(site, fetch=LOCAL), path))


def html(body: str, url: str = LOCAL + "/") -> HtmlResponse:
    return HtmlResponse(url, body=f"<html><body>{body}</body></html>".encode(), encoding="utf-8")


def test_category_listing_urls_are_first_pages_under_the_site_path() -> None:
    news = catalog()
    assert news.is_category_url("https://news.snhr.org/category/news/casualties/")
    assert news.is_category_url("https://news.snhr.org/category/daily-death-toll/")
    assert not news.is_category_url("https://news.snhr.org/category/news/page/2/")
    assert not news.is_category_url("https://news.snhr.org/category/news/feed/")
    assert not news.is_category_url(
        "https://news.snhr.org/ar/category/news-ar/"
    )  # the other language
    assert not news.is_category_url("https://snhr.org/blog/category/arrest/")  # another host
    assert not news.is_category_url("https://news.snhr.org/2024/01/02/category-of-post/")
    reports = catalog(SNHR_REPORTS)
    assert reports.is_category_url("https://snhr.org/blog/category/arrest/")  # multisite prefix
    arabic = catalog(SNHR_NEWS_AR, "/ar/")
    assert arabic.is_category_url("https://news.snhr.org/ar/category/news-ar/%D8%A7%D9%84/")


def test_rest_categories_are_read_and_refusals_are_none() -> None:
    data = [
        {"id": 2, "name": "News", "count": 40, "parent": 0, "link": f"{LOCAL}/category/news/"},
        {"id": 3, "name": "Casualties", "count": 12, "link": f"{LOCAL}/category/news/casualties/"},
    ]
    found = rest_categories(data)
    assert found is not None
    assert [(c["name"], c["count"], c["id"]) for c in found] == [
        ("News", 40, 2),
        ("Casualties", 12, 3),
    ]
    assert rest_categories({"code": "rest_forbidden"}) is None
    assert rest_categories([{"id": 1}]) is None  # no link: not a category list


def test_menus_and_links_of_a_page_are_told_apart() -> None:
    page = html(
        '<ul class="tdb-menu"><li><a href="/category/news/">News</a></li>'
        '<li><a href="https://news.snhr.org/category/daily-death-toll/">Daily Death Toll</a></li></ul>'
        '<div class="td_module_flex"><a class="td-post-category" href="/category/news/arrests/">'
        "Arrests</a><a href='/2024/01/02/post/'>A post</a></div>"
    )
    links = list(page_category_links(page, page.url))
    assert links == [
        (f"{LOCAL}/category/news/", "News", "menu"),
        ("https://news.snhr.org/category/daily-death-toll/", "Daily Death Toll", "menu"),
        (f"{LOCAL}/category/news/arrests/", "Arrests", "link"),
    ]


def test_breadcrumb_links_of_an_article() -> None:
    page = html(
        '<div class="tdb-breadcrumbs"><a class="tdb-entry-crumb" href="/">Home</a>'
        '<a class="tdb-entry-crumb" href="/category/news/">News</a>'
        '<a class="tdb-entry-crumb" href="/category/news/deaths-under-torture/">Deaths under Torture</a>'
        "</div><ul class='menu'><li><a href='/category/daily-death-toll/'>Toll</a></li></ul>"
    )
    links = [(href, via) for href, _, via in page_category_links(page, page.url, breadcrumbs=True)]
    assert links == [
        (f"{LOCAL}/category/news/", "breadcrumb"),
        (f"{LOCAL}/category/news/deaths-under-torture/", "breadcrumb"),
    ]


def test_the_seeds_are_checked_against_what_the_site_showed() -> None:
    news = catalog()
    news.add(f"{LOCAL}/category/news/", "rest", name="News", count=40)
    news.add(
        f"{LOCAL}/category/news/attacks-on-vital-facilities/",
        "rest",
        name="Attacks on Civilian Facilities",
    )
    news.add(f"{LOCAL}/category/news/detainees/", "menu", name="Detainees")
    news.add(f"{LOCAL}/category/news/page/2/", "link")  # not a category: ignored
    check = news.check_seeds(
        [
            "https://news.snhr.org/category/news/",
            "https://news.snhr.org/category/news/attacks-on-civilian-facilities/",
        ]
    )
    assert check.confirmed == ["https://news.snhr.org/category/news/"]
    assert check.unconfirmed == [
        "https://news.snhr.org/category/news/attacks-on-civilian-facilities/"
    ]
    assert [c.url for c in check.extra] == [
        "https://news.snhr.org/category/news/attacks-on-vital-facilities/",
        "https://news.snhr.org/category/news/detainees/",
    ]
    # Renamed slug, same name: the seed's successor is named.
    successor = news.likely_successor(
        "https://news.snhr.org/category/news/attacks-on-civilian-facilities/"
    )
    assert successor is not None
    assert successor.url == "https://news.snhr.org/category/news/attacks-on-vital-facilities/"
    assert news.likely_successor("https://news.snhr.org/category/news/arrests/") is None
    assert news.via_counts() == {"rest": 2, "menu": 1}


def test_slugify_folds_like_wordpress() -> None:
    assert slugify("Statements by SNHR") == "statements-by-snhr"
    assert slugify("Attacks on Civilian Facilities") == "attacks-on-civilian-facilities"
    assert slugify("Société & Droits") == "societe-droits"


def test_learned_categories_round_trip_through_the_discovery_state() -> None:
    state = DiscoveryState(
        source="snhr_news",
        categories={
            "https://news.snhr.org/category/news/x/": {"name": "X", "count": 3, "via": ["rest"]}
        },
        seeds_missing=["https://news.snhr.org/category/news/arrests/"],
    )
    again = DiscoveryState.from_json(state.to_json(), "snhr_news")
    assert again.categories == state.categories
    assert again.seeds_missing == state.seeds_missing
    odd = json.dumps(
        {"source": "snhr_news", "categories": ["not", "a", "mapping"], "seeds_missing": 3}
    )
    assert DiscoveryState.from_json(odd, "snhr_news").categories == {}


def _spider(state: DiscoveryState | None = None) -> Any:
    spider = make_spider(SnhrNewsSpider, origin=LOCAL)
    return attach_archive(spider, FakeArchive(state=state))


def test_a_walk_starts_from_home_seeds_learned_categories_and_the_index() -> None:
    learned = DiscoveryState(
        source="snhr_news",
        categories={
            "https://news.snhr.org/category/news/deaths-under-torture/": {"name": "Torture"},
            "https://news.snhr.org/category/news/": {"name": "News"},  # also a seed: walked once
        },
    )
    spider = _spider(learned)
    urls = [r.url for r in spider.listing_requests()]
    assert urls[0] == f"{LOCAL}/"
    assert urls.count(f"{LOCAL}/category/news/") == 1
    assert f"{LOCAL}/category/news/deaths-under-torture/" in urls
    assert urls[-1].startswith(f"{LOCAL}/wp-json/wp/v2/categories?")


def _answer(request: Request, body: Any, status: int = 200) -> list[Any]:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    response = TextResponse(
        request.url, body=data, status=status, request=request,
        headers={"Content-Type": "application/json"},
    )  # fmt: skip
    return list(request.callback(response, **request.cb_kwargs))


def test_the_category_index_walks_what_the_seeds_do_not_name() -> None:
    spider = _spider()
    *_, index = list(spider.listing_requests())
    more = _answer(
        index,
        [
            {"id": 2, "name": "News", "count": 4, "link": f"{LOCAL}/category/news/"},
            {"id": 9, "name": "Torture", "count": 2, "link": f"{LOCAL}/category/news/torture/"},
        ],
    )
    assert [r.url for r in more] == [f"{LOCAL}/category/news/torture/"]
    assert more[0].meta["listing_kind"] == "rest"


def test_a_refused_index_falls_back_to_the_category_sitemaps() -> None:
    spider = _spider()
    *_, index = list(spider.listing_requests())
    (yoast,) = _answer(index, {"code": "rest_forbidden"}, status=403)
    assert yoast.url == f"{LOCAL}/category-sitemap.xml"
    (core,) = _answer(yoast, b"<html>Not found</html>", status=404)
    assert core.url == f"{LOCAL}/wp-sitemap-taxonomies-category-1.xml"
    urlset = (
        b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<url><loc>https://news.snhr.org/category/news/detainees/</loc></url></urlset>"
    )
    (walk,) = _answer(core, urlset)
    assert walk.url == f"{LOCAL}/category/news/detainees/"


def test_a_seed_answering_404_is_reported_by_name_not_failed() -> None:
    spider = _spider()
    sources: ListingSources = spider.listings
    requests = list(spider.listing_requests())
    seed = next(r for r in requests if r.url.endswith("/category/news/arrests/"))
    gone = HtmlResponse(seed.url, status=404, body=b"<html>404</html>", request=seed)
    assert list(spider.parse_listing(gone)) == []
    stats = spider.crawler.stats
    assert stats.get_value("snhr/listing/seeds_missing") == 1
    assert stats.get_value("snhr/listing/failed") is None
    sources.close()
    assert stats.get_value("snhr/listing/seeds_missing_urls") == [
        "https://news.snhr.org/category/news/arrests/"
    ]
    (saved,) = spider.policy.archive.saved
    assert saved.seeds_missing == ["https://news.snhr.org/category/news/arrests/"]
