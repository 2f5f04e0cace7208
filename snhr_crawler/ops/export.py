"""``snhr-crawler export``: the archive as one clean table (JSON Lines, CSV or Parquet).

By default one row per article, its latest version, tombstoned (removed)
articles left out, sorted by publication date (then id; undated articles
last). ``--all-versions`` writes every archived line instead, tombstones
included, each article's versions together in version order, articles sorted
by the publication date of their latest dated version.

Memory does not grow with the archive:

* latest versions come from ``archive.reader.latest_records``: ordered by the
  archive's SQLite index (one query, ``ORDER BY published_at``), each row read
  by seeking to the offset the index keeps, a few files kept open; a row the
  index points at but the file does not hold (torn or missing line) is skipped
  with a warning;
* ``--all-versions`` (and an archive copied without its index) goes through an
  external sort: lines are streamed into a temporary SQLite database on disk,
  which sorts them there;
* exporters write as they go (Parquet in row groups of 5,000).

The output appears under its name only when complete (written to
``PATH.partial``, then renamed), so a failed export never leaves half a file
that looks whole.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from snhr_crawler.archive.paths import INDEX_NAME, iter_data_files
from snhr_crawler.archive.reader import iter_lines, latest_records
from snhr_crawler.ops.exporters import FORMATS, exporter_for
from snhr_crawler.ops.parser import EXIT_OK, EXIT_USAGE, add_archive_option, archive_from, fail

PROG = "snhr-crawler export"
_SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".parquet": "parquet"}


def register(subparsers: Any) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "export",
        help="write the archive as one table: jsonl, csv or parquet",
        description=(
            "One row per article (latest version) sorted by publication date, "
            "or every version with --all-versions. Streams: memory does not grow "
            "with the archive."
        ),
    )
    parser.add_argument("--format", choices=FORMATS, help="default: from the output's suffix")
    parser.add_argument("--output", "-o", required=True, metavar="PATH", help="file to write")
    parser.add_argument(
        "--source", action="append", metavar="SOURCE", help="only this source; repeatable"
    )
    parser.add_argument(
        "--since", type=_day, metavar="YYYY-MM-DD", help="only articles published since this day"
    )
    parser.add_argument(
        "--all-versions", action="store_true", help="every archived version and tombstone"
    )
    add_archive_option(parser)
    parser.set_defaults(func=run)
    return parser


def _day(text: str) -> str:
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected YYYY-MM-DD, got {text!r}") from None


# -- external sort for every version (or no index) ------------------------------------------
def external_sort(records: Iterable[dict[str, Any]], since: str | None) -> Iterator[dict[str, Any]]:
    """``records`` sorted by their article's latest dated ``published_at``, then id, version.

    Rows go into a temporary SQLite file, which sorts on disk; memory holds
    SQLite's page cache, not the archive. A tombstone has no date of its own
    and sorts with its article.
    """
    with tempfile.TemporaryDirectory(prefix="snhr-export-") as tmp:
        conn = sqlite3.connect(Path(tmp) / "sort.sqlite3")
        try:
            conn.executescript(
                "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA temp_store = FILE;"
                "CREATE TABLE v (id TEXT, version INTEGER, published TEXT, line TEXT);"
            )
            conn.executemany(
                "INSERT INTO v VALUES (?, ?, ?, ?)",
                (
                    (
                        r.get("id"),
                        r.get("version"),
                        r.get("published_at"),
                        json.dumps(r, ensure_ascii=False),
                    )
                    for r in records
                ),
            )
            # SQLite takes a bare column from the row holding MAX(): the latest dated version.
            conn.executescript(
                "CREATE TABLE pub AS SELECT id, published, MAX(version) FROM v"
                " WHERE published IS NOT NULL GROUP BY id;"
                "CREATE INDEX pub_id ON pub (id);"
            )
            sql = (
                "SELECT v.line FROM v LEFT JOIN pub ON pub.id = v.id"
                " WHERE ? IS NULL OR pub.published >= ?"
                " ORDER BY pub.published IS NULL, pub.published, v.id, v.version"
            )
            for (line,) in conn.execute(sql, (since, since)):
                yield json.loads(line)
        finally:
            conn.close()


def export_records(
    archive_dir: Path, sources: list[str] | None, since: str | None, all_versions: bool
) -> Iterator[dict[str, Any]]:
    """The rows to export, in order; see the module docstring."""
    if all_versions:
        return external_sort(iter_lines(archive_dir, sources), since)
    if (archive_dir / INDEX_NAME).exists():
        return latest_records(archive_dir, sources, by_published=True, since=since)
    return external_sort(latest_records(archive_dir, sources), since)


def write_export(records: Iterable[dict[str, Any]], fmt: str, output: Path) -> int:
    """Write ``records`` to ``output`` in ``fmt``, atomically; return the row count."""
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".partial")
    count = 0
    try:
        with open(partial, "wb") as handle:
            exporter = exporter_for(fmt, handle)
            exporter.start_exporting()
            for record in records:
                exporter.export_item(record)
                count += 1
            exporter.finish_exporting()
        os.replace(partial, output)
    finally:
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
    return count


def run(args: argparse.Namespace) -> int:
    archive_dir = archive_from(args)
    output = Path(args.output)
    fmt = args.format or _SUFFIXES.get(output.suffix.lower())
    if fmt is None:
        return fail(
            PROG, f"--format: cannot tell the format of {output.name}; give --format", EXIT_USAGE
        )
    if not archive_dir.is_dir():
        return fail(PROG, f"no archive at {archive_dir}")
    archived = sorted({rel.split("/", 1)[0] for rel in iter_data_files(archive_dir)})
    unknown = [name for name in args.source or [] if name not in archived]
    if unknown:  # a typo would otherwise give an empty table and exit 0
        known = ", ".join(archived) or "none yet"
        return fail(PROG, f"--source: {unknown[0]!r} is not in the archive ({known})", EXIT_USAGE)
    try:
        count = write_export(
            export_records(archive_dir, args.source, args.since, args.all_versions), fmt, output
        )
    except OSError as exc:
        return fail(PROG, f"cannot write {output}: {exc.strerror or exc}")
    what = "version(s)" if args.all_versions else "article(s)"
    print(f"exported {count} {what} from {archive_dir} to {output} ({fmt})")
    return EXIT_OK
