"""Run report contents, field coverage and progress, from stats Scrapy would hold."""

from __future__ import annotations

import io
import json
import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from snhr_crawler.archive.extension import ArchiveExtension
from snhr_crawler.items import Removal
from snhr_crawler.ops import runs
from snhr_crawler.ops.coverage import FieldCoverage, is_filled
from snhr_crawler.ops.metrics import counts
from snhr_crawler.ops.progress import Progress, progress_line
from snhr_crawler.ops.report import missing_section, source_section, totals
from snhr_crawler.ops.runreport import RunReport
from snhr_crawler.spiders.snhr_news import SnhrNewsSpider
from tests.ops.conftest import make_article

STATS: dict[str, Any] = {
    "start_time": datetime(2026, 11, 25, 2, 15, tzinfo=UTC),
    "finish_time": datetime(2026, 11, 25, 2, 20, 30, tzinfo=UTC),
    "elapsed_time_seconds": 330.04,
    "finish_reason": "finished",
    "response_received_count": 120,
    "downloader/request_count": 125,
    "item_scraped_count": 40,
    "snhr/archive/new": 14,
    "snhr/archive/changed": 2,
    "snhr/archive/unchanged": 24,
    "snhr/archive/removed": 1,
    "snhr/article/skipped/archived": 30,
    "log_count/ERROR": 2,
    "retry/count": 5,
    "downloader/response_status_count/200": 115,
    "downloader/response_status_count/503": 5,
    "snhr/extract/published_at/json-ld": 38,
    "snhr/extract/published_at/meta": 2,
    "snhr/extract/title/site:tdb": 40,
    "snhr/coverage/items": 40,
    "snhr/coverage/field/title": 40,
    "snhr/coverage/field/published_at": 30,
}


def test_source_section_has_everything_the_report_promises() -> None:
    section = source_section(STATS)
    assert section["finish_reason"] == "finished"
    assert section["started_at"] == "2026-11-25T02:15:00Z"
    assert section["finished_at"] == "2026-11-25T02:20:30Z"
    assert section["duration_s"] == 330.0
    assert {k: section[k] for k in ("pages", "requests", "items", "new", "changed")} == {
        "pages": 120,
        "requests": 125,
        "items": 40,
        "new": 14,
        "changed": 2,
    }
    assert (section["unchanged"], section["skipped"], section["removed"]) == (24, 30, 1)
    assert (section["errors"], section["retries"], section["error_rate"]) == (2, 5, 0.016)
    assert section["http_status"] == {"200": 115, "503": 5}
    assert section["coverage_items"] == 40
    assert section["field_coverage"]["title"] == 1.0
    assert section["field_coverage"]["published_at"] == 0.75
    assert section["field_coverage"]["subtitle"] == 0.0
    assert section["extraction_layers"] == {
        "published_at": {"json-ld": 38, "meta": 2},
        "title": {"site:tdb": 40},
    }
    json.dumps(section)  # the report is plain JSON


def test_totals_and_sources_that_did_not_crawl() -> None:
    sections = [
        source_section(STATS),
        missing_section("failed_to_start", "boom"),
        source_section(STATS),
    ]
    assert sections[1] == {
        **missing_section("not_run"),
        "finish_reason": "failed_to_start",
        "error": "boom",
        "outcome": "failed",
    }
    total = totals(sections)
    assert (total["pages"], total["new"], total["errors"], total["requests"]) == (240, 28, 4, 250)
    assert total["error_rate"] == 0.016


def test_error_rate_with_no_request_at_all() -> None:
    assert counts({"log_count/ERROR": 1}).error_rate == 1.0
    assert counts({}).error_rate == 0.0


