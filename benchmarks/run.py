"""The benchmark: crawl speed and cost, incremental runs and extraction, in one run.

    python -m benchmarks.run [--posts 10000] [--output benchmarks/results/] [--smoke]

One process tree, one run, on the offline replica with politeness off:

1. the full crawl (``scrapy crawl snhr_news``, real settings and pipelines,
   into a fresh archive): pages/s, items/s, CPU seconds per 1,000 pages, peak RSS;
2. the baseline, a bare Scrapy spider (``benchmarks/bare_spider.py``) over the
   same listings and articles, and the ratio of (1) to it; and (1) again with
   WARC capture off (``CAPTURE_ENABLED=0``): what capture costs in CPU per
   page and in archive bytes per article;
3. on the archive of (1): a ``--full`` re-run of the unchanged site (what it
   adds to the archive per article: WARC revisits, not second copies), then
   ``snhr-crawler reparse`` over the archive (records re-read per second,
   offline), then two incremental runs: nothing new, then 20 new posts added
   through the replica's admin API; requests and wall time as a share of (1);
4. extraction alone: our parser and trafilatura on the same pages, timed and
   scored against the replica's ground truth.

Absolute times on shared 2-core machines are noisy, so every crawl figure has
its ratio to a baseline measured in the same run. The replica runs in its own
process and every crawl in a child process, so the CPU seconds and peak RSS of
a crawl (``os.wait4`` of that child; ``VmHWM`` read by the child itself at the end, see
``benchmarks/stats_dump.py``) are the crawler's alone. Before anything
is measured, every listing and article page is requested once, so no crawl
pays for the replica rendering a page the first time.

Writes ``benchmark.json`` and ``benchmark.md`` into ``--output``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from benchmarks import scale
from benchmarks.extraction import Page, run_extraction
from benchmarks.stages import REST, STAGES, stage_shares
from snhr_crawler import settings as project_settings
from snhr_crawler.urls import Origin
from snhr_replica.process import start_replica_process, stop_process

ROOT = Path(__file__).resolve().parents[1]
SOURCE = "snhr_news"
PUBLIC_ORIGIN = "https://news.snhr.org"
SEEDS = ROOT / "snhr_crawler" / "seeds" / f"{SOURCE}.txt"
STATS_CLASS = "benchmarks.stats_dump.JsonDumpStatsCollector"
NEW_POSTS = 20
#: Politeness off, the same for every crawl of the run, the bare spider's included:
#: its concurrency is the project's (with Scrapy's default CONCURRENT_ITEMS of 100
#: the baseline spent ~30 % of its CPU starting asyncio tasks, and flattered us).
FAST = {
    "AUTOTHROTTLE_ENABLED": "0",
    "DOWNLOAD_DELAY": "0",
    "CONCURRENT_REQUESTS": "32",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "32",
    "CONCURRENT_ITEMS": str(project_settings.CONCURRENT_ITEMS),
    "LOG_LEVEL": "INFO",
}
#: Upper bounds, so that a stuck child or server cannot hang the run.
REPLICA_START_S = 600.0
MAX_LISTING_PAGES = 100_000


# --- machine --------------------------------------------------------------------------------
def machine() -> dict[str, Any]:
    """What the numbers were measured on (no host names)."""
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import scrapy

    try:
        from importlib.metadata import version

        trafilatura_version = version("trafilatura")
    except Exception:
        trafilatura_version = "not installed"
    return {
        "nproc": len(os.sched_getaffinity(0)),
        "cpu_model": model,
        "python": platform.python_version(),
        "scrapy": scrapy.__version__,
        "trafilatura": trafilatura_version,
        "os": f"{platform.system()} {platform.release()}",
    }


# --- the replica in its own process ----------------------------------------------------------
class Replica:
    """``python -m snhr_replica serve`` as a child process; origins from its stdout."""

    def __init__(self, posts: int, seed: int) -> None:
        self.process, self.origins = start_replica_process(
            ["--port", "0", "--posts", str(posts), "--seed", str(seed)], REPLICA_START_S, cwd=ROOT
        )

    def stop(self) -> None:
        stop_process(self.process)


class Http:
    """One keep-alive HTTP/1.1 connection to a loopback origin."""

    def __init__(self, origin: str) -> None:
        parts = urlsplit(origin)
        assert parts.hostname == "127.0.0.1", "loopback only"
        self.conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)

    def request(self, method: str, path: str) -> tuple[int, bytes]:
        self.conn.request(method, path)
        response = self.conn.getresponse()
        return response.status, response.read()

    def close(self) -> None:
        self.conn.close()


def read_seeds() -> list[str]:
    lines = (line.split("#", 1)[0].strip() for line in SEEDS.read_text("utf-8").splitlines())
    return [line for line in lines if line]


def warm_and_fetch(
    origin: str, truth: list[dict[str, Any]], keep: set[int]
) -> tuple[list[Page], int]:
    """Request every listing page and article once; keep the HTML of articles in ``keep``."""
    client = Http(origin)
    requests = 0
    pages: list[Page] = []
    try:
        for seed in read_seeds():
            base = urlsplit(seed).path
            for number in range(1, MAX_LISTING_PAGES):
                path = base if number == 1 else f"{base}page/{number}/"
                status, _ = client.request("GET", path)
                requests += 1
                if status != 200:
                    break
        for index, record in enumerate(truth):
            parts = urlsplit(record["url"])
            status, body = client.request("GET", parts.path)
            requests += 1
            if status == 200 and index in keep:
                pages.append(Page(origin + parts.path, body, record))
    finally:
        client.close()
    return pages, requests


def sample_indices(total: int, size: int) -> set[int]:
    """``size`` indices spread evenly over ``total`` (both templates, every era)."""
    if size >= total:
        return set(range(total))
    return {round(i * (total - 1) / max(size - 1, 1)) for i in range(size)}


# --- crawls as measured children ---------------------------------------------------------------
@dataclass
class Child:
    """Wall time and the child's own CPU seconds (user + system, from its rusage)."""

    returncode: int
    wall_s: float
    cpu_s: float


