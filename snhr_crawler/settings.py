"""Scrapy settings for snhr_crawler.

Defaults are for archivists crawling the live sites of a small NGO: polite,
slow and honest about who we are. Every deviation from Scrapy's defaults says
so. Deployment values come from the environment with safe defaults; tests
lower politeness for loopback only, never here.
"""

import os
import sys
from typing import NoReturn

from snhr_crawler.setting_values import NotANumber, number


def _env_number(
    name: str,
    default: float,
    *,
    whole: bool = False,
    minimum: float | None = None,
    maximum: float | None = None,
) -> float:
    """A number from the environment; a bad one stops here, in one line, with exit 2.

    Read at import, so a typo in a cron line's environment must not surface as
    a traceback from deep inside Scrapy. ``--set`` values go through the same
    ``number`` check (``snhr_crawler.ops.overrides``). A finite number can still
    be one no run can mean: below ``minimum`` or above ``maximum`` (a negative
    delay, a stop count of 0, an error rate above 1) stops here too.
    """
    raw = os.getenv(name, "").strip()
    if not raw:
        return default
    try:
        value = number(raw, whole=whole)
    except NotANumber as exc:
        _env_error(name, raw, str(exc))
    if minimum is not None and value < minimum:
        _env_error(name, raw, f"is below {minimum:g}")
    if maximum is not None and value > maximum:
        _env_error(name, raw, f"is above {maximum:g}")
    return value


def _env_error(name: str, raw: str, why: str) -> NoReturn:
    print(f"error: environment variable {name}={raw!r} {why}", file=sys.stderr)
    raise SystemExit(2)


BOT_NAME = "snhr_crawler"
SPIDER_MODULES = ["snhr_crawler.spiders"]
NEWSPIDER_MODULE = "snhr_crawler.spiders"
COMMANDS_MODULE = "snhr_crawler.commands"
TEMPLATES_DIR = os.path.join(os.path.dirname(__file__), "templates")

# --- Identity -------------------------------------------------------------
CONTACT_URL = os.getenv("SNHR_CONTACT_URL", "https://github.com/snhr-archive/snhr_crawler")
USER_AGENT = os.getenv(
    "SNHR_USER_AGENT",
    f"snhr_crawler/0.1 (+{CONTACT_URL}; human-rights archive, one request at a time)",
)

# --- Politeness -------------------------------------------------------------
ROBOTSTXT_OBEY = True  # default False
CONCURRENT_REQUESTS = 4  # default 16
CONCURRENT_REQUESTS_PER_DOMAIN = 1  # default 8
# default 100: Scrapy starts one asyncio task per slot for every response's
# output, and no SNHR page yields more than a dozen requests or items (-17% CPU).
CONCURRENT_ITEMS = 16
DOWNLOAD_DELAY = _env_number(
    "SNHR_DOWNLOAD_DELAY", 2.0, minimum=0, maximum=3600
)  # default 0 (jittered ±50%)
AUTOTHROTTLE_ENABLED = True  # default False
AUTOTHROTTLE_START_DELAY = 2.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 0.5  # default 1.0: stay below one request in flight
DOWNLOAD_TIMEOUT = 60  # default 180: a page that takes a minute is a failed page
TELNETCONSOLE_ENABLED = False  # default True: no open port on an archivist's server
REMOTE_CONTROL_ENABLED = False  # default True (2.19): same reason
COOKIES_ENABLED = False  # WordPress pages need none
# Scrapy's defaults for Accept and Accept-Language; Accept-Encoding without the
# br and zstd Scrapy 2.18 advertises: every captured response must replay in
# common WARC tools, and ReplayWeb.page cannot decode zstd.
DEFAULT_REQUEST_HEADERS = {
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "en",
    "Accept-Encoding": "gzip, deflate",
}
# robots.txt Crawl-delay is a floor under DOWNLOAD_DELAY and AutoThrottle, per host
# (Scrapy reads it but ignores it); a figure above the cap is capped and logged.
ROBOTSTXT_CRAWL_DELAY = True
ROBOTSTXT_CRAWL_DELAY_MAX = 60.0

