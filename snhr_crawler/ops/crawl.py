"""``snhr-crawler crawl [SOURCE...]``: one run over the SNHR sources, with a report and checks.

Sources that share a host are crawled **in turn** by one Scrapy process
(``AsyncCrawlerProcess``, one crawler per source): ``snhr.org`` and
``snhr.org/arabic``, ``news.snhr.org`` and its ``/ar/``. Scrapy's per-domain
limits are per crawler, so running them together would double the load on
SNHR's servers. Host groups that share nothing run at the same time, one
process each (``ops.parallel``): each host still sees one crawler, and a run
of the four sources takes the time of its slower group, not of all four.

Around the crawl: the run lock (``archive.lock``), live progress
(``ops.progress``), the run report (``ops.report``) in ``runs/<run-id>.json``,
the health checks (``ops.checks``) and a summary table. Exit codes: 0 all
checks passed, 1 a check failed, 2 bad command line, 75 another run holds the
archive.

Everything that can be wrong with the command line is found by ``plan``
before the lock is taken: unknown sources, bad dates, ``--set`` names and
values (``ops.overrides``), thresholds, and settings less polite than a live
site gets (``ops.politeness``). Each source gets its own copy of the
settings, so a source on a loopback origin runs in local mode while another
in the same run keeps live politeness.

Output is for people: Scrapy's log goes to ``runs/<run-id>.log`` (in a
terminal and under cron alike; ``--scrapy-log`` keeps it on stderr), progress
is one line per source, the summary fits 80 columns, ``--quiet`` leaves only
the errors. A run in which no site answered at all prints one line.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from scrapy.crawler import AsyncCrawlerProcess, Crawler
from scrapy.settings import Settings
from scrapy.spiderloader import get_spider_loader
from scrapy.utils.project import get_project_settings

from snhr_crawler.archive.lock import ArchiveLockedError, RunLock
from snhr_crawler.archive.paths import resolve_archive_dir
from snhr_crawler.archive.pending import Retry
from snhr_crawler.base_spiders.news_spider import NewsSpider, parse_arguments
from snhr_crawler.bounds import Bounds
from snhr_crawler.clock import utc_now
from snhr_crawler.discovery.modes import DISCOVERY_CHOICES
from snhr_crawler.exceptions import SettingError, SpiderArgumentError
from snhr_crawler.ops import runs
from snhr_crawler.ops.checks import CheckResult, Thresholds
from snhr_crawler.ops.overrides import BadOverride, check_choices, parse_overrides
from snhr_crawler.ops.parser import (
    EXIT_FAILED,
    EXIT_LOCKED,
    EXIT_OK,
    EXIT_USAGE,
    add_archive_option,
    fail,
)
from snhr_crawler.ops.politeness import (
    PolitenessError,
    apply_local_mode,
    check_live,
    describe,
    local_sources,
)
from snhr_crawler.ops.progress import duration
from snhr_crawler.ops.report import (
    FAILED_TO_START,
    NOT_RUN,
    UNREACHABLE,
    missing_section,
    source_outcome,
    source_section,
)
from snhr_crawler.ops.runreport import finish_run, new_report
from snhr_crawler.ops.table import DEFAULT_WIDTH, fit, render

logger = logging.getLogger(__name__)

PROG = "snhr-crawler crawl"
#: The command's default path (the spider argument's own default stays ``listing``):
#: sitemaps, else REST, else (incremental runs) the feed, else listings.
CRAWL_DISCOVERY = "auto"
SETTINGS_MODULE = "snhr_crawler.settings"


class UsageProblem(ValueError):
    """A bad command line found after parsing (unknown source, bad NAME=VALUE ...)."""


@dataclass
class Plan:
    """Everything decided before the lock is taken: sources, spider arguments, settings."""

    sources: list[str]
    spider_args: dict[str, dict[str, str]]
    settings: Settings
    archive_dir: Path
    options: dict[str, Any] = field(default_factory=dict)
    #: Read before the crawl, so a malformed one is a usage error, not a failure at the end.
    thresholds: Thresholds = field(default_factory=Thresholds)
    #: Each source's own settings: ``settings`` plus local mode or live politeness.
    source_settings: dict[str, Settings] = field(default_factory=dict)
    #: The sources fetched from a loopback origin (local mode), and the line saying so.
    local: list[str] = field(default_factory=list)
    local_line: str = ""

    def settings_for(self, source: str) -> Settings:
        return self.source_settings.get(source) or self.settings


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Add ``crawl`` to the ``snhr-crawler`` parser."""
    parser = subparsers.add_parser(
        "crawl",
        help="crawl SNHR sources into the archive; report, check, summarise",
        description=(
            "Crawl the given sources (default: every spider of the project) in turn, "
            "append to the archive, write runs/<run-id>.json and check the run. "
            "Sources fetched from a loopback --origin run in local mode (no delay, no "
            "AutoThrottle); live sites keep the polite defaults. "
            "Exit 0 when every check passed, 1 when one failed, 2 for a bad command line, "
            "75 when another run holds the archive."
        ),
    )
    parser.add_argument("sources", nargs="*", metavar="SOURCE", help="spider names (see status)")
    parser.add_argument(
        "--origin",
        action="append",
        default=[],
        metavar="SOURCE=URL",
        help="fetch SOURCE from URL (a local copy) while archiving its public URLs; repeatable",
    )
    parser.add_argument(
        "--origins-file",
        metavar="FILE",
        help="origins for several sources: the 'SOURCE URL' lines 'replica serve' prints, "
        "or a JSON object {source: url}; sources not crawled are ignored",
    )
    parser.add_argument("--since", metavar="YYYY-MM-DD", help="only articles published since")
    parser.add_argument("--max-pages", metavar="N", help="walk at most N listing pages per seed")
    parser.add_argument(
        "--full", action="store_true", help="re-walk everything to catch edits and removals"
    )
    parser.add_argument(
        "--discovery",
        choices=DISCOVERY_CHOICES,
        help="how to find articles: auto (default: the cheapest complete path the site "
        "allows, falling back to listings), category listings, the site's sitemaps, "
        "REST API or feed",
    )
    add_archive_option(parser)
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        dest="set_values",
        metavar="NAME=VALUE",
        help="a Scrapy or project setting for this run, e.g. --set DOWNLOAD_DELAY=5; "
        "checked before the run (name and value); repeatable",
    )
    parser.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="no progress and no summary: only errors, and the exit code",
    )
    parser.add_argument(
        "--scrapy-log",
        action="store_true",
        help="show Scrapy's log on stderr instead of writing it to runs/<run-id>.log",
    )
    parser.set_defaults(func=run)
    return parser


