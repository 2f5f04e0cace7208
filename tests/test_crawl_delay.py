"""robots.txt Crawl-delay: honoured per host, as a floor under DOWNLOAD_DELAY and AutoThrottle.

The replica's ``crawl_delay`` switch writes ``Crawl-delay: N`` into robots.txt
and stamps every request as it arrives (``ReplicaServer.arrivals``, monotonic
seconds): the gaps between them are what the site saw. The delay is set small
(0.15 s) so the tests stay quick; politeness is otherwise the loopback one
(no DOWNLOAD_DELAY, 8 requests at once), so without the middleware the gaps
are milliseconds.
"""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path
from statistics import median
from typing import Any

import pytest
from scrapy.core.downloader import Slot
from scrapy.utils.defer import deferred_f_from_coro_f

from snhr_crawler.middlewares.crawl_delay import floor_slot
from snhr_replica import ReplicaServer
from tests.crawling import CrawlResult, crawl

DELAY = 0.15
#: What the site sees is the crawler's spacing give or take how long each request
#: took to arrive: on a loaded loopback, up to some milliseconds either way. The
#: first gap (robots.txt, then the first page) is shorter by the set-up of the
#: connection robots.txt opened and the next request reuses.
TRANSIT = 0.03
SETUP = 0.05


def test_a_slot_is_lifted_to_the_crawl_delay_and_its_jitter_narrowed() -> None:
    slot = Slot(concurrency=1, delay=0.5, jitter=0.5)
    floor_slot(slot, 2.0, 0.5)
    assert (slot.delay, slot.jitter) == (2.0, 0.0)  # 2 s exactly: never 1-3 s
    slot = Slot(concurrency=1, delay=5.0, jitter=0.5)
    floor_slot(slot, 2.0, 0.5)
    assert slot.delay == 5.0
    assert slot.jitter == 0.5  # 2.5-7.5 s: already above the floor
    slot = Slot(concurrency=1, delay=3.0, jitter=0.5)
    floor_slot(slot, 2.0, 0.5)
    assert slot.delay * (1 - slot.jitter) == pytest.approx(2.0)  # 2-4 s


def spaced(gaps: list[float]) -> None:
    """Every gap the site saw is the Crawl-delay, give or take the transit (see TRANSIT)."""
    assert gaps[0] >= DELAY - SETUP, gaps
    assert min(gaps[1:]) >= DELAY - TRANSIT, gaps


async def _crawl(tmp_path: Path, delay: float, **settings: Any) -> tuple[CrawlResult, list[float]]:
    switches = {"crawl_delay": str(delay)} if delay else None
    with ReplicaServer(posts=3, seed=2, switches=switches) as server:
        result = await crawl(
            "snhr_news",
            tmp_path / "archive",
            origin=server.origins["snhr_news"],
            settings=settings,
            max_pages="1",
        )
        moments = [moment for moment, _, _ in server.arrivals]
    assert result.finished, result.stats
    return result, [b - a for a, b in pairwise(moments)]


@pytest.mark.e2e
@deferred_f_from_coro_f
async def test_crawl_delay_spaces_every_request_to_the_host(tmp_path: Path) -> None:
    result, gaps = await _crawl(tmp_path, DELAY)
    assert len(gaps) >= 8
    spaced(gaps)
    assert median(gaps) >= DELAY - 0.005, gaps
    assert result.stat("snhr/politeness/crawl_delay") == DELAY


@pytest.mark.e2e
@deferred_f_from_coro_f
async def test_without_the_floor_the_same_crawl_is_not_spaced(tmp_path: Path) -> None:
    """The control: the gaps above are the middleware's doing, not the loopback's."""
    _, gaps = await _crawl(tmp_path, DELAY, ROBOTSTXT_CRAWL_DELAY=False)
    assert median(gaps) < DELAY / 3, gaps


@pytest.mark.e2e
@deferred_f_from_coro_f
async def test_autothrottle_and_a_jittered_download_delay_stay_above_it(tmp_path: Path) -> None:
    # AutoThrottle would bring the delay down towards loopback latency (milliseconds),
    # and DOWNLOAD_DELAY 0.2 jittered by ±50% would wait as little as 0.1 s.
    result, gaps = await _crawl(
        tmp_path,
        DELAY,
        AUTOTHROTTLE_ENABLED=True,
        AUTOTHROTTLE_START_DELAY=0,
        AUTOTHROTTLE_TARGET_CONCURRENCY=8.0,
        DOWNLOAD_DELAY=0.2,
    )
    spaced(gaps)
    assert result.stat("snhr/politeness/crawl_delay") == DELAY


@pytest.mark.e2e
@deferred_f_from_coro_f
async def test_a_huge_crawl_delay_is_capped(tmp_path: Path) -> None:
    result, gaps = await _crawl(tmp_path, 3600, ROBOTSTXT_CRAWL_DELAY_MAX=DELAY)
    assert result.stat("snhr/politeness/crawl_delay_capped") == 1
    assert result.stat("snhr/politeness/crawl_delay") == DELAY
    spaced(gaps)
