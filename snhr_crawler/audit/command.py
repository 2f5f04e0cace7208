"""``snhr-crawler audit``: what the sites say they have, compared with the archive.

Runs the inventory crawl (REST totals, sitemaps, listing counts) of each
source in turn, compares it with the archive, prints the figures and names
every missing post by URL, and saves them in ``state/audit-<source>.json``.
Origins on loopback (``--origin``, ``--origins-file``) get local mode, as
``crawl`` gives them; live sites keep the polite defaults (``ops.politeness``),
and ``--set`` is checked as ``crawl`` checks it (``ops.overrides``).
"""

from __future__ import annotations

import argparse
import json
import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from snhr_crawler.archive.paths import INDEX_NAME, resolve_archive_dir
from snhr_crawler.archive.reader import index_rows, latest_records
from snhr_crawler.audit.compare import AuditReport, compare
from snhr_crawler.audit.inventory import Inventory, InventorySpider
from snhr_crawler.discovery.state import STATE_DIR
from snhr_crawler.ops.crawl import UsageProblem, _pairs, project_settings, read_origins_file
from snhr_crawler.ops.overrides import BadOverride, parse_overrides
from snhr_crawler.ops.parser import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    OneLineParser,
    add_archive_option,
    archive_from,
    fail,
)
from snhr_crawler.ops.politeness import describe, local_sources
from snhr_crawler.ops.side_crawls import (
    choose_sources,
    read_only_project,
    run_in_turn,
    source_settings,
)

logger = logging.getLogger(__name__)

PROG = "snhr-crawler audit"


# --- running it ----------------------------------------------------------------------------


def report_path(archive_dir: Path | str, source: str) -> Path:
    return Path(archive_dir) / STATE_DIR / f"audit-{source}.json"


def archived_pairs(archive_dir: Path, source: str) -> Iterator[tuple[Any, Any]]:
    """``(post_id, url)`` of each live archived article of ``source``, one at a time.

    From the index when there is one; else a scan of the latest records, of
    which only those two fields are kept (the bodies are never held).
    """
    if (archive_dir / INDEX_NAME).exists():
        for row in index_rows(archive_dir, [source], include_tombstoned=False):
            yield row.post_id, row.url
    else:
        for record in latest_records(archive_dir, [source]):
            yield record.get("post_id"), record.get("url")


def run_audit(
    sources: list[str] | None = None,
    *,
    archive_dir: Path | str | None = None,
    origins: dict[str, str] | None = None,
    settings: dict[str, Any] | None = None,
    write_json: bool = True,
    announce: Callable[[str], None] | None = None,
) -> list[AuditReport]:
    """Audit ``sources`` (default: every news spider); the function the CLI calls.

    ``origins`` maps a source to the origin to fetch it from (a local copy:
    on loopback, it is fetched in local mode and ``announce`` gets the line
    saying so); ``settings`` override project settings for the inventory
    crawl. Blocks until the inventory crawls end (one source after the other);
    call it once per process. Raises :class:`~snhr_crawler.ops.crawl.UsageProblem`
    when there is no source to audit, a source is unknown, an origin names a
    source not audited, or a live source would be fetched less politely than
    the defaults.
    """
    project = read_only_project(settings)
    directory = Path(archive_dir) if archive_dir else resolve_archive_dir(project)
    origins = origins or {}
    names, classes = choose_sources(project, sources, origins, "audit")
    local = local_sources(names, origins)
    inventories = {name: Inventory(source=name) for name in names}
    jobs = [
        {
            "source_cls": classes[name],
            "inventory": inventories[name],
            "origin": origins.get(name, ""),
            "settings": source_settings(project, name, local=name in local),
        }
        for name in names
    ]
    if local and announce is not None:
        announce(describe(local, [name for name in names if name not in local]))
    run_in_turn(project, InventorySpider, jobs)
    reports = []
    for name in names:
        report = compare(inventories[name], archived_pairs(directory, name))
        reports.append(report)
        if write_json and directory.is_dir():
            path = report_path(directory, name)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n")
    return reports


def _origins(values: list[str]) -> dict[str, str]:
    origins = dict(_pairs(values, "--origin", "SOURCE=URL"))
    for url in origins.values():
        if not url.startswith(("http://", "https://")):
            raise UsageProblem(f"--origin: expected an http(s) URL, got {url!r}")
    return origins


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("sources", nargs="*", help="spider names (default: all sources)")
    add_archive_option(parser)
    parser.add_argument(
        "--origin",
        action="append",
        default=[],
        metavar="SOURCE=URL",
        help="fetch SOURCE from another origin (a local copy), repeatable",
    )
    parser.add_argument(
        "--origins-file",
        metavar="FILE",
        help="origins for several sources: the 'SOURCE URL' lines 'replica serve' prints, "
        "or a JSON object {source: url}; sources not audited are ignored",
    )
    parser.add_argument(
        "-s",
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a Scrapy setting for the inventory crawl (checked as crawl checks it)",
    )
    parser.add_argument("--json", action="store_true", help="print the reports as JSON")
    parser.add_argument(
        "--scrapy-log", action="store_true", help="show Scrapy's log of the inventory on stderr"
    )


def command(args: argparse.Namespace) -> int:
    """Run the audit from parsed arguments; 0 = complete, 1 = gaps or silence, 2 = usage."""
    try:
        origins: dict[str, str] = {}
        if args.origins_file:
            wanted = set(args.sources) or None
            from_file = read_origins_file(Path(args.origins_file))
            origins.update({k: v for k, v in from_file.items() if wanted is None or k in wanted})
        origins.update(_origins(args.origin))
        pairs = _pairs(args.set, "--set", "NAME=VALUE")
        try:
            settings: dict[str, Any] = parse_overrides(pairs, project_settings())
        except BadOverride as exc:
            raise UsageProblem(str(exc)) from None
        if not args.scrapy_log:  # what did not answer, and why, is in the report itself
            settings.setdefault("LOG_ENABLED", False)
        reports = run_audit(
            args.sources or None,
            # --archive, else an ARCHIVE_DIR given with --set, else as archive_from.
            archive_dir=archive_from(args) if args.archive else None,
            origins=origins,
            settings=settings,
            # News, not an error: on stdout, unless stdout is for JSON.
            announce=None if args.json else lambda line: print(line, flush=True),
        )
    except UsageProblem as error:
        return fail(PROG, str(error), code=EXIT_USAGE)
    if args.json:
        print(json.dumps([r.to_dict() for r in reports], indent=2, ensure_ascii=False))
    else:
        print("\n\n".join(report.render() for report in reports))
    silent = [report for report in reports if report.nothing_answered]
    for report in silent:
        fail(PROG, f"{report.source}: nothing answered (no REST, sitemap or listing page)")
    return EXIT_FAILED if silent or any(report.missing for report in reports) else EXIT_OK


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``audit`` subcommand to an argparse ``subparsers`` (``func`` = :func:`command`)."""
    parser = subparsers.add_parser(
        "audit",
        help="compare the archive with what the sites say they have",
        description=(
            "Ask each site what it has (REST totals, sitemaps, listing counts), compare it"
            " with the archive and name every missing post by URL. Loopback origins run in"
            " local mode. Exit 0 when nothing is missing, 1 when posts are missing or a"
            " site did not answer, 2 for a bad command line."
        ),
    )
    add_arguments(parser)
    parser.set_defaults(func=command)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = OneLineParser(prog=PROG)
    add_arguments(parser)
    return command(parser.parse_args(argv))