# -- planning (all usage errors surface here, before anything starts) ----------------------
def project_settings() -> Settings:
    """The project's settings, wherever the command runs from (cron has no scrapy.cfg nearby)."""
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", SETTINGS_MODULE)
    return get_project_settings()


def _pairs(values: list[str], option: str, form: str) -> list[tuple[str, str]]:
    """``NAME=VALUE`` arguments of ``option`` as pairs; ``form`` names the parts in errors."""
    pairs = []
    for value in values:
        name, sep, rest = value.partition("=")
        if not sep or not name.strip() or not rest.strip():
            raise UsageProblem(f"{option}: expected {form}, got {value!r}")
        pairs.append((name.strip(), rest.strip()))
    return pairs


def read_origins_file(path: Path) -> dict[str, str]:
    """``SOURCE URL`` (or ``SOURCE=URL``) lines, ``#`` comments allowed, or a JSON object."""
    try:
        text = path.read_text("utf-8")
    except OSError as exc:
        raise UsageProblem(f"--origins-file: cannot read {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise UsageProblem(f"--origins-file: {path} is not UTF-8 text") from None
    if text.lstrip().startswith(("{", "[")):
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise UsageProblem(f"--origins-file: {path} is not valid JSON: {exc}") from None
        if not isinstance(data, dict):
            raise UsageProblem(f"--origins-file: {path}: expected a JSON object {{source: url}}")
        return {str(k): str(v) for k, v in data.items()}
    origins = {}
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].replace("=", " ").split()
        if not line:
            continue
        if len(line) != 2:
            raise UsageProblem(f"--origins-file: expected 'SOURCE URL', got {raw.strip()!r}")
        origins[line[0]] = line[1]
    return origins