def run_child(cmd: list[str], cwd: Path, env: dict[str, str], timeout: float, log: Path) -> Child:
    """Run ``cmd`` and reap it with ``os.wait4``: the CPU times are this child's alone.

    (Its ``ru_maxrss`` is not: see ``benchmarks/stats_dump.py``.)
    """
    with log.open("wb") as out:
        start = time.perf_counter()
        process = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        watchdog = threading.Timer(timeout, process.kill)
        watchdog.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        except BaseException:
            # Interrupted (SIGTERM/SIGINT to the benchmark): take the crawl down with us.
            process.kill()
            process.wait(30)
            raise
        finally:
            watchdog.cancel()
        wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    return Child(
        returncode=process.returncode,
        wall_s=wall,
        cpu_s=usage.ru_utime + usage.ru_stime,
    )


def settings_args(settings: dict[str, str]) -> list[str]:
    return [arg for name, value in settings.items() for arg in ("-s", f"{name}={value}")]


def crawl_figures(child: Child, stats: dict[str, Any]) -> dict[str, Any]:
    """Pages, items and their rates from Scrapy's stats; CPU and RSS from the child."""
    pages = int(stats.get("downloader/response_count", 0))
    items = int(stats.get("item_scraped_count", 0))
    return {
        "wall_s": child.wall_s,
        "scrapy_elapsed_s": stats.get("elapsed_time_seconds"),
        "requests": int(stats.get("downloader/request_count", 0)),
        "pages": pages,
        "items": items,
        "pages_per_s": pages / child.wall_s,
        "items_per_s": items / child.wall_s,
        "cpu_s": child.cpu_s,
        "cpu_s_per_1000_pages": 1000 * child.cpu_s / pages if pages else None,
        "peak_rss_mb": stats["bench/peak_rss_kb"] / 1024
        if stats.get("bench/peak_rss_kb")
        else None,
        "archive_new": stats.get("snhr/archive/new"),
        "stats_removed": stats.get("snhr/archive/removed") or 0,
        # CPU the capture extension itself spent (process_time around each write).
        "capture_cpu_s": stats.get("snhr/capture/cpu_s"),
        "capture_cpu_share": stats["snhr/capture/cpu_s"] / child.cpu_s
        if stats.get("snhr/capture/cpu_s") and child.cpu_s
        else None,
        "capture_revisits": stats.get("snhr/capture/revisits"),
        "capture_bytes": stats.get("snhr/capture/bytes"),
        "finish_reason": stats.get("finish_reason"),
        "errors": int(stats.get("log_count/ERROR", 0)),
    }


class Crawls:
    """Runs the full/incremental crawls and the bare spider with the same fast settings."""

    def __init__(self, origin: str, work: Path, timeout: float) -> None:
        self.origin = origin
        self.work = work
        self.timeout = timeout
        self.site_posts = 0  # the replica's posts of SOURCE

    def _env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("SCRAPY_")}
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
        return env

    def _finish(self, name: str, cmd: list[str], cwd: Path, stats_file: Path) -> dict[str, Any]:
        log = self.work / f"{name}.log"
        load_before = os.getloadavg()[0]  # other work on the machine makes the times noisy
        child = run_child(cmd, cwd, self._env(), self.timeout, log)
        if child.returncode != 0 or not stats_file.exists():
            tail = log.read_text("utf-8", "replace")[-3000:]
            raise RuntimeError(f"{name} crawl failed (exit {child.returncode}):\n{tail}")
        figures = crawl_figures(child, json.loads(stats_file.read_text("utf-8")))
        figures["loadavg_1m_before"] = load_before
        print(
            f"  {name}: {figures['pages']} pages, {figures['items']} items, "
            f"{figures['wall_s']:.1f} s wall, {figures['cpu_s']:.1f} s CPU",
            file=sys.stderr,
        )
        return figures

    def _python(self, profile: bool, name: str) -> list[str]:
        """The interpreter, under ``cProfile`` writing ``<name>.prof`` when ``profile``."""
        if not profile:
            return [sys.executable]
        return [sys.executable, "-m", "cProfile", "-o", str(self.work / f"{name}.prof")]

    def project(
        self,
        name: str,
        archive: str = "archive",
        extra: dict[str, str] | None = None,
        spider_args: dict[str, str] | None = None,
        *,
        profile: bool = False,
    ) -> dict[str, Any]:
        """``scrapy crawl snhr_news`` with the project's settings and pipelines into ``archive``."""
        stats_file = self.work / f"{name}.stats.json"
        settings = {
            **FAST,
            **(extra or {}),
            "ARCHIVE_DIR": str(self.work / archive),
            "STATS_CLASS": STATS_CLASS,
            "BENCH_STATS_FILE": str(stats_file),
        }
        arguments = {"origin": self.origin, **(spider_args or {})}
        cmd = [*self._python(profile, name), "-m", "scrapy", "crawl", SOURCE,
               *(arg for key, value in arguments.items() for arg in ("-a", f"{key}={value}")),
               *settings_args(settings)]  # fmt: skip
        figures = self._finish(name, cmd, ROOT, stats_file)
        figures.update(archive_sizes(self.work / archive, figures["items"]))
        return figures

    def reparse(self, name: str, archive: str) -> dict[str, Any]:
        """``snhr-crawler reparse`` over ``archive``: every record re-read from its capture."""
        folder = self.work / archive
        cmd = [sys.executable, "-m", "snhr_crawler.reparse.command", "--archive", str(folder)]
        child = run_child(cmd, ROOT, self._env(), self.timeout, self.work / f"{name}.log")
        reports = sorted((folder / "runs" / "reparse").glob("*.json"))
        if child.returncode != 0 or not reports:
            tail = (self.work / f"{name}.log").read_text("utf-8", "replace")[-3000:]
            raise RuntimeError(f"{name} failed (exit {child.returncode}):\n{tail}")
        totals = json.loads(reports[-1].read_text("utf-8"))["totals"]
        print(
            f"  {name}: {totals['records']} records, {totals['changed']} changed, "
            f"{child.wall_s:.1f} s wall, {child.cpu_s:.1f} s CPU",
            file=sys.stderr,
        )
        return {
            "records": totals["records"],
            "changed": totals["changed"],
            "unchanged": totals["unchanged"],
            "wall_s": child.wall_s,
            "cpu_s": child.cpu_s,
            "records_per_s": totals["records"] / child.wall_s,
            # Re-reading alone, as the report times it (no interpreter or Scrapy start).
            "records_per_s_reading": totals["records_per_s"],
            "cpu_ms_per_record": 1000 * child.cpu_s / totals["records"]
            if totals["records"]
            else None,
        }

    def bare(self, name: str = "bare", *, profile: bool = False) -> dict[str, Any]:
        """The bare spider outside the project: Scrapy's defaults, no pipelines, feed to /dev/null."""
        stats_file = self.work / f"{name}.stats.json"
        cwd = self.work / "bare"  # no scrapy.cfg here: the project's settings stay out
        cwd.mkdir(exist_ok=True)
        settings = {
            **FAST,
            "ROBOTSTXT_OBEY": "True",  # as the project: robots.txt fetched and obeyed
            "TELNETCONSOLE_ENABLED": "False",
            "COOKIES_ENABLED": "False",
            "ITEM_PIPELINES": "{}",
            "STATS_CLASS": STATS_CLASS,
            "BENCH_STATS_FILE": str(stats_file),
        }
        cmd = [*self._python(profile, name), "-m", "scrapy", "runspider",
               str(ROOT / "benchmarks" / "bare_spider.py"),
               "-a", f"origin={self.origin}", "-a", f"seeds={SEEDS}",
               "-o", "/dev/null:jsonlines", *settings_args(settings)]  # fmt: skip
        return self._finish(name, cmd, cwd, stats_file)