# --- Retries and backoff -----------------------------------------------------
RETRY_ENABLED = True
RETRY_TIMES = 4  # default 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
# 429/503 wait for Retry-After (capped) or back off exponentially; Scrapy's own
# RetryMiddleware would retry them at once.
RETRY_BACKOFF_BASE = 2.0
RETRY_BACKOFF_MAX = 300.0

# --- Safety -----------------------------------------------------------------
# Only http(s): no file://, s3://, ftp://, data: handlers for URLs read off pages.
DOWNLOAD_HANDLERS = {"file": None, "s3": None, "ftp": None, "data": None}
DOWNLOAD_MAXSIZE = 64 * 1024 * 1024  # default 1 GiB; SNHR's largest PDFs are ~20 MB
REDIRECT_MAX_TIMES = 5  # default 20: loops on a small site are bugs, not content

DOWNLOADER_MIDDLEWARES = {
    # Before everything: nothing off the source's own hosts and ports is requested
    # (robots.txt included), public URLs go to a local copy's origin, the run's budget.
    "snhr_crawler.middlewares.source_hosts.SourceHostsMiddleware": 40,
    # Scrapy's robots.txt middleware (100) stays; an unreachable robots.txt, after
    # the retries, is answered with "disallow all" just below the retry middleware.
    "snhr_crawler.middlewares.robots.RobotsTxtFailClosedMiddleware": 540,
    # robots.txt Crawl-delay as the slot's minimum delay (snhr_crawler.middlewares.crawl_delay).
    "snhr_crawler.middlewares.crawl_delay.CrawlDelayMiddleware": 545,
    # Scrapy's retry middleware, replaced by one that waits (Retry-After, backoff).
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "snhr_crawler.middlewares.backoff.BackoffRetryMiddleware": 550,
    # After retries: a host that never answered is not retried (a run without network
    # ends in seconds, not minutes).
    "snhr_crawler.middlewares.unreachable.UnreachableHostMiddleware": 555,
    # Sees bodies before decompression (590): one shorter than it says is retried, then failed.
    "snhr_crawler.middlewares.complete_body.CompleteBodyMiddleware": 595,
    "snhr_crawler.middlewares.offsite_redirect.SameSiteRedirectMiddleware": 601,
}

# --- Items --------------------------------------------------------------------
ITEM_PIPELINES = {
    "snhr_crawler.pipelines.normalize.NormalizePipeline": 100,
    "snhr_crawler.pipelines.validate.ValidatePipeline": 200,
    "snhr_crawler.pipelines.dedupe.DedupePipeline": 300,
    # Before the archive, which stores the enriched attachment entries.
    "snhr_crawler.pipelines.pdfs.PdfPipeline": 350,
    "snhr_crawler.pipelines.archive.ArchivePipeline": 400,
}

# --- Attachments ----------------------------------------------------------------
# Opt-in: download each report PDF once into ARCHIVE_DIR/files/ and record its
# sha256 and size in the attachment entry. Off: attachments are links only.
DOWNLOAD_PDFS = os.getenv("SNHR_DOWNLOAD_PDFS", "0") == "1"

# --- Archive --------------------------------------------------------------------
# The archive is an extension (snhr_crawler.archive.extension, in EXTENSIONS below);
# ARCHIVE_ENABLED = False crawls without one (the audit does).
ARCHIVE_ENABLED = True
# ARCHIVE_DIR (setting) > SNHR_ARCHIVE_DIR (environment) > ./archive.
# Lines are flushed and fsynced every ARCHIVE_FSYNC_EVERY records and at close.
ARCHIVE_FSYNC_EVERY = 50
# Set by `snhr-crawler crawl` to its run id: it holds the archive's lock for the
# whole run. Empty: each crawl takes the lock itself.
ARCHIVE_RUN_LOCK = ""
# Set by `snhr-crawler crawl` for the crawls of a host group run in parallel with
# others (snhr_crawler.ops.parallel): recover only the crawl's own source, leave
# the manifest to the run.
ARCHIVE_SHARED = False

