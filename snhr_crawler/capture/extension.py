"""WarcCapture: every HTTP exchange of a crawl, kept in the archive as WARC.

It listens to ``response_downloaded``, which Scrapy sends as soon as the
download handler has a response, before any downloader middleware: the body
is still content-encoded and each redirect hop, retry, robots.txt, sitemap,
feed, REST page, PDF and error page is its own response. Each becomes an
exchange in ``<ARCHIVE_DIR>/warc/<spider>/<run-id>-<n>.warc.gz`` (see
``writer``). A request that ends without a response (refused, timed out,
cut off) has nothing to keep; it is counted.

Settings:

* ``CAPTURE_ENABLED`` (default True) -- off: no WARC at all; nor with
  ``ARCHIVE_ENABLED`` off (the audit's crawls), as the files are the archive's;
* ``CAPTURE_ROTATE_BYTES`` (default 1 GB) -- a new file once one reaches this size;
* ``CAPTURE_RUN_ID`` -- the run id in file names; default the crawl's start
  time, ``20261125T021500Z``, as run reports name runs.

``request.meta`` keys:

* ``CAPTURE_META`` (``"snhr_capture"``) -- set here on every request that
  received a response: the ``CapturePointer`` of that response's record.
  ``response.meta`` is the request's meta, so a callback (and the archive,
  from the item's response) reads it there; after redirects it is the last
  hop's. A request that got no response has none, even if it was copied
  from one that had (a retry).
* ``CAPTURE_PREVIOUS_META`` (``"snhr_capture_previous"``) -- set by whoever
  re-fetches an archived page: the archived capture (a ``CapturePointer``
  or its dict). When the new response has the same status and payload
  digest, it is written as a ``revisit`` record referring to that capture
  instead of a second copy of the body, and the pointer names the revisit.

The archive reaches this extension with ``crawler.get_extension(WarcCapture)``
and calls ``flush()`` before writing a line that points at a capture.

At spider open, ``.open`` files of the same source that a killed run left
are cut back to their last whole record and closed (``recovery``).

Stats: ``snhr/capture/records`` and ``snhr/capture/bytes`` (WARC records and
compressed bytes written), ``files`` and ``cpu_s`` (process CPU seconds spent
capturing: what capture costs, measured where it is spent), all four set when
the spider closes; ``responses``, ``revisits``, ``truncated``
(bodies Scrapy did not get whole), ``failed_without_response``,
``revisit_original_unreadable``, ``recovered_files``, ``quarantined_bytes``,
``lost_records``, and ``error`` (a write failed, or the spider or run id
cannot name a file; the crawl is then closed with reason ``capture_error``),
all under ``snhr/capture/``.
"""

from __future__ import annotations

import json
import logging
import platform
import time
from importlib.metadata import version
from typing import TYPE_CHECKING, Any

import scrapy
from scrapy import Request, signals
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.settings import BaseSettings
from scrapy.utils.defer import deferred_from_coro

import snhr_crawler
from snhr_crawler.archive.paths import resolve_archive_dir
from snhr_crawler.capture.pointer import CapturePointer, payload_digest
from snhr_crawler.capture.reader import CaptureReadError, read_record
from snhr_crawler.capture.recovery import DamagedWarcError, recover_open_files
from snhr_crawler.capture.writer import (
    DEFAULT_ROTATE_BYTES,
    CaptureWriteError,
    RevisitOf,
    WarcWriter,
)
from snhr_crawler.clock import utc_now
from snhr_crawler.ops.runs import new_run_id

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Spider
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

CAPTURE_META = "snhr_capture"
CAPTURE_PREVIOUS_META = "snhr_capture_previous"
PREFIX = "snhr/capture"

#: Settings that shape what was captured, recorded in every file's warcinfo.
WARCINFO_SETTINGS = (
    "ROBOTSTXT_OBEY",
    "DEFAULT_REQUEST_HEADERS",
    "DOWNLOAD_DELAY",
    "RANDOMIZE_DOWNLOAD_DELAY",
    "AUTOTHROTTLE_ENABLED",
    "AUTOTHROTTLE_TARGET_CONCURRENCY",
    "CONCURRENT_REQUESTS",
    "CONCURRENT_REQUESTS_PER_DOMAIN",
    "DOWNLOAD_TIMEOUT",
    "DOWNLOAD_MAXSIZE",
    "DOWNLOAD_FAIL_ON_DATALOSS",
    "REDIRECT_MAX_TIMES",
    "RETRY_TIMES",
    "RETRY_HTTP_CODES",
    "COOKIES_ENABLED",
    "CAPTURE_ROTATE_BYTES",
)
ROBOTS_POLICY = (
    "robots.txt obeyed; a robots.txt that cannot be fetched or answers 5xx "
    "disallows the whole site (StrictRobotsTxtMiddleware)"
)


