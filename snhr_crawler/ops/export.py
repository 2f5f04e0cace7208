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

Nothing is overwritten by surprise: ``--output PATH`` must not exist (or,
with ``--force``, must be a regular file: never a device, a directory or a
symbolic link), and its directory must exist (a mistyped one is not created).
The output appears under its name only when complete (written to a hidden
temporary file beside it, then linked or renamed into place), so a failed
export never leaves half a file that looks whole. ``--output -`` streams to
standard output instead, and the count goes to standard error.

Every format carries the same typed table (``export_table``), and a file
export gets its Frictionless data package beside it
(``<output>.datapackage.json``, ``export_package``), under the same rules:
it must not exist unless ``--force``, and it appears only when complete,
after the file it describes. Standard output gets no descriptor (there is
nowhere to put it). CSV options: ``--excel`` (a byte order mark first, for
spreadsheet programs), ``--raw`` (text cells exactly as archived, without the
quote that keeps a spreadsheet from running a cell as a formula).
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import json
import os
import sqlite3
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from snhr_crawler.archive.paths import INDEX_NAME, iter_data_files
from snhr_crawler.archive.reader import iter_lines, latest_records
from snhr_crawler.ops.export_package import ExportFacts, build_descriptor, descriptor_path
from snhr_crawler.ops.export_table import table_row
from snhr_crawler.ops.exporters import FORMATS, exporter_for
from snhr_crawler.ops.outputs import OutputRefused
from snhr_crawler.ops.parser import (
    EXIT_OK,
    EXIT_USAGE,
    add_archive_option,
    archive_from,
    fail,
    iso_day,
)

PROG = "snhr-crawler export"
_SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".parquet": "parquet"}
#: ``--output -``: the rows go to standard output.
STDOUT = "-"


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
    parser.add_argument(
        "--format", choices=FORMATS, help="default: from the output's suffix (jsonl for -)"
    )
    parser.add_argument(
        "--output",
        "-o",
        required=True,
        metavar="PATH",
        help="a new file to write in an existing directory, or - for standard output",
    )
    parser.add_argument(
        "--force", action="store_true", help="replace PATH if it is an existing regular file"
    )
    parser.add_argument(
        "--source", action="append", metavar="SOURCE", help="only this source; repeatable"
    )
    parser.add_argument(
        "--since", type=iso_day, metavar="YYYY-MM-DD", help="only articles published since this day"
    )
    parser.add_argument(
        "--all-versions", action="store_true", help="every archived version and tombstone"
    )
    parser.add_argument(
        "--excel",
        action="store_true",
        help="CSV only: start with a byte order mark, so spreadsheets read UTF-8 (Arabic) right",
    )
    parser.add_argument(
        "--raw",
        action="store_true",
        help="CSV only: no leading ' on cells starting with = + - @ (formula neutralisation)",
    )
    add_archive_option(parser)
    parser.set_defaults(func=run)
    return parser


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


def check_output(output: Path, *, force: bool) -> None:
    """Refuse an output this export was not asked to replace; ``OutputRefused`` says why.

    ``lstat``, not ``stat``: a symbolic link is refused as such, so a link to
    ``/dev/null`` or to someone else's file is never written through.
    """
    try:
        info = output.lstat()
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise OutputRefused(f"cannot use {output}: {exc.strerror}") from None
    if info is not None:
        if stat.S_ISDIR(info.st_mode):
            raise OutputRefused(f"{output} is a directory; give a file name")
        if not stat.S_ISREG(info.st_mode):
            kind = "a symbolic link" if stat.S_ISLNK(info.st_mode) else "not a regular file"
            raise OutputRefused(
                f"{output} is {kind}; it is never replaced (-o - writes to standard output)"
            )
        if not force:
            raise OutputRefused(f"{output} exists; give --force to replace it")
    parent = output.parent
    if not parent.is_dir():
        raise OutputRefused(f"directory {parent} does not exist (it is not created)")


def write_export(
    records: Iterable[dict[str, Any]],
    fmt: str,
    output: Path,
    *,
    force: bool = False,
    facts: ExportFacts | None = None,
) -> int:
    """Write ``records`` to ``output`` in ``fmt`` and its data package beside it; return the rows.

    ``check_output`` first, for both files (``OutputRefused``). Each is
    written to a hidden temporary file and put in place only when complete,
    the data first. Without ``force`` a finished file is hard-linked into
    place, which fails if something appeared under that name meanwhile,
    instead of being renamed over it. ``facts`` carries the selection and the
    CSV options for the descriptor (default: ``fmt`` alone).
    """
    facts = facts or ExportFacts(fmt)
    package = descriptor_path(output)
    check_output(output, force=force)
    check_output(package, force=force)
    partials: list[Path] = []
    try:
        data = _partial(output, partials)
        with open(data, "wb") as handle:
            facts.rows = write_rows(
                records, fmt, handle, raw=facts.raw, excel=facts.excel, facts=facts
            )
        descriptor = build_descriptor(facts, data, name=output.name)
        described = _partial(package, partials)
        with open(described, "w", encoding="utf-8") as handle:
            json.dump(descriptor, handle, ensure_ascii=False, indent=2)
            handle.write("\n")
        _put_in_place(data, output, force=force)
        _put_in_place(described, package, force=force)
    finally:
        for partial in partials:
            with contextlib.suppress(FileNotFoundError):
                partial.unlink()
    return facts.rows


