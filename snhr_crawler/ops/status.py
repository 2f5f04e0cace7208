"""``snhr-crawler status``: did last night's run work, and what does the archive hold?

Per source: live records and the newest publication date (from the archive's
SQLite index, opened read-only, so it works during a crawl), the size of its
WARC captures (``warc/<source>/``), and the last run that crawled the source
with its outcome (from ``runs/*.json``). Exits 1 when
the most recent run failed, so ``status`` doubles as a monitoring probe.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
from pathlib import Path
from typing import Any

from snhr_crawler.archive.index import ArchiveIndex
from snhr_crawler.archive.paths import INDEX_NAME, iter_data_files
from snhr_crawler.capture.scan import warc_files
from snhr_crawler.ops import runs
from snhr_crawler.ops.checks import entry_failed
from snhr_crawler.ops.parser import EXIT_FAILED, EXIT_OK, add_archive_option, archive_from, fail
from snhr_crawler.ops.report import FINISHED, source_outcome
from snhr_crawler.ops.table import render


def register(subparsers: Any) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "status",
        help="per source: records, latest publication date, last run and its outcome",
        description=(
            "Show what the archive holds and how the last runs went. "
            "Exit 1 when the most recent run failed a check."
        ),
    )
    add_archive_option(parser)
    parser.add_argument("--json", action="store_true", help="print the status as JSON")
    parser.set_defaults(func=run)
    return parser


def _source_outcome(report: dict[str, Any], source: str) -> str:
    section = report["sources"][source]
    failed = sorted(
        {
            check["check"]
            for check in report.get("checks", [])
            if entry_failed(check) and check.get("source") in (source, None)
        }
    )
    if failed:
        return "FAILED: " + ", ".join(failed)
    outcome = source_outcome(section)
    return "ok" if outcome == FINISHED else outcome


def collect(archive_dir: Path, known_sources: list[str]) -> dict[str, Any]:
    """The status as data: ``{"archive", "last_run", "sources": [{source, records, ...}]}``."""
    last_run: dict[str, dict[str, Any]] = {}
    latest: dict[str, Any] | None = None
    for report in runs.iter_reports(archive_dir):  # newest first
        latest = latest or report
        for source in report.get("sources", {}):
            last_run.setdefault(source, report)
    on_disk = {rel.split("/", 1)[0] for rel in iter_data_files(archive_dir)}
    captured = capture_sizes(archive_dir)
    sources = sorted(set(known_sources) | on_disk | set(last_run) | set(captured))
    index = None
    if (archive_dir / INDEX_NAME).exists():
        index = ArchiveIndex.open(archive_dir / INDEX_NAME, readonly=True)
    rows = []
    try:
        for source in sources:
            last = last_run.get(source)
            rows.append(
                {
                    "source": source,
                    "records": index.count(source) if index else 0,
                    "latest_published": index.latest_published(source) if index else None,
                    "capture_files": captured.get(source, (0, 0))[0],
                    "capture_bytes": captured.get(source, (0, 0))[1],
                    "last_run": last["run_id"] if last else None,
                    "last_run_finished_at": last.get("finished_at") if last else None,
                    "outcome": _source_outcome(last, source) if last else "never run",
                    "new": last["sources"][source].get("new") if last else None,
                }
            )
    finally:
        if index is not None:
            index.close()
    return {
        "archive": str(archive_dir),
        "last_run": (
            {
                "run_id": latest["run_id"],
                "finished_at": latest.get("finished_at"),
                "outcome": latest.get("outcome", "unknown"),
                "failed_checks": [c for c in latest.get("checks", []) if entry_failed(c)],
            }
            if latest
            else None
        ),
        "sources": rows,
    }


def capture_sizes(archive_dir: Path) -> dict[str, tuple[int, int]]:
    """source -> (WARC files, bytes on disk), ``.open`` files of a running crawl included."""
    sizes: dict[str, tuple[int, int]] = {}
    for path in warc_files(archive_dir):
        try:
            size = path.stat().st_size
        except OSError:  # renamed by a running crawl meanwhile
            continue
        files, total = sizes.get(path.parent.name, (0, 0))
        sizes[path.parent.name] = (files + 1, total + size)
    return sizes


def human_size(size: int) -> str:
    """``0``, ``812 B``, ``4.1 MB``: a byte count for a table cell."""
    if not size:
        return "0"
    value, unit = float(size), "B"
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if value < 1000 or unit == "TB":
            break
        value /= 1000
    return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"


def _known_sources() -> list[str]:
    from scrapy.spiderloader import get_spider_loader

    from snhr_crawler.ops.crawl import project_settings

    return sorted(get_spider_loader(project_settings()).list())


def format_status(data: dict[str, Any]) -> str:
    headers = ["source", "records", "newest", "warc", "last run", "new", "outcome"]
    rows = [
        [
            row["source"],
            row["records"],
            (row["latest_published"] or "-")[:10],
            human_size(row["capture_bytes"]),
            row["last_run"] or "-",
            "-" if row["new"] is None else row["new"],
            row["outcome"],
        ]
        for row in data["sources"]
    ]
    last = data["last_run"]
    if last is None:
        head = f"archive {data['archive']}: no runs yet"
    else:
        head = f"archive {data['archive']}: last run {last['run_id']} {last['outcome'].upper()}"
    lines = [head, render(headers, rows)]
    if last:
        lines += [f"check {c['check']} FAILED: {c['message']}" for c in last["failed_checks"]]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    archive_dir = archive_from(args)
    if not archive_dir.is_dir():
        return fail("snhr-crawler status", f"no archive at {archive_dir}")
    try:
        data = collect(archive_dir, _known_sources())
    except sqlite3.Error as exc:
        return fail("snhr-crawler status", f"cannot read {archive_dir / INDEX_NAME}: {exc}")
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print(format_status(data))
    last = data["last_run"]
    return EXIT_FAILED if last is not None and last["outcome"] == "failed" else EXIT_OK
