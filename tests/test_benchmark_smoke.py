"""The benchmark's smoke run: every figure is there and the ratios are sane.

Performance itself is measured by ``make bench`` (``benchmarks/run.py``), not
timed here: absolute times on shared 2-core machines are noisy, so this only
checks that one tiny run (60 posts, a few seconds) produces a complete,
plausible result, and fails when the benchmark rots.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("bench")
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", "--smoke", "--output", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert (out / "benchmark.md").read_text("utf-8").count("|") > 50
    return json.loads((out / "benchmark.json").read_text("utf-8"))


def test_machine_is_described_without_host_names(result: dict) -> None:
    machine = result["machine"]
    assert machine["nproc"] >= 1
    assert machine["cpu_model"]
    assert machine["python"].count(".") == 2
    assert machine["scrapy"]
    assert "host" not in json.dumps(machine).lower()


@pytest.mark.parametrize("run", ["full", "bare"])
def test_full_and_bare_crawls_have_every_figure(result: dict, run: str) -> None:
    figures = result[run]
    truth = result["replica"]["truth_articles"]
    assert figures["items"] == truth == 60
    assert figures["pages"] > truth
    for name in ("pages_per_s", "items_per_s", "cpu_s_per_1000_pages", "peak_rss_mb", "wall_s"):
        assert figures[name] > 0, name
    assert 20 < figures["peak_rss_mb"] < 4000


def test_full_over_bare_ratios_are_sane(result: dict) -> None:
    ratios = result["full_vs_bare"]
    for name, value in ratios.items():
        for each in value if isinstance(value, list) else [value]:
            assert each is not None, name
            assert 0.05 < each < 20, (name, each)
    assert len(ratios["cpu_s_per_1000_pages_per_run"]) == result["full"]["repeats"]


def test_cpu_by_stage_comes_from_the_profiles(result: dict) -> None:
    full, bare = result["stages"]["full"], result["stages"]["bare"]
    for stages in (full, bare):
        assert abs(sum(s["share"] for s in stages.values()) - 1) < 1e-6
        assert stages["parse"]["share"] > 0.01  # the callbacks are found in the profile
    for stage in ("archive", "capture", "pipelines"):
        assert full[stage]["share"] > 0, stage
        assert bare[stage]["share"] == 0, stage  # none of it runs in the bare spider
    per_page = sum(s["cpu_s_per_1000_pages"] for s in full.values())
    assert per_page == pytest.approx(result["full"]["cpu_s_per_1000_pages"])


def test_capture_on_and_off_are_both_measured(result: dict) -> None:
    on, off, ratios = result["full"], result["capture_off"], result["capture_on_vs_off"]
    assert on["items"] == off["items"] == 60
    assert on["pages"] == off["pages"]  # the same crawl; only the WARC differs
    assert on["warc_bytes_per_article"] > 0
    assert off["warc_bytes"] == 0
    # Without its WARC the archive is the one written with capture off, each line
    # longer by its capture pointer (about 290 bytes of JSON).
    rest = on["archive_bytes"] - on["warc_bytes"]
    assert 0 < rest - off["archive_bytes"] < 400 * on["items"]
    for name, value in ratios.items():
        assert value is not None, name
    assert 0.3 < ratios["cpu_s_per_1000_pages"] < 5
    assert len(ratios["cpu_s_per_1000_pages_per_pair"]) == result["full"]["repeats"]
    assert 0 < on["capture_cpu_share"] < 0.5  # measured inside the crawl, around each write
    assert off["capture_cpu_s"] is None
    assert ratios["archive_bytes_per_article"] > 1


def test_incremental_runs_ask_for_less(result: dict) -> None:
    none, new = result["incremental_nothing_new"], result["incremental_20_new"]
    assert none["items"] == 0
    assert none["archive_new"] in (None, 0)
    assert 0 < none["requests_share_of_full"] < 0.5
    assert new["archive_new"] == new["posts_added"] == 20
    assert none["requests"] < new["requests"] < result["full"]["requests"]
    assert new["wall_share_of_full"] > 0


def test_extraction_is_timed_and_scored(result: dict) -> None:
    ours, trafilatura = result["extraction"]["results"]
    assert result["extraction"]["pages"] == 60
    assert ours["ms_per_page"] > 0
    assert ours["title_exact_rate"] >= 0.95
    assert ours["date_exact_rate"] >= 0.95
    assert ours["body_f1"] >= 0.95
    if importlib.util.find_spec("trafilatura") is None:
        assert trafilatura["ms_per_page"] is None
    else:
        assert trafilatura["ms_per_page"] > 0
        for name in ("title_exact_rate", "date_exact_rate", "body_f1"):
            assert 0 <= trafilatura[name] <= 1, name


def test_a_full_rerun_of_an_unchanged_site_adds_revisits_not_copies(result: dict) -> None:
    rerun = result["full_rerun_unchanged"]
    assert rerun["items"] == rerun["capture_revisits"] == 60
    assert rerun["archive_new"] in (None, 0)
    assert 0 < rerun["added_bytes_per_article"] < rerun["first_crawl_bytes_per_article"] / 2
    assert rerun["revisit_exchanges"] == 60
    assert 0 < rerun["revisit_exchange_bytes"] < rerun["original_exchange_bytes"] / 2


def test_reparse_is_measured(result: dict) -> None:
    reparsed = result["reparse"]
    assert (reparsed["records"], reparsed["changed"]) == (60, 0)
    assert reparsed["records_per_s"] > 0
    assert reparsed["records_per_s_reading"] >= reparsed["records_per_s"]


def test_large_archives_are_built_through_the_store_and_measured(result: dict) -> None:
    (size,) = result["scale"]
    truth = result["replica"]["truth_articles"]
    assert size["archived"] == 200
    assert size["built_through_store"] == 200 - truth
    assert size["crawl"]["archive_new"] == truth  # the site's posts, new to that archive
    assert size["incremental"]["items"] == 0
    # The full run fetched every post again and re-checked the others (404: tombstones).
    assert size["full_run"]["requests"] > size["built_through_store"] + truth
    assert size["full_run"]["stats_removed"] == size["built_through_store"]
    for run in ("crawl", "incremental", "full_run"):
        assert 20 < size[run]["peak_rss_mb"] < 4000, run
    for command in ("export_jsonl", "export_csv", "export_parquet", "verify"):
        assert size[command]["returncode"] == 0, command
        assert size[command]["wall_s"] > 0, command
    assert size["export_jsonl"]["bytes"] > 0


def test_one_process_and_two_host_groups_are_both_timed(result: dict) -> None:
    groups = result["host_groups"]
    one, two = groups["one_process"], groups["two_groups"]
    assert one["host_groups"] == [["snhr_news", "snhr_news_ar", "snhr_reports", "snhr_reports_ar"]]
    assert two["host_groups"] == [
        ["snhr_news", "snhr_news_ar"],
        ["snhr_reports", "snhr_reports_ar"],
    ]
    assert one["new"] == two["new"] == 4 * groups["posts_per_site"]
    assert one["returncode"] == two["returncode"] == 0
    assert len(groups["wall_ratio_per_pair"]) == result["full"]["repeats"]
    assert groups["wall_ratio_median"] > 0