def archive_sizes(archive: Path, items: int) -> dict[str, Any]:
    """Bytes on disk after a crawl: the whole archive, and its WARC captures (``warc/``)."""
    files = [path for path in archive.rglob("*") if path.is_file()]
    total = sum(path.stat().st_size for path in files)
    warc = sum(
        path.stat().st_size for path in files if path.relative_to(archive).parts[0] == "warc"
    )
    return {
        "archive_bytes": total,
        "warc_bytes": warc,
        "archive_bytes_per_article": total / items if items else None,
        "warc_bytes_per_article": warc / items if items else None,
    }


def exchange_sizes(archive: Path, since: set[Path]) -> dict[str, Any]:
    """Bytes of each article exchange the re-run kept as a revisit, and of the one it refers to.

    An exchange is its ``response`` or ``revisit`` record plus the ``request``
    record written right after it (``capture.writer``): the re-run's files are
    those not in ``since``.
    """
    from snhr_crawler.capture.scan import scan_file, warc_files

    exchange: dict[str, tuple[int, str | None, bool]] = {}  # id -> (bytes, refers_to, re-run)
    for path in warc_files(archive):
        records = scan_file(archive, path).records
        for here, after in zip(records, [*records[1:], None], strict=True):
            if here.record_type in ("response", "revisit"):
                request = after.length if after and after.record_type == "request" else 0
                exchange[here.record_id] = (
                    here.length + request,
                    here.refers_to,
                    path not in since,
                )
    revisits = [(size, refers) for size, refers, new in exchange.values() if new and refers]
    if not revisits:
        return {"revisit_exchanges": 0}
    originals = [exchange[refers][0] for _, refers in revisits if refers in exchange]
    return {
        "revisit_exchanges": len(revisits),
        "revisit_exchange_bytes": sum(size for size, _ in revisits) / len(revisits),
        "original_exchange_bytes": sum(originals) / len(originals) if originals else None,
    }