class WarcCapture:
    """Writes each exchange of its crawler's spider; see the module docstring."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.archive_dir = resolve_archive_dir(crawler.settings)
        self.rotate_bytes = crawler.settings.getint("CAPTURE_ROTATE_BYTES", DEFAULT_ROTATE_BYTES)
        self.writer: WarcWriter | None = None
        self._answered: set[int] = set()  # id() of requests in the downloader that got a response
        self._cpu_s = 0.0  # this process's CPU time spent capturing (the 10 % budget)
        self._stopping = False
        self._unwritable = ""  # why no writer could be made, if none could

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        # The WARC files are part of the archive: a crawl without one (the audit) keeps none.
        if not settings.getbool("CAPTURE_ENABLED", True) or not settings.getbool(
            "ARCHIVE_ENABLED", True
        ):
            raise NotConfigured
        extension = cls(crawler)
        connect = crawler.signals.connect
        connect(extension.spider_opened, signal=signals.spider_opened)
        connect(extension.response_downloaded, signal=signals.response_downloaded)
        connect(extension.request_left_downloader, signal=signals.request_left_downloader)
        connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    # --- signals -------------------------------------------------------------------------
    def spider_opened(self, spider: Spider) -> None:
        self._recover(spider.name)
        started = self._stat("start_time") or utc_now()
        run_id = self.crawler.settings.get("CAPTURE_RUN_ID") or new_run_id(started)
        try:
            self.writer = WarcWriter(
                self.archive_dir,
                spider.name,
                run_id,
                warcinfo=warcinfo_fields(self.crawler, spider, run_id),
                rotate_bytes=self.rotate_bytes,
            )
        except ValueError as exc:  # a spider or run id that cannot name a file
            # The engine is not running yet: the first response stops the crawl.
            self._unwritable = f"capture: {exc}"
            logger.error("%s", self._unwritable)

    def response_downloaded(self, response: Response, request: Request, spider: Spider) -> None:
        self._answered.add(id(request))
        request.meta.pop(CAPTURE_META, None)  # a copied request's pointer is not this response's
        writer = self.writer
        if writer is None or self._stopping:
            if self._unwritable:
                self._stop(self._unwritable)
            return
        started = time.process_time()
        try:
            self._capture(writer, request, response)
        finally:
            self._cpu_s += time.process_time() - started

    def request_left_downloader(self, request: Request, spider: Spider) -> None:
        if id(request) in self._answered:
            self._answered.discard(id(request))
            return
        request.meta.pop(CAPTURE_META, None)
        self._inc("failed_without_response")
        logger.debug("No response to capture for %s", request.url)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        writer = self.writer
        if writer is None:
            return
        try:
            writer.close()
        except CaptureWriteError as exc:
            self._stop(exc.summary())
        self._totals(writer)

    # --- for the archive ------------------------------------------------------------------
    def flush(self) -> None:
        """Make every capture written so far durable; raises ``CaptureWriteError``."""
        if self.writer is not None:
            self.writer.flush()

    # --- internals ------------------------------------------------------------------------
    def _capture(self, writer: WarcWriter, request: Request, response: Response) -> None:
        revisit_of = self._revisit_of(request, response)
        try:
            pointer = writer.write_exchange(request, response, revisit_of=revisit_of)
        except CaptureWriteError as exc:
            self._stop(exc.summary())
            return
        request.meta[CAPTURE_META] = pointer
        self._inc("revisits" if revisit_of else "responses")
        if "dataloss" in response.flags or "download_stopped" in response.flags:
            self._inc("truncated")

    def _revisit_of(self, request: Request, response: Response) -> RevisitOf | None:
        previous = request.meta.get(CAPTURE_PREVIOUS_META)
        if previous is None:
            return None
        try:
            earlier = (
                previous
                if isinstance(previous, CapturePointer)
                else CapturePointer.from_dict(previous)
            )
        except ValueError as exc:
            logger.warning("Bad %s on %s: %s", CAPTURE_PREVIOUS_META, request.url, exc)
            return None
        digest = payload_digest(response.body)
        if earlier.status != response.status or earlier.payload_digest != digest:
            return None
        try:
            record = read_record(self.archive_dir, earlier)
        except CaptureReadError as exc:
            # Never refer to bytes that are not there: keep this body in full instead.
            self._inc("revisit_original_unreadable")
            logger.warning("Earlier capture of %s unreadable (%s); kept in full", request.url, exc)
            return None
        if record.record_type == "revisit":  # refer to the original, not to another revisit
            return RevisitOf(
                record_id=record.header("WARC-Refers-To") or earlier.record_id,
                target_uri=record.header("WARC-Refers-To-Target-URI") or record.target_uri,
                date=record.header("WARC-Refers-To-Date") or earlier.fetched_at,
                payload_digest=digest,
            )
        return RevisitOf(earlier.record_id, record.target_uri, earlier.fetched_at, digest)

    def _recover(self, source: str) -> None:
        try:
            recovered = recover_open_files(self.archive_dir, source)
        except (OSError, DamagedWarcError) as exc:
            logger.error("capture: could not recover the WARC files a killed run left: %s", exc)
            self._inc("recovery_failed")
            return
        for item in recovered:
            self._inc("recovered_files")
            self._inc("quarantined_bytes", item.recovery.cut_bytes)
            self._inc("lost_records", len(item.recovery.lost_record_ids))
            for uri in item.recovery.lost_target_uris:
                logger.warning("capture: the capture of %s was torn by a killed run", uri)

    def _stop(self, why: str) -> None:
        """Log why once, count it, and close the crawl with reason ``capture_error``.

        A crawl that cannot keep what it fetches would archive records without
        their evidence; it stops, as it does when the archive cannot write.
        """
        if self._stopping:
            return
        self._stopping = True
        self._inc("error")
        logger.error("%s -- stopping the crawl (capture_error)", why)
        engine = getattr(self.crawler, "engine", None)
        if engine is not None and getattr(engine, "running", False):
            deferred_from_coro(engine.close_spider_async(reason="capture_error"))

    def _totals(self, writer: WarcWriter) -> None:
        stats = self.crawler.stats
        if stats is not None:
            stats.set_value(f"{PREFIX}/records", writer.records_written)
            stats.set_value(f"{PREFIX}/bytes", writer.bytes_written)
            stats.set_value(f"{PREFIX}/files", len(writer.files))
            stats.set_value(f"{PREFIX}/cpu_s", round(self._cpu_s, 6))

    def _inc(self, key: str, count: int = 1) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(f"{PREFIX}/{key}", count)

    def _stat(self, key: str) -> Any:
        return self.crawler.stats.get_value(key) if self.crawler.stats is not None else None


def capture_of(response: Response) -> dict[str, Any] | None:
    """The pointer of the response a callback got, as an archived line's ``capture``, or None."""
    try:
        pointer = response.meta.get(CAPTURE_META)
    except AttributeError:  # a response made without a request (a test, a re-parse)
        return None
    return pointer.as_dict() if isinstance(pointer, CapturePointer) else None


