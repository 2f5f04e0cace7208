"""The end-to-end truth comparison with the replica's page-shape switches on.

Furniture inside the content and the plain WordPress theme leave the truth
unchanged (``tests/replica/test_furniture.py``, ``test_plain_theme.py``), so a
crawl must still match it field by field: with furniture on, and with half the
article pages drawn in the plain theme as well (a site changing its theme while
the listings stay). gzip-encoded answers make no difference either.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from scrapy.utils.defer import deferred_f_from_coro_f

from snhr_replica import ReplicaServer
from tests.crawling import crawl
from tests.truth_check import compare_with_truth

pytestmark = pytest.mark.e2e

SOURCES = ("snhr_news", "snhr_news_ar", "snhr_reports", "snhr_reports_ar")
FURNITURE = {
    "share_bar": "on", "rating_widget": "on", "inline_related": "on", "ad_slots": "on",
    "nested_header": "on", "headline_em": "on",
}  # fmt: skip


@pytest.fixture(scope="module")
def furnished() -> Iterator[ReplicaServer]:
    with ReplicaServer(posts=16, seed=8, switches=FURNITURE) as server:
        yield server


@pytest.fixture(scope="module")
def mixed() -> Iterator[ReplicaServer]:
    with ReplicaServer(posts=16, seed=8, switches={**FURNITURE, "theme": "mixed"}) as server:
        yield server


async def _matches_truth(replica: ReplicaServer, source: str, tmp_path: Path) -> None:
    result = await crawl(source, tmp_path / "archive", origin=replica.origins[source])
    report = compare_with_truth(result.items, replica.truth(source))
    assert report.ok, report.summary()
    assert result.finished


@pytest.mark.parametrize("source", SOURCES)
@deferred_f_from_coro_f
async def test_crawl_with_furniture_equals_truth(
    furnished: ReplicaServer, tmp_path: Path, source: str
) -> None:
    await _matches_truth(furnished, source, tmp_path)


@pytest.mark.parametrize("source", SOURCES)
@deferred_f_from_coro_f
async def test_crawl_with_furniture_and_both_themes_equals_truth(
    mixed: ReplicaServer, tmp_path: Path, source: str
) -> None:
    await _matches_truth(mixed, source, tmp_path)


@deferred_f_from_coro_f
async def test_crawl_of_gzip_encoded_pages_equals_truth(tmp_path: Path) -> None:
    with ReplicaServer(posts=12, seed=8, switches={"gzip": "on"}) as server:
        result = await crawl(
            "snhr_reports_ar", tmp_path / "archive", origin=server.origins["snhr_reports_ar"]
        )
        report = compare_with_truth(result.items, server.truth("snhr_reports_ar"))
    assert report.ok, report.summary()
    assert result.stat("httpcompression/response_count") > 0  # the pages did come gzip-encoded
