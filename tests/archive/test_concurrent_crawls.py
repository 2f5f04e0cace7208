"""Four spiders in one process, one archive: in turn under one run lock, as the CLI runs them.

Each crawl opens the store under the run's lock (``ARCHIVE_RUN_LOCK``), each
source gets its own files, nothing is written twice, and the archive
verifies. A crawl started while another holds the archive does not start.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from scrapy.utils.defer import deferred_f_from_coro_f

from snhr_crawler.archive.lock import RunLock
from snhr_crawler.archive.reader import iter_lines, latest_records
from snhr_crawler.archive.verify import verify
from tests.crawling import CrawlSpec, crawl_all

RUN = "20261125T000000Z"

replica = pytest.importorskip("snhr_replica")

pytestmark = pytest.mark.e2e

SOURCES = pytest.importorskip("snhr_replica.process").SOURCES  # what the replica serves


async def _crawl_all(origins: dict[str, str], archive: Path) -> dict[str, dict]:
    stats = {}
    with RunLock(archive, RUN, "2026-11-25T00:00:00Z"):
        for source in SOURCES:
            settings = {"ARCHIVE_FSYNC_EVERY": 7, "ARCHIVE_RUN_LOCK": RUN}
            (result,) = await crawl_all(
                CrawlSpec(source, archive, origins[source], settings=settings)
            )
            stats[source] = result.stats
    return stats


@deferred_f_from_coro_f
async def test_crawls_in_turn_share_one_archive(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    with replica.ReplicaServer(posts=15, seed=5) as server:
        stats = await _crawl_all(server.origins, archive)
        for source in SOURCES:
            assert stats[source]["finish_reason"] == "finished", source
            assert stats[source].get("snhr/archive/new", 0) > 0, source
        lines = Counter((r["id"], r["version"]) for r in iter_lines(archive))
        assert max(lines.values()) == 1
        by_source = Counter(r["source"] for r in latest_records(archive))
        assert set(by_source) == set(SOURCES)
        for source in SOURCES:
            assert by_source[source] == stats[source]["snhr/archive/new"], source
        report = verify(archive)
        assert report.ok, report.problems

        again = await _crawl_all(server.origins, archive)
        for source in SOURCES:
            assert again[source].get("snhr/archive/new", 0) == 0, source
    assert Counter((r["id"], r["version"]) for r in iter_lines(archive)) == lines