def warcinfo_fields(crawler: Crawler, spider: Spider, run_id: str) -> dict[str, str]:
    """What a reader of the file needs to know about how it was made."""
    settings = crawler.settings
    shaping = {
        name: value.copy_to_dict() if isinstance(value, BaseSettings) else value
        for name in WARCINFO_SETTINGS
        if (value := settings.get(name)) is not None
    }
    return {
        "software": (
            f"snhr_crawler/{snhr_crawler.__version__} (Scrapy/{scrapy.__version__}; "
            f"warcio/{version('warcio')}; Python/{platform.python_version()})"
        ),
        "format": "WARC File Format 1.1",
        "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
        "description": f"HTTP exchanges of the {spider.name} crawl, run {run_id}",
        "isPartOf": run_id,
        "operator": settings.get("CONTACT_URL") or "",
        "http-header-user-agent": settings.get("USER_AGENT") or "",
        "robots": (
            ROBOTS_POLICY if settings.getbool("ROBOTSTXT_OBEY") else "robots.txt not obeyed"
        ),
        "spider": spider.name,
        "spider-arguments": json.dumps(spider_arguments(spider), sort_keys=True),
        "settings": json.dumps(shaping, sort_keys=True, default=str),
    }


def spider_arguments(spider: Spider) -> dict[str, str]:
    """The arguments that decide what a crawl fetched (``origin`` maps fetched URLs to public ones)."""
    values = {
        name: getattr(spider, name, None) for name in ("since", "max_pages", "full", "discovery")
    }
    origin = getattr(getattr(spider, "site_origin", None), "fetch", "")
    return {name: str(value) for name, value in {**values, "origin": origin}.items() if value}
