"""robots.txt ``Crawl-delay``, honoured per host as the minimum gap between requests.

Scrapy parses robots.txt (and since 2.18 its ``RobotParser`` answers
``crawl_delay(user_agent)``) but never acts on it: a site that asks for 10 s
between requests gets ``DOWNLOAD_DELAY``, or whatever AutoThrottle settles on.
This downloader middleware makes the site's figure a floor under both:

* on the documented ``robots_parsed`` signal it reads the host's Crawl-delay
  for our user agent (``ROBOTSTXT_USER_AGENT``, else ``USER_AGENT``), capped
  at ``ROBOTSTXT_CRAWL_DELAY_MAX`` (default 60 s; a larger figure is logged and
  capped, since days between requests would end the crawl, not slow it);
* before every request to that host (``process_request``) and after every
  response from it (``response_downloaded``, which runs after AutoThrottle's
  adjustment: extensions connect before downloader middlewares) it lifts the
  downloader slot's delay to at least the Crawl-delay. So the delay a request
  waits is ``max(Crawl-delay, DOWNLOAD_DELAY, AutoThrottle's delay)``, and
  AutoThrottle can raise it but never take it below the site's figure;
* Scrapy jitters each wait by ±``DOWNLOAD_DELAY_JITTER`` (50 %); on a slot
  with a Crawl-delay the jitter is narrowed so the shortest wait is still the
  Crawl-delay (a 2 s delay with a 2 s Crawl-delay waits exactly 2 s; a 5 s one
  waits 2-8 s).

Slots are found through the downloader's public ``slots`` and
``get_slot_key``, as ``BackoffRetryMiddleware`` does. Hosts without a
Crawl-delay are left alone. ``ROBOTSTXT_CRAWL_DELAY = False`` turns this off.

Stats: ``snhr/politeness/crawl_delay`` (the largest Crawl-delay in force, in
seconds), ``snhr/politeness/crawl_delay_capped`` (hosts whose figure was capped).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import NotConfigured

if TYPE_CHECKING:
    from typing import Self

    from scrapy.core.downloader import Slot
    from scrapy.crawler import Crawler
    from scrapy.http import Request, Response
    from scrapy.robotstxt import RobotParser

logger = logging.getLogger(__name__)

DEFAULT_MAX_CRAWL_DELAY = 60.0


@dataclass
class _Floored:
    """A slot under a Crawl-delay, with the jitter it had before it was narrowed."""

    slot: Slot
    jitter: float


def floor_slot(slot: Slot, minimum: float, jitter: float) -> None:
    """Lift ``slot``'s delay to ``minimum`` and narrow ``jitter`` so no wait falls below it."""
    if slot.delay < minimum:
        slot.delay = minimum
    # A wait is delay × (1 ± jitter): the lower end must stay at or above the minimum.
    slot.jitter = max(0.0, min(jitter, 1.0 - minimum / slot.delay)) if slot.delay else 0.0


class CrawlDelayMiddleware:
    def __init__(self, crawler: Crawler, max_delay: float) -> None:
        self.crawler = crawler
        self.max_delay = max_delay
        #: slot key -> the Crawl-delay in force there (the largest of its hosts').
        self.delays: dict[str, float] = {}
        self._floored: dict[str, _Floored] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        if not settings.getbool("ROBOTSTXT_OBEY") or not settings.getbool(
            "ROBOTSTXT_CRAWL_DELAY", True
        ):
            raise NotConfigured
        middleware = cls(
            crawler, settings.getfloat("ROBOTSTXT_CRAWL_DELAY_MAX", DEFAULT_MAX_CRAWL_DELAY)
        )
        crawler.signals.connect(middleware.robots_parsed, signal=signals.robots_parsed)
        crawler.signals.connect(middleware.response_downloaded, signal=signals.response_downloaded)
        return middleware

    # -- what the site asks ------------------------------------------------------------
    def robots_parsed(self, robotparser: RobotParser, request: Request) -> None:
        agent = (
            self.crawler.settings.get("ROBOTSTXT_USER_AGENT")
            or request.headers.get(b"User-Agent")
            or self.crawler.settings.get("USER_AGENT")
            or "*"
        )
        try:
            asked = robotparser.crawl_delay(agent)
        except (TypeError, ValueError):  # a backend that chokes on an odd line
            asked = None
        if asked is None or asked <= 0:
            return
        host = request.url.split("/")[2]
        delay = float(asked)
        stats = self.crawler.stats
        assert stats is not None
        if delay > self.max_delay:
            stats.inc_value("snhr/politeness/crawl_delay_capped")
            logger.warning(
                "robots.txt of %s asks Crawl-delay: %g s; capped at %g s (ROBOTSTXT_CRAWL_DELAY_MAX)",
                host,
                delay,
                self.max_delay,
            )
            delay = self.max_delay
        else:
            logger.info(
                "robots.txt of %s asks Crawl-delay: %g s; requests to it wait at least that",
                host,
                delay,
            )
        key = self._slot_key(request)
        self.delays[key] = max(delay, self.delays.get(key, 0.0))
        stats.max_value("snhr/politeness/crawl_delay", self.delays[key])
        self._apply(key)

    # -- keeping the floor -----------------------------------------------------------------
    def process_request(self, request: Request) -> None:
        if self.delays:
            self._apply(self._slot_key(request))

    def response_downloaded(self, response: Response, request: Request, spider: Any) -> None:
        key = request.meta.get("download_slot")
        if key is not None and key in self.delays:
            self._apply(key)

    def _slot_key(self, request: Request) -> str:
        engine = self.crawler.engine
        assert engine is not None
        return str(request.meta.get("download_slot") or engine.downloader.get_slot_key(request))

    def _apply(self, key: str) -> None:
        minimum = self.delays.get(key)
        engine = self.crawler.engine
        if minimum is None or engine is None:
            return
        slot = engine.downloader.slots.get(key)
        if slot is None:
            return  # made with the next request, which passes here first
        floored = self._floored.get(key)
        if floored is None or floored.slot is not slot:
            # A new slot (or one Scrapy re-made after idling): remember its own jitter.
            floored = self._floored[key] = _Floored(slot, slot.jitter)
        floor_slot(slot, minimum, floored.jitter)
