"""Scrapy settings for snhr_crawler.

Defaults are for archivists crawling the live sites of a small NGO: polite,
slow and honest about who we are. Every deviation from Scrapy's defaults says
so. Deployment values come from the environment with safe defaults; tests
lower politeness for loopback only, never here.
"""

import os
import sys

from snhr_crawler.setting_values import NotANumber, number


def _env_number(name: str, default: float, *, whole: bool = False) -> float:
    """A number from the environment; a bad one stops here, in one line, with exit 2.

    Read at import, so a typo in a cron line's environment must not surface as
    a traceback from deep inside Scrapy. ``--set`` values go through the same
    ``number`` check (``snhr_crawler.ops.overrides``).
    """
    raw = os.getenv(name, "").strip()
    if not raw:
        return default
    try:
        return number(raw, whole=whole)
    except NotANumber as exc:
        print(f"error: environment variable {name}={raw!r} {exc}", file=sys.stderr)
        raise SystemExit(2) from None


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
DOWNLOAD_DELAY = _env_number("SNHR_DOWNLOAD_DELAY", 2.0)  # default 0 (jittered ±50%)
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
INCREMENTAL_STOP_AFTER = int(_env_number("SNHR_INCREMENTAL_STOP_AFTER", 10, whole=True))

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
# Health checks after each `snhr-crawler crawl` run (snhr_crawler.ops.checks).
OPS_CHECK_MAX_ERROR_RATE = _env_number("SNHR_MAX_ERROR_RATE", 0.05)
OPS_CHECK_MIN_FIELD_COVERAGE = {
    "title": 0.99,
    "body_text": 0.95,
    "published_at": 0.9,
    "post_id": 0.8,
    "categories": 0.8,
}
OPS_CHECK_MAX_COVERAGE_DROP = 0.25  # vs the mean of earlier runs
OPS_CHECK_COVERAGE_MIN_ITEMS = 20  # fewer records in a run: coverage not judged
OPS_CHECK_MAX_DAYS_WITHOUT_NEW = _env_number("SNHR_MAX_DAYS_WITHOUT_NEW", 7)
# Sources that publish less often than daily news, e.g. {"snhr_reports_ar": 21}.
OPS_CHECK_MAX_DAYS_WITHOUT_NEW_PER_SOURCE: dict[str, float] = {}
OPS_CHECK_HISTORY = 30  # earlier run reports the checks compare with
# The shift alarm (snhr_crawler.ops.layershift): a field served by a lower extraction
# layer on more than this share of records than in earlier runs and the probe's profile.
OPS_CHECK_MAX_LAYER_SHIFT = 0.2
OPS_CHECK_LAYER_SHIFT_FIELDS = ["title", "published_at", "categories", "body_text", "post_id"]
OPS_CHECK_LAYER_SHIFT_MIN_ITEMS = 5  # fewer records of a field in a run or a baseline: not judged
