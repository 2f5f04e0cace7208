"""``snhr-crawler crawl`` end to end against the offline replica, in a subprocess.

A crawl installs Scrapy's reactor, which cannot restart in one process
(scrapy#4826), so each run is its own ``snhr-crawler`` process; the replica
runs in this one, on loopback.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from snhr_crawler.archive.lock import LOCK_FILE
from snhr_crawler.cli import main
from snhr_replica import ReplicaServer
from tests.ops.conftest import LOOPBACK, REPO, run_cli

pytestmark = pytest.mark.e2e


def crawl(archive: Path, origin: str, *extra: str) -> Any:
    return run_cli(
        "crawl", "snhr_news", "--origin", f"snhr_news={origin}", "--archive", str(archive),
        *LOOPBACK, *extra,
    )  # fmt: skip


def only_report(archive: Path) -> dict[str, Any]:
    reports = sorted((archive / "runs").glob("*.json"))
    return json.loads(reports[-1].read_text("utf-8"))


@pytest.fixture(scope="module")
def replica() -> Any:
    with ReplicaServer(posts=20, seed=3, log_requests=False) as server:
        yield server


def test_crawl_reports_summarises_and_exits_0(
    replica: ReplicaServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = tmp_path / "archive"
    result = crawl(archive, replica.origins["snhr_news"])
    assert result.returncode == 0, result.stderr[-3000:]
    # No terminal (as under cron): Scrapy's log and the progress lines go to the run's log;
    # stderr has nothing; stdout starts with the line saying the origin is in local mode.
    report = only_report(archive)
    log = (archive / "runs" / f"{report['run_id']}.log").read_text("utf-8")
    assert "progress (finished): [1/1] snhr_news" in log
    assert "[scrapy.core.engine] INFO: Spider closed (finished)" in log
    assert result.stderr == ""
    summary = result.stdout
    assert summary.startswith("local mode: snhr_news on loopback, no delay, no AutoThrottle\n")
    assert "source     outcome   pages" in summary
    assert "check error_rate ok" in summary
    assert "report: " in summary
    table = summary.split("\ncheck ")[0].splitlines()
    assert max(len(line) for line in table) < 80

    news = report["sources"]["snhr_news"]
    assert report["outcome"] == "ok"
    assert {c["check"] for c in report["checks"]} == {
        "site_reachable", "finish_reason", "error_rate", "bounds", "field_coverage", "new_items",
        "layer_shift",
    }  # fmt: skip
    assert news["finish_reason"] == "finished"
    assert news["new"] > 0
    assert news["pages"] > news["new"]
    assert news["http_status"]["200"] > 0
    assert sum(news["http_status"].values()) >= news["pages"]  # redirects are not pages
    assert news["field_coverage"]["title"] == 1.0
    assert news["coverage_items"] == news["items"]
    assert set(news["extraction_layers"]) >= {"title", "published_at", "body_text"}
    assert report["totals"]["new"] == news["new"]
    assert report["options"]["origins"] == {"snhr_news": replica.origins["snhr_news"]}
    assert not (archive / LOCK_FILE).exists()

    # The default path is auto: the replica's sitemap, and the report says why.
    assert news["discovery_path"]["mode"] == "sitemap"
    assert news["discovery_path"]["why"].startswith("discovery=auto: https://news.snhr.org/")
    assert "path snhr_news: sitemap, https://news.snhr.org/sitemap_index.xml answered" in summary

    # The next night, from cron with --quiet: nothing new, nothing printed, still healthy;
    # the sitemap says so in a few requests.
    again = crawl(archive, replica.origins["snhr_news"], "--quiet")
    assert again.returncode == 0, again.stderr[-3000:]
    assert (again.stdout, again.stderr) == ("", "")
    second = only_report(archive)["sources"]["snhr_news"]
    assert second["new"] == 0
    assert second["discovery_path"]["mode"] == "sitemap"
    assert second["requests"] <= 4
    # A listing run skips the known articles instead.
    listing = crawl(archive, replica.origins["snhr_news"], "--discovery", "listing")
    assert listing.returncode == 0, listing.stderr[-3000:]
    third = only_report(archive)["sources"]["snhr_news"]
    assert (third["new"], third["discovery_path"]["mode"]) == (0, "listing")
    assert third["skipped"] > 0

    assert main(["status", "--archive", str(archive), "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    (row,) = [row for row in status["sources"] if row["source"] == "snhr_news"]
    assert row["records"] == news["new"]
    assert row["latest_published"]
    assert row["outcome"] == "ok"
    assert row["last_run"] == status["last_run"]["run_id"]

    out = tmp_path / "news.parquet"
    assert main(["export", "--archive", str(archive), "-o", str(out)]) == 0
    assert f"exported {news['new']} article(s)" in capsys.readouterr().out


def test_a_failing_site_exits_1_naming_the_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = tmp_path / "archive"
    with ReplicaServer(posts=5, faults="500=1,attempts=10", log_requests=False) as broken:
        result = crawl(
            archive,
            broken.origins["snhr_news"],
            "--set", "RETRY_TIMES=1", "--set", "RETRY_BACKOFF_BASE=0.05",
        )  # fmt: skip
    assert result.returncode == 1, result.stderr[-3000:]
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("snhr-crawler crawl: error: check error_rate FAILED: snhr_news:")
    report = only_report(archive)
    assert report["outcome"] == "failed"
    assert report["sources"]["snhr_news"]["http_status"]["500"] > 0
    failed = [c["check"] for c in report["checks"] if not c["ok"]]
    assert "error_rate" in failed

    assert main(["status", "--archive", str(archive)]) == 1
    status = capsys.readouterr().out
    assert "FAILED" in status
    assert "check error_rate FAILED" in status


def test_scrapy_crawl_still_works_and_leaves_a_report(
    replica: ReplicaServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = tmp_path / "archive"
    proc = subprocess.run(
        [
            sys.executable, "-m", "scrapy", "crawl", "snhr_news",
            "-a", f"origin={replica.origins['snhr_news']}",
            "-s", f"ARCHIVE_DIR={archive}",
            "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "DOWNLOAD_DELAY=0",
        ],
        cwd=REPO, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "progress (finished): snhr_news" in proc.stderr
    report = only_report(archive)
    assert report["run_id"].endswith("-snhr_news")
    assert report["sources"]["snhr_news"]["new"] > 0
    assert report["options"]["spider_arguments"]["origin"] == replica.origins["snhr_news"]
    assert main(["status", "--archive", str(archive), "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["last_run"]["run_id"] == report["run_id"]


def test_sigterm_stops_gracefully_and_still_reports(tmp_path: Path) -> None:
    """systemd's stop (SIGTERM): the current source closes, the rest wait, the report is written.

    ``snhr_news`` and ``snhr_news_ar`` share a host (one group, in turn);
    ``snhr_reports`` runs in the other group's process at the same time, and
    the parent passes the signal on to it too.
    """
    archive = tmp_path / "archive"
    with ReplicaServer(
        posts=20, faults="slow=1,slow_s=0.3,attempts=100", log_requests=False
    ) as slow:
        origins = tmp_path / "origins.json"
        origins.write_text(json.dumps(slow.origins), "utf-8")
        proc = subprocess.Popen(
            [
                sys.executable, "-m", "snhr_crawler.cli", "crawl",
                "snhr_news", "snhr_news_ar", "snhr_reports",
                "--origins-file", str(origins), "--archive", str(archive), *LOOPBACK,
            ],
            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 30
            while not (archive / "snhr_news").is_dir() and time.monotonic() < deadline:
                time.sleep(0.1)  # wait for the first article to be archived
            proc.send_signal(signal.SIGTERM)
            _, err = proc.communicate(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
    assert proc.returncode == 1, err[-3000:]
    report = only_report(archive)
    assert report["options"]["host_groups"] == [["snhr_news", "snhr_news_ar"], ["snhr_reports"]]
    assert report["sources"]["snhr_news"]["finish_reason"] == "shutdown"
    assert report["sources"]["snhr_news_ar"]["finish_reason"] == "not_run"
    # The other group was stopped gracefully too (or had already finished).
    assert report["sources"]["snhr_reports"]["finish_reason"] in ("shutdown", "finished")
    assert (
        "check finish_reason FAILED: snhr_news was interrupted (Ctrl-C or SIGTERM) before the"
        " end (finish_reason 'shutdown')"
    ) in err
    assert not (archive / LOCK_FILE).exists()