# --- Capture ------------------------------------------------------------------
# Every HTTP exchange as WARC/1.1 in ARCHIVE_DIR/warc/<source>/<run-id>-<n>.warc.gz
# (snhr_crawler.capture); a new file past CAPTURE_ROTATE_BYTES.
CAPTURE_ENABLED = True
CAPTURE_ROTATE_BYTES = 1_000_000_000
# The run id in WARC file names; empty: the crawl's start time (20261125T021500Z).
CAPTURE_RUN_ID = ""

# --- Output -------------------------------------------------------------------
FEED_EXPORT_ENCODING = "utf-8"  # default None would escape Arabic as \uXXXX in JSON
FEED_STORE_EMPTY = True

# --- Listings ---------------------------------------------------------------------
# A listing walk also walks the categories the site shows (menus, /wp/v2/categories,
# breadcrumbs; snhr_crawler.discovery.listings): at most this many beyond the seeds.
LISTING_MAX_DISCOVERED = 100

# --- Incremental crawling -------------------------------------------------------
# Stop walking a listing after this many consecutive already-archived articles.
INCREMENTAL_STOP_AFTER = int(
    _env_number("SNHR_INCREMENTAL_STOP_AFTER", 10, whole=True, minimum=1, maximum=10_000)
)

# --- Bounds -----------------------------------------------------------------------
# What one run of one source may cost, whatever the site says: a listing that
# never ends, a sitemap index pointing at itself, a REST API claiming ten
# million pages, a gzip bomb. A bound that is hit is counted
# (``snhr/bounds/<name>``), logged with the URL that hit it, fails the
# ``bounds`` health check by name, and the run still ends normally with
# everything it archived intact; the next run walks whole again. The defaults
# are far above what SNHR's sites need (about 60,000 posts on the largest).
# Validated when a crawl starts (``snhr_crawler.bounds``): whole numbers >= 1.
BOUND_REQUESTS = 300_000  # requests per source per run: the run's budget
BOUND_LISTING_PAGES = 3_000  # pages of one listing walk (SNHR's longest: ~1,200)
BOUND_LISTING_PAGE_MARGIN = 5  # pages a walk may go past the listing's own ``a.last``
BOUND_LISTING_STALE_PAGES = 3  # listing pages in a row that show nothing new to the walk
BOUND_LINKS_PER_PAGE = 500  # article links read from one listing page (SNHR: 10 to 20)
BOUND_SITEMAP_DEPTH = 3  # sitemap indexes within sitemap indexes
BOUND_SITEMAP_FILES = 2_000  # sitemap files per run
BOUND_SITEMAP_URLS = 50_000  # URLs read from one sitemap file (the protocol's own limit)
BOUND_REST_PAGES = 2_000  # REST pages per run (100 posts each)
BOUND_FEED_PAGES = 200  # feed pages per run (10 posts each)
BOUND_QUEUED = 5_000  # article requests discovery hands to Scrapy's queue at once
# Bytes of a sitemap, feed or REST page after decompression (the sitemap protocol's 50 MB).
BOUND_DECODED_BYTES = 50 * 1024 * 1024
BOUND_PAGE_BYTES = 16 * 1024 * 1024  # an HTML page (SNHR's: under 1 MB); PDFs: DOWNLOAD_MAXSIZE
# Longest value stored per field (characters, or entries for lists); a longer
# one is cut and the record's ``truncated`` names the field.
BOUND_FIELD_SIZES = {
    "title": 2_000,
    "subtitle": 4_000,
    "body_text": 2_000_000,
    "body_html": 4_000_000,
    "categories": 50,
    "tags": 200,
    "attachments": 500,
    "images": 50,
    "translations": 20,
}