def test_reports_are_written_atomically_and_listed_newest_first(archive_dir: Path) -> None:
    for run_id in ("20261123T021500Z", "20261125T021500Z", "20261124T021500Z"):
        runs.write_report(archive_dir, {"run_id": run_id, "sources": {}})
    (archive_dir / "runs" / "20261122T021500Z.json").write_text("{torn", "utf-8")
    assert [r["run_id"] for r in runs.iter_reports(archive_dir)] == [
        "20261125T021500Z",
        "20261124T021500Z",
        "20261123T021500Z",
    ]
    earlier = runs.previous_reports(archive_dir, "20261125T021500Z", limit=1)
    assert [r["run_id"] for r in earlier] == ["20261124T021500Z"]
    assert not list((archive_dir / "runs").glob("*.tmp"))


@pytest.mark.parametrize(
    ("value", "filled"),
    [
        (None, False),
        ("", False),
        ("  ", False),
        ([], False),
        ({}, False),
        ("x", True),
        (0, True),
        (["a"], True),
    ],
)
def test_what_counts_as_filled(value: object, filled: bool) -> None:
    assert is_filled(value) is filled


def test_field_coverage_counts_articles_on_item_scraped() -> None:
    crawler = get_crawler(SnhrNewsSpider)
    extension = FieldCoverage.from_crawler(crawler)  # receivers are weak references
    crawler.stats.open_spider()  # type: ignore[union-attr]
    send = crawler.signals.send_catch_log
    send(signals.item_scraped, item=make_article(1), response=None, spider=None)
    send(
        signals.item_scraped,
        item=make_article(2, subtitle="Sub", categories=[]),
        response=None,
        spider=None,
    )
    removal = Removal(id="x", source="snhr_news", url="u", post_id=1, status=404, checked_at="t")
    send(signals.item_scraped, item=removal, response=None, spider=None)
    stats = crawler.stats.get_stats()  # type: ignore[union-attr]
    assert stats["snhr/coverage/items"] == 2
    assert stats["snhr/coverage/field/title"] == 2
    assert stats["snhr/coverage/field/subtitle"] == 1
    assert stats["snhr/coverage/field/categories"] == 1
    assert "snhr/coverage/field/modified_at" not in stats
    assert extension.stats is crawler.stats


def test_progress_line_names_the_numbers_archivists_watch() -> None:
    line = progress_line("snhr_news", counts(STATS), elapsed=60.0)
    for part in (
        "snhr_news",
        "pages   120",
        "new   14",
        "changed   2",
        "skipped   30",
        "errors   2",
        "120.0 pages/min",
    ):
        assert part in line


def test_progress_tty_rewrites_one_line_and_ends_it(caplog: pytest.LogCaptureFixture) -> None:
    crawler = get_crawler(SnhrNewsSpider, {"OPS_PROGRESS": "tty"})
    crawler.stats.open_spider()  # type: ignore[union-attr]
    stream = io.StringIO()
    progress = Progress(crawler, "tty", 60.0, stream)
    progress.report("snhr_news")
    progress.report("snhr_news", final=True, reason="finished")
    out = stream.getvalue()
    assert out.count("\r\x1b[K") == 2
    assert out.endswith("finished\n")
    assert out.count("\n") == 1


def test_progress_log_mode_logs_plain_lines(caplog: pytest.LogCaptureFixture) -> None:
    crawler = get_crawler(SnhrNewsSpider)
    crawler.stats.open_spider()  # type: ignore[union-attr]
    progress = Progress(crawler, "log", 60.0, io.StringIO())
    with caplog.at_level(logging.INFO, logger="snhr_crawler.ops.progress"):
        progress.report("snhr_news")
    assert "progress: snhr_news" in caplog.text
    assert "\r" not in caplog.text


def test_progress_rejects_an_unknown_mode() -> None:
    with pytest.raises(ValueError, match="OPS_PROGRESS"):
        Progress.from_crawler(get_crawler(SnhrNewsSpider, {"OPS_PROGRESS": "fancy"}))


def test_error_rate_is_capped_at_one() -> None:
    assert counts({"log_count/ERROR": 5, "downloader/request_count": 2}).error_rate == 1.0


