"""Where a crawl's CPU goes, by stage, from a ``cProfile`` of the crawl process.

The benchmark runs one more crawl of each kind under ``python -m cProfile``
and reads the profile here. A stage is the cumulative time of its entry
points (the functions Scrapy calls into our code from); what no stage claims
is Scrapy, Twisted and the rest (the downloader, the scheduler, middlewares,
signals). Profiling slows Python calls unevenly, so only each stage's *share*
of the profiled run is kept; the benchmark multiplies it by the CPU seconds
per 1,000 pages of the unprofiled median run.
"""

from __future__ import annotations

import pstats
from pathlib import Path

#: stage -> entry points as (path suffix, function name); a name of "*" takes every function.
STAGES: dict[str, tuple[tuple[str, str], ...]] = {
    "parse": (
        # The callbacks themselves (the page release wrapper around them is in release.py).
        ("snhr_crawler/base_spiders/news_spider.py", "parse_listing"),
        ("snhr_crawler/base_spiders/news_spider.py", "parse_article"),
        ("snhr_crawler/base_spiders/news_spider.py", "parse_discovery"),
        ("snhr_crawler/discovery/listings.py", "parse_index"),
        ("benchmarks/bare_spider.py", "parse_listing"),
        ("benchmarks/bare_spider.py", "parse_article"),
    ),
    "pipelines": (
        ("snhr_crawler/pipelines/normalize.py", "process_item"),
        ("snhr_crawler/pipelines/validate.py", "process_item"),
        ("snhr_crawler/pipelines/dedupe.py", "process_item"),
        ("snhr_crawler/pipelines/pdfs.py", "*"),
    ),
    "archive": (
        ("snhr_crawler/pipelines/archive.py", "process_item"),
        ("snhr_crawler/pipelines/archive.py", "open_spider"),
        ("snhr_crawler/pipelines/archive.py", "close_spider"),
        ("snhr_crawler/archive/extension.py", "spider_opened"),
        ("snhr_crawler/archive/extension.py", "spider_closed"),
    ),
    "capture": (
        ("snhr_crawler/capture/extension.py", "response_downloaded"),
        ("snhr_crawler/capture/extension.py", "request_left_downloader"),
        ("snhr_crawler/capture/extension.py", "spider_opened"),
        ("snhr_crawler/capture/extension.py", "spider_closed"),
    ),
    "run report, coverage, progress": (
        ("snhr_crawler/ops/coverage.py", "*"),
        ("snhr_crawler/ops/progress.py", "*"),
        ("snhr_crawler/ops/runreport.py", "*"),
    ),
}
REST = "Scrapy, Twisted and the rest"


def stage_shares(profile: Path) -> dict[str, float]:
    """Each stage's share of the profiled process's time (``REST`` included; they sum to 1)."""
    stats = pstats.Stats(str(profile))
    table = stats.stats  # type: ignore[attr-defined]
    total = sum(entry[2] for entry in table.values())  # tottime over every function
    shares: dict[str, float] = {}
    for stage, points in STAGES.items():
        seconds = 0.0
        for (path, _line, name), (_cc, _nc, _tt, cumulative, _callers) in table.items():
            if any(path.endswith(suffix) and want in ("*", name) for suffix, want in points):
                if _claimed_by_caller(table, (path, _line, name), points):
                    continue  # inside another entry point of the same stage: counted there
                seconds += cumulative
        shares[stage] = seconds / total if total else 0.0
    shares[REST] = max(0.0, 1.0 - sum(shares.values()))
    return shares


def _claimed_by_caller(
    table: dict[tuple[str, int, str], tuple], key: tuple[str, int, str], points: tuple
) -> bool:
    """True when every call of ``key`` came from a function of the same stage (a nested entry)."""
    callers = table[key][4]
    if not callers:
        return False
    return all(
        any(path.endswith(suffix) and want in ("*", name) for suffix, want in points)
        for (path, _line, name) in callers
    )
