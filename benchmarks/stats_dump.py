"""A stats collector that also writes the crawl's final stats to a JSON file.

The benchmark reads pages and items from Scrapy's own counters. Swapping the
stats class (``-s STATS_CLASS=benchmarks.stats_dump.JsonDumpStatsCollector
-s BENCH_STATS_FILE=PATH``) leaves ``EXTENSIONS`` and ``ITEM_PIPELINES``
exactly as the project sets them, which a bench-only extension passed through
``-s EXTENSIONS=...`` would not: that replaces the project's dict.

It also records the process's peak RSS (``VmHWM`` of ``/proc/self/status``,
as ``bench/peak_rss_kb``). The parent's ``ru_maxrss`` of the child cannot be
used: ``subprocess`` starts children with vfork, and exec carries the parent's
high-water mark into the child's, so every crawl would report at least the
benchmark process's own peak.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from scrapy.statscollectors import MemoryStatsCollector


class JsonDumpStatsCollector(MemoryStatsCollector):
    """``MemoryStatsCollector`` plus a JSON dump to ``BENCH_STATS_FILE`` at close."""

    def _persist_stats(self, stats: dict[str, Any]) -> None:
        super()._persist_stats(stats)
        target = self._crawler.settings.get("BENCH_STATS_FILE")
        if target:
            stats = {**stats, "bench/peak_rss_kb": peak_rss_kb()}
            # default=str: start/finish times are datetimes.
            Path(target).write_text(json.dumps(stats, default=str, sort_keys=True), "utf-8")


def peak_rss_kb() -> int | None:
    """This process's resident-set high-water mark in KiB (Linux), else None."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return None
