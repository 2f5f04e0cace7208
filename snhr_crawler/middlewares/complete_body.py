"""A response shorter than it says it is is a failed fetch, not a page.

Twisted refuses a body cut short of its ``Content-Length`` (Scrapy raises
``ResponseDataLossError``), but two answers still arrive looking whole:

* a chunked body that ends cleanly before the ``Content-Length`` the server
  also sent (HTTP says the chunking wins, so nothing below complains);
* a gzip or deflate body whose compressed bytes are all there but whose
  stream stops early: Scrapy's decompression keeps "as much data as
  possible", so half an article would be archived as the article.

This downloader middleware sits just below ``HttpCompressionMiddleware``
(595 > 590: it sees the bytes as they came off the wire) and turns either into
a retry, then, once the retries are spent, into ``TruncatedResponse`` for the
request's errback (``snhr/article/failed/truncated``). It also refuses a
response Scrapy itself flagged as ``dataloss``/``partial`` where a length was
declared. Stats: ``snhr/download/truncated``.
"""

from __future__ import annotations

import logging
import zlib
from typing import TYPE_CHECKING

from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

_CHUNK = 64 * 1024


class TruncatedResponse(IgnoreRequest):
    """The response ended before its declared length or its compressed stream."""


def declared_length(response: Response) -> int | None:
    value = response.headers.get(b"Content-Length")
    if not value:
        return None
    text = value.decode("latin-1").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) < 19 else None


def stream_complete(body: bytes, encoding: bytes, limit: int = 0) -> bool:
    """Whether a gzip/deflate ``body`` holds its whole stream (read in bounded chunks).

    Past ``limit`` decoded bytes it stops and says yes: the decompression
    middleware refuses such a body for its size, without a second full inflate here.
    """
    encoding = encoding.strip().lower()
    if encoding in (b"gzip", b"x-gzip"):
        wbits = 31
    elif encoding == b"deflate":
        wbits = 15 if body[:1] == b"\x78" else -15
    else:
        return True  # br, zstd: their decoders say so themselves
    decoder = zlib.decompressobj(wbits)
    data = body
    decoded = 0
    try:
        while data and not decoder.eof:
            decoded += len(decoder.decompress(data, _CHUNK))
            data = decoder.unconsumed_tail
            if limit and decoded > limit:
                return True
    except zlib.error:
        return False
    return decoder.eof


def why_truncated(response: Response, limit: int = 0) -> str | None:
    """Why ``response`` (as received, before decompression) is not whole, or None."""
    declared = declared_length(response)
    if declared is not None and len(response.body) < declared:
        return f"{len(response.body)} of {declared} bytes"
    if declared is not None and ("dataloss" in response.flags or "partial" in response.flags):
        return "flagged as data loss"
    encoding = response.headers.get(b"Content-Encoding")
    if encoding and response.body and not stream_complete(response.body, encoding, limit):
        return f"{encoding.decode('latin-1')} stream cut short"
    return None


class CompleteBodyMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.max_retry_times = crawler.settings.getint("RETRY_TIMES")
        self.maxsize = crawler.settings.getint("DOWNLOAD_MAXSIZE")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Request | Response:
        if request.method == "HEAD" or response.status in (204, 304):
            return response
        why = why_truncated(response, request.meta.get("download_maxsize", self.maxsize))
        if why is None:
            return response
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value("snhr/download/truncated")
        assert self.crawler.spider is not None
        retry = get_retry_request(
            request,
            spider=self.crawler.spider,
            reason="truncated",
            max_retry_times=request.meta.get("max_retry_times", self.max_retry_times),
        )
        if retry is not None:
            return retry
        logger.warning("Truncated response (%s): %s", why, response.url)
        raise TruncatedResponse(f"truncated response ({why})")