# --- Pending articles -------------------------------------------------------------
# An article a listing or discovery named but that could not be archived
# (failed fetch, truncated body, unparseable page, refused identity) waits in
# the archive's ``pending`` table and is asked for again by later runs, after
# PENDING_RETRY_BASE_HOURS * 2^(attempts - 1) hours, until it is archived or has
# failed PENDING_MAX_ATTEMPTS times (then it is given up, and still counted).
PENDING_RETRY_BASE_HOURS = _env_number(
    "SNHR_PENDING_RETRY_BASE_HOURS", 6.0, minimum=0, maximum=24 * 30
)
PENDING_MAX_ATTEMPTS = int(
    _env_number("SNHR_PENDING_MAX_ATTEMPTS", 8, whole=True, minimum=1, maximum=1_000)
)

# --- Framework ------------------------------------------------------------------
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
LOG_LEVEL = os.getenv("SNHR_LOG_LEVEL", "INFO")

# --- Operations -------------------------------------------------------------------
# Read by snhr_crawler.ops (the snhr-crawler CLI); see docs/operations.md.
EXTENSIONS = {
    # The archive: store, lock, run records, discovery state (before everything that reads it).
    "snhr_crawler.archive.extension.ArchiveExtension": 100,
    # The original responses, as WARC: the evidence, and what `reparse` re-reads.
    "snhr_crawler.capture.extension.WarcCapture": 400,
    # Non-empty share of each field per run: a redesign shows as a coverage drop.
    "snhr_crawler.ops.coverage.FieldCoverage": 500,
    # New/changed/skipped/errors per source while crawling.
    "snhr_crawler.ops.progress.Progress": 510,
    # runs/<run-id>.json and the health checks for `scrapy crawl` and Scrapyd runs.
    "snhr_crawler.ops.runreport.RunReport": 520,
}
# The snhr-crawler CLI turns this off: it writes one report for all sources of a run.
OPS_RUN_REPORT = True
# "log": an INFO line every OPS_PROGRESS_INTERVAL seconds (cron, Scrapyd, scrapy crawl);
# "tty": a live line per source (the CLI picks it when stderr is a terminal); "off".
OPS_PROGRESS = "log"
OPS_PROGRESS_INTERVAL = 60.0
# "2/4": where a source stands in its run, at the head of its progress line (set by the CLI).
OPS_PROGRESS_POSITION = ""
# "relay" mode only: the pipe a host group's crawl sends its progress lines up (set by the CLI).
OPS_PROGRESS_RELAY_FD = -1
# `snhr-crawler crawl` runs host groups (sources that share no host) in parallel
# processes; False: every source in one process, in turn (snhr_crawler.ops.parallel).
CRAWL_PARALLEL = True
# Health checks after each `snhr-crawler crawl` run (snhr_crawler.ops.checks).
OPS_CHECK_MAX_ERROR_RATE = _env_number("SNHR_MAX_ERROR_RATE", 0.05, minimum=0, maximum=1)
OPS_CHECK_MIN_FIELD_COVERAGE = {
    "title": 0.99,
    "body_text": 0.95,
    "published_at": 0.9,
    "post_id": 0.8,
    "categories": 0.8,
}
OPS_CHECK_MAX_COVERAGE_DROP = 0.25  # vs the mean of earlier runs
OPS_CHECK_COVERAGE_MIN_ITEMS = 20  # fewer records in a run: coverage not judged
OPS_CHECK_MAX_DAYS_WITHOUT_NEW = _env_number(
    "SNHR_MAX_DAYS_WITHOUT_NEW", 7, minimum=0, maximum=3650
)
# Sources that publish less often than daily news, e.g. {"snhr_reports_ar": 21}.
OPS_CHECK_MAX_DAYS_WITHOUT_NEW_PER_SOURCE: dict[str, float] = {}
OPS_CHECK_HISTORY = 30  # earlier run reports the checks compare with
# The shift alarm (snhr_crawler.ops.layershift): a field served by a lower extraction
# layer on more than this share of records than in earlier runs and the probe's profile.
OPS_CHECK_MAX_LAYER_SHIFT = 0.2
OPS_CHECK_LAYER_SHIFT_FIELDS = ["title", "published_at", "categories", "body_text", "post_id"]
OPS_CHECK_LAYER_SHIFT_MIN_ITEMS = 5  # fewer records of a field in a run or a baseline: not judged
