"""The audit's comparison, on a hand-made inventory and archive records."""

from __future__ import annotations

import argparse

from snhr_crawler.audit import Inventory, compare, listing_estimate, register


def inventory() -> Inventory:
    inv = Inventory(source="snhr_news", rest_total=4, sitemap_urls=4)
    inv.category_names = {3: "Casualties", 6: "Daily Death Toll"}
    inv.add("https://news.snhr.org/2024/05/01/a/", "rest", post_id=1, categories=[3])
    inv.add("https://news.snhr.org/2024/05/02/b/", "rest", post_id=2, categories=[3])
    inv.add("https://news.snhr.org/2024/06/01/c/", "sitemap")
    inv.add("https://news.snhr.org/2024/06/01/c/", "rest", post_id=3, categories=[6])
    inv.add("https://news.snhr.org/2024/06/02/d/", "sitemap")
    inv.listings = {
        "https://news.snhr.org/category/news/": {"pages": 2, "page_size": 10},
        "https://news.snhr.org/category/news/casualties/": {"pages": 1, "page_size": 10},
        "https://news.snhr.org/category/daily-death-toll/": {"pages": 1, "page_size": 10},
    }
    return inv


def test_missing_posts_are_named_and_counted_by_month_and_category() -> None:
    records = [
        {"url": "https://news.snhr.org/2024/05/01/a/", "post_id": 1},
        {"url": "http://news.sn4hr.org/2024/06/01/c", "post_id": None},  # matched by canonical URL
        {"url": "https://news.snhr.org/2023/01/01/gone/", "post_id": 99},
    ]
    report = compare(inventory(), records)
    assert report.missing == [
        "https://news.snhr.org/2024/05/02/b/",
        "https://news.snhr.org/2024/06/02/d/",
    ]
    assert report.extra == ["https://news.snhr.org/2023/01/01/gone/"]
    assert report.by_month == {
        "2024-05": {"site": 2, "archived": 1},
        "2024-06": {"site": 2, "archived": 1},
    }
    assert report.by_category == {
        "Casualties": {"site": 2, "archived": 1},
        "Daily Death Toll": {"site": 1, "archived": 1},
    }
    assert report.site_total == 4
    assert report.site_total_via == "REST X-WP-Total"
    assert report.listing_estimate == 30  # the casualties listing sits inside news
    text = report.render()
    assert "https://news.snhr.org/2024/05/02/b/" in text
    assert "2 missing" in text


def test_without_a_full_index_nothing_is_called_extra() -> None:
    inv = Inventory(source="snhr_news")
    inv.listings = {"https://news.snhr.org/category/news/": {"pages": 3, "page_size": 10}}
    report = compare(inv, [{"url": "https://news.snhr.org/2024/05/01/a/", "post_id": 1}])
    assert report.extra == []
    assert report.site_total is None
    assert report.listing_estimate == 30


def test_listing_estimate_of_nothing() -> None:
    assert listing_estimate({}) is None


def test_register_adds_the_audit_subcommand() -> None:
    parser = argparse.ArgumentParser(prog="snhr-crawler")
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(
        ["audit", "snhr_news", "--archive", "/tmp/a", "--origin", "snhr_news=http://127.0.0.1:1"]
    )
    assert args.sources == ["snhr_news"]
    assert args.archive == "/tmp/a"
    assert args.origin == ["snhr_news=http://127.0.0.1:1"]
    assert callable(args.func)
