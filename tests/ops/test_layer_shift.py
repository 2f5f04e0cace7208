"""The shift alarm: a field served by a lower extraction layer than before fails the run.

The figures in the unit tests are worked by hand from the tier table in
``snhr_crawler.ops.layershift``'s docstring. The end-to-end tests crawl the
replica twice, the second time with its ``theme`` switched (every article, or
half of them, in a plain WordPress theme): the records still come out whole
(the extraction falls back to WordPress's own markup), so only this check
can tell; and a second crawl of the unchanged site passes it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from scrapy.utils.defer import deferred_f_from_coro_f

from snhr_crawler.ops.checks import FAILED, NOT_JUDGED, OK, Thresholds, check_layer_shift
from snhr_crawler.ops.layershift import attach_probe_profiles, field_shift, profile_path
from snhr_crawler.ops.report import source_section
from snhr_replica import ReplicaServer
from tests.crawling import crawl
from tests.ops.conftest import LOOPBACK, run_cli

LIMITS = Thresholds(max_layer_shift=0.2, layer_shift_min_items=5)


def run(source: str = "snhr_news", **layers: dict[str, int]) -> dict[str, Any]:
    return {"sources": {source: {"finish_reason": "finished", "extraction_layers": layers}}}


def test_a_fall_to_a_lower_tier_is_measured_against_the_baseline() -> None:
    shift = field_shift("body_text", {"site:tdb": 6, "site:content": 4}, [{"site:tdb": 10}])
    assert shift is not None
    assert (shift.share, shift.left, shift.fell_to, shift.level) == (
        0.4,
        "site:tdb",
        "site:content",
        1,
    )
    # Two baselines count once each: 0 % and 50 % below tier 0 make 25 %.
    shift = field_shift(
        "body_text",
        {"site:content": 10},
        [{"site:tdb": 10}, {"site:tdb": 1, "site:content": 1}],
    )
    assert shift is not None
    assert shift.share == pytest.approx(0.75)


def test_theme_layers_of_one_tier_are_not_a_shift() -> None:
    # A full run of a site with both template eras after runs of new (tdb) posts only.
    assert field_shift("title", {"site:classic": 9, "site:tdb": 1}, [{"site:tdb": 20}]) is None
    # Better than before is no alarm either.
    assert field_shift("published_at", {"json-ld": 10}, [{"url": 4, "json-ld": 6}]) is None


def test_the_largest_fall_over_every_tier_is_the_one_reported() -> None:
    # Baseline: 40 % theme, 60 % metadata. Now: 20 % metadata, 80 % the URL.
    # At tier 1 or lower: 100 % against 60 % (+40); at tier 3 or lower: 80 % against 0 (+80).
    shift = field_shift("published_at", {"json-ld": 2, "url": 8}, [{"site": 4, "json-ld": 6}])
    assert shift is not None
    assert (shift.level, shift.share, shift.left, shift.fell_to) == (3, 0.8, "json-ld", "url")


def test_the_check_fails_naming_the_field_and_the_layers() -> None:
    history = [run(body_text={"site:tdb": 40}, title={"site:tdb": 40})]
    now = run(body_text={"site:tdb": 20, "site:content": 20}, title={"site:tdb": 40})
    (result,) = check_layer_shift(now, history, LIMITS)
    assert result.status == FAILED
    assert result.source == "snhr_news"
    assert result.message.startswith(
        "snhr_news: body_text fell from site:tdb to site:content: 50% of 40 records at that layer"
        " or lower, against 0% in 1 baseline(s)"
    )
    assert "a shift of 50%, more than 20%" in result.message


def test_the_check_passes_within_the_threshold_and_says_so() -> None:
    history = [run(body_text={"site:tdb": 40})]
    now = run(body_text={"site:tdb": 36, "generic": 4})
    (result,) = check_layer_shift(now, history, LIMITS)
    assert result.status == OK
    assert result.message == (
        "largest fall to a lower layer: snhr_news body_text 10% (1 field(s) compared),"
        " at or under 20%"
    )


def test_too_few_records_or_no_baseline_is_not_judged() -> None:
    few = run(body_text={"site:content": 4})
    assert check_layer_shift(few, [run(body_text={"site:tdb": 40})], LIMITS)[0].status == NOT_JUDGED
    alone = run(body_text={"site:content": 40})
    (result,) = check_layer_shift(alone, [], LIMITS)
    assert result.status == NOT_JUDGED
    assert result.message.startswith("no field with 5+ records in this run and in an earlier run")
    # A baseline with too few records of the field is no baseline.
    (result,) = check_layer_shift(alone, [run(body_text={"site:tdb": 3})], LIMITS)
    assert result.status == NOT_JUDGED


def test_the_probe_profile_is_a_baseline(tmp_path: Path) -> None:
    path = profile_path(tmp_path, "snhr_news")
    path.parent.mkdir(parents=True)
    path.write_text(
        json.dumps(
            {
                "probed_at": "2026-11-24T10:00:00Z",
                "extraction_layers": {"body_text": {"site:tdb": 5}},
            }
        )
    )
    now = run(body_text={"site:content": 30})
    attach_probe_profiles(now, tmp_path)
    assert now["sources"]["snhr_news"]["probe_profile"]["probed_at"] == "2026-11-24T10:00:00Z"
    (result,) = check_layer_shift(now, [], LIMITS)
    assert result.status == FAILED
    assert "fell from site:tdb to site:content" in result.message
    path.write_text("{ not json")
    later = run(body_text={"site:content": 30})
    attach_probe_profiles(later, tmp_path)  # unreadable: no baseline, no crash
    assert "probe_profile" not in later["sources"]["snhr_news"]


# --- end to end ------------------------------------------------------------------------

POSTS, SEED = 30, 8


async def _section(tmp: Path, archive: Path, switches: dict[str, str] | None) -> dict[str, Any]:
    with ReplicaServer(posts=POSTS, seed=SEED, switches=switches) as server:
        result = await crawl(
            "snhr_news", archive, origin=server.origins["snhr_news"], full="true", discovery="auto"
        )
    assert result.finished
    assert len(result.items) == POSTS
    return {"sources": {"snhr_news": source_section(result.stats)}}


@pytest.mark.e2e
@deferred_f_from_coro_f
async def test_a_theme_switch_fails_the_alarm_and_an_unchanged_site_passes(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    before = await _section(tmp_path, archive, None)
    same = await _section(tmp_path, archive, None)
    mixed = await _section(tmp_path, archive, {"theme": "mixed"})
    plain = await _section(tmp_path, archive, {"theme": "plain"})

    (unchanged,) = check_layer_shift(same, [before], LIMITS)
    assert unchanged.status == OK
    assert "(5 field(s) compared), at or under 20%" in unchanged.message
    for switched in (mixed, plain):
        failures = check_layer_shift(switched, [before], LIMITS)
        assert {r.status for r in failures} == {FAILED}
        messages = " | ".join(r.message for r in failures)
        assert "snhr_news: body_text fell from site:tdb to site:content" in messages, messages
        assert "snhr_news: categories fell from site:tdb to wordpress" in messages, messages


@pytest.mark.e2e
def test_the_crawl_command_exits_1_when_the_theme_switches(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    args = ["crawl", "snhr_news", "--full", "--archive", str(archive), *LOOPBACK]
    with ReplicaServer(posts=POSTS, seed=SEED, log_requests=False) as server:
        first = run_cli(*args, "--origin", f"snhr_news={server.origins['snhr_news']}")
    assert first.returncode == 0, first.stderr[-2000:]
    assert "check layer_shift not judged: no field" in first.stdout  # nothing to compare with yet
    with ReplicaServer(
        posts=POSTS, seed=SEED, switches={"theme": "plain"}, log_requests=False
    ) as server:
        second = run_cli(*args, "--origin", f"snhr_news={server.origins['snhr_news']}")
    assert second.returncode == 1, second.stderr[-2000:]
    assert "check layer_shift FAILED: snhr_news: body_text fell from site:tdb to site:content" in (
        second.stderr
    )
