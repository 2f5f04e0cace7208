"""``snhr-crawler probe [SOURCE...]``: run the probe, write the profiles, print the report."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from scrapy.statscollectors import StatsCollector

from snhr_crawler import durable
from snhr_crawler.archive.paths import resolve_archive_dir
from snhr_crawler.clock import utc_stamp
from snhr_crawler.ops.crawl import UsageProblem, _pairs, project_settings, read_origins_file
from snhr_crawler.ops.layershift import profile_path
from snhr_crawler.ops.overrides import BadOverride, parse_overrides
from snhr_crawler.ops.parser import EXIT_FAILED, EXIT_OK, EXIT_USAGE, add_archive_option, fail
from snhr_crawler.ops.politeness import describe, local_sources
from snhr_crawler.ops.side_crawls import (
    choose_sources,
    read_only_project,
    run_in_turn,
    source_settings,
)
from snhr_crawler.probe.findings import Findings
from snhr_crawler.probe.render import report
from snhr_crawler.probe.spider import DEFAULT_BUDGET, DEFAULT_SAMPLE, ProbeSpider

PROG = "snhr-crawler probe"


def run_probe(
    sources: list[str] | None = None,
    *,
    archive_dir: Path | str | None = None,
    origins: dict[str, str] | None = None,
    settings: dict[str, Any] | None = None,
    sample: int = DEFAULT_SAMPLE,
    budget: int = DEFAULT_BUDGET,
    announce: Callable[[str], None] | None = None,
) -> tuple[list[dict[str, Any]], list[Path]]:
    """Probe ``sources`` (default: every news spider); (profiles, the files written).

    A source on a loopback origin (the replica) is probed in local mode
    (``announce`` gets the line saying so); any other is a live site and gets
    at least the polite defaults. Blocks until every probe crawl ended; once
    per process (Twisted's reactor does not restart). Raises
    ``UsageProblem`` for an unknown source, an origin naming a source not
    probed, or a live source that would be fetched less politely.
    """
    project = read_only_project(settings)
    directory = Path(archive_dir) if archive_dir else resolve_archive_dir(project)
    origins = origins or {}
    names, classes = choose_sources(project, sources, origins, "probe")
    local = local_sources(names, origins)
    jobs: list[dict[str, Any]] = [
        {
            "settings": source_settings(project, name, local=name in local),
            "source_cls": classes[name],
            "findings": Findings(source=name, probed_at=utc_stamp()),
            "origin": origins.get(name, ""),
            "sample": sample,
            "budget": budget,
        }
        for name in names
    ]
    if local and announce is not None:
        announce(describe(local, [name for name in names if name not in local]))

    def count_requests(job: dict[str, Any], stats: StatsCollector) -> None:
        job["findings"].requests = stats.get_value("downloader/request_count", 0)

    run_in_turn(project, ProbeSpider, jobs, count_requests)
    profiles, written = [], []
    for job in jobs:
        findings: Findings = job["findings"]
        profile = findings.to_profile()
        profiles.append(profile)
        path = profile_path(directory, profile["source"])
        path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(profile, indent=2, ensure_ascii=False) + "\n"
        durable.replace_file(path, text.encode("utf-8"))  # a reader never sees half a profile
        written.append(path)
    return profiles, written


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return int(text)


def register(subparsers: Any) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "probe",
        help="first contact: what the sites really offer, against what the crawl assumes",
        description=(
            "A read-only, polite look at each source's site (about 20 requests each): "
            "robots.txt and Crawl-delay, sitemaps, the REST API, feeds, the categories "
            "against the seeds, the theme, and a sample of articles read by the crawler's "
            "own parser. Writes state/profile-<source>.json in the archive and exits 1 when "
            "something the crawl relies on is missing. Run it first, on a machine that "
            "reaches the sites."
        ),
    )
    parser.add_argument("sources", nargs="*", metavar="SOURCE", help="spider names (default: all)")
    add_archive_option(parser)
    parser.add_argument(
        "--origin", action="append", default=[], metavar="SOURCE=URL",
        help="probe SOURCE at URL (a local copy); repeatable",
    )  # fmt: skip
    parser.add_argument(
        "--origins-file", metavar="FILE", help="origins as `replica serve` prints them, or JSON"
    )
    parser.add_argument(
        "--sample", type=_positive, default=DEFAULT_SAMPLE, metavar="N",
        help=f"articles to read per source (default {DEFAULT_SAMPLE})",
    )  # fmt: skip
    parser.add_argument(
        "--max-requests", type=_positive, default=DEFAULT_BUDGET, metavar="N",
        help=f"requests per source at most, robots.txt aside (default {DEFAULT_BUDGET})",
    )  # fmt: skip
    parser.add_argument(
        "--set", action="append", default=[], dest="set_values", metavar="NAME=VALUE",
        help="a Scrapy setting for the probe, e.g. --set DOWNLOAD_DELAY=5",
    )  # fmt: skip
    parser.add_argument("--json", action="store_true", help="print the profiles as JSON")
    parser.set_defaults(func=command)
    return parser


def command(args: argparse.Namespace) -> int:
    """0 when every source has what the crawl relies on, 1 when one does not, 2 usage."""
    try:
        origins: dict[str, str] = {}
        if args.origins_file:
            from_file = read_origins_file(Path(args.origins_file))
            wanted = set(args.sources) or None
            origins.update({k: v for k, v in from_file.items() if wanted is None or k in wanted})
        origins.update(dict(_pairs(args.origin, "--origin", "SOURCE=URL")))
        pairs = _pairs(args.set_values, "--set", "NAME=VALUE")
        try:
            settings: dict[str, Any] = parse_overrides(pairs, project_settings())
        except BadOverride as exc:
            raise UsageProblem(str(exc)) from None
        settings.setdefault("LOG_LEVEL", "WARNING")
        profiles, paths = run_probe(
            args.sources or None,
            archive_dir=args.archive,
            origins=origins,
            settings=settings,
            sample=args.sample,
            budget=args.max_requests,
            announce=None if args.json else lambda line: print(line, flush=True),
        )
    except UsageProblem as error:
        return fail(PROG, str(error), code=EXIT_USAGE)
    if args.json:
        print(json.dumps(profiles, indent=2, ensure_ascii=False))
    else:
        print(report(profiles, [str(path) for path in paths]))
    failing = [profile for profile in profiles if profile["problems"]]
    for profile in failing:
        fail(PROG, f"{profile['source']}: {'; '.join(profile['problems'])}")
    return EXIT_FAILED if failing else EXIT_OK
