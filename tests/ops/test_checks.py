"""Each health check passes on a healthy run and fails, naming itself, on a sick one."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from scrapy.settings import Settings

from snhr_crawler.ops import runs
from snhr_crawler.ops.checks import (
    Thresholds,
    check_bounds,
    check_error_rate,
    check_field_coverage,
    check_finish_reason,
    check_new_items,
    check_site_reachable,
    run_checks,
)
from snhr_crawler.ops.runreport import finish_run

LIMITS = Thresholds(
    max_error_rate=0.05,
    min_field_coverage={"title": 0.99, "published_at": 0.9},
    max_coverage_drop=0.25,
    coverage_min_items=20,
    max_days_without_new=7,
    max_days_without_new_per_source={"snhr_reports_ar": 21},
)


def section(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "finish_reason": "finished",
        "requests": 100,
        "errors": 0,
        "error_rate": 0.0,
        "new": 3,
        "coverage_items": 50,
        "field_coverage": {"title": 1.0, "published_at": 0.98},
    }
    base.update(overrides)
    return base


def report(day: int, **sources: dict[str, Any]) -> dict[str, Any]:
    """A report of a run on November ``day`` 2026."""
    return {
        "run_id": f"202611{day:02d}T021500Z",
        "started_at": f"2026-11-{day:02d}T02:15:00Z",
        "finished_at": f"2026-11-{day:02d}T02:30:00Z",
        "sources": sources or {"snhr_news": section()},
    }


def failed(results: list[Any]) -> list[Any]:
    return [r for r in results if r.failed]


def lines(results: list[Any]) -> list[str]:
    return [r.line() for r in results]


def test_a_healthy_run_passes_every_check() -> None:
    results = run_checks(report(25), [report(24), report(23)], LIMITS)
    assert {r.check for r in results} == {
        "site_reachable",
        "finish_reason",
        "error_rate",
        "bounds",
        "field_coverage",
        "new_items",
        "layer_shift",
    }
    assert not failed(results)


def test_a_bound_hit_fails_the_bounds_check_by_name() -> None:
    run = report(25)
    run["sources"]["snhr_news"]["bounds"] = {"listing_past_last": 1, "rest_pages": 2}
    (result,) = failed(check_bounds(run, [], LIMITS))
    assert result.line().startswith(
        "check bounds FAILED: snhr_news: stopped at bound(s) listing_past_last (1×), rest_pages (2×)"
    )


def test_no_site_reachable_is_one_line_pointing_to_the_demo() -> None:
    down = section(errors=3, error_rate=1.0, requests=1, new=0)
    cause = {"unreachable_cause": "DNS lookup failed"}
    run = report(
        25,
        snhr_news=down | {"unreachable": "https://news.snhr.org"} | cause,
        snhr_reports=down | {"unreachable": "https://snhr.org"} | cause,
    )
    (result,) = failed(check_site_reachable(run, [], LIMITS))
    assert result.line() == (
        "check site_reachable FAILED: no site could be reached from here "
        "(https://news.snhr.org, https://snhr.org: DNS lookup failed); nothing was archived. "
        "Without network access, run `make demo` to crawl the offline replica"
    )
    # Said once: every other check has nothing to judge, and none says "ok".
    others = run_checks(run, [], LIMITS)[1:]
    assert [r.status for r in others] == ["not_judged"] * 6, lines(others)
    assert all("snhr_news (unreachable)" in r.message for r in others)


def test_one_unreachable_source_is_named() -> None:
    run = report(
        25,
        snhr_news=section(),
        snhr_reports=section(
            unreachable="https://snhr.org", unreachable_cause="connection refused", new=0
        ),
    )
    (result,) = failed(check_site_reachable(run, [], LIMITS))
    assert result.line() == (
        "check site_reachable FAILED: snhr_reports: https://snhr.org could not be reached"
        " (connection refused)"
    )


def test_no_check_says_ok_about_a_source_it_did_not_judge() -> None:
    """The issue's run: one source unreachable (error rate 60%), one never archived anything."""
    run = report(
        25,
        snhr_news=section(new=0),
        snhr_reports=section(
            unreachable="https://snhr.org", errors=3, requests=5, error_rate=0.6, new=0
        ),
    )
    results = {r.check: r for r in run_checks(run, [], LIMITS)}
    assert results["error_rate"].line() == (
        "check error_rate ok: highest 0% (snhr_news: 0 error(s) for 100 request(s)),"
        " at or under 5%; not judged: snhr_reports (unreachable)"
    )
    assert results["new_items"].status == "not_judged"
    assert "snhr_news (no new article yet in 0.0 day(s) of runs; fails after 7)" in (
        results["new_items"].message
    )
    assert results["finish_reason"].message.endswith("not judged: snhr_reports (unreachable)")