def _partial(output: Path, partials: list[Path]) -> Path:
    """A new hidden temporary file beside ``output`` (noted in ``partials`` for cleaning up)."""
    fd, tmp = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.", suffix=".partial")
    os.close(fd)
    partials.append(Path(tmp))
    return Path(tmp)


def write_rows(
    records: Iterable[dict[str, Any]],
    fmt: str,
    handle: Any,
    *,
    raw: bool = False,
    excel: bool = False,
    facts: ExportFacts | None = None,
) -> int:
    """Export ``records`` to an open binary ``handle``; return the row count.

    Each record becomes a typed row once (``table_row``); ``facts``, when
    given, notes each row for the data package.
    """
    count = 0
    exporter = exporter_for(fmt, handle, raw=raw, excel=excel)
    exporter.start_exporting()
    for record in records:
        row = table_row(record)
        if facts is not None:
            facts.note(row)
        exporter.export_row(row)
        count += 1
    exporter.finish_exporting()
    handle.flush()
    return count


def _put_in_place(partial: Path, output: Path, *, force: bool) -> None:
    os.chmod(partial, 0o666 & ~_umask())  # mkstemp's 0600 is for the unfinished file only
    if force:
        check_output(output, force=True)  # still a regular file (or gone) just before
        os.replace(partial, output)
        return
    try:
        os.link(partial, output)
    except FileExistsError:
        raise OutputRefused(f"{output} appeared during the export; not replaced") from None
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
            raise
        check_output(output, force=False)  # a filesystem without hard links
        os.replace(partial, output)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def run(args: argparse.Namespace) -> int:
    archive_dir = archive_from(args)
    to_stdout = args.output == STDOUT
    output = Path(args.output)
    if not to_stdout:
        try:
            check_output(output, force=args.force)
        except OutputRefused as exc:
            return fail(PROG, f"--output: {exc}", EXIT_USAGE)
    fmt = args.format or ("jsonl" if to_stdout else _SUFFIXES.get(output.suffix.lower()))
    if fmt is None:
        return fail(
            PROG, f"--format: cannot tell the format of {output.name}; give --format", EXIT_USAGE
        )
    if to_stdout and fmt == "parquet" and sys.stdout.isatty():
        return fail(PROG, "--format parquet is binary: redirect standard output", EXIT_USAGE)
    for option in ("excel", "raw"):
        if getattr(args, option) and fmt != "csv":
            return fail(PROG, f"--{option} is for CSV only (this export is {fmt})", EXIT_USAGE)
    if not to_stdout:
        try:
            check_output(descriptor_path(output), force=args.force)
        except OutputRefused as exc:
            return fail(PROG, f"--output: {exc}", EXIT_USAGE)
    if not archive_dir.is_dir():
        return fail(PROG, f"no archive at {archive_dir}")
    archived = sorted({rel.split("/", 1)[0] for rel in iter_data_files(archive_dir)})
    unknown = [name for name in args.source or [] if name not in archived]
    if unknown:  # a typo would otherwise give an empty table and exit 0
        known = ", ".join(archived) or "none yet"
        return fail(PROG, f"--source: {unknown[0]!r} is not in the archive ({known})", EXIT_USAGE)
    rows = export_records(archive_dir, args.source, args.since, args.all_versions)
    facts = ExportFacts(
        fmt,
        all_versions=args.all_versions,
        sources=args.source,
        since=args.since,
        excel=args.excel,
        raw=args.raw,
    )
    try:
        if to_stdout:
            count = write_rows(rows, fmt, sys.stdout.buffer, raw=args.raw, excel=args.excel)
        else:
            count = write_export(rows, fmt, output, force=args.force, facts=facts)
    except OutputRefused as exc:
        return fail(PROG, f"--output: {exc}", EXIT_USAGE)
    except BrokenPipeError:
        raise  # the reader went away: the CLI ends quietly
    except OSError as exc:
        return fail(PROG, f"cannot write {args.output}: {exc.strerror or exc}")
    what = "version(s)" if args.all_versions else "article(s)"
    if to_stdout:
        print(
            f"exported {count} {what} from {archive_dir} to standard output ({fmt})",
            file=sys.stderr,
        )
    else:
        print(
            f"exported {count} {what} from {archive_dir} to {output} ({fmt});"
            f" data package: {descriptor_path(output)}"
        )
    return EXIT_OK
