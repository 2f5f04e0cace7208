"""The probe's verdicts, from hand-made findings and hand-written pages."""

from __future__ import annotations

from typing import Any

from scrapy.http import HtmlResponse

from snhr_crawler.discovery.categories import CategoryCatalog
from snhr_crawler.discovery.site import SitePaths
from snhr_crawler.probe.findings import Findings, auto_path, judge
from snhr_crawler.probe.pages import (
    ABSENT,
    CLASSIC,
    CLOUD,
    NOT_RECOGNISED,
    OTHER,
    RECOGNISED,
    WORDPRESS,
    ArticleFinding,
    charset_of,
    class_tokens,
    page_language,
    theme_of,
    today_widget,
)
from snhr_crawler.probe.spider import spread
from snhr_crawler.sites.snhr import SNHR_NEWS
from snhr_crawler.urls import Origin

GOOD_LAYERS = {
    "title": "site:tdb", "published_at": "json-ld", "body_text": "site:tdb",
    "categories": "site:tdb", "post_id": "shortlink",
}  # fmt: skip


def findings(**parts: Any) -> Findings:
    found = Findings(source="snhr_news", public="https://news.snhr.org", language="en")
    found.catalog = CategoryCatalog(SitePaths(Origin.for_site(SNHR_NEWS), "/"))
    found.robots = {"status": 200}
    found.home = {"status": 200, "items": 10}
    found.sitemaps = {"index": "https://news.snhr.org/sitemap_index.xml", "named": True}
    found.rest = {"status": 200, "ok": True, "total": 30}
    found.feed = {"status": 200, "ok": True, "items": 10}
    found.articles = [
        ArticleFinding(url=f"https://news.snhr.org/2024/01/0{n}/x/", layers=dict(GOOD_LAYERS))
        for n in range(1, 4)
    ]
    for name, value in parts.items():
        setattr(found, name, value)
    return found


def test_a_site_that_has_what_the_crawl_needs_has_no_problem() -> None:
    problems, warnings = judge(findings())
    assert problems == []
    assert warnings == []
    assert auto_path(findings()) == {
        "first_run": "sitemap",
        "incremental": "sitemap",
        "why": "https://news.snhr.org/sitemap_index.xml answered (named in robots.txt)",
    }


def test_a_seed_that_answers_404_is_a_problem_naming_it_and_its_successor() -> None:
    seeds = [
        {"url": "https://news.snhr.org/category/news/", "state": "confirmed"},
        {
            "url": "https://news.snhr.org/category/news/arrests/", "state": "missing", "status": 404,
            "successor": {"url": "https://news.snhr.org/category/news/detainees/", "name": "Arrests"},
        },
    ]  # fmt: skip
    problems, _ = judge(findings(seeds=seeds))
    assert problems == [
        "seed https://news.snhr.org/category/news/arrests/ answers 404; the category named"
        " 'Arrests' is now https://news.snhr.org/category/news/detainees/"
    ]


def test_a_field_served_only_by_the_last_fallback_is_a_problem() -> None:
    articles = [
        ArticleFinding(
            url=f"https://news.snhr.org/2024/01/0{n}/x/",
            layers={**GOOD_LAYERS, "published_at": layer},
        )
        for n, layer in enumerate(("url", "url", "none"), 1)
    ]
    problems, _ = judge(findings(articles=articles))
    assert problems == [
        "published_at served only by the last fallback layer (none, url) on 3 sampled article(s)"
    ]
    # One article with metadata is enough: the field is not *only* served by the fallback.
    articles[0].layers["published_at"] = "json-ld"
    assert judge(findings(articles=articles))[0] == []


def test_only_listings_left_is_a_warning_and_unrecognised_listings_a_problem() -> None:
    nothing = {"sitemaps": {}, "rest": {"status": 403, "ok": False}}
    _, warnings = judge(findings(**nothing))
    assert "no sitemap and no REST API: a first crawl walks every listing page" in warnings
    assert auto_path(findings(**nothing))["incremental"] == "feed"
    problems, _ = judge(findings(**nothing, home={"status": 200, "items": 0}))
    assert problems == [
        "no discovery path but listings, and the home listing shows no article the theme's"
        " listing markup recognises"
    ]


def test_silence_robots_refusals_and_no_sample_are_problems() -> None:
    silent = Findings(source="snhr_news", fetch="https://news.snhr.org")
    assert judge(silent)[0] == [
        "https://news.snhr.org never answered (robots.txt, home page, indexes)"
    ]
    refused = findings(robots={"status": 200, "forbidden": ["the home listing"]}, articles=[])
    assert judge(refused)[0] == [
        "robots.txt forbids the home listing",
        "no article could be sampled",
    ]


def test_a_sample_is_spread_from_the_oldest_to_the_newest_permalink() -> None:
    urls = [f"https://news.snhr.org/20{y}/01/01/p{y}/" for y in range(10, 30)]
    urls.append("https://news.snhr.org/?p=5")  # no date: not sampled while permalinks suffice
    picked = spread(list(reversed(urls)), 5)
    # 20 permalinks, 5 picks: positions 0, 4.75, 9.5, 14.25, 19, rounded.
    assert picked == [
        "https://news.snhr.org/2010/01/01/p10/",
        "https://news.snhr.org/2015/01/01/p15/",
        "https://news.snhr.org/2020/01/01/p20/",
        "https://news.snhr.org/2024/01/01/p24/",
        "https://news.snhr.org/2029/01/01/p29/",
    ]
    few = [*urls[:2], "https://news.snhr.org/?p=5"]
    assert sorted(spread(few, 5)) == sorted(few)  # too few permalinks: shortlinks join in


def page(
    body: str, *, lang: str = "en", content_type: str = "text/html; charset=UTF-8"
) -> HtmlResponse:
    html = f'<html lang="{lang}"><head><meta charset="utf-8"></head><body>{body}</body></html>'
    return HtmlResponse(
        "https://news.snhr.org/2024/01/01/x/",
        body=html.encode(),
        headers={"Content-Type": content_type},
    )


def test_theme_markers() -> None:
    assert theme_of(class_tokens(page('<div class="tdb_single_content"></div>'))) == CLOUD
    # A classic article whose footer carries a tdb token is still classic.
    classic = page('<div class="td-post-content"></div><div class="tdb-footer-copy"></div>')
    assert theme_of(class_tokens(classic)) == CLASSIC
    assert theme_of(class_tokens(page('<div class="entry-content"></div>'))) == WORDPRESS
    assert theme_of(class_tokens(page('<div class="content"></div>'))) == OTHER


def test_the_today_widget_is_recognised_only_in_the_chrome() -> None:
    header = (
        '<div class="td-header-wrap"><div class="td_data_time">Friday, April 26, 2024</div></div>'
    )
    assert today_widget(page(header + "<article><p>x</p></article>")) == RECOGNISED
    assert today_widget(page("<article><p>x</p></article>")) == ABSENT
    inside = '<article><div class="tdb_header_date">Friday, April 26, 2024</div></article>'
    assert today_widget(page(inside)) == NOT_RECOGNISED


def test_language_and_charset() -> None:
    assert page_language(page("", lang="ar-SY")) == "ar"
    right = charset_of(page("<p>نص</p>"), "ar")
    assert (right.header, right.meta, right.used, right.redecoded) == (
        "utf-8",
        "utf-8",
        "utf-8",
        False,
    )