def test_site_reachable_with_no_source_crawled_is_not_judged() -> None:
    run = report(25, snhr_news=section(finish_reason="failed_to_start", error="x"))
    (result,) = check_site_reachable(run, [], LIMITS)
    assert result.line() == "check site_reachable not judged: no source crawled (see finish_reason)"
    assert result.ok  # not a failure: finish_reason fails for it
    assert not result.failed


def test_ok_messages_state_the_measured_figure_against_the_threshold() -> None:
    run = report(
        25,
        snhr_news=section(errors=1, requests=200, error_rate=1 / 200, pages=150),
        snhr_reports=section(field_coverage={"title": 0.995, "published_at": 0.98}, pages=40),
    )
    results = {r.check: r.line() for r in run_checks(run, [report(24), report(23)], LIMITS)}
    assert results == {
        "site_reachable": "check site_reachable ok: 2 of 2 source(s) reached their site"
        " (190 page(s))",
        "finish_reason": "check finish_reason ok: 2 of 2 source(s) that reached their site"
        " finished",
        "error_rate": "check error_rate ok: highest 0.5% (snhr_news: 1 error(s) for 200"
        " request(s)), at or under 5%",
        "bounds": "check bounds ok: no bound hit in 2 source(s)",
        "field_coverage": "check field_coverage ok: closest to its minimum: snhr_reports"
        " title 99.5%, at or above 99%",
        "new_items": "check new_items ok: longest without a new article: snhr_news,"
        " 0.0 day(s), within 7",
        "layer_shift": "check layer_shift not judged: no field with 5+ records in this run"
        " and in an earlier run or the probe's profile",
    }


def test_finish_reason_fails_when_a_source_did_not_finish() -> None:
    run = report(25, snhr_news=section(), snhr_reports=section(finish_reason="shutdown"))
    (result,) = failed(check_finish_reason(run, [], LIMITS))
    assert result.source == "snhr_reports"
    assert result.line() == (
        "check finish_reason FAILED: snhr_reports was interrupted (Ctrl-C or SIGTERM)"
        " before the end (finish_reason 'shutdown')"
    )


def test_finish_reason_names_the_cause() -> None:
    disk = "archive write failed: /srv/a/snhr_news/2026-11.jsonl: [Errno 28 ENOSPC] No space"
    run = report(25, snhr_news=section(finish_reason="archive_error", error=disk))
    (result,) = failed(check_finish_reason(run, [], LIMITS))
    assert result.message == f"snhr_news failed: {disk} (finish_reason 'archive_error')"
    # The run stopped on that error: nothing else about the source is judged "ok".
    others = run_checks(run, [], LIMITS)
    assert {r.check: r.status for r in others if r.check != "finish_reason"} == {
        "site_reachable": "ok",
        "error_rate": "not_judged",
        "bounds": "not_judged",
        "field_coverage": "not_judged",
        "new_items": "not_judged",
        "layer_shift": "not_judged",
    }


def test_finish_reason_fails_for_a_source_that_could_not_start() -> None:
    run = report(
        25, snhr_news=section(finish_reason="failed_to_start", error="ArchiveLockedError: x")
    )
    (result,) = failed(check_finish_reason(run, [], LIMITS))
    assert "failed_to_start" in result.message
    assert "ArchiveLockedError" in result.message


def test_error_rate_passes_at_the_threshold_and_fails_above() -> None:
    at = report(25, snhr_news=section(errors=5, error_rate=0.05))
    assert not failed(check_error_rate(at, [], LIMITS))
    above = report(25, snhr_news=section(errors=30, error_rate=0.3))
    (result,) = failed(check_error_rate(above, [], LIMITS))
    assert result.line() == (
        "check error_rate FAILED: snhr_news: 30 error(s) for 100 request(s) = 30%, above 5%"
    )


def test_field_coverage_fails_below_the_minimum() -> None:
    run = report(25, snhr_news=section(field_coverage={"title": 1.0, "published_at": 0.4}))
    (result,) = failed(check_field_coverage(run, [], LIMITS))
    assert result.check == "field_coverage"
    assert "published_at filled in 40% of 50 records, below 90%" in result.message


def test_field_coverage_fails_on_a_drop_against_earlier_runs() -> None:
    limits = Thresholds(min_field_coverage={"published_at": 0.5}, max_coverage_drop=0.25)
    earlier = [report(d, snhr_news=section(field_coverage={"published_at": 1.0})) for d in (23, 24)]
    run = report(25, snhr_news=section(field_coverage={"published_at": 0.6}))
    (result,) = failed(check_field_coverage(run, earlier, limits))
    assert "down from 100% in earlier runs" in result.message
    steady = report(25, snhr_news=section(field_coverage={"published_at": 0.9}))
    assert not failed(check_field_coverage(steady, earlier, limits))


