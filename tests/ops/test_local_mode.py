"""Local mode for loopback origins; live sites never below the polite defaults."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from scrapy.utils.project import get_project_settings

from snhr_crawler import settings as project
from snhr_crawler.audit import main as audit_main
from snhr_crawler.cli import build_parser
from snhr_crawler.ops.crawl import UsageProblem, plan
from snhr_crawler.ops.politeness import (
    LIVE_LIMITS,
    LOOPBACK,
    PolitenessError,
    check_live,
    is_loopback,
)
from snhr_replica import ReplicaServer
from tests.ops.conftest import run_cli

LOCAL = "http://127.0.0.1:8001"


def planned(tmp_path: Path, *argv: str) -> Any:
    return plan(build_parser().parse_args(["crawl", "--archive", str(tmp_path), *argv]))


@pytest.mark.parametrize(
    ("url", "loopback"),
    [
        ("http://127.0.0.1:8001", True),
        ("http://127.8.9.1", True),
        ("http://localhost:9000/", True),
        ("http://[::1]:8001", True),
        ("https://news.snhr.org", False),
        ("http://192.168.1.5:8001", False),  # a copy on the LAN is somebody's server
        ("http://127.0.0.1.example.org", False),
        ("", False),
    ],
)
def test_what_counts_as_loopback(url: str, loopback: bool) -> None:
    assert is_loopback(url) is loopback


def test_the_defaults_sit_exactly_on_the_live_limits() -> None:
    """settings.py's values pass; the next step down on each is refused."""
    settings = get_project_settings()
    check_live(settings, "snhr_news")  # the defaults themselves
    less_polite = {
        "DOWNLOAD_DELAY": project.DOWNLOAD_DELAY - 0.5,
        "AUTOTHROTTLE_ENABLED": False,
        "AUTOTHROTTLE_TARGET_CONCURRENCY": project.AUTOTHROTTLE_TARGET_CONCURRENCY + 0.1,
        "CONCURRENT_REQUESTS_PER_DOMAIN": project.CONCURRENT_REQUESTS_PER_DOMAIN + 1,
        "ROBOTSTXT_OBEY": False,
        "RETRY_BACKOFF_BASE": project.RETRY_BACKOFF_BASE / 2,
        "ROBOTSTXT_CRAWL_DELAY": False,
        "ROBOTSTXT_CRAWL_DELAY_MAX": project.ROBOTSTXT_CRAWL_DELAY_MAX / 2,
    }
    assert set(less_polite) == {limit.name for limit in LIVE_LIMITS}
    for name, value in less_polite.items():
        changed = settings.copy()
        changed.set(name, value, priority="cmdline")
        with pytest.raises(PolitenessError, match=f"^--set {name}="):
            check_live(changed, "snhr_news")


def test_a_loopback_origin_runs_in_local_mode_without_any_set(tmp_path: Path) -> None:
    the_plan = planned(tmp_path, "snhr_news", "--origin", f"snhr_news={LOCAL}")
    own = the_plan.settings_for("snhr_news")
    assert {name: own[name] for name in LOOPBACK} == LOOPBACK
    assert the_plan.local == ["snhr_news"]
    assert the_plan.local_line == "local mode: snhr_news on loopback, no delay, no AutoThrottle"
    assert the_plan.options["local"] == ["snhr_news"]
    assert own["OPS_PROGRESS_POSITION"] == "1/1"


def test_set_still_wins_in_local_mode(tmp_path: Path) -> None:
    the_plan = planned(
        tmp_path, "snhr_news", "--origin", f"snhr_news={LOCAL}", "--set", "DOWNLOAD_DELAY=0.5"
    )
    assert the_plan.settings_for("snhr_news").getfloat("DOWNLOAD_DELAY") == 0.5


def test_a_mixed_run_keeps_live_politeness_for_the_live_source(tmp_path: Path) -> None:
    the_plan = planned(tmp_path, "snhr_news", "snhr_reports", "--origin", f"snhr_news={LOCAL}")
    local, live = the_plan.settings_for("snhr_news"), the_plan.settings_for("snhr_reports")
    assert local.getfloat("DOWNLOAD_DELAY") == 0
    assert live.getfloat("DOWNLOAD_DELAY") == project.DOWNLOAD_DELAY
    assert live.getbool("AUTOTHROTTLE_ENABLED") is True
    assert live.getint("CONCURRENT_REQUESTS_PER_DOMAIN") == 1
    assert the_plan.local_line == (
        "local mode: snhr_news on loopback, no delay, no AutoThrottle;"
        " live politeness for snhr_reports"
    )
    assert [the_plan.settings_for(s)["OPS_PROGRESS_POSITION"] for s in the_plan.sources] == [
        "1/2",
        "2/2",
    ]


def test_lowering_politeness_for_a_live_site_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageProblem) as exc:
        planned(tmp_path, "snhr_news", "--set", "AUTOTHROTTLE_ENABLED=0")
    assert str(exc.value) == (
        "--set AUTOTHROTTLE_ENABLED=False: snhr_news is fetched from its live site, which"
        " gets AUTOTHROTTLE_ENABLED on; politeness is lowered only for sources on a loopback"
        " --origin (local mode)"
    )


def test_the_origins_file_brings_local_mode_too(tmp_path: Path) -> None:
    origins = tmp_path / "origins.txt"
    origins.write_text(f"snhr_news {LOCAL}\nsnhr_reports http://127.0.0.1:8002\n", "utf-8")
    the_plan = planned(tmp_path, "--origins-file", str(origins))
    assert the_plan.local == ["snhr_news", "snhr_reports"]
    assert the_plan.local_line.startswith("local mode: snhr_news, snhr_reports on loopback,")
    assert [s for s in the_plan.sources if s not in the_plan.local] == sorted(
        set(the_plan.sources) - {"snhr_news", "snhr_reports"}
    )


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["snhr_news", "-s", "DOWNLOAD_DELAY=0"], "--set DOWNLOAD_DELAY=0.0: snhr_news is fetched"),
        (["snhr_news", "-s", "DOWNLOAD_DELEY=0"], "unknown setting (did you mean DOWNLOAD_DELAY?)"),
        (["snhr_news", "-s", "DOWNLOAD_DELAY=x"], "--set DOWNLOAD_DELAY='x' is not a number"),
        (["snhr_news", "--origins-file", "/nonexistent/o.txt"], "--origins-file: cannot read"),
    ],
)
def test_audit_checks_set_and_politeness_as_crawl_does(
    argv: list[str], says: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert audit_main([*argv, "--archive", str(tmp_path)]) == 2  # before any crawl starts
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert says in err


@pytest.mark.e2e
def test_audit_of_the_replica_from_an_origins_file_runs_in_local_mode(tmp_path: Path) -> None:
    with ReplicaServer(posts=12, seed=3, log_requests=False) as server:
        origins = tmp_path / "origins.txt"
        origins.write_text("".join(f"{s} {o}\n" for s, o in server.origins.items()), "utf-8")
        started = time.monotonic()
        result = run_cli(
            "audit", "snhr_news", "--origins-file", str(origins), "--archive", str(tmp_path)
        )
        elapsed = time.monotonic() - started
    assert result.stdout.splitlines()[0] == (
        "local mode: snhr_news on loopback, no delay, no AutoThrottle"
    )
    assert result.stderr == ""  # Scrapy's log is off unless --scrapy-log
    assert result.returncode == 1  # the empty archive misses all 12
    assert "12 missing" in result.stdout
    assert elapsed < 30  # at live politeness (2 s a request, AutoThrottle) it takes minutes