def plan(args: argparse.Namespace, settings: Settings | None = None) -> Plan:
    """Check the command line against the project and build the run's plan."""
    if settings is None:
        try:
            settings = project_settings()
        except (ValueError, TypeError) as exc:  # e.g. SNHR_MAX_ERROR_RATE=abc
            raise UsageProblem(
                f"cannot load the settings ({SETTINGS_MODULE}): {exc}; "
                "check the SNHR_* environment variables"
            ) from None
    for flag, value in (("--since", args.since), ("--max-pages", args.max_pages)):
        if value is not None and not value.strip():
            raise UsageProblem(f"{flag}: empty value")
    try:
        overrides = parse_overrides(_pairs(args.set_values, "--set", "NAME=VALUE"), settings)
        for name, value in overrides.items():
            settings.set(name, value, priority="cmdline")
        check_choices(settings)
    except BadOverride as exc:
        raise UsageProblem(str(exc)) from None
    log_file = settings.get("LOG_FILE")
    if log_file and not Path(log_file).parent.is_dir():
        raise UsageProblem(
            f"LOG_FILE={log_file!r}: directory {Path(log_file).parent} does not exist"
        )
    if args.archive:
        settings.set("ARCHIVE_DIR", args.archive, priority="cmdline")
    try:
        thresholds = Thresholds.from_settings(settings)
    except ValueError as exc:
        raise UsageProblem(f"health-check threshold {exc}") from None
    try:  # BOUND_* and PENDING_* are checked like command-line values, before anything starts
        Bounds.from_settings(settings)
        Retry.from_settings(settings)
    except SettingError as exc:
        raise UsageProblem(str(exc)) from None
    # This command writes one report for the whole run; the per-spider one is for scrapy crawl.
    settings.set("OPS_RUN_REPORT", False, priority="cmdline")
    loader = get_spider_loader(settings)
    known = sorted(loader.list())
    sources = list(dict.fromkeys(args.sources)) or known
    unknown = [name for name in sources if name not in known]
    if unknown:
        raise UsageProblem(f"unknown source {unknown[0]!r} (known: {', '.join(known)})")
    origins = run_origins(args, sources, known)
    spider_args: dict[str, dict[str, str]] = {}
    for name in sources:
        spargs = {
            "origin": origins.get(name),
            "since": args.since,
            "max_pages": args.max_pages,
            "discovery": args.discovery or CRAWL_DISCOVERY,
        }
        spargs = {k: v for k, v in spargs.items() if v}
        if args.full:
            spargs["full"] = "true"
        if issubclass(loader.load(name), NewsSpider):
            try:
                parse_arguments(spargs)
            except SpiderArgumentError as exc:
                flag = "--" + exc.argument.replace("_", "-")
                raise UsageProblem(f"{flag}: {str(exc).split(': ', 1)[-1]}") from None
        spider_args[name] = spargs
    local = local_sources(sources, origins)
    source_settings = {}
    for position, name in enumerate(sources, start=1):
        own = settings.copy()
        own.set("OPS_PROGRESS_POSITION", f"{position}/{len(sources)}", priority="cmdline")
        if name in local:
            apply_local_mode(own)
        else:
            try:
                check_live(own, name)
            except PolitenessError as exc:
                raise UsageProblem(str(exc)) from None
        source_settings[name] = own
    live = [name for name in sources if name not in local]
    options = {
        "since": args.since,
        "max_pages": args.max_pages,
        "full": bool(args.full),
        "discovery": args.discovery or CRAWL_DISCOVERY,
        "origins": origins,
        "local": local,
        "settings": overrides,
    }
    return Plan(
        sources,
        spider_args,
        settings,
        resolve_archive_dir(settings),
        options,
        thresholds,
        source_settings,
        local,
        describe(local, live) if local else "",
    )


def run_origins(args: argparse.Namespace, sources: list[str], known: list[str]) -> dict[str, str]:
    """``--origins-file`` then ``--origin``, for the sources of this run.

    The file may name sources this run does not crawl (``replica serve``
    prints all four), but not names that are no source at all: a typo there
    would otherwise send that source to its live site.
    """
    origins: dict[str, str] = {}
    if args.origins_file:
        from_file = read_origins_file(Path(args.origins_file))
        strangers = [name for name in from_file if name not in known]
        if strangers:
            raise UsageProblem(
                f"--origins-file: unknown source {strangers[0]!r} (known: {', '.join(known)})"
            )
        origins.update({k: v for k, v in from_file.items() if k in sources})
    for name, url in _pairs(args.origin, "--origin", "SOURCE=URL"):
        if name not in sources:
            raise UsageProblem(f"--origin: {name!r} is not a source of this run")
        origins[name] = url
    return origins


