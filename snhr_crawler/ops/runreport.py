"""Finishing a run: checks against earlier runs, outcome, ``runs/<run-id>.json``.

``finish_run`` is shared by the ``crawl`` command (one report for all the
sources of a run) and by ``RunReport``, an extension that gives runs started
by ``scrapy crawl`` or Scrapyd a report of their own, so ``status`` and the
next run's checks see them too. Under ``snhr-crawler crawl`` the command
writes the report itself and turns the extension off (``OPS_RUN_REPORT``).

The extension only reports when the crawl has an archive (``ArchiveExtension``) (a crawl that
archives nothing has no archive to report into), names its run
``<UTC start>-<source>`` (Scrapyd may run several spiders at once) and logs a
failed check as a WARNING: without the CLI there is no exit code to set, and
the error count of the run must stay what the crawl itself logged.
"""

from __future__ import annotations

import logging
import os
import socket
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import NotConfigured

from snhr_crawler.archive.extension import archive_of
from snhr_crawler.archive.paths import resolve_archive_dir
from snhr_crawler.clock import run_window
from snhr_crawler.ops import runs
from snhr_crawler.ops.checks import CheckResult, Thresholds, carry_new_items, run_checks
from snhr_crawler.ops.layershift import attach_probe_profiles
from snhr_crawler.ops.report import source_section, totals

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Spider
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


def new_report(
    *,
    run_id: str,
    started: datetime,
    finished: datetime,
    archive_dir: Path,
    options: dict[str, Any],
    sections: dict[str, dict[str, Any]],
) -> dict[str, Any]:
    """A report without checks yet (see ``ops.report`` for the shape)."""
    return {
        "run_id": run_id,
        "started_at": runs.iso(started),
        "finished_at": runs.iso(finished),
        "duration_s": round((finished - started).total_seconds(), 1),
        "host": socket.gethostname(),
        "pid": os.getpid(),
        "archive": str(archive_dir.resolve()),
        "command": [Path(sys.argv[0]).name, *sys.argv[1:]],
        "options": options,
        "sources": sections,
        "totals": totals(sections.values()),
    }


def finish_run(
    report: dict[str, Any], archive_dir: Path, limits: Thresholds
) -> tuple[list[CheckResult], Path]:
    """Check ``report`` against earlier runs, record the outcome, write it; return both."""
    history = runs.previous_reports(archive_dir, report["run_id"], limits.history)
    carry_new_items(report, history)
    attach_probe_profiles(report, archive_dir)  # the shift alarm's first baseline
    results = run_checks(report, history, limits)
    report["thresholds"] = limits.as_dict()
    report["checks"] = [r.as_dict() for r in results]
    report["outcome"] = "ok" if all(r.ok for r in results) else "failed"
    return results, runs.write_report(archive_dir, report)


class RunReport:
    """A run report for each spider run outside ``snhr-crawler crawl``."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("OPS_RUN_REPORT", True):
            raise NotConfigured
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if archive_of(self.crawler) is None:
            return
        assert self.crawler.stats is not None
        stats = {**self.crawler.stats.get_stats(), "finish_reason": reason}
        started, finished = run_window(stats)
        archive_dir = resolve_archive_dir(self.crawler.settings)
        report = new_report(
            run_id=f"{runs.new_run_id(started)}-{spider.name}",
            started=started,
            finished=finished,
            archive_dir=archive_dir,
            options={"spider_arguments": _spider_arguments(spider)},
            sections={spider.name: source_section(stats)},
        )
        try:
            results, path = finish_run(
                report, archive_dir, Thresholds.from_settings(spider.settings)
            )
        except OSError as exc:
            logger.warning("Could not write the run report in %s: %s", archive_dir, exc)
            return
        failed = [result for result in results if not result.ok]
        self.crawler.stats.set_value("snhr/ops/checks_failed", len(failed))
        for result in failed:
            logger.warning(result.line())
        logger.info("Run report %s (%s)", path, report["outcome"])


def _spider_arguments(spider: Spider) -> dict[str, Any]:
    names = ("since", "max_pages", "full")
    values = {name: getattr(spider, name, None) for name in names}
    origin = getattr(getattr(spider, "site_origin", None), "fetch", "")
    return {k: str(v) for k, v in {**values, "origin": origin}.items() if v}
