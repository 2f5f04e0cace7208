"""SIGKILL during a captured crawl, then a re-run: no line ever points at missing bytes.

Each kill is a ``scrapy crawl`` child (the process boundary is the point):
at each step of the write order (``kill_at``: a WARC write torn halfway, an
exchange written before its item, the WARC flushed before the lines that
point at it, lines written before their fsync) and at random moments. Right
after the kill, before anything repairs the archive, every line's capture
must resolve (the phase-1 reader, which also reads a killed run's ``.open``
file) and ``verify`` must not call the archive damaged. The re-run must
recover the killed run's WARC file, end with the same record versions as an
uninterrupted crawl, and leave files ``warcio check`` accepts.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from scrapy.utils.defer import deferred_f_from_coro_f

from snhr_crawler.archive.reader import iter_lines
from snhr_crawler.archive.verify import verify
from snhr_crawler.capture.pointer import CapturePointer
from snhr_crawler.capture.reader import check_pointer
from snhr_replica import ReplicaServer
from tests.capture.warc_helpers import assert_warcio_check_passes
from tests.crawling import CrawlResult, crawl, scrapy_crawl_command

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(180)]

ROOT = Path(__file__).resolve().parents[2]
SOURCE = "snhr_news"
BATCH = {"ARCHIVE_FSYNC_EVERY": "5"}  # several batch boundaries in a 40-post crawl


@pytest.fixture(scope="module")
def server() -> Any:
    with ReplicaServer(posts=40, seed=3, log_requests=True) as running:
        yield running


@pytest.fixture(scope="module")
def expected(server: Any, tmp_path_factory: pytest.TempPathFactory) -> Counter[Any]:
    """The record versions of an uninterrupted crawl."""
    from pytest_twisted import blockon
    from scrapy.utils.defer import deferred_from_coro

    archive = tmp_path_factory.mktemp("reference") / "archive"
    result = blockon(deferred_from_coro(crawl(SOURCE, archive, origin=server.origins[SOURCE])))
    assert result.finished
    return versions(archive)


def versions(archive: Path) -> Counter[Any]:
    return Counter(
        (r["id"], r["version"], r.get("content_sha256") or "tombstone") for r in iter_lines(archive)
    )


def child(archive: Path, origin: str, *prefix: str) -> list[str]:
    command = scrapy_crawl_command(SOURCE, archive, origin=origin)
    settings = [part for key, value in BATCH.items() for part in ("-s", f"{key}={value}")]
    if prefix:  # python -m tests.capture.kill_at POINT N crawl ...
        return [sys.executable, "-m", "tests.capture.kill_at", *prefix, *command[3:], *settings]
    return [*command, *settings]


def assert_no_dangling_pointer(archive: Path) -> int:
    """Every line's capture resolves to the bytes it names; returns how many lines there are."""
    lines = list(iter_lines(archive))
    for line in lines:
        assert line["capture"] is not None, line["url"]
        assert check_pointer(archive, CapturePointer.from_dict(line["capture"])) == [], line["url"]
    return len(lines)


async def rerun_and_check(
    archive: Path, origin: str, expected: Counter[Any], *, recovers: bool = True
) -> CrawlResult:
    result = await crawl(SOURCE, archive, origin=origin, settings=BATCH)
    assert result.finished, result.stats
    # The killed run's .open file, cut back to its last whole record and closed.
    assert result.stat("snhr/capture/recovered_files") == int(recovers)
    assert versions(archive) == expected
    report = verify(archive)
    assert report.ok, report.problems
    assert report.captures == sum(expected.values())
    assert assert_no_dangling_pointer(archive) == sum(expected.values())
    assert_warcio_check_passes(*sorted((archive / "warc" / SOURCE).glob("*.warc.gz")))
    return result


# (point, its N-th time, lines in the files after the kill): at the second batch boundary
# (ARCHIVE_FSYNC_EVERY=5) a kill after the WARC flush leaves the first batch only, the
# second batch's lines still held; a kill after they were written leaves both.
@pytest.mark.parametrize(
    ("point", "count", "lines"),
    [
        ("warc-torn", 12, None),
        ("warc-written", 12, None),
        ("barrier", 2, 5),
        ("lines-written", 2, 10),
    ],
)
@deferred_f_from_coro_f
async def test_a_kill_at_each_step_of_the_write_order(
    server: Any,
    expected: Counter[Any],
    tmp_path: Path,
    point: str,
    count: int,
    lines: int | None,
) -> None:
    archive, origin = tmp_path / "archive", server.origins[SOURCE]
    proc = subprocess.run(
        child(archive, origin, point, str(count)),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        timeout=60,
        check=False,
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()[-2000:]
    (left,) = (archive / "warc" / SOURCE).glob("*.warc.gz.open")  # killed while writing it
    written = assert_no_dangling_pointer(archive)
    if lines is not None:
        assert written == lines
    assert verify(archive).state != "FAILED"

    result = await rerun_and_check(archive, origin, expected)
    if point == "warc-torn":
        assert result.stat("snhr/capture/quarantined_bytes") > 0
        assert result.stat("snhr/capture/lost_records") >= 1
        assert list((archive / "quarantine" / "warc" / SOURCE).glob("*.torn"))
    assert not left.exists()  # cut back and closed under its final name


@deferred_f_from_coro_f
async def test_kills_at_random_moments_then_a_rerun(
    server: Any, expected: Counter[Any], tmp_path: Path
) -> None:
    archive, origin = tmp_path / "archive", server.origins[SOURCE]
    rng = random.Random(20261202)
    kills = 0
    killed = False
    for _ in range(2):
        threshold = rng.randrange(5, 50)
        start = len(server.requests)
        proc = subprocess.Popen(
            child(archive, origin), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 60
        while proc.poll() is None and time.monotonic() < deadline:
            if len(server.requests) - start >= threshold:
                os.kill(proc.pid, signal.SIGKILL)
                kills += 1
                break
            time.sleep(0.002)
        killed = proc.wait(30) == -signal.SIGKILL
        assert_no_dangling_pointer(archive)
        assert verify(archive).state != "FAILED"
    assert kills >= 1
    await rerun_and_check(archive, origin, expected, recovers=killed)
