"""``snhr-crawler audit``: run the inventory, compare, print and save the figures."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.spiderloader import get_spider_loader
from scrapy.utils.project import get_project_settings

from snhr_crawler.archive.paths import resolve_archive_dir
from snhr_crawler.archive.reader import latest_records
from snhr_crawler.audit.compare import AuditReport, compare
from snhr_crawler.audit.inventory import Inventory, InventorySpider
from snhr_crawler.discovery.state import STATE_DIR

logger = logging.getLogger(__name__)


# --- running it ----------------------------------------------------------------------------


def report_path(archive_dir: Path | str, source: str) -> Path:
    return Path(archive_dir) / STATE_DIR / f"audit-{source}.json"


def run_audit(
    sources: list[str] | None = None,
    *,
    archive_dir: Path | str | None = None,
    origins: dict[str, str] | None = None,
    settings: dict[str, Any] | None = None,
    write_json: bool = True,
) -> list[AuditReport]:
    """Audit ``sources`` (default: every news spider); the function the CLI calls.

    ``origins`` maps a source to the origin to fetch it from (a local copy);
    ``settings`` override project settings for the inventory crawl. Blocks
    until the inventory crawl ends; call it once per process.
    """
    project = get_project_settings()
    if settings:
        project.setdict(settings, priority="cmdline")
    project.set("ITEM_PIPELINES", {}, priority="cmdline")  # the inventory archives nothing
    project.set("FEEDS", {}, priority="cmdline")
    directory = Path(archive_dir) if archive_dir else resolve_archive_dir(project)
    loader = get_spider_loader(project)
    names = sources or [n for n in loader.list() if hasattr(loader.load(n), "public_origin")]
    origins = origins or {}
    inventories = {name: Inventory(source=name) for name in names}
    process = CrawlerProcess(project)
    for name in names:
        process.crawl(
            InventorySpider,
            source_cls=loader.load(name),
            inventory=inventories[name],
            origin=origins.get(name, ""),
        )
    process.start()
    reports = []
    for name in names:
        records = list(latest_records(directory, [name]))
        report = compare(inventories[name], records)
        reports.append(report)
        if write_json and directory.is_dir():
            path = report_path(directory, name)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n")
    return reports


def _origins(values: list[str]) -> dict[str, str]:
    origins = {}
    for value in values:
        source, sep, url = value.partition("=")
        if not sep or not url.startswith(("http://", "https://")):
            raise ValueError(f"--origin expects SOURCE=URL, got {value!r}")
        origins[source.strip()] = url.strip()
    return origins


def _settings(values: list[str]) -> dict[str, str]:
    pairs = {}
    for value in values:
        name, sep, setting = value.partition("=")
        if not sep:
            raise ValueError(f"--set expects NAME=VALUE, got {value!r}")
        pairs[name.strip()] = setting
    return pairs


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("sources", nargs="*", help="spider names (default: all sources)")
    parser.add_argument("--archive", metavar="DIR", help="archive directory (default: ARCHIVE_DIR)")
    parser.add_argument(
        "--origin",
        action="append",
        default=[],
        metavar="SOURCE=URL",
        help="fetch SOURCE from another origin (a local copy), repeatable",
    )
    parser.add_argument(
        "-s",
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a Scrapy setting for the inventory crawl",
    )
    parser.add_argument("--json", action="store_true", help="print the reports as JSON")


def command(args: argparse.Namespace) -> int:
    """Run the audit from parsed arguments; 0 = complete, 1 = gaps, 2 = usage error."""
    try:
        origins = _origins(args.origin)
        settings = _settings(args.set)
    except ValueError as error:
        print(f"snhr-crawler audit: error: {error}", file=sys.stderr)
        return 2
    settings.setdefault("LOG_LEVEL", "WARNING")
    try:
        reports = run_audit(
            args.sources or None, archive_dir=args.archive, origins=origins, settings=settings
        )
    except KeyError as error:
        print(f"snhr-crawler audit: error: unknown source {error}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps([r.to_dict() for r in reports], indent=2, ensure_ascii=False))
    else:
        print("\n\n".join(report.render() for report in reports))
    return 1 if any(report.missing for report in reports) else 0


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``audit`` subcommand to an argparse ``subparsers`` (``func`` = :func:`command`)."""
    parser = subparsers.add_parser(
        "audit",
        help="compare the archive with what the sites say they have",
        description=__doc__.split("\n\n", 1)[0] if __doc__ else None,
    )
    add_arguments(parser)
    parser.set_defaults(func=command)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="snhr-crawler audit")
    add_arguments(parser)
    return command(parser.parse_args(argv))
