"""The run report of a ``reparse``: ``runs/reparse/<run-id>.json``, shaped like a crawl's.

Same keys at the top as a crawl report (``run_id``, ``started_at``,
``finished_at``, ``duration_s``, ``host``, ``pid``, ``archive``, ``command``,
``options``, ``sources``, ``totals``, ``outcome``), plus ``kind: reparse``.
Per source::

    {"records": 160, "changed": 3, "unchanged": 157, "no_capture": 0,
     "unreadable": 0, "not_an_article": 0, "invalid": 0, "failed": 0,
     "changed_fields": {"published_at": 2, "title": 1}, "invalid_reasons": {},
     "duration_s": 1.9, "records_per_s": 84.2,
     "extraction_layers": {"published_at": {"json-ld": 160}, ...}, "problems": []}

(``changed`` counts what a dry run would write.) Kept in their own folder so
that a crawl's health checks, which compare a run with the crawl reports
before it, and ``status``'s "last run", never take a re-read for a crawl.
``outcome`` is ``failed`` when a capture could not be read or the parser
failed on one: ``verify`` says what is wrong with the capture.
"""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path
from typing import Any

from snhr_crawler.ops import runs
from snhr_crawler.ops.report import extraction_layers
from snhr_crawler.reparse.engine import (
    CHANGED,
    FAILED,
    INVALID,
    NO_CAPTURE,
    NO_SPIDER,
    NOT_AN_ARTICLE,
    SAME,
    UNREADABLE,
)
from snhr_crawler.reparse.run import ReparseRun, SourceTally

REPORT_DIR = "reparse"
COUNTS = (CHANGED, SAME, NO_CAPTURE, UNREADABLE, NOT_AN_ARTICLE, INVALID, FAILED, NO_SPIDER)


def reports_dir(archive_dir: Path) -> Path:
    """``runs/reparse/``: beside the crawl reports, not among them."""
    return runs.runs_dir(archive_dir) / REPORT_DIR


def section(tally: SourceTally) -> dict[str, Any]:
    seconds = round(tally.seconds, 3)
    return {
        "records": tally.records,
        **{name: tally.outcomes[name] for name in COUNTS},
        "changed_fields": dict(tally.fields.most_common()),
        "invalid_reasons": dict(tally.invalid.most_common()),
        "duration_s": seconds,
        "records_per_s": round(tally.records / tally.seconds, 1) if tally.seconds else None,
        "extraction_layers": extraction_layers(tally.spider_stats),
        "problems": tally.problems,
    }


def build_report(run: ReparseRun) -> dict[str, Any]:
    sections = {source: section(tally) for source, tally in run.sources.items()}
    totals: dict[str, Any] = {
        name: sum(s[name] for s in sections.values()) for name in ("records", *COUNTS)
    }
    seconds = sum(tally.seconds for tally in run.sources.values())
    totals["records_per_s"] = round(totals["records"] / seconds, 1) if seconds else None
    return {
        "run_id": run.run_id,
        "kind": "reparse",
        "started_at": runs.iso(run.started),
        "finished_at": runs.iso(run.finished),
        "duration_s": round((run.finished - run.started).total_seconds(), 1),
        "host": socket.gethostname(),
        "pid": os.getpid(),
        "archive": str(run.archive_dir),
        "command": [Path(sys.argv[0]).name, *sys.argv[1:]],
        "options": {"since": run.since, "dry_run": run.dry_run, "sources": list(run.sources)},
        "sources": sections,
        "totals": totals,
        "outcome": "failed" if run.trouble else "ok",
    }


def write(run: ReparseRun) -> tuple[dict[str, Any], Path]:
    """Write the run's report (atomically, as a crawl's); return it and its path."""
    report = build_report(run)
    return report, runs.write_report(run.archive_dir, report, folder=reports_dir(run.archive_dir))
