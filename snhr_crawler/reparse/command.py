"""``snhr-crawler reparse [SOURCE...] [--since DATE] [--dry-run]``: re-read the archive offline.

Every archived article's latest version is re-read from its captured
response with today's parser (``reparse.run``); a record that reads
differently becomes a new version with ``change: reparse``. Nothing is
fetched. The run holds the archive's lock (exit 75 while a crawl has it),
writes ``runs/reparse/<run-id>.json`` and prints a table per source. With
``--dry-run`` nothing is written to the archive: the counts say what would
change, and a sample diff shows how. Exit 0, or 1 when a capture could not be
read or the parser failed on one (the report names them; ``verify`` says
what is wrong with a capture), 2 for a bad command line.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from snhr_crawler.archive.lock import ArchiveLockedError
from snhr_crawler.ops.parser import (
    EXIT_LOCKED,
    EXIT_OK,
    EXIT_USAGE,
    add_archive_option,
    archive_from,
    fail,
    iso_day,
)
from snhr_crawler.ops.table import render
from snhr_crawler.reparse.diff import record_diff
from snhr_crawler.reparse.engine import INVALID, NO_SPIDER, NOT_AN_ARTICLE, SAME
from snhr_crawler.reparse.report import write
from snhr_crawler.reparse.run import ReparseRun, reparse

PROG = "snhr-crawler reparse"


def register(subparsers: Any) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "reparse",
        help="re-read archived records from their captures with today's parser (offline)",
        description=(
            "Re-extract every archived article from its captured response with today's "
            "parser, without fetching anything. A record that reads differently is "
            "appended as a new version whose change is 'reparse'. Holds the archive's "
            "lock like a crawl; writes runs/reparse/<run-id>.json. Exit 0, 1 when a "
            "capture could not be read, 2 for a bad command line, 75 while a crawl "
            "holds the archive."
        ),
    )
    parser.add_argument("sources", nargs="*", metavar="SOURCE", help="spider names (default: all)")
    parser.add_argument(
        "--since",
        type=iso_day,
        metavar="YYYY-MM-DD",
        help="only articles published on or after this date",
    )
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="write nothing: say how many records would change and show a sample diff",
    )
    add_archive_option(parser)
    parser.set_defaults(func=run)
    return parser


def run(args: argparse.Namespace) -> int:
    """The ``reparse`` subcommand; returns the exit code (usage errors before anything is read)."""
    since = args.since
    from scrapy.spiderloader import get_spider_loader

    from snhr_crawler.ops.crawl import project_settings

    settings = project_settings()
    known = sorted(get_spider_loader(settings).list())
    unknown = [name for name in args.sources if name not in known]
    if unknown:
        return fail(
            PROG, f"unknown source {unknown[0]!r} (known: {', '.join(known)})", code=EXIT_USAGE
        )
    archive_dir = archive_from(args)
    if not archive_dir.is_dir():
        return fail(PROG, f"no archive at {archive_dir}")
    try:
        result = reparse(
            archive_dir,
            settings,
            sources=list(dict.fromkeys(args.sources)) or None,
            since=since,
            dry_run=args.dry_run,
        )
    except ArchiveLockedError as exc:
        return fail(PROG, str(exc), code=EXIT_LOCKED)
    report, path = write(result)
    print(summary(result, report))
    print(f"report: {path}")
    if result.trouble:
        return fail(
            PROG,
            f"{result.trouble} record(s) could not be re-read (see the report;"
            " `snhr-crawler verify` checks the captures)",
        )
    return EXIT_OK


def summary(result: ReparseRun, report: dict[str, Any]) -> str:
    totals = report["totals"]
    rate = totals["records_per_s"]
    verb = "would change (dry run: nothing written)" if result.dry_run else "changed"
    head = (
        f"reparse {result.run_id}: {totals['records']} record(s) re-read from their captures"
        f" in {report['duration_s']:.1f} s"
        + (f" ({rate:.0f} records/s)" if rate else "")
        + f": {totals['changed']} {verb}"
    )
    headers = ["source", "records", "changed", "unchanged", "no capture", "unreadable", "other"]
    rows = [
        [
            source,
            s["records"],
            s["changed"],
            s[SAME],
            s["no_capture"],
            s["unreadable"] + s["failed"],
            s[NOT_AN_ARTICLE] + s[INVALID] + s[NO_SPIDER],
        ]
        for source, s in report["sources"].items()
    ]
    lines = [head, render(headers, rows)]
    fields: dict[str, int] = {}
    for section in report["sources"].values():
        for name, count in section["changed_fields"].items():
            fields[name] = fields.get(name, 0) + count
    if fields:
        ordered = sorted(fields.items(), key=lambda item: (-item[1], item[0]))
        lines.append("changed fields: " + ", ".join(f"{name} {n}" for name, n in ordered))
    if result.dry_run:
        samples = [sample for tally in result.sources.values() for sample in tally.samples]
        for sample in samples[:3]:
            lines += ["", record_diff(sample.before, sample.after, sample.fields)]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """``python -m snhr_crawler.reparse.command``, the same as ``snhr-crawler reparse``."""
    parser = argparse.ArgumentParser(prog="snhr-crawler")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["reparse", *(sys.argv[1:] if argv is None else argv)])
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
