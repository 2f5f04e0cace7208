"""The second platform: a plain-WordPress source gets everything from the bases, nothing copied.

``example_wp_news`` (tests/wordpress/spiders/) is a 30-line module on
``WordPressSpider``; crawled against a static plain-theme site
(tests/wordpress/site.py) through the real settings and pipelines it must
archive the hand-written ``GOLD``, skip everything on an unchanged second
run, tombstone a deleted post in a full run, and find the same posts through
REST and the sitemap. The same base, given SNHR's descriptor, crawls the
replica's plain-theme rendering of news.snhr.org to its ground truth.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from scrapy.utils.defer import deferred_f_from_coro_f

from snhr_crawler.archive.reader import iter_lines, latest_records
from snhr_crawler.archive.verify import verify
from tests.crawling import crawl
from tests.site import StaticSite, serve
from tests.wordpress.site import GOLD, POSTS, build_wp_site, delete

pytestmark = pytest.mark.e2e

SOURCE = "example_wp_news"
#: The test-only source joins the project's spiders for these crawls only.
SETTINGS = {"SPIDER_MODULES": ["snhr_crawler.spiders", "tests.wordpress.spiders"]}
MODULE = Path(__file__).parent / "spiders" / f"{SOURCE}.py"


@pytest.fixture
def site() -> Iterator[StaticSite]:
    with serve(build_wp_site()) as served:
        yield served


async def run(site: StaticSite, archive: Path, settings: Any = None, **args: str) -> Any:
    settings = {**SETTINGS, **(settings or {})}
    return await crawl(SOURCE, archive, origin=site.origin, settings=settings, **args)


def archived_fields(archive: Path) -> dict[str, dict[str, Any]]:
    return {r["id"]: {k: r[k] for k in GOLD[r["id"]]} for r in latest_records(archive)}


def article_requests(site: StaticSite) -> list[str]:
    paths = {post.path for post in POSTS}
    return [path for path in site.requests if path in paths]


def test_the_source_module_is_small() -> None:
    assert len(MODULE.read_text("utf-8").splitlines()) <= 30


@deferred_f_from_coro_f
async def test_listing_crawl_archives_the_gold(site: StaticSite, tmp_path: Path) -> None:
    result = await run(site, tmp_path / "archive")
    assert result.finished
    assert archived_fields(tmp_path / "archive") == GOLD
    assert {item["discovered_by"] for item in result.items} == {"listing"}
    assert result.stat("snhr/extract/title/site:wp") == 4
    assert result.stat("snhr/extract/title/meta") == 1  # no h1: og:title, site name stripped
    assert verify(tmp_path / "archive").ok


@deferred_f_from_coro_f
async def test_an_unchanged_site_costs_no_article_request(site: StaticSite, tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    await run(site, archive)
    site.requests.clear()
    again = await run(site, archive, {"INCREMENTAL_STOP_AFTER": 3})
    assert again.finished
    assert again.stat("snhr/archive/new") == 0
    assert article_requests(site) == []
    # Three known posts in a row on page 1: the walk stops, page 2 is never asked for.
    assert again.stat("snhr/article/skipped/archived") == 3
    assert again.stat("snhr/listing/stopped/known") == 1
    assert "/category/news/page/2/" not in site.requests


@deferred_f_from_coro_f
async def test_a_deleted_post_is_tombstoned_by_a_full_run(site: StaticSite, tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    await run(site, archive)
    delete(site, 103)
    full = await run(site, archive, full="true")
    assert full.stat("snhr/recheck/scheduled") == 5
    assert full.stat("snhr/archive/removed") == 1
    (tombstone,) = [r for r in iter_lines(archive) if r.get("tombstone")]
    assert (tombstone["id"], tombstone["status"]) == ("example_wp_news:103", 404)
    assert sorted(r["id"] for r in latest_records(archive)) == sorted(set(GOLD) - {tombstone["id"]})
    assert verify(archive).ok


@pytest.mark.parametrize("mode", ["rest", "sitemap"])
@deferred_f_from_coro_f
async def test_discovery_finds_the_same_records(
    site: StaticSite, tmp_path: Path, mode: str
) -> None:
    result = await run(site, tmp_path / "archive", discovery=mode)
    assert result.stat("snhr/discovery/mode") == mode
    assert archived_fields(tmp_path / "archive") == GOLD
    assert {item["discovered_by"] for item in result.items} == {mode}
    site.requests.clear()
    again = await run(site, tmp_path / "archive", discovery=mode)
    assert again.stat("snhr/archive/new") == 0
    assert article_requests(site) == []


@deferred_f_from_coro_f
async def test_plain_wordpress_source_against_the_replica(tmp_path: Path) -> None:
    """snhr_news on the replica's plain theme, crawled by WordPressSpider, equals the truth.

    The spider (tests/wordpress/plain_spiders/snhr_news.py) is loaded alone, so
    its name can be the source's and the replica's own model is the oracle.
    """
    from snhr_replica import ReplicaServer
    from tests.truth_check import compare_with_truth

    with ReplicaServer(posts=16, seed=8, switches={"theme": "plain"}) as server:
        result = await crawl(
            "snhr_news",
            tmp_path / "archive",
            origin=server.origins["snhr_news"],
            settings={"SPIDER_MODULES": ["tests.wordpress.plain_spiders"]},
        )
        report = compare_with_truth(result.items, server.truth("snhr_news"))
    assert result.finished
    assert result.stat("snhr/extract/body_text/site:wp") == len(result.items) > 0
    assert report.ok, report.summary()
