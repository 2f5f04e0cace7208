"""The audit's comparison, on a hand-made inventory and archive; its command line."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import pytest

from snhr_crawler.archive.paths import INDEX_NAME
from snhr_crawler.archive.store import ArchiveStore
from snhr_crawler.audit import Inventory, compare, listing_estimate, main, register
from snhr_crawler.audit import command as audit_command
from tests.archive.archive_factories import as_dict, make_article


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
    archived = [  # (post_id, url), as the archive's index gives them
        (1, "https://news.snhr.org/2024/05/01/a/"),
        (None, "http://news.sn4hr.org/2024/06/01/c"),  # matched by canonical URL
        (99, "https://news.snhr.org/2023/01/01/gone/"),
    ]
    report = compare(inventory(), iter(archived))  # read once, as it streams
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
    assert report.archived == 3
    assert report.site_total_via == "REST X-WP-Total"
    assert report.listing_estimate == 30  # the casualties listing sits inside news
    text = report.render()
    assert "https://news.snhr.org/2024/05/02/b/" in text
    assert "2 missing" in text


def test_without_a_full_index_nothing_is_called_extra() -> None:
    inv = Inventory(source="snhr_news")
    inv.listings = {"https://news.snhr.org/category/news/": {"pages": 3, "page_size": 10}}
    report = compare(inv, [(1, "https://news.snhr.org/2024/05/01/a/")])
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


def test_the_archive_is_read_as_post_id_and_url_pairs_with_or_without_its_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = tmp_path / "archive"
    store = ArchiveStore(archive)
    for post_id in (1, 2, 3):
        store.put_article(as_dict(make_article(post_id)))
    store.put_article(as_dict(make_article(7, source="snhr_news_ar")))
    gone = make_article(3)
    store.put_removal(
        key=gone.id,
        source=gone.source,
        url=gone.url,
        post_id=3,
        status=404,
        checked_at="2026-11-25T12:00:00Z",
    )
    store.close()
    expected = {(n, f"https://news.snhr.org/2024/01/15/post-{n}/") for n in (1, 2)}

    def no_records(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the index alone answers: no record is read")

    with monkeypatch.context() as patch:
        patch.setattr(audit_command, "latest_records", no_records)
        assert set(audit_command.archived_pairs(archive, "snhr_news")) == expected
    (archive / INDEX_NAME).unlink()  # without it: a scan that keeps two fields a record
    assert set(audit_command.archived_pairs(archive, "snhr_news")) == expected


def _no_crawl(monkeypatch: pytest.MonkeyPatch) -> None:
    """Usage errors surface before any inventory crawl starts (and none may start here)."""

    def boom(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("an inventory crawl started")

    monkeypatch.setattr(audit_command, "AsyncCrawlerProcess", boom, raising=False)
    monkeypatch.setattr(audit_command, "CrawlerProcess", boom, raising=False)
    monkeypatch.setenv("SCRAPY_SETTINGS_MODULE", "snhr_crawler.settings")


def test_no_source_to_audit_is_a_one_line_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "no_spiders_settings.py").write_text("SPIDER_MODULES = []\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    _no_crawl(monkeypatch)
    monkeypatch.setenv("SCRAPY_SETTINGS_MODULE", "no_spiders_settings")
    monkeypatch.chdir(tmp_path)
    assert main(["--archive", str(tmp_path / "archive")]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1
    assert "no source to audit" in err


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["snhr_news", "--set", "DOWNLOAD_DELAY="], "--set: expected NAME=VALUE"),
        (["snhr_news", "--set", "=5"], "--set: expected NAME=VALUE"),
        (["snhr_news", "--origin", "snhr_news="], "--origin: expected SOURCE=URL"),
        (["snhr_news", "--origin", "snhr_news=ftp://127.0.0.1:1"], "http(s) URL"),
        (
            ["snhr_news", "--origin", "snhr_reports=http://127.0.0.1:1"],
            "'snhr_reports' is not a source of this audit",
        ),
        (["nope", "--origin", "nope=http://127.0.0.1:1"], "unknown source 'nope'"),
    ],
)
def test_bad_command_lines_are_one_line_usage_errors(
    argv: list[str],
    says: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _no_crawl(monkeypatch)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("snhr-crawler audit: error: ")
    assert says in err


def test_a_source_of_which_nothing_answered_fails_the_audit_in_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    silent = compare(Inventory(source="snhr_news"), [])
    listed = Inventory(source="snhr_reports")
    listed.listings = {"https://snhr.org/category/reports/": {"pages": 1, "page_size": 0}}
    reports = [silent, compare(listed, [])]
    monkeypatch.setattr(audit_command, "run_audit", lambda *a, **k: reports)
    assert silent.nothing_answered
    assert not reports[1].nothing_answered
    assert main([]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "snhr-crawler audit: error: snhr_news: nothing answered (no REST, sitemap or listing page)"
    ]
    monkeypatch.setattr(audit_command, "run_audit", lambda *a, **k: reports[1:])
    assert main([]) == 0