# -- running -------------------------------------------------------------------------------
def configure_output(
    plan: Plan, run_id: str, *, tty: bool, quiet: bool = False, scrapy_log: bool = False
) -> Path | None:
    """Progress mode and where Scrapy's log goes, for every source; the log file, or None.

    Scrapy's log goes to ``runs/<run-id>.log`` in a terminal and under cron
    alike, unless ``--scrapy-log`` (stderr) or ``LOG_FILE`` says otherwise.
    Progress is a live line in a terminal, log lines otherwise, nothing with
    ``--quiet``; an ``OPS_PROGRESS`` given with ``--set`` wins.
    """
    settings = plan.settings
    chosen: dict[str, Any] = {}
    if (settings.getpriority("OPS_PROGRESS") or 0) < 40:  # below "cmdline": not chosen by --set
        chosen["OPS_PROGRESS"] = "off" if quiet else "tty" if tty and not scrapy_log else "log"
    log_file: Path | None = None
    if settings.get("LOG_FILE"):
        log_file = Path(settings["LOG_FILE"])
    elif not scrapy_log:
        log_file = runs.log_path(plan.archive_dir, run_id)
        log_file.parent.mkdir(parents=True, exist_ok=True)
        chosen["LOG_FILE"] = str(log_file)
    for each in (settings, *plan.source_settings.values()):
        each.setdict(chosen, priority="cmdline")
    return log_file


async def crawl_in_turn(
    process: AsyncCrawlerProcess,
    plan: Plan,
    crawlers: dict[str, Crawler],
    failures: dict[str, str],
) -> None:
    """Crawl each source after the previous one closed; stop the reactor at the end."""
    try:
        for source in plan.sources:
            try:
                # Its own settings (local mode or live politeness, its position in the run).
                own = Crawler(process.spider_loader.load(source), plan.settings_for(source))
                crawler = process.create_crawler(own)
            except Exception as exc:
                failures[source] = " ".join(f"{type(exc).__name__}: {exc}".split())
                logger.exception("%s could not start", source)
                continue
            crawlers[source] = crawler
            try:
                await process.crawl(crawler, **plan.spider_args[source])
            except Exception as exc:
                failures[source] = " ".join(f"{type(exc).__name__}: {exc}".split())
                logger.exception("%s could not start", source)
                continue
            assert crawler.stats is not None
            if crawler.stats.get_value("finish_reason") == "shutdown":
                break  # Ctrl-C or SIGTERM: the remaining sources wait for the next run
    finally:
        from twisted.internet import reactor

        with suppress(RuntimeError):  # already stopping after a signal
            reactor.stop()  # type: ignore[misc]


def execute(plan: Plan, run_id: str, started: datetime) -> dict[str, Any]:
    """Run the crawl and return the report (without checks); blocks until it is over.

    Sources that share no host run in parallel processes, one per host group
    (``ops.parallel``), unless ``CRAWL_PARALLEL`` is off or there is one group.
    """
    from snhr_crawler.ops.parallel import host_groups, run_groups

    groups = host_groups(plan) if plan.settings.getbool("CRAWL_PARALLEL", True) else []
    plan.options["host_groups"] = groups if len(groups) > 1 else [plan.sources]
    sections = run_groups(plan, groups) if len(groups) > 1 else crawl_sections(plan)
    return new_report(
        run_id=run_id,
        started=started,
        finished=utc_now(),
        archive_dir=plan.archive_dir,
        options=plan.options,
        sections=sections,
    )


def crawl_sections(plan: Plan) -> dict[str, Any]:
    """Crawl ``plan.sources`` in turn in this process; each source's report section."""
    process = AsyncCrawlerProcess(plan.settings)
    crawlers: dict[str, Crawler] = {}
    failures: dict[str, str] = {}
    # The reactor's asyncio loop exists once AsyncCrawlerProcess is built; the
    # driver starts when process.start() runs it.
    driver = asyncio.get_event_loop().create_task(crawl_in_turn(process, plan, crawlers, failures))
    process.start(stop_after_crawl=False)
    if driver.done() and not driver.cancelled() and (error := driver.exception()) is not None:
        raise error
    sections: dict[str, Any] = {}
    for source in plan.sources:
        crawler = crawlers.get(source)
        if source in failures:
            sections[source] = missing_section(FAILED_TO_START, failures[source])
        elif crawler is None or crawler.stats is None:
            sections[source] = missing_section(NOT_RUN)
        else:
            sections[source] = source_section(crawler.stats.get_stats())
            sections[source]["pid"] = os.getpid()  # which process crawled it (host groups)
    return sections


def _why(why: str | None) -> str:
    """The report's ``why`` without the ``discovery=MODE:`` it starts with (the line says the mode)."""
    text = why or "no reason recorded"
    return text.split(": ", 1)[1] if text.startswith("discovery=") and ": " in text else text


#: Report count -> summary column, in the order printed.
SUMMARY_COLUMNS = (
    "pages",
    "new",
    "changed",
    "unchanged",
    "skipped",
    "removed",
    "errors",
    "retries",
)
#: Dropped, in this order, when the table would not fit the width (totals still shown).
OPTIONAL_COLUMNS = ("retries", "unchanged", "removed", "skipped")


