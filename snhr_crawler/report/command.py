"""``snhr-crawler report --output DIR``: a static page with plots, for people who would rather look.

Writes into ``DIR``: ``index.html`` (headline numbers, seven plots, each
with the table it was drawn from), one PNG per plot and ``report.json``
(every number on the page). The articles come from the same rows
``snhr-crawler export`` writes (``ops.export.export_records`` through
``ops.export_table.table_row``), the runs from ``runs/*.json``, the coverage
from ``state/audit-<source>.json``; nothing depends on today's date.

``DIR`` is created if missing (its parent must exist). An existing ``DIR``
must be an empty directory, or ``--force`` replaces the report's own files in
it (other files are left alone). Each file is written under a temporary name
and renamed; the page comes last, so it never points at a plot not yet
written. Plots need matplotlib, the ``report`` extra; without it the command
says so in one line (exit 2).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from snhr_crawler.archive.paths import iter_data_files
from snhr_crawler.discovery.state import STATE_DIR
from snhr_crawler.ops.export import export_records
from snhr_crawler.ops.export_table import iso_instant, table_row
from snhr_crawler.ops.outputs import OutputRefused, check_output_dir
from snhr_crawler.ops.parser import EXIT_OK, EXIT_USAGE, add_archive_option, archive_from, fail
from snhr_crawler.ops.runs import iter_reports
from snhr_crawler.report.figures import Figure, Tally

PROG = "snhr-crawler report"
PAGE = "index.html"
NUMBERS = "report.json"
INSTALL_HINT = "pip install 'snhr-crawler[report]'"


def register(subparsers: Any) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "report",
        help="write a static HTML page with plots of the archive (needs matplotlib)",
        description=(
            "Articles per month by source and type, incidents per month by event, victims by"
            " perpetrator, incidents by governorate, the lag to publication, each run's"
            " changes and the audit's coverage: an offline HTML page, its PNG plots and"
            " report.json with every number."
        ),
    )
    parser.add_argument(
        "--output",
        "-o",
        required=True,
        metavar="DIR",
        help="directory to write (created if missing; must be empty unless --force)",
    )
    parser.add_argument(
        "--force", action="store_true", help="replace the report's files in an existing DIR"
    )
    parser.add_argument(
        "--source", action="append", metavar="SOURCE", help="only this source; repeatable"
    )
    add_archive_option(parser)
    parser.set_defaults(func=run)
    return parser


def check_output(output: Path, *, force: bool) -> None:
    """Refuse a ``DIR`` this report was not asked to write into; ``OutputRefused`` says why."""
    check_output_dir(output)
    if output.exists() and any(output.iterdir()) and not force:
        raise OutputRefused(f"{output} is not empty; give --force to replace the report in it")


def read_audits(archive_dir: Path, sources: list[str] | None) -> Iterator[dict[str, Any]]:
    """The saved audit figures (``state/audit-<source>.json``), by source name."""
    for path in sorted((archive_dir / STATE_DIR).glob("audit-*.json")):
        try:
            audit = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError):
            continue  # a damaged file is not a figure; the audit rewrites it
        if isinstance(audit, dict) and (sources is None or audit.get("source") in sources):
            yield audit


def build(archive_dir: Path, sources: list[str] | None) -> tuple[dict[str, Any], list[Figure]]:
    """(what ``report.json`` holds, the figures) for the archive, as ``export`` would read it."""
    tally = Tally()
    for record in export_records(archive_dir, sources, None, False):
        tally.add(table_row(record))
    runs = iter_reports(archive_dir, newest_first=False)
    figures = tally.figures(runs, read_audits(archive_dir, sources), set(sources or ()) or None)
    report = {
        "archive": str(archive_dir),
        "as_of": iso_instant(tally.archived_until) if tally.archived_until else None,
        "sources": sorted(sources) if sources else sorted(tally.by_source),
        "headline": tally.headline(),
        "figures": {figure.key: figure.to_dict() for figure in figures},
    }
    return report, figures


def _replace(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def write(output: Path, report: dict[str, Any], figures: list[Figure]) -> Path:
    """Write the plots, ``report.json`` and the page into ``output``; return the page's path."""
    from snhr_crawler.report import page, plots  # matplotlib: checked by the caller

    output.mkdir(exist_ok=True)
    images = {}
    for figure in figures:
        images[figure.key] = f"{figure.key}.png"
        fd, tmp = tempfile.mkstemp(dir=output, prefix=f".{figure.key}.", suffix=".png")
        os.close(fd)
        try:
            plots.draw(figure, Path(tmp))
            os.chmod(tmp, 0o644)
            os.replace(tmp, output / images[figure.key])
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
    numbers = json.dumps(report, ensure_ascii=False, indent=1) + "\n"
    _replace(output / NUMBERS, numbers.encode("utf-8"))
    _replace(output / PAGE, page.render(report, figures, images).encode("utf-8"))
    return output / PAGE


def run(args: argparse.Namespace) -> int:
    try:
        import matplotlib  # noqa: F401  -- the report extra
    except ImportError:
        return fail(
            PROG, f"plots need matplotlib, which is not installed: {INSTALL_HINT}", EXIT_USAGE
        )
    archive_dir = archive_from(args)
    output = Path(args.output)
    try:
        check_output(output, force=args.force)
    except OutputRefused as exc:
        return fail(PROG, f"--output: {exc}", EXIT_USAGE)
    if not archive_dir.is_dir():
        return fail(PROG, f"no archive at {archive_dir}")
    archived = sorted({rel.split("/", 1)[0] for rel in iter_data_files(archive_dir)})
    unknown = [name for name in args.source or [] if name not in archived]
    if unknown:
        known = ", ".join(archived) or "none yet"
        return fail(PROG, f"--source: {unknown[0]!r} is not in the archive ({known})", EXIT_USAGE)
    report, figures = build(archive_dir, args.source)
    try:
        path = write(output, report, figures)
    except OSError as exc:
        return fail(PROG, f"cannot write {output}: {exc.strerror or exc}")
    head = report["headline"]
    print(
        f"report of {head['articles']} article(s), {head['incidents']} incident(s)"
        f" from {archive_dir}: {path}"
    )
    return EXIT_OK
