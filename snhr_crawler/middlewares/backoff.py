"""Retries that wait: Retry-After honoured, exponential backoff otherwise.

Scrapy's RetryMiddleware re-queues a 429 or 503 at once, which is the worst
answer to "you are sending too much". This one waits before handing back the
retry request, and slows the whole downloader slot (every request to that
host) to at least the same delay, so AutoThrottle starts from a polite pace.

Settings: ``RETRY_BACKOFF_BASE`` (seconds, default 2), ``RETRY_BACKOFF_MAX``
(cap, default 300). Stats: ``snhr/backoff/waits``, ``snhr/backoff/seconds``,
``snhr/backoff/retry_after``.
"""

from __future__ import annotations

import asyncio
import email.utils
from typing import TYPE_CHECKING

from scrapy.downloadermiddlewares.retry import RetryMiddleware, get_retry_request
from scrapy.http import Request, Response
from scrapy.utils.response import response_status_message

from snhr_crawler.clock import epoch_seconds

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler

#: Answers that mean "slow down" rather than "broken".
THROTTLE_STATUSES = frozenset({429, 503})


def retry_after_seconds(value: bytes | str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date)."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    # ASCII digits only: str.isdigit() also accepts "²" and "٣", which float() refuses.
    if text.isascii() and text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
        moment = when.timestamp()
    except (TypeError, ValueError, OverflowError):
        return None
    now = epoch_seconds() if now is None else now
    return max(0.0, moment - now)


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's RetryMiddleware (its exceptions, ``RETRY_*`` settings) with waits on 4xx/5xx answers.

    Only documented parts are used: the middleware's ``process_response``
    hook, its public settings attributes and ``get_retry_request``.
    """

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        middleware = super().from_crawler(crawler)
        middleware.backoff_base = crawler.settings.getfloat("RETRY_BACKOFF_BASE", 2.0)
        middleware.backoff_max = crawler.settings.getfloat("RETRY_BACKOFF_MAX", 300.0)
        return middleware

    backoff_base: float
    backoff_max: float

    async def process_response(  # type: ignore[override]
        self, request: Request, response: Response
    ) -> Request | Response:
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        assert self.crawler.spider is not None
        retry = get_retry_request(
            request,
            spider=self.crawler.spider,
            reason=response_status_message(response.status),
            max_retry_times=request.meta.get("max_retry_times", self.max_retry_times),
            priority_adjust=request.meta.get("priority_adjust", self.priority_adjust),
        )
        if retry is None:
            return response
        delay = self.backoff_delay(request, response)
        self._slow_down_slot(request, delay)
        stats = self.crawler.stats
        assert stats is not None
        stats.inc_value("snhr/backoff/waits")
        stats.inc_value("snhr/backoff/seconds", round(delay))
        await asyncio.sleep(delay)
        return retry

    def backoff_delay(self, request: Request, response: Response) -> float:
        attempt = request.meta.get("retry_times", 0)
        delay = self.backoff_base * (2**attempt)
        if response.status in THROTTLE_STATUSES:
            advised = retry_after_seconds(response.headers.get(b"Retry-After"))
            if advised is not None:
                assert self.crawler.stats is not None
                self.crawler.stats.inc_value("snhr/backoff/retry_after")
                delay = max(delay, advised)
        return min(delay, self.backoff_max)

    def _slow_down_slot(self, request: Request, delay: float) -> None:
        engine = self.crawler.engine
        if engine is None or not delay:
            return
        downloader = engine.downloader
        key = request.meta.get("download_slot") or downloader.get_slot_key(request)
        slot = downloader.slots.get(key)
        if slot is not None:
            slot.delay = max(slot.delay, min(delay, self.backoff_max))
