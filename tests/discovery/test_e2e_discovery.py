"""Every discovery mode against the offline replica, crawled in process.

What "done" means for discovery: whatever the site offers (sitemaps, REST,
feeds switched on or off), every mode archives the same records as the
listing walk; ``auto`` picks the cheapest path available; an incremental run
on an unchanged site costs a handful of requests; and a post no listing shows
is named by ``audit`` and archived by a sitemap or REST run; ``audit`` takes
sources in turn and fails when a site never answers.

Crawls run together on the test reactor (``tests.crawling``) with
loopback-only politeness; ``audit`` runs as the command an archivist types.
"""

from __future__ import annotations

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
from scrapy.utils.defer import deferred_f_from_coro_f

from snhr_replica import ReplicaServer
from tests.crawling import CrawlResult, CrawlSpec, crawl, crawl_all, crawl_blocking

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
SPIDER = "snhr_news"
POSTS = 12
SEED = 3
#: Loopback politeness for the audit command.
LOOPBACK = [
    "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "DOWNLOAD_DELAY=0",
    "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8", "-s", "RETRY_BACKOFF_BASE=0.01",
]  # fmt: skip
#: Requests an incremental run on an unchanged site may make (robots.txt + an index or two).
HANDFUL = 4


def spec(origin: str, discovery: str, archive: Path) -> CrawlSpec:
    return CrawlSpec(SPIDER, archive, origin, {"discovery": discovery})


async def run(origin: str, discovery: str, archive: Path) -> CrawlResult:
    result = await crawl(SPIDER, archive, origin=origin, discovery=discovery)
    assert result.finished, result.stats
    return result


def found_by(result: CrawlResult) -> set[str]:
    return {item["discovered_by"] for item in result.items}


def replica(**switches: Any) -> ReplicaServer:
    return ReplicaServer(posts=POSTS, seed=SEED, switches=switches or None)


@pytest.fixture(scope="module")
def matrix(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, CrawlResult]]:
    """One crawl per (site configuration, mode), all run at once; name -> result."""
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
        keys, specs = [], []
        for config, names in modes.items():
            origin = servers[config].origins[SPIDER]
            for mode in names:
                keys.append(f"{config}-{mode}")
                specs.append(spec(origin, mode, tmp / f"archive-{config}-{mode}"))
        results = dict(zip(keys, crawl_blocking(*specs), strict=True))
        for key, result in results.items():
            assert result.finished, (key, result.stats)
        yield results
    finally:
        for server in servers.values():
            server.__exit__(None, None, None)


def test_every_mode_archives_what_listing_archives(matrix: dict[str, CrawlResult]) -> None:
    expected = matrix["default-listing"].ids
    assert len(expected) == POSTS
    for key, result in matrix.items():
        assert result.ids == expected, key


def test_records_say_which_path_found_them(matrix: dict[str, CrawlResult]) -> None:
    assert found_by(matrix["default-listing"]) == {"listing"}
    assert found_by(matrix["default-sitemap"]) == {"sitemap"}
    assert found_by(matrix["default-rest"]) == {"rest"}
    assert found_by(matrix["core_sitemap-sitemap"]) == {"sitemap"}  # wp-sitemap.xml, by probing
    # Unavailable paths fall back to listings.
    assert found_by(matrix["no_sitemap-sitemap"]) == {"listing"}
    assert found_by(matrix["rest401-rest"]) == {"listing"}
    assert found_by(matrix["nothing-rest"]) == {"listing"}


def test_auto_picks_the_cheapest_available_path(matrix: dict[str, CrawlResult]) -> None:
    assert found_by(matrix["default-auto"]) == {"sitemap"}  # 1000 URLs a request
    assert found_by(matrix["no_sitemap-auto"]) == {"rest"}  # 100 a request
    # A first run never trusts the feed.
    assert found_by(matrix["rest403_absent_sitemap-auto"]) == {"listing"}
    assert found_by(matrix["nothing-auto"]) == {"listing"}


def test_rest_totals_are_recorded(matrix: dict[str, CrawlResult]) -> None:
    rest = matrix["default-rest"]
    assert rest.stat("snhr/discovery/rest/total") == POSTS
    assert rest.stat("snhr/discovery/rest/total_pages") == 1
    assert rest.stat("snhr/audit/site_total/rest") == POSTS
    assert matrix["default-sitemap"].stat("snhr/audit/site_total/sitemap") == POSTS


@deferred_f_from_coro_f
async def test_incremental_runs_on_an_unchanged_site_make_a_handful_of_requests(
    tmp_path: Path,
) -> None:
    with replica() as server:
        origin = server.origins[SPIDER]
        await crawl_all(
            *(spec(origin, mode, tmp_path / f"a-{mode}") for mode in ("rest", "sitemap"))
        )
        counts = {}
        for mode in ("rest", "sitemap", "auto"):
            archive = tmp_path / f"a-{'sitemap' if mode == 'auto' else mode}"
            before = len(server.requests)
            again = await run(origin, mode, archive)
            counts[mode] = [path for _, path, _ in server.requests[before:]]
            assert again.items == [], mode
        for mode, paths in counts.items():
            assert len(paths) <= HANDFUL, (mode, paths)
        assert any("modified_after=" in path for path in counts["rest"])
        # New posts are found by the same incremental runs.
        server.site.add(SPIDER, 2)
        before = len(server.requests)
        third = await run(origin, "rest", tmp_path / "a-rest")
        assert len(third.items) == 2
        assert len(server.requests) - before <= HANDFUL + 2


@deferred_f_from_coro_f
async def test_auto_uses_the_feed_for_incremental_runs_when_nothing_else_answers(
    tmp_path: Path,
) -> None:
    with replica(sitemap="none", rest="403") as server:
        origin = server.origins[SPIDER]
        archive = tmp_path / "archive"
        await run(origin, "listing", archive)
        server.site.add(SPIDER, 2)
        before = len(server.requests)
        auto = await run(origin, "auto", archive)
        paths = [path for _, path, _ in server.requests[before:]]
        assert [item["discovered_by"] for item in auto.items] == ["feed", "feed"]
        assert "/feed/" in paths
        assert not any(path.startswith("/category/") for path in paths)
        # robots.txt twice, three refused probes, the feed, two new articles.
        assert len(paths) <= HANDFUL + 4, paths
        # Unchanged since: the conditional GET answers 304.
        before = len(server.requests)
        again = await run(origin, "auto", archive)
        made = server.requests[before:]
        assert again.items == []
        assert ("GET", "/feed/", 304) in made
        assert len(made) <= HANDFUL + 3, made


@deferred_f_from_coro_f
async def test_audit_names_the_post_no_listing_shows_and_sitemap_or_rest_archive_it(
    tmp_path: Path,
) -> None:
    with replica(hide_one_per_listing=True) as server:
        origin = server.origins[SPIDER]
        hidden_ids = {post_id for source, post_id in server.site.hidden if source == SPIDER}
        truth = {r["post_id"]: r["url"] for r in server.truth(SPIDER)}
        hidden_urls = sorted(truth[post_id] for post_id in hidden_ids)
        assert hidden_urls
        archive = tmp_path / "archive"
        listing = await run(origin, "listing", archive)
        assert not hidden_ids & {item["post_id"] for item in listing.items}

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
        by_sitemap, by_rest = await crawl_all(
            spec(origin, "sitemap", archive), spec(origin, "rest", rest_archive)
        )
        assert {item["post_id"] for item in by_sitemap.items} == hidden_ids
        assert {item["post_id"] for item in by_rest.items} == hidden_ids


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