def closed_crawler(archive: Path, settings: dict[str, Any] | None = None) -> Any:
    crawler = get_crawler(SnhrNewsSpider, {"ARCHIVE_DIR": str(archive), **(settings or {})})
    crawler.spider = crawler._create_spider()
    crawler.stats.open_spider()  # type: ignore[union-attr]
    for key, value in STATS.items():
        crawler.stats.set_value(key, value)  # type: ignore[union-attr]
    return crawler


def test_scrapy_crawl_runs_get_a_report_of_their_own(
    archive_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    limits = {"title": 0.99, "published_at": 0.9}
    archive_on = {"snhr_crawler.archive.extension.ArchiveExtension": 100}
    crawler = closed_crawler(
        archive_dir, {"OPS_CHECK_MIN_FIELD_COVERAGE": limits, "EXTENSIONS": archive_on}
    )
    crawler.get_extension(ArchiveExtension).open()  # as the crawl's start does
    extension = RunReport.from_crawler(crawler)
    with caplog.at_level(logging.WARNING):
        extension.spider_closed(crawler.spider, "finished")
    crawler.get_extension(ArchiveExtension).store.close()
    (report,) = runs.iter_reports(archive_dir)
    assert report["run_id"] == "20261125T021500Z-snhr_news"
    assert report["sources"]["snhr_news"]["new"] == 14
    assert report["outcome"] == "failed"  # published_at filled in 75% < 90%
    assert "check field_coverage FAILED: snhr_news: published_at" in caplog.text
    assert crawler.stats.get_value("snhr/ops/checks_failed") == 1


def test_no_report_without_the_archive_or_under_the_cli(archive_dir: Path) -> None:
    crawler = closed_crawler(archive_dir)  # no ArchiveExtension: nothing archived
    RunReport.from_crawler(crawler).spider_closed(crawler.spider, "finished")
    assert not (archive_dir / "runs").exists()
    with pytest.raises(NotConfigured):
        RunReport.from_crawler(closed_crawler(archive_dir, {"OPS_RUN_REPORT": False}))


def test_a_source_says_what_happened_and_why() -> None:
    disk = "archive write failed: /a/snhr_news/2026-11.jsonl: [Errno 28 ENOSPC] No space left"
    failed = source_section(
        {**STATS, "finish_reason": "archive_error", "snhr/archive/error_message": disk}
    )
    assert (failed["outcome"], failed["error"]) == ("failed", disk)
    down = source_section(
        {
            "finish_reason": "finished",
            "snhr/site_unreachable": "https://news.snhr.org",
            "downloader/exception_count": 6,
            "downloader/exception_type_count/scrapy.exceptions.CannotResolveHostError": 1,
            "downloader/exception_type_count/scrapy.exceptions.IgnoreRequest": 5,
        }
    )
    assert (down["outcome"], down["unreachable_cause"]) == ("unreachable", "DNS lookup failed")
    assert source_section({**STATS, "finish_reason": "shutdown"})["outcome"] == "interrupted"
    assert source_section(STATS)["outcome"] == "finished"


def test_an_unreachable_source_ends_its_progress_line_with_unreachable() -> None:
    crawler = get_crawler(SnhrNewsSpider)
    crawler.stats.open_spider()  # type: ignore[union-attr]
    crawler.stats.set_value("downloader/exception_count", 1)  # type: ignore[union-attr]
    # The robots.txt stand-in ("disallow all") counts as a response, not as a page.
    crawler.stats.set_value("response_received_count", 1)  # type: ignore[union-attr]
    crawler.stats.set_value("snhr/robots/unreachable", 1)  # type: ignore[union-attr]
    stream = io.StringIO()
    Progress(crawler, "tty", 60.0, stream, "2/4").report("snhr_news", final=True, reason="finished")
    assert stream.getvalue().startswith("\r\x1b[K2/4 snhr_news ")
    assert stream.getvalue().endswith("  unreachable\n")