def summary(
    report: dict[str, Any],
    results: list[CheckResult],
    path: Path,
    *,
    width: int = DEFAULT_WIDTH,
    log_file: Path | None = None,
) -> str:
    """The end-of-run table (fitted to ``width``), the check lines and where the report is."""
    headers = ["source", "outcome", *SUMMARY_COLUMNS, "time"]
    rows: list[list[object]] = [
        [
            source,
            source_outcome(s),
            *(s[c] for c in SUMMARY_COLUMNS),
            duration(s.get("duration_s") or 0),
        ]
        for source, s in report["sources"].items()
    ]
    t = report["totals"]
    rows.append(
        [
            "total",
            report["outcome"],
            *(t[c] for c in SUMMARY_COLUMNS),
            duration(report["duration_s"]),
        ]
    )
    kept, kept_rows, dropped = fit(headers, rows, width, OPTIONAL_COLUMNS)
    lines = [
        f"run {report['run_id']}: {len(report['sources'])} source(s)",
        render(kept, kept_rows, right=("time",)),
    ]
    if dropped:
        shown = [name for name in SUMMARY_COLUMNS if name in dropped]  # in table order
        lines.append("also: " + ", ".join(f"{name} {t[name]}" for name in shown))
    lines += [result.line() for result in results]
    lines += [
        f"path {source}: {s['discovery_path']['mode']}, {_why(s['discovery_path']['why'])}"
        for source, s in report["sources"].items()
        if (s.get("discovery_path") or {}).get("mode")
    ]
    lines += [
        f"seeds {source}: {len(missing)} answer 404, walked the site's own categories instead:"
        f" {', '.join(missing)}"
        for source, s in report["sources"].items()
        if (missing := (s.get("listings") or {}).get("seeds_missing"))
    ]
    lines.append(f"report: {path}")
    if log_file is not None:
        lines.append(f"log: {log_file}")
    return "\n".join(lines)


def nothing_reached(report: dict[str, Any]) -> bool:
    """No source that crawled got an answer from its site."""
    crawled = [
        s
        for s in report["sources"].values()
        if s.get("finish_reason") not in (NOT_RUN, FAILED_TO_START)
    ]
    return bool(crawled) and all(source_outcome(s) == UNREACHABLE for s in crawled)


def _stdout_width() -> int:
    if sys.stdout.isatty():
        with suppress(OSError):
            return os.get_terminal_size(sys.stdout.fileno()).columns
    return DEFAULT_WIDTH


def run(args: argparse.Namespace) -> int:
    """The ``crawl`` subcommand; returns the exit code."""
    try:
        the_plan = plan(args)
    except UsageProblem as exc:
        return fail(PROG, str(exc), code=EXIT_USAGE)
    started = utc_now()
    run_id = runs.new_run_id(started)
    archive_dir = the_plan.archive_dir
    try:
        archive_dir.mkdir(parents=True, exist_ok=True)
        lock = RunLock(archive_dir, run_id, runs.iso(started))
        lock.acquire()
        # The crawls of this run write under this lock instead of taking their own.
        for each in (the_plan.settings, *the_plan.source_settings.values()):
            each.set("ARCHIVE_RUN_LOCK", run_id, priority="cmdline")
            # Every source's WARC files carry the run's id, as its report does.
            each.set("CAPTURE_RUN_ID", run_id, priority="cmdline")
    except ArchiveLockedError as exc:
        return fail(PROG, str(exc), code=EXIT_LOCKED)
    except OSError as exc:
        return fail(PROG, f"cannot use archive {archive_dir}: {exc.strerror}")
    tty = sys.stderr.isatty()
    try:
        log_file = configure_output(
            the_plan, run_id, tty=tty, quiet=args.quiet, scrapy_log=args.scrapy_log
        )
        if not args.quiet:
            if the_plan.local_line:  # news, not an error: on stdout, before the summary
                print(the_plan.local_line, flush=True)
            if tty and log_file is not None:
                print(f"run {run_id}: log in {log_file}", file=sys.stderr)
        report = execute(the_plan, run_id, started)
        results, path = finish_run(report, archive_dir, the_plan.thresholds)
    finally:
        lock.release()
    failed = [result for result in results if result.failed]
    if not args.quiet and not nothing_reached(report):
        print(summary(report, results, path, width=_stdout_width(), log_file=log_file), flush=True)
    for result in failed:
        fail(PROG, result.line())
    return EXIT_FAILED if failed else EXIT_OK
