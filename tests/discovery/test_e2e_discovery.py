"""Every discovery mode against the offline replica, through ``scrapy crawl`` subprocesses.

What "done" means for discovery: whatever the site offers (sitemaps, REST,
feeds switched on or off), every mode archives the same records as the
listing walk; ``auto`` picks the cheapest path available; an incremental run
on an unchanged site costs a handful of requests; and a post no listing shows
is named by ``audit`` and archived by a sitemap or REST run; ``audit`` takes
sources in turn and fails when a site never answers.

Crawls run in parallel subprocesses (a Twisted reactor does not restart) with
loopback-only politeness.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from snhr_crawler.replica import ReplicaServer

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
SPIDER = "snhr_news"
POSTS = 12
SEED = 3
LOOPBACK = [
    "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "DOWNLOAD_DELAY=0",
    "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8", "-s", "RETRY_BACKOFF_BASE=0.01",
    "-s", "LOG_LEVEL=INFO",
]  # fmt: skip
#: Requests an incremental run on an unchanged site may make (robots.txt + an index or two).
HANDFUL = 4


def scrapy_cmd(origin: str, discovery: str, out: Path, archive: Path) -> list[str]:
    return [
        sys.executable, "-m", "scrapy", "crawl", SPIDER, "-a", f"origin={origin}",
        "-a", f"discovery={discovery}", "-O", str(out), "-s", f"ARCHIVE_DIR={archive}", *LOOPBACK,
    ]  # fmt: skip


def run_parallel(commands: dict[str, list[str]], logs: Path) -> None:
    """Run every command at once; fail with the log tail of any that exits non-zero."""
    logs.mkdir(parents=True, exist_ok=True)
    running = {}
    for name, cmd in commands.items():
        log = (logs / f"{name}.log").open("wb")
        running[name] = (subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=log), log)
    failures = []
    for name, (proc, log) in running.items():
        code = proc.wait(timeout=120)
        log.close()
        if code != 0:
            tail = (logs / f"{name}.log").read_text("utf-8", "replace")[-3000:]
            failures.append(f"{name}: exit {code}\n{tail}")
    assert not failures, "\n\n".join(failures)


def records(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def ids(path: Path) -> set[str]:
    return {record["id"] for record in records(path)}


def stat(log: Path, key: str) -> Any:
    """A value from the stats dump at the end of a crawl log."""
    for line in log.read_text("utf-8", "replace").splitlines():
        stripped = line.strip()
        if stripped.startswith(f"'{key}':"):
            return ast.literal_eval(stripped.split(":", 1)[1].strip().rstrip(",}"))
    return None


def replica(**switches: Any) -> ReplicaServer:
    return ReplicaServer(posts=POSTS, seed=SEED, switches=switches or None)


@pytest.fixture(scope="module")
def matrix(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    """One crawl per (site configuration, mode), all run in parallel; name -> output file."""
    tmp = tmp_path_factory.mktemp("matrix")
    configs: dict[str, dict[str, Any]] = {
        "default": {},
        "no_sitemap": {"sitemap": "none"},
        "core_sitemap": {"sitemap": "core", "robots_sitemap": False},
        "rest401": {"rest": "401", "sitemap": "none"},
        "rest403_absent_sitemap": {"rest": "403", "sitemap": "none"},
        "nothing": {"rest": "absent", "sitemap": "none"},
        "no_feeds": {"feeds": False, "rest": "absent", "sitemap": "none"},
    }
    modes = {
        "default": ["listing", "sitemap", "rest", "feed", "auto"],
        "no_sitemap": ["sitemap", "auto"],
        "core_sitemap": ["sitemap"],
        "rest401": ["rest"],
        "rest403_absent_sitemap": ["auto"],
        "nothing": ["rest", "auto"],
        "no_feeds": ["feed", "auto"],
    }
    servers = {name: replica(**switches) for name, switches in configs.items()}
    for server in servers.values():
        server.__enter__()
    try:
        commands, outputs = {}, {}
        for config, names in modes.items():
            origin = servers[config].origins[SPIDER]
            for mode in names:
                key = f"{config}-{mode}"
                outputs[key] = tmp / f"{key}.jsonl"
                commands[key] = scrapy_cmd(origin, mode, outputs[key], tmp / f"archive-{key}")
        run_parallel(commands, tmp / "logs")
        yield outputs
    finally:
        for server in servers.values():
            server.__exit__(None, None, None)


def test_every_mode_archives_what_listing_archives(matrix: dict[str, Path]) -> None:
    expected = ids(matrix["default-listing"])
    assert len(expected) == POSTS
    for key, out in matrix.items():
        assert ids(out) == expected, key


def test_records_say_which_path_found_them(matrix: dict[str, Path]) -> None:
    found_by = {key: {r["discovered_by"] for r in records(out)} for key, out in matrix.items()}
    assert found_by["default-listing"] == {"listing"}
    assert found_by["default-sitemap"] == {"sitemap"}
    assert found_by["default-rest"] == {"rest"}
    assert found_by["core_sitemap-sitemap"] == {"sitemap"}  # wp-sitemap.xml, by probing
    # Unavailable paths fall back to listings.
    assert found_by["no_sitemap-sitemap"] == {"listing"}
    assert found_by["rest401-rest"] == {"listing"}
    assert found_by["nothing-rest"] == {"listing"}


def test_auto_picks_the_cheapest_available_path(matrix: dict[str, Path]) -> None:
    def mode(key: str) -> set[str]:
        return {r["discovered_by"] for r in records(matrix[key])}

    assert mode("default-auto") == {"sitemap"}  # 1000 URLs a request
    assert mode("no_sitemap-auto") == {"rest"}  # 100 a request
    assert mode("rest403_absent_sitemap-auto") == {"listing"}  # a first run never trusts the feed
    assert mode("nothing-auto") == {"listing"}


def test_rest_totals_are_recorded(matrix: dict[str, Path]) -> None:
    log = matrix["default-rest"].parent / "logs" / "default-rest.log"
    assert stat(log, "snhr/discovery/rest/total") == POSTS
    assert stat(log, "snhr/discovery/rest/total_pages") == 1
    assert stat(log, "snhr/audit/site_total/rest") == POSTS
    sitemap_log = log.parent / "default-sitemap.log"
    assert stat(sitemap_log, "snhr/audit/site_total/sitemap") == POSTS


def test_incremental_runs_on_an_unchanged_site_make_a_handful_of_requests(
    tmp_path: Path,
) -> None:
    with replica() as server:
        origin = server.origins[SPIDER]
        first = {
            mode: scrapy_cmd(origin, mode, tmp_path / f"{mode}-1.jsonl", tmp_path / f"a-{mode}")
            for mode in ("rest", "sitemap")
        }
        run_parallel(first, tmp_path / "logs1")
        counts = {}
        for mode in ("rest", "sitemap", "auto"):
            archive = tmp_path / f"a-{'sitemap' if mode == 'auto' else mode}"
            before = len(server.requests)
            out = tmp_path / f"{mode}-2.jsonl"
            run_parallel({mode: scrapy_cmd(origin, mode, out, archive)}, tmp_path / "logs2")
            made = server.requests[before:]
            counts[mode] = [path for _, path, _ in made]
            assert records(out) == [], mode
        for mode, paths in counts.items():
            assert len(paths) <= HANDFUL, (mode, paths)
        assert any("modified_after=" in path for path in counts["rest"])
        # New posts are found by the same incremental runs.
        server.site.add(SPIDER, 2)
        before = len(server.requests)
        out = tmp_path / "rest-3.jsonl"
        run_parallel(
            {"rest3": scrapy_cmd(origin, "rest", out, tmp_path / "a-rest")}, tmp_path / "logs3"
        )
        assert len(records(out)) == 2
        assert len(server.requests) - before <= HANDFUL + 2


def test_auto_uses_the_feed_for_incremental_runs_when_nothing_else_answers(
    tmp_path: Path,
) -> None:
    with replica(sitemap="none", rest="403") as server:
        origin = server.origins[SPIDER]
        archive = tmp_path / "archive"
        first = tmp_path / "first.jsonl"
        run_parallel({"first": scrapy_cmd(origin, "listing", first, archive)}, tmp_path / "l")
        server.site.add(SPIDER, 2)
        before = len(server.requests)
        out = tmp_path / "auto.jsonl"
        run_parallel({"auto": scrapy_cmd(origin, "auto", out, archive)}, tmp_path / "a")
        paths = [path for _, path, _ in server.requests[before:]]
        assert [r["discovered_by"] for r in records(out)] == ["feed", "feed"]
        assert "/feed/" in paths
        assert not any(path.startswith("/category/") for path in paths)
        # robots.txt twice, three refused probes, the feed, two new articles.
        assert len(paths) <= HANDFUL + 4, paths
        # Unchanged since: the conditional GET answers 304.
        before = len(server.requests)
        again = tmp_path / "again.jsonl"
        run_parallel({"again": scrapy_cmd(origin, "auto", again, archive)}, tmp_path / "b")
        made = server.requests[before:]
        assert records(again) == []
        assert ("GET", "/feed/", 304) in made
        assert len(made) <= HANDFUL + 3, made


def test_audit_names_the_post_no_listing_shows_and_sitemap_or_rest_archive_it(
    tmp_path: Path,
) -> None:
    with replica(hide_one_per_listing=True) as server:
        origin = server.origins[SPIDER]
        hidden_ids = {post_id for source, post_id in server.site.hidden if source == SPIDER}
        truth = {r["post_id"]: r["url"] for r in server.truth(SPIDER)}
        hidden_urls = sorted(truth[post_id] for post_id in hidden_ids)
        assert hidden_urls
        archive = tmp_path / "archive"
        listing = tmp_path / "listing.jsonl"
        run_parallel({"listing": scrapy_cmd(origin, "listing", listing, archive)}, tmp_path / "l")
        assert not hidden_ids & {r["post_id"] for r in records(listing)}

        audit = subprocess.run(
            [sys.executable, "-m", "snhr_crawler.cli", "audit", SPIDER, "--archive", str(archive),
             "--origin", f"{SPIDER}={origin}", "--json", *LOOPBACK[:6]],
            cwd=ROOT, capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
        assert audit.returncode == 1, audit.stderr[-2000:]
        (report,) = json.loads(audit.stdout)
        assert report["missing"] == hidden_urls
        assert report["site_total"] == POSTS
        assert report["rest_total"] == POSTS
        assert report["sitemap_urls"] == POSTS
        assert report["archived"] == POSTS - len(hidden_ids)
        saved = json.loads((archive / "state" / f"audit-{SPIDER}.json").read_text("utf-8"))
        assert saved["missing"] == hidden_urls

        rest_archive = tmp_path / "archive-rest"
        shutil.copytree(archive, rest_archive)
        sitemap_out, rest_out = tmp_path / "sitemap.jsonl", tmp_path / "rest.jsonl"
        run_parallel(
            {
                "sitemap": scrapy_cmd(origin, "sitemap", sitemap_out, archive),
                "rest": scrapy_cmd(origin, "rest", rest_out, rest_archive),
            },
            tmp_path / "s",
        )
        assert {r["post_id"] for r in records(sitemap_out)} == hidden_ids
        assert {r["post_id"] for r in records(rest_out)} == hidden_ids


def audit_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "snhr_crawler.cli", "audit", *args, *LOOPBACK[:6]]


def test_audit_runs_the_sources_in_turn(tmp_path: Path) -> None:
    """snhr_news and snhr_news_ar share a host: one inventory after the other, not together."""
    with replica() as server:
        origins = [f"--origin={s}={server.origins[s]}" for s in (SPIDER, "snhr_news_ar")]
        audit = subprocess.run(
            audit_cmd(SPIDER, "snhr_news_ar", "--archive", str(tmp_path / "a"), "--json", *origins),
            cwd=ROOT, capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
        assert audit.returncode == 1, audit.stderr[-2000:]  # an empty archive lacks everything
        assert [r["source"] for r in json.loads(audit.stdout)] == [SPIDER, "snhr_news_ar"]
        paths = [path for _, path, _ in server.requests if path != "/robots.txt"]
        arabic = [path.startswith("/ar/") for path in paths]
        assert arabic.count(False) > 1
        assert arabic.count(True) > 1
        assert arabic == sorted(arabic), server.requests  # every /ar/ request after the others


def test_audit_outside_the_checkout_fails_when_nothing_answers(tmp_path: Path) -> None:
    """From another directory the sources are still found; a site that never answers is an error."""
    with socket.socket() as probe:  # a loopback port nobody listens on: connections refused
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}"
    sources = ["snhr_news", "snhr_news_ar", "snhr_reports", "snhr_reports_ar"]
    env = {k: v for k, v in os.environ.items() if k != "SCRAPY_SETTINGS_MODULE"}
    audit = subprocess.run(
        [*audit_cmd("--archive", str(tmp_path / "a"), *(f"--origin={s}={closed}" for s in sources)),
         "-s", "RETRY_ENABLED=0"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert audit.returncode == 1, (audit.stdout[-1000:], audit.stderr[-2000:])
    errors = [line for line in audit.stderr.splitlines() if "nothing answered" in line]
    assert [line.split(": ")[2] for line in errors] == sources, audit.stderr[-2000:]
