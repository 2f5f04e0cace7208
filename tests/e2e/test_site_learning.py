"""The crawl learns the site from the site: wrong seeds cost nothing, and are named.

The replica's unknowns switches make it disagree with our guesses:
``category_slugs=renamed`` gives some categories slugs the seeds do not use
(those seeds answer 404), ``extra_category`` adds a category no seed names,
with posts of its own, ``menu=none`` hides the categories from the menu, and
``rest=absent`` / ``sitemap=none`` take away the indexes. Whatever is left, a
listing walk must still archive every post (truth equality), name each seed
that answers 404, and remember what it learned for the next run.

What "wrong" means is read from the replica's own model (its category tree
under the switches) and the seeds file as shipped, never from the crawler.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from scrapy.utils.defer import deferred_f_from_coro_f

from snhr_crawler.archive.index import ArchiveIndex
from snhr_crawler.archive.paths import INDEX_NAME
from snhr_crawler.archive.reader import latest_records
from snhr_replica import ReplicaServer
from tests.crawling import CrawlSpec, crawl, crawl_all
from tests.ops.conftest import LOOPBACK, run_cli
from tests.seed_truth import site_listings, unreachable_from_seeds, wrong_seeds
from tests.truth_check import compare_with_truth

pytestmark = pytest.mark.e2e

SOURCES = ("snhr_news", "snhr_news_ar", "snhr_reports", "snhr_reports_ar")
WRONG = {"category_slugs": "renamed", "extra_category": "on", "menu": "none"}
POSTS, SEED = 24, 5


@pytest.fixture(scope="module")
def wrong() -> Any:
    with ReplicaServer(posts=POSTS, seed=SEED, switches=WRONG) as server:
        yield server


@pytest.mark.parametrize("source", SOURCES)
@deferred_f_from_coro_f
async def test_with_wrong_seeds_the_listing_walk_archives_every_post(
    wrong: ReplicaServer, tmp_path: Path, source: str
) -> None:
    missing = wrong_seeds(wrong, source)
    assert missing  # the switch does make some seeds wrong
    result = await crawl(source, tmp_path / "archive", origin=wrong.origins[source])
    report = compare_with_truth(result.items, wrong.truth(source))
    assert report.ok, report.summary()
    assert result.finished
    # Each wrong seed named once; none counted as a failed page.
    assert sorted(result.stat("snhr/listing/seeds_missing_urls", [])) == sorted(missing)
    assert result.stat("snhr/listing/failed") == 0
    assert result.stat("log_count/ERROR") == 0
    # The extra category was found and walked.
    assert result.stat("snhr/listing/categories/rest") == len(site_listings(wrong, source))


@pytest.mark.parametrize("source", ["snhr_reports", "snhr_reports_ar"])
@deferred_f_from_coro_f
async def test_with_no_index_and_no_menu_breadcrumbs_and_the_home_listing_suffice(
    tmp_path: Path, source: str
) -> None:
    switches = {**WRONG, "rest": "absent", "sitemap": "none"}
    with ReplicaServer(posts=POSTS, seed=SEED, switches=switches) as server:
        orphans = unreachable_from_seeds(server, source)
        assert orphans  # posts that a walk of the seeds alone would never see
        result = await crawl(source, tmp_path / "archive", origin=server.origins[source])
        report = compare_with_truth(result.items, server.truth(source))
    assert report.ok, report.summary()
    assert orphans <= {item["post_id"] for item in result.items}
    assert result.stat("snhr/listing/categories/rest") == 0
    assert result.stat("snhr/listing/categories/breadcrumb") > 0


@deferred_f_from_coro_f
async def test_the_next_run_starts_from_what_the_first_learned(
    wrong: ReplicaServer, tmp_path: Path
) -> None:
    source, archive = "snhr_reports", tmp_path / "archive"
    await crawl(source, archive, origin=wrong.origins[source])
    index = ArchiveIndex.open(archive / INDEX_NAME, readonly=True)
    try:
        state = json.loads(index.source_state(source) or "{}")
    finally:
        index.close()
    assert set(state["categories"]) == site_listings(wrong, source)
    assert sorted(state["seeds_missing"]) == sorted(wrong_seeds(wrong, source))

    before = len(wrong.requests)
    (again,) = await crawl_all(CrawlSpec(source, archive, wrong.origins[source]))
    paths = {path for _, path, _ in wrong.requests[before:]}
    assert again.items == []
    learned = {url.removeprefix("https://snhr.org") for url in site_listings(wrong, source)}
    assert learned <= paths  # every learned category's first page, from the start


def test_a_default_crawl_with_wrong_seeds_archives_the_truth_and_says_why(
    wrong: ReplicaServer, tmp_path: Path
) -> None:
    """``snhr-crawler crawl`` as typed: auto picks the sitemap, which no slug can mislead."""
    source, archive = "snhr_reports", tmp_path / "archive"
    origin = ["--origin", f"{source}={wrong.origins[source]}", "--archive", str(archive)]
    result = run_cli("crawl", source, *origin, *LOOPBACK)
    assert result.returncode == 0, result.stderr[-3000:]
    records = list(latest_records(archive, [source]))
    report = compare_with_truth(
        records, wrong.truth(source), overrides={"discovered_by": "sitemap"}
    )
    assert report.ok, report.summary()
    (run,) = sorted((archive / "runs").glob("*.json"))
    section = json.loads(run.read_text("utf-8"))["sources"][source]
    assert section["discovery_path"]["mode"] == "sitemap"
    assert section["discovery_path"]["why"] == (
        "discovery=auto: https://snhr.org/sitemap_index.xml answered (named in robots.txt)"
    )
    assert f"path {source}: sitemap, https://snhr.org/sitemap_index.xml answered" in result.stdout

    # Asked to walk listings, the run names the wrong seeds and still archives nothing less.
    listing = run_cli("crawl", source, *origin, "--full", "--discovery", "listing", *LOOPBACK)
    assert listing.returncode == 0, listing.stderr[-3000:]
    missing = wrong_seeds(wrong, source)
    assert f"seeds {source}: {len(missing)} answer 404" in listing.stdout
    runs = sorted((archive / "runs").glob("*.json"))
    section = json.loads(runs[-1].read_text("utf-8"))["sources"][source]
    assert sorted(section["listings"]["seeds_missing"]) == sorted(missing)
    assert section["removed"] == 0
    assert {r["post_id"] for r in latest_records(archive, [source])} == {
        r["post_id"] for r in wrong.truth(source)
    }
