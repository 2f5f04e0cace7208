"""Host groups: sources that share no host crawl at the same time, as one run (``ops.parallel``)."""

from __future__ import annotations

import io
import json
import os
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from snhr_crawler.archive.lock import LOCK_FILE
from snhr_crawler.cli import build_parser
from snhr_crawler.ops.crawl import plan
from snhr_crawler.ops.parallel import GroupLines, host_groups
from snhr_replica import ReplicaServer
from tests.ops.conftest import LOOPBACK, run_cli

ALL = ["snhr_news", "snhr_news_ar", "snhr_reports", "snhr_reports_ar"]


def groups_of(tmp_path: Path, *argv: str) -> list[list[str]]:
    args = build_parser().parse_args(["crawl", "--archive", str(tmp_path), *argv])
    return host_groups(plan(args))


def test_snhr_makes_two_groups_one_per_host(tmp_path: Path) -> None:
    assert groups_of(tmp_path) == [
        ["snhr_news", "snhr_news_ar"],
        ["snhr_reports", "snhr_reports_ar"],
    ]
    assert groups_of(tmp_path, "snhr_reports_ar", "snhr_news") == [
        ["snhr_reports_ar"],
        ["snhr_news"],
    ]


def test_a_shared_mirror_host_joins_the_groups(tmp_path: Path) -> None:
    """Two sources fetched from one (non-loopback) mirror would put two crawlers on it."""
    mirror = "https://mirror.example.org"
    found = groups_of(
        tmp_path, "--origin", f"snhr_news={mirror}", "--origin", f"snhr_reports={mirror}"
    )
    assert found == [ALL]


def test_loopback_origins_keep_the_groups_apart(tmp_path: Path) -> None:
    """The replica serves every site from 127.0.0.1: a local copy, nobody's server (local mode)."""
    origins = [arg for s in ALL for arg in ("--origin", f"{s}=http://127.0.0.1:8001")]
    assert len(groups_of(tmp_path, *origins)) == 2


def _interval(section: dict[str, Any]) -> tuple[datetime, datetime]:
    return (
        datetime.fromisoformat(section["started_at"].replace("Z", "+00:00")),
        datetime.fromisoformat(section["finished_at"].replace("Z", "+00:00")),
    )


@pytest.mark.e2e
def test_four_sources_crawl_in_two_processes_as_one_run(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    with ReplicaServer(posts=12, seed=5, log_requests=False) as replica:
        origins = tmp_path / "origins.json"
        origins.write_text(json.dumps(replica.origins), "utf-8")
        result = run_cli(
            "crawl", "--origins-file", str(origins), "--archive", str(archive), *LOOPBACK
        )
    assert result.returncode == 0, result.stderr[-3000:]
    (path,) = (archive / "runs").glob("*.json")
    report = json.loads(path.read_text("utf-8"))
    assert list(report["sources"]) == ALL  # the run's order, whichever group ended first
    assert report["options"]["host_groups"] == [ALL[:2], ALL[2:]]
    assert all(s["outcome"] == "finished" and s["new"] == 12 for s in report["sources"].values())
    assert report["totals"]["new"] == 48
    news, news_ar, reports, reports_ar = (_interval(report["sources"][s]) for s in ALL)
    assert news[1] <= news_ar[0]  # one host: in turn
    assert reports[1] <= reports_ar[0]
    pids = [report["sources"][s]["pid"] for s in ALL]
    assert pids[0] == pids[1] != pids[2] == pids[3]  # one process per host group
    assert report["pid"] not in pids  # the parent held the lock and wrote the report
    assert not (archive / LOCK_FILE).exists()
    log = (archive / "runs" / f"{report['run_id']}.log").read_text("utf-8")
    for source in ALL:  # every process wrote the one log
        assert f"progress (finished): [{ALL.index(source) + 1}/4] {source}" in log
    verify = run_cli("verify", "--archive", str(archive))
    assert verify.returncode == 0, verify.stdout
    assert verify.stdout.startswith("verify OK"), verify.stdout
    manifest = json.loads((archive / "manifest.json").read_text("utf-8"))
    assert manifest["totals"]["lines"] == 48  # written once, after both groups
    chain = (archive / "manifest-chain.jsonl").read_text("utf-8").splitlines()
    assert len(chain) == 1


def test_one_process_on_request(tmp_path: Path) -> None:
    args = build_parser().parse_args(
        ["crawl", "--archive", str(tmp_path), "--set", "CRAWL_PARALLEL=0"]
    )
    assert plan(args).settings.getbool("CRAWL_PARALLEL") is False  # execute() then runs [ALL]


def test_group_lines_keep_one_live_line_per_group_and_leave_finished_ones() -> None:
    stream = io.StringIO()
    screen = GroupLines(stream, 2)
    screen._show(0, {"line": "[1/4] snhr_news pages 3", "final": False})
    screen._show(1, {"line": "[3/4] snhr_reports pages 1", "final": False})
    screen._show(0, {"line": "[1/4] snhr_news pages 9  finished", "final": True})
    screen._show(0, {"line": "[2/4] snhr_news_ar pages 1", "final": False})
    text = stream.getvalue()
    shown = text.rsplit("\x1b[J", 1)[-1].splitlines()
    assert shown == ["[2/4] snhr_news_ar pages 1", "[3/4] snhr_reports pages 1"]
    assert "[1/4] snhr_news pages 9  finished\n" in text  # printed above the block, kept
    assert "\x1b[2F" in text  # each redraw goes back up over the block it drew


def test_a_relayed_progress_line_is_one_json_line(tmp_path: Path) -> None:
    from scrapy.utils.test import get_crawler

    from snhr_crawler.ops.progress import Progress

    read, write = os.pipe()
    crawler = get_crawler(settings_dict={"OPS_PROGRESS": "relay", "OPS_PROGRESS_RELAY_FD": write})
    progress = Progress.from_crawler(crawler)
    progress.report("snhr_news", final=True, reason="finished")
    os.close(write)
    message = json.loads(os.read(read, 4096).decode("utf-8"))
    os.close(read)
    assert message["final"] is True
    assert message["line"].startswith("snhr_news")
    assert message["line"].endswith("finished")
