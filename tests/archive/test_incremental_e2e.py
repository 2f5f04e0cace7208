"""End to end: the real ``snhr_news`` spider crawls the offline replica into an archive.

Crawls run in process through ``tests.crawling`` (each one a fresh crawler
with its own store, as a new cron run would open it); the kill test runs
``scrapy crawl`` children, since SIGKILL at a random point is what it is
about. The replica's request log shows what each run fetched.

What the spider has to do for these to pass (the archive side is tested in the
other modules): skip article pages the archive knows and stop a listing after
``INCREMENTAL_STOP_AFTER`` archived items; not stop early after a run that did
not finish; with ``full=true`` re-fetch everything, including archived
articles no listing shows any more, yielding a ``Removal`` on 404/410.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from scrapy.utils.defer import deferred_f_from_coro_f

from snhr_crawler.archive.reader import iter_lines, latest_records
from snhr_crawler.archive.verify import verify
from tests.crawling import CrawlResult, crawl, scrapy_crawl_command

replica = pytest.importorskip("snhr_replica")

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(120)]

ROOT = Path(__file__).resolve().parents[2]
SOURCE = "snhr_news"


async def _crawl(origin: str, archive: Path, **args: str) -> CrawlResult:
    result = await crawl(SOURCE, archive, origin=origin, **args)
    assert result.finished, result.stats
    return result


def _paths_since(server: Any, start: int) -> list[str]:
    return [path for _, path, _ in server.requests[start:]]


def _data_files(archive: Path) -> dict[str, bytes]:
    return {p.relative_to(archive).as_posix(): p.read_bytes() for p in archive.glob("*/*.jsonl")}


def _versions(archive: Path) -> Counter[tuple[str, int, str]]:
    return Counter(
        (r["id"], r["version"], r.get("content_sha256") or "tombstone") for r in iter_lines(archive)
    )


@pytest.fixture
def server() -> Any:
    with replica.ReplicaServer(posts=40, seed=3, log_requests=True) as running:
        yield running


@deferred_f_from_coro_f
async def test_second_run_with_nothing_new_writes_nothing(server: Any, tmp_path: Path) -> None:
    origin, archive = server.origins[SOURCE], tmp_path / "archive"
    run = await _crawl(origin, archive)
    first = _paths_since(server, 0)
    articles = len(list(latest_records(archive)))
    assert articles == run.stat("snhr/archive/new") > 0
    before = _data_files(archive)
    first_pages = {p for p in first if p.startswith("/category/") and "/page/" not in p}
    category_index = next(p for p in first if p.startswith("/wp-json/wp/v2/categories"))

    start = len(server.requests)
    run = await _crawl(origin, archive)
    # robots.txt, the first page of the home listing and of each category, the category index.
    assert sorted(_paths_since(server, start)) == sorted(
        {"/robots.txt", "/", *first_pages, category_index}
    )
    assert _data_files(archive) == before
    assert run.stat("snhr/archive/new") == run.stat("snhr/archive/changed") == 0
    report = verify(archive)
    assert report.ok, report.problems


@deferred_f_from_coro_f
async def test_new_post_is_added_incrementally(server: Any, tmp_path: Path) -> None:
    origin, archive = server.origins[SOURCE], tmp_path / "archive"
    await _crawl(origin, archive)
    (post,) = server.site.add(SOURCE, 1)
    run = await _crawl(origin, archive)
    assert run.stat("snhr/archive/new") == 1
    assert f"{SOURCE}:{post.post_id}" in {r["id"] for r in latest_records(archive)}
    assert verify(archive).ok


@deferred_f_from_coro_f
async def test_edit_and_full_run_append_version_2(server: Any, tmp_path: Path) -> None:
    origin, archive = server.origins[SOURCE], tmp_path / "archive"
    await _crawl(origin, archive)
    v1 = {r["id"]: r for r in latest_records(archive)}
    post = server.site.live(SOURCE)[2]
    key = f"{SOURCE}:{post.post_id}"
    assert key in v1
    server.site.edit(SOURCE, post.post_id, "Update: SNHR corrected the number of victims.")

    run = await _crawl(origin, archive, full="true")
    assert run.stat("snhr/archive/changed") == 1
    assert run.stat("snhr/archive/unchanged") == len(v1) - 1
    latest = {r["id"]: r for r in latest_records(archive)}
    assert latest.keys() == v1.keys(), sorted(latest.keys() ^ v1.keys())
    assert latest[key]["version"] == 2
    assert latest[key]["previous_sha256"] == v1[key]["content_sha256"]
    assert "corrected the number of victims" in latest[key]["body_text"]
    assert all(r["version"] == 1 for k, r in latest.items() if k != key)
    assert sum(_versions(archive).values()) == len(v1) + 1
    assert verify(archive).ok


@deferred_f_from_coro_f
async def test_deletion_and_full_run_write_a_tombstone(server: Any, tmp_path: Path) -> None:
    origin, archive = server.origins[SOURCE], tmp_path / "archive"
    await _crawl(origin, archive)
    before = {r["id"]: r for r in latest_records(archive)}
    post = server.site.live(SOURCE)[4]
    key = f"{SOURCE}:{post.post_id}"
    server.site.delete(SOURCE, post.post_id, 410)

    start = len(server.requests)
    run = await _crawl(origin, archive, full="true")
    gone = [p for _, p, status in server.requests[start:] if status in (404, 410)]
    assert gone, "a full run re-requests archived articles that no listing shows"
    assert run.stat("snhr/archive/removed") == 1
    records = {r["id"]: r for r in latest_records(archive, include_tombstones=True)}
    tomb = records[key]
    assert tomb["tombstone"] is True
    assert tomb["status"] == 410
    assert tomb["version"] == 2
    assert tomb["previous_sha256"] == before[key]["content_sha256"]
    assert key not in {r["id"] for r in latest_records(archive)}
    assert verify(archive).ok


@deferred_f_from_coro_f
async def test_killed_crawls_rerun_equal_an_uninterrupted_one(server: Any, tmp_path: Path) -> None:
    origin = server.origins[SOURCE]
    reference = tmp_path / "reference"
    await _crawl(origin, reference)
    expected = _versions(reference)
    total = len(server.requests)

    archive = tmp_path / "killed"
    rng = random.Random(20261125)
    kills = 0
    for _ in range(3):
        threshold = rng.randrange(4, max(5, total - 5))
        start = len(server.requests)
        proc = subprocess.Popen(
            scrapy_crawl_command(SOURCE, archive, origin=origin),
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while proc.poll() is None and time.monotonic() < deadline:
            if len(server.requests) - start >= threshold:
                os.kill(proc.pid, signal.SIGKILL)
                kills += 1
                break
            time.sleep(0.005)
        proc.wait(30)
    assert kills >= 1  # at least one crawl really died mid-way

    await _crawl(origin, archive)
    got = _versions(archive)
    assert max(got.values()) == 1, "a record was archived twice"
    report = verify(archive)
    assert report.ok, report.problems
    assert got == expected