def median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The run with the median wall time (all its figures from that one run), plus every run."""
    ordered = sorted(runs, key=lambda run: run["wall_s"])
    return {**ordered[(len(ordered) - 1) // 2], "repeats": len(runs), "runs": runs}


def scale_runs(crawls: Crawls, work: Path, sizes: list[int], crawled: Path) -> list[dict[str, Any]]:
    """Per archive size N: the crawls' peak RSS, then export and verify, on N archived articles.

    The archive holds N - M articles of ``snhr_news`` that the site no longer
    lists (written through the store API, ``benchmarks.scale``: real lines,
    each its own post), M being the replica's posts. Then, on it: a crawl of
    the site (M new articles: N archived), an incremental run (nothing new),
    ``export`` in each format and ``verify`` of the N articles, and a full run
    (``full=true``: the walk, every post fetched again, the N - M others
    re-checked, each answering 404 and becoming a tombstone).
    """
    template = scale.template_from(crawled)
    results = []
    for size in sizes:
        archive = f"scale-{size}"
        site_posts = crawls.site_posts
        others = max(0, size - site_posts)
        print(
            f"scale {size:,}: {others:,} archived articles through the store ...", file=sys.stderr
        )
        build_s = scale.build_archive(work / archive, others, template)
        full = crawls.project(f"scale-{size}-crawl", archive=archive)
        incremental = crawls.project(f"scale-{size}-incremental", archive=archive)
        commands = scale.time_commands(work / archive, work / f"exports-{size}")
        recheck = crawls.project(
            f"scale-{size}-full-run", archive=archive, spider_args={"full": "true"}
        )
        results.append({
            "archived": others + (full["archive_new"] or 0),
            "built_through_store": others,
            "build_s": build_s,
            "crawl": full,
            "incremental": incremental,
            "full_run": recheck,
            **commands,
        })  # fmt: skip
        shutil.rmtree(work / archive, ignore_errors=True)
        shutil.rmtree(work / f"exports-{size}", ignore_errors=True)
    return results


def group_runs(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    """``snhr-crawler crawl`` of the four sources: one process, then two host groups, alternating.

    Its own replica (``--group-posts`` per site), every article of every site
    requested once first. Wall time and CPU seconds of the whole process tree
    (the groups' processes are the command's children, reaped by it).
    """
    print(f"host groups: a replica of {args.group_posts} posts per site ...", file=sys.stderr)
    replica = Replica(args.group_posts, args.seed)
    try:
        for source, origin in replica.origins.items():
            client = Http(origin)
            _, body = client.request("GET", f"/__replica/truth?source={source}")
            truth = [json.loads(line) for line in body.decode("utf-8").splitlines() if line]
            for record in truth:
                client.request("GET", urlsplit(record["url"]).path)
            client.close()
        origins = work / "origins.json"
        origins.write_text(json.dumps(replica.origins), "utf-8")
        one, two = [], []
        for n in range(1, args.repeat + 1):
            for parallel, runs in ((0, one), (1, two)):
                archive = work / f"groups-{parallel}-{n}"
                cmd = [sys.executable, "-m", "snhr_crawler.cli", "crawl", "--quiet",
                       "--origins-file", str(origins), "--archive", str(archive),
                       "--set", f"CRAWL_PARALLEL={parallel}"]  # fmt: skip
                load = os.getloadavg()[0]
                log = work / f"groups-{parallel}-{n}.log"
                child = run_child(cmd, ROOT, os.environ.copy(), args.timeout, log)
                reports = sorted((archive / "runs").glob("*.json"))
                if not reports:
                    tail = log.read_text("utf-8", "replace")[-3000:]
                    raise RuntimeError(f"crawl of the four sources wrote no report:\n{tail}")
                report = json.loads(reports[-1].read_text("utf-8"))
                runs.append({
                    "wall_s": child.wall_s,
                    "cpu_s": child.cpu_s,
                    "returncode": child.returncode,
                    "pages": report["totals"]["pages"],
                    "new": report["totals"]["new"],
                    "host_groups": report["options"]["host_groups"],
                    "loadavg_1m_before": load,
                })  # fmt: skip
                print(f"  {'two groups' if parallel else 'one process'}: "
                      f"{child.wall_s:.1f} s wall, {child.cpu_s:.1f} s CPU", file=sys.stderr)  # fmt: skip
                shutil.rmtree(archive, ignore_errors=True)
    finally:
        replica.stop()
    pairs = [a["wall_s"] / b["wall_s"] for a, b in zip(one, two, strict=True)]
    return {
        "posts_per_site": args.group_posts,
        "one_process": median_run(one),
        "two_groups": median_run(two),
        "wall_ratio_per_pair": pairs,
        "wall_ratio_median": sorted(pairs)[(len(pairs) - 1) // 2],
    }


def stage_figures(profile: Path, run: dict[str, Any]) -> dict[str, Any]:
    """Each stage's share of a profiled crawl, and that share of ``run``'s CPU per 1,000 pages."""
    shares = stage_shares(profile)
    per_page = run["cpu_s_per_1000_pages"] or 0.0
    return {
        stage: {"share": share, "cpu_s_per_1000_pages": share * per_page}
        for stage, share in shares.items()
    }


# --- the whole run ------------------------------------------------------------------------------
def ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def benchmark(args: argparse.Namespace) -> dict[str, Any]:
    """Everything in one run; returns the results document."""
    started = datetime.now(UTC)
    work = Path(tempfile.mkdtemp(prefix="snhr-bench-"))
    print(f"replica: {args.posts} posts per site (seed {args.seed}) ...", file=sys.stderr)
    replica = Replica(args.posts, args.seed)
    try:
        origin = replica.origins[SOURCE]
        client = Http(origin)
        status, body = client.request("GET", f"/__replica/truth?source={SOURCE}")
        client.close()
        if status != 200:
            raise RuntimeError(f"truth: HTTP {status}")
        truth = [json.loads(line) for line in body.decode("utf-8").splitlines() if line]
        size = len(truth) if args.extract_pages <= 0 else args.extract_pages
        print(f"warm-up: every listing and {len(truth)} articles once ...", file=sys.stderr)
        pages, warm_requests = warm_and_fetch(origin, truth, sample_indices(len(truth), size))

        crawls = Crawls(origin, work, args.timeout)
        crawls.site_posts = len(truth)
        print("crawls:", file=sys.stderr)
        # Full, bare and capture-off alternate, so that a burst of other load hits all alike.
        fulls, bares, uncaptured = [], [], []
        for n in range(1, args.repeat + 1):
            fulls.append(crawls.project(f"full-{n}", archive=f"archive-{n}"))
            bares.append(crawls.bare(f"bare-{n}"))
            uncaptured.append(
                crawls.project(f"capture_off-{n}", f"archive-off-{n}", {"CAPTURE_ENABLED": "0"})
            )
        full, bare, capture_off = median_run(fulls), median_run(bares), median_run(uncaptured)
        stages: dict[str, Any] = {}
        if args.profile:
            print(
                "profiles: the full crawl and the bare spider once more each ...", file=sys.stderr
            )
            crawls.project("profile-full", archive="archive-profile", profile=True)
            crawls.bare("profile-bare", profile=True)
            stages = {
                "full": stage_figures(work / "profile-full.prof", full),
                "bare": stage_figures(work / "profile-bare.prof", bare),
            }
        scaling = scale_runs(crawls, work, args.scale, work / "archive-1") if args.scale else []
        last = f"archive-{args.repeat}"
        before = archive_sizes(work / last, 1)
        first_files = set((work / last / "warc").rglob("*.warc.gz"))
        rerun = crawls.project("full_rerun_unchanged", archive=last, spider_args={"full": "true"})
        rerun.update(exchange_sizes(work / last, first_files))
        rerun["added_bytes"] = rerun["archive_bytes"] - before["archive_bytes"]
        rerun["added_warc_bytes"] = rerun["warc_bytes"] - before["warc_bytes"]
        rerun["added_bytes_per_article"] = ratio(rerun["added_bytes"], rerun["items"])
        rerun["first_crawl_bytes_per_article"] = ratio(before["archive_bytes"], full["items"])
        reparsed = crawls.reparse("reparse", archive=last)
        incremental_none = crawls.project("incremental_nothing_new", archive=last)
        client = Http(origin)
        status, body = client.request("POST", f"/__replica/add?n={NEW_POSTS}&source={SOURCE}")
        client.close()
        if status != 200 or len(json.loads(body)) != NEW_POSTS:
            raise RuntimeError(f"could not add {NEW_POSTS} posts: HTTP {status} {body[:200]!r}")
        incremental_new = crawls.project("incremental_20_new", archive=last)

        print(f"extraction: {len(pages)} pages, both extractors ...", file=sys.stderr)
        extraction = run_extraction(pages, Origin(public=PUBLIC_ORIGIN, fetch=origin), "en")
        groups = group_runs(args, work) if args.group_posts > 0 else {}
    finally:
        replica.stop()
        if args.keep_work:
            print(f"work directory kept: {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)

    def share(run: dict[str, Any]) -> dict[str, Any]:
        return {
            "requests_share_of_full": ratio(run["requests"], full["requests"]),
            "wall_share_of_full": ratio(run["wall_s"], full["wall_s"]),
        }

    return {
        "command": " ".join(["python -m benchmarks.run", *sys.argv[1:]]),
        "started_at": started.isoformat(timespec="seconds"),
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "replica": {
            "posts_per_site": args.posts,
            "seed": args.seed,
            "source": SOURCE,
            "truth_articles": len(truth),
            "warmup_requests": warm_requests,
        },
        "settings": FAST,
        "full": full,
        "bare": bare,
        "full_vs_bare": {
            "pages_per_s": ratio(full["pages_per_s"], bare["pages_per_s"]),
            "items_per_s": ratio(full["items_per_s"], bare["items_per_s"]),
            "cpu_s_per_1000_pages": ratio(
                full["cpu_s_per_1000_pages"], bare["cpu_s_per_1000_pages"]
            ),
            "capture_off_cpu_s_per_1000_pages": ratio(
                capture_off["cpu_s_per_1000_pages"], bare["cpu_s_per_1000_pages"]
            ),
            # Each full, bare and capture-off run of one round ran back to back.
            "cpu_s_per_1000_pages_per_run": [
                ratio(f["cpu_s_per_1000_pages"], b["cpu_s_per_1000_pages"])
                for f, b in zip(fulls, bares, strict=True)
            ],
            "capture_off_cpu_s_per_1000_pages_per_run": [
                ratio(o["cpu_s_per_1000_pages"], b["cpu_s_per_1000_pages"])
                for o, b in zip(uncaptured, bares, strict=True)
            ],
            "peak_rss_mb": ratio(full["peak_rss_mb"], bare["peak_rss_mb"]),
            "wall_s": ratio(full["wall_s"], bare["wall_s"]),
        },
        "stages": stages,
        "scale": scaling,
        "host_groups": groups,
        "capture_off": capture_off,
        "capture_on_vs_off": {
            "cpu_s_per_1000_pages": ratio(
                full["cpu_s_per_1000_pages"], capture_off["cpu_s_per_1000_pages"]
            ),
            "wall_s": ratio(full["wall_s"], capture_off["wall_s"]),
            "archive_bytes_per_article": ratio(
                full["archive_bytes_per_article"], capture_off["archive_bytes_per_article"]
            ),
            # Each on/off pair ran back to back, under the same load: the fairest A/B.
            "cpu_s_per_1000_pages_per_pair": [
                ratio(on["cpu_s_per_1000_pages"], off["cpu_s_per_1000_pages"])
                for on, off in zip(fulls, uncaptured, strict=True)
            ],
        },
        "coverage": {
            "full_items_over_truth": ratio(full["items"], len(truth)),
            "bare_items_over_truth": ratio(bare["items"], len(truth)),
        },
        "full_rerun_unchanged": {**rerun, **share(rerun)},
        "reparse": reparsed,
        "incremental_nothing_new": {**incremental_none, **share(incremental_none)},
        "incremental_20_new": {
            **incremental_new,
            **share(incremental_new),
            "posts_added": NEW_POSTS,
        },
        "extraction": {
            "pages": len(pages),
            "sample": f"{len(pages)} of {len(truth)} article pages"
            + (", evenly spread over the corpus" if len(pages) < len(truth) else ""),
            "results": extraction,
        },
    }


# --- output -----------------------------------------------------------------------------------
def _f(value: Any, digits: int = 1) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def _pct(value: float | None) -> str:
    """A share in per cent; two decimals below 1 % so that a handful of requests is not 0.0 %."""
    if value is None:
        return "n/a"
    return f"{100 * value:.2f} %" if value < 0.01 else f"{100 * value:.1f} %"


def markdown(result: dict[str, Any]) -> str:
    """The tables README's ``## Benchmark`` section shows."""
    m, full, bare, vs = result["machine"], result["full"], result["bare"], result["full_vs_bare"]
    none, new = result["incremental_nothing_new"], result["incremental_20_new"]
    lines = [
        f"Run {result['started_at']} · `{result['command']}` · replica: "
        f"{result['replica']['posts_per_site']:,} posts per site, "
        f"{result['replica']['truth_articles']:,} English news articles crawled "
        f"(`{SOURCE}`) · politeness off (no delay, no AutoThrottle, 32 concurrent requests, "
        f"{FAST['CONCURRENT_ITEMS']} concurrent items: the same for the bare spider)",
        "",
        f"Machine: {m['nproc']} CPUs (nproc), {m['cpu_model']}; Python {m['python']}, "
        f"Scrapy {m['scrapy']}, trafilatura {m['trafilatura']}",
        "",
        "**Crawl** (full = `scrapy crawl snhr_news`, real settings and pipelines, fresh archive; "
        "bare = `benchmarks/bare_spider.py`, selectors only, no pipelines, feed to /dev/null"
        + (
            f"; {full['repeats']} alternating runs of each, the median by wall time shown"
            if full["repeats"] > 1
            else ""
        )
        + ")",
        "",
        "| | full crawl | bare Scrapy | full / bare |",
        "|---|---:|---:|---:|",
        f"| pages (responses) | {_f(full['pages'])} | {_f(bare['pages'])} | |",
        f"| items | {_f(full['items'])} | {_f(bare['items'])} | |",
        f"| wall time, s | {_f(full['wall_s'])} | {_f(bare['wall_s'])} | {_f(vs['wall_s'], 2)} |",
        f"| pages/s | {_f(full['pages_per_s'])} | {_f(bare['pages_per_s'])} | {_f(vs['pages_per_s'], 2)} |",
        f"| items/s | {_f(full['items_per_s'])} | {_f(bare['items_per_s'])} | {_f(vs['items_per_s'], 2)} |",
        f"| CPU s per 1,000 pages | {_f(full['cpu_s_per_1000_pages'], 2)} | "
        f"{_f(bare['cpu_s_per_1000_pages'], 2)} | {_f(vs['cpu_s_per_1000_pages'], 2)} |",
        f"| peak RSS, MB | {_f(full['peak_rss_mb'])} | {_f(bare['peak_rss_mb'])} | {_f(vs['peak_rss_mb'], 2)} |",
        "",
        f"CPU per page against the bare spider's (goals: at most 1.5 with capture on, 1.3 off): "
        f"capture on {_f(vs['cpu_s_per_1000_pages'], 2)}, capture off "
        f"{_f(vs['capture_off_cpu_s_per_1000_pages'], 2)}; each run against the bare run "
        "beside it: "
        + ", ".join(
            f"{_f(on, 2)} / {_f(off, 2)}"
            for on, off in zip(
                vs["cpu_s_per_1000_pages_per_run"],
                vs["capture_off_cpu_s_per_1000_pages_per_run"],
                strict=True,
            )
        )
        + " (on / off).",
        "",
        "pages/s of every run, in order (full / bare): "
        + ", ".join(
            f"{_f(f['pages_per_s'])} / {_f(b['pages_per_s'])}"
            for f, b in zip(full["runs"], bare["runs"], strict=True)
        )
        + "; 1-minute load average before each: "
        + ", ".join(
            f"{f['loadavg_1m_before']:.2f} / {b['loadavg_1m_before']:.2f}"
            for f, b in zip(full["runs"], bare["runs"], strict=True)
        ),
        "",
        *stage_table(result),
        *capture_table(result),
        "",
        *rerun_table(result),
        "",
        *scale_table(result),
        *groups_table(result),
        "",
        "**Incremental runs** (on the archive of the last full crawl; the 20 posts added "
        "through the replica's admin API, `POST /__replica/add?n=20&source=snhr_news`)",
        "",
        "| run | requests | share of full | wall time, s | share of full | new in archive |",
        "|---|---:|---:|---:|---:|---:|",
        f"| full crawl | {_f(full['requests'])} | 100 % | {_f(full['wall_s'])} | 100 % | {_f(full['archive_new'])} |",
        f"| nothing new | {_f(none['requests'])} | {_pct(none['requests_share_of_full'])} | "
        f"{_f(none['wall_s'])} | {_pct(none['wall_share_of_full'])} | {_f(none['archive_new'] or 0)} |",
        f"| {new['posts_added']} new posts | {_f(new['requests'])} | {_pct(new['requests_share_of_full'])} | "
        f"{_f(new['wall_s'])} | {_pct(new['wall_share_of_full'])} | {_f(new['archive_new'] or 0)} |",
        "",
        f"**Extraction alone** ({result['extraction']['sample']}; same HTML in memory for both; "
        "date = calendar day of `published_at`, as trafilatura gives only a day)",
        "",
        "| extractor | ms/page | exact title | exact title, site suffix removed | exact date | body text F1 |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for row in result["extraction"]["results"]:
        lines.append(
            f"| {row['extractor']} | {_f(row['ms_per_page'], 2)} | {_pct(row['title_exact_rate'])} | "
            f"{_pct(row['title_exact_rate_without_site_suffix'])} | {_pct(row['date_exact_rate'])} | {_f(row['body_f1'], 3)} |"
        )
    ours = result["extraction"]["results"][0]
    lines += [
        "",
        f"Our parser's full `published_at` (timestamp with offset) matches the truth on "
        f"{_pct(ours['date_timestamp_rate'])} of pages.",
    ]
    return "\n".join(lines) + "\n"


def scale_table(result: dict[str, Any]) -> list[str]:
    """Peak RSS of the crawls, export and verify times, per archive size."""
    sizes = result.get("scale") or []
    if not sizes:
        return []
    head = " | ".join(f"{s['archived']:,} archived" for s in sizes)

    def row(label: str, values: list[str], goal: str = "") -> str:
        return f"| {label} | " + " | ".join(values) + f" | {goal} |"

    def mb(s: dict[str, Any]) -> str:
        return _f(s["peak_rss_mb"])

    lines = [
        "**Large archives** (N articles of `snhr_news` archived: the replica's posts, crawled, "
        "and N minus those written through the store API, `benchmarks/scale.py`; then on that "
        "archive an incremental run, the exports, verify, and a full run, `-a full=true`, which "
        "also re-checks every archived article no listing shows: each answers 404 and becomes "
        "a tombstone)",
        "",
        f"| | {head} | goal |",
        "|---|" + "---:|" * len(sizes) + "---|",
        row("written through the store, s", [_f(s["build_s"]) for s in sizes]),
        row("crawl of the site, peak RSS MB", [mb(s["crawl"]) for s in sizes], "≤ 130"),
        row("incremental run, peak RSS MB", [mb(s["incremental"]) for s in sizes], "≤ 130"),
        row("full run, peak RSS MB", [mb(s["full_run"]) for s in sizes], "≤ 130"),
        row("full run, requests", [_f(s["full_run"]["requests"]) for s in sizes]),
        row(
            "full run, CPU s per 1,000 pages",
            [_f(s["full_run"]["cpu_s_per_1000_pages"], 2) for s in sizes],
        ),
        row("export jsonl, s", [_f(s["export_jsonl"]["wall_s"], 2) for s in sizes], "≤ 5"),
        row("export csv, s", [_f(s["export_csv"]["wall_s"], 2) for s in sizes], "≤ 10"),
        row("export parquet, s", [_f(s["export_parquet"]["wall_s"], 2) for s in sizes], "≤ 10"),
        row("verify, s", [_f(s["verify"]["wall_s"], 2) for s in sizes], "≤ 10"),
        row("verify, peak RSS MB", [mb(s["verify"]) for s in sizes]),
        "",
        "1-minute load average before each crawl of the site: "
        + ", ".join(f"{s['crawl']['loadavg_1m_before']:.2f}" for s in sizes)
        + ". Export and verify times are wall seconds of the command, CPU alike.",
        "",
    ]
    return lines


def groups_table(result: dict[str, Any]) -> list[str]:
    """The four-source crawl: one process, in turn, against two host groups at once."""
    groups = result.get("host_groups") or {}
    if not groups:
        return []
    one, two = groups["one_process"], groups["two_groups"]
    return [
        f"**Both cores** (`snhr-crawler crawl` of the four sources, {groups['posts_per_site']:,} "
        "posts each, local mode; `--set CRAWL_PARALLEL=0` against the default, two host groups "
        "in two processes; alternating, the median by wall time shown)",
        "",
        "| | one process | two host groups | one / two |",
        "|---|---:|---:|---:|",
        f"| pages | {_f(one['pages'])} | {_f(two['pages'])} | |",
        f"| wall time, s | {_f(one['wall_s'])} | {_f(two['wall_s'])} | "
        f"{_f(groups['wall_ratio_median'], 2)} |",
        f"| CPU s (the whole process tree) | {_f(one['cpu_s'])} | {_f(two['cpu_s'])} | "
        f"{_f(ratio(one['cpu_s'], two['cpu_s']), 2)} |",
        "",
        "Wall-time ratio of each pair, run back to back (goal ≥ 1.6): "
        + ", ".join(_f(r, 2) for r in groups["wall_ratio_per_pair"])
        + "; 1-minute load average before each run: "
        + ", ".join(
            f"{a['loadavg_1m_before']:.2f} / {b['loadavg_1m_before']:.2f}"
            for a, b in zip(one["runs"], two["runs"], strict=True)
        )
        + ".",
        "",
    ]


def stage_table(result: dict[str, Any]) -> list[str]:
    """CPU per 1,000 pages by stage, full crawl and bare spider (from their profiles)."""
    stages = result.get("stages") or {}
    if not stages:
        return []
    full, bare = stages["full"], stages["bare"]
    lines = [
        "**Where the CPU goes** (one more crawl of each under `cProfile`; each stage's share "
        "of the profile times the unprofiled median's CPU s per 1,000 pages)",
        "",
        "| stage | full crawl | share | bare Scrapy | share |",
        "|---|---:|---:|---:|---:|",
    ]
    for stage in (*STAGES, REST):
        f, b = full.get(stage, {}), bare.get(stage, {})
        lines.append(
            f"| {stage} | {_f(f.get('cpu_s_per_1000_pages'), 2)} | {_pct(f.get('share'))} | "
            f"{_f(b.get('cpu_s_per_1000_pages'), 2)} | {_pct(b.get('share'))} |"
        )
    lines.append(
        f"| total | {_f(result['full']['cpu_s_per_1000_pages'], 2)} | 100 % | "
        f"{_f(result['bare']['cpu_s_per_1000_pages'], 2)} | 100 % |"
    )
    return [*lines, ""]


def capture_table(result: dict[str, Any]) -> list[str]:
    """The full crawl with WARC capture on (the default) and off (``CAPTURE_ENABLED=0``)."""
    on, off, vs = result["full"], result["capture_off"], result["capture_on_vs_off"]

    def kb(value: float | None) -> str:
        return "n/a" if value is None else f"{value / 1024:,.1f}"

    return [
        "**WARC capture** (the full crawl as above, capture on, and the same crawl with "
        "`CAPTURE_ENABLED=0`; same alternation and median)",
        "",
        "| | capture on | capture off | on / off |",
        "|---|---:|---:|---:|",
        f"| pages (responses) | {_f(on['pages'])} | {_f(off['pages'])} | |",
        f"| CPU s per 1,000 pages | {_f(on['cpu_s_per_1000_pages'], 2)} | "
        f"{_f(off['cpu_s_per_1000_pages'], 2)} | {_f(vs['cpu_s_per_1000_pages'], 3)} |",
        f"| wall time, s | {_f(on['wall_s'])} | {_f(off['wall_s'])} | {_f(vs['wall_s'], 3)} |",
        f"| archive KB per article | {kb(on['archive_bytes_per_article'])} | "
        f"{kb(off['archive_bytes_per_article'])} | {_f(vs['archive_bytes_per_article'], 2)} |",
        f"| of which WARC, KB per article | {kb(on['warc_bytes_per_article'])} | "
        f"{kb(off['warc_bytes_per_article'])} | |",
        f"| peak RSS, MB | {_f(on['peak_rss_mb'])} | {_f(off['peak_rss_mb'])} | |",
        "",
        "CPU s per 1,000 pages of every run, in order (on / off, ratio): "
        + ", ".join(
            f"{_f(a['cpu_s_per_1000_pages'], 2)} / {_f(b['cpu_s_per_1000_pages'], 2)} ({_f(r, 3)})"
            for a, b, r in zip(
                on["runs"], off["runs"], vs["cpu_s_per_1000_pages_per_pair"], strict=True
            )
        )
        + ". The capture extension's own CPU, measured around each write (`snhr/capture/cpu_s`): "
        + ", ".join(
            f"{_f(1000 * a['capture_cpu_s'] / a['pages'], 2)} s per 1,000 pages "
            f"= {_pct(a['capture_cpu_share'])} of the crawl's CPU"
            for a in on["runs"]
            if a.get("capture_cpu_s") and a["pages"]
        )
        + ".",
    ]


def rerun_table(result: dict[str, Any]) -> list[str]:
    """A ``--full`` re-run of the unchanged site, and ``reparse``, on the last full crawl's archive."""
    rerun, reparsed = result["full_rerun_unchanged"], result["reparse"]

    def kb(value: float | None) -> str:
        return "n/a" if value is None else f"{value / 1024:,.2f}"

    return [
        "**Unchanged site, `--full` re-run, and `reparse`** (on the archive of the last full crawl)",
        "",
        "| | value |",
        "|---|---:|",
        f"| articles re-fetched | {_f(rerun['items'])} |",
        f"| of which kept as WARC revisits | {_f(rerun['capture_revisits'] or 0)} |",
        f"| archive KB per article, first crawl | {kb(rerun['first_crawl_bytes_per_article'])} |",
        f"| archive KB added per article by the re-run | {kb(rerun['added_bytes_per_article'])} |",
        f"| one article exchange in the WARC, KB: first crawl (response + request) | "
        f"{kb(rerun.get('original_exchange_bytes'))} |",
        f"| one article exchange in the WARC, KB: re-run (revisit + request) | "
        f"{kb(rerun.get('revisit_exchange_bytes'))} |",
        f"| re-run wall time, s | {_f(rerun['wall_s'])} |",
        f"| `reparse`: records re-read | {_f(reparsed['records'])} ({_f(reparsed['changed'])} changed) |",
        f"| `reparse`: wall time, s (whole command) | {_f(reparsed['wall_s'])} |",
        f"| `reparse`: records/s (whole command; re-reading alone) | "
        f"{_f(reparsed['records_per_s'])}; {_f(reparsed['records_per_s_reading'])} |",
        f"| `reparse`: CPU ms per record | {_f(reparsed['cpu_ms_per_record'], 2)} |",
    ]


def _sizes(text: str) -> list[int]:
    sizes = [int(part) for part in text.split(",") if part.strip()]
    return [size for size in sizes if size > 0]


def _terminate(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run", description=(__doc__ or "").splitlines()[0]
    )
    parser.add_argument(
        "--posts", type=int, default=10_000, help="posts per replica site (default 10000)"
    )
    parser.add_argument("--output", type=Path, default=ROOT / "benchmarks" / "results")
    parser.add_argument("--smoke", action="store_true", help="tiny run (60 posts), seconds")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--extract-pages", type=int, default=1000,
        help="article pages for the extraction comparison, spread evenly (0: all; default 1000)",
    )  # fmt: skip
    parser.add_argument(
        "--repeat", type=int, default=1,
        help="full and bare crawls, alternating; the median run is reported (default 1)",
    )  # fmt: skip
    parser.add_argument("--timeout", type=float, default=3600.0, help="bound per crawl, seconds")
    parser.add_argument(
        "--scale",
        type=_sizes,
        default=[10_000, 100_000],
        metavar="N,N",
        help="archive sizes for the scaling table (default 10000,100000; 0: none)",
    )
    parser.add_argument(
        "--group-posts", type=int, default=2_000,
        help="posts per site of the four-source crawl, one process against two host groups "
        "(default 2000; 0: none)",
    )  # fmt: skip
    parser.add_argument(
        "--no-profile", dest="profile", action="store_false",
        help="skip the profiled crawls (the CPU-by-stage table)",
    )  # fmt: skip
    parser.add_argument("--keep-work", action="store_true", help="keep the archive and crawl logs")
    args = parser.parse_args(argv)
    # SIGTERM unwinds like Ctrl-C, so the replica and a running crawl are stopped, not orphaned.
    signal.signal(signal.SIGTERM, _terminate)
    if args.smoke:
        args.posts, args.extract_pages, args.timeout = 60, 0, 120.0
        args.scale, args.group_posts = [200], 10
    if args.posts < 1 or args.repeat < 1:
        parser.error("--posts and --repeat must be positive")
    result = benchmark(args)
    args.output.mkdir(parents=True, exist_ok=True)
    (args.output / "benchmark.json").write_text(json.dumps(result, indent=2) + "\n", "utf-8")
    table = markdown(result)
    (args.output / "benchmark.md").write_text(table, "utf-8")
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