def test_field_coverage_is_not_judged_on_a_handful_of_records() -> None:
    run = report(25, snhr_news=section(coverage_items=3, field_coverage={"title": 0.0}))
    (result,) = check_field_coverage(run, [], LIMITS)
    assert result.line() == (
        "check field_coverage not judged: no source scraped 20+ records:"
        " snhr_news (3 record(s), fewer than 20)"
    )


def test_new_items_fails_after_too_many_days_without_new_articles() -> None:
    quiet = section(new=0)
    history = [report(d, snhr_news=quiet) for d in range(24, 16, -1)] + [report(16)]
    (result,) = failed(check_new_items(report(25, snhr_news=quiet), history, LIMITS))
    assert result.source == "snhr_news"
    assert "the last new article 9.0 day(s) ago, more than 7" in result.message
    # Six quiet days are within the limit.
    assert not failed(
        check_new_items(report(25, snhr_news=quiet), [*history[:5], report(19)], LIMITS)
    )


def test_new_items_with_a_short_history_cannot_fail_yet() -> None:
    quiet = section(new=0)
    (result,) = check_new_items(report(25, snhr_news=quiet), [report(24, snhr_news=quiet)], LIMITS)
    assert result.line() == (
        "check new_items not judged: snhr_news (no new article yet in 1.0 day(s) of runs;"
        " fails after 7)"
    )  # never "ok": nothing has ever been archived
    history = [report(d, snhr_news=quiet) for d in range(24, 10, -1)]
    (result,) = failed(check_new_items(report(25, snhr_news=quiet), history, LIMITS))
    assert "no new article in any run of the last 14.0 day(s)" in result.message


def test_new_items_fails_however_often_the_crawl_runs(tmp_path: Path) -> None:
    """Six runs a day for ten days: far more runs than ``history`` keeps."""
    limits = replace(LIMITS, history=30)
    start = datetime(2026, 11, 1, 2, 15, tzinfo=UTC)
    results: list[Any] = []
    for n in range(61):
        started = start + timedelta(hours=4 * n)
        run = {
            "run_id": runs.new_run_id(started),
            "started_at": runs.iso(started),
            "finished_at": runs.iso(started + timedelta(minutes=15)),
            "sources": {"snhr_news": section(new=5 if n == 0 else 0)},
        }
        results, _ = finish_run(run, tmp_path, limits)
    (result,) = failed(results)
    assert result.check == "new_items"
    assert "the last new article 10.0 day(s) ago, more than 7" in result.message
    last = runs.previous_reports(tmp_path, "99999999", 1)[0]
    assert last["sources"]["snhr_news"]["last_new_at"] == "2026-11-01T02:15:00Z"
    assert last["sources"]["snhr_news"]["watched_since"] == "2026-11-01T02:15:00Z"


def test_new_items_without_any_new_article_counts_from_the_first_run(tmp_path: Path) -> None:
    limits = replace(LIMITS, history=3)
    start = datetime(2026, 11, 1, 2, 15, tzinfo=UTC)
    results: list[Any] = []
    for n in range(9):
        started = start + timedelta(days=n)
        run = {
            "run_id": runs.new_run_id(started),
            "started_at": runs.iso(started),
            "finished_at": runs.iso(started),
            "sources": {"snhr_news": section(new=0)},
        }
        results, _ = finish_run(run, tmp_path, limits)
    (result,) = failed(results)
    assert "no new article in any run of the last 8.0 day(s)" in result.message


def test_new_items_honours_per_source_limits() -> None:
    quiet = section(new=0)
    history = [report(d, snhr_reports_ar=quiet) for d in range(24, 10, -1)]
    run = report(25, snhr_reports_ar=quiet)
    assert not failed(check_new_items(run, history, LIMITS))


def test_thresholds_come_from_settings() -> None:
    settings = Settings(
        {
            "OPS_CHECK_MAX_ERROR_RATE": "0.2",
            "OPS_CHECK_MIN_FIELD_COVERAGE": '{"title": 0.5}',
            "OPS_CHECK_MAX_DAYS_WITHOUT_NEW": "3",
        }
    )
    limits = Thresholds.from_settings(settings)
    assert limits.max_error_rate == 0.2
    assert dict(limits.min_field_coverage) == {"title": 0.5}
    assert limits.max_days_without_new == 3
    assert limits.coverage_min_items == Thresholds().coverage_min_items
