"""robots.txt that fails closed.

Scrapy treats a robots.txt that answers 5xx, or cannot be fetched at all, as
"allow all": the moment a struggling server can least afford a crawl is the
moment Scrapy crawls it without rules. RFC 9309 (2.3.1.3-4) says an
unreachable robots.txt means complete disallow. The robots request goes
through the retry middleware (with backoff) first, so "unreachable" means it
stayed 5xx/429, or the network failed, after the retries; only then is the
host disallowed for this run, with one log line instead of a traceback.

Stats: ``snhr/robots/unavailable`` (hosts disallowed because of it).
"""

from __future__ import annotations

import logging

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.http.request import NO_CALLBACK
from scrapy.robotstxt import RobotParser
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred

logger = logging.getLogger(__name__)


class _DisallowAll(RobotParser):
    """A RobotParser that forbids everything."""

    @classmethod
    def from_crawler(cls, crawler: object, robotstxt_body: bytes) -> _DisallowAll:
        return cls()

    def allowed(self, url: str | bytes, user_agent: str | bytes) -> bool:
        return False

    def sitemaps(self) -> list[str]:
        return []


class StrictRobotsTxtMiddleware(RobotsTxtMiddleware):
    async def robot_parser(self, request: Request) -> RobotParser | None:
        parts = urlparse_cached(request)
        netloc = parts.netloc
        if netloc not in self._parsers:
            self._parsers[netloc] = Deferred()
            robots = Request(
                f"{parts.scheme}://{netloc}/robots.txt",
                priority=self.DOWNLOAD_PRIORITY,
                meta={"dont_obey_robotstxt": True},
                callback=NO_CALLBACK,
            )
            try:
                assert self.crawler.engine is not None
                response = await self.crawler.engine.download_async(robots)
            except IgnoreRequest:
                self._fail_closed(netloc, robots.url, "request ignored")
            except Exception as error:  # network failures of every kind
                self._fail_closed(netloc, robots.url, str(error) or type(error).__name__)
            else:
                await self._parse_robots(response, netloc, request)
            self._stats.inc_value("robotstxt/request_count")
        pending = self._parsers[netloc]
        if isinstance(pending, Deferred):
            # Read the parser from the dict once it is settled: a Deferred
            # awaited by several requests hands its result to the first
            # awaiter only (the next ones would see None and be allowed).
            await maybe_deferred_to_future(pending)
        parser = self._parsers[netloc]
        assert not isinstance(parser, Deferred)
        return parser

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        if response.status >= 500 or response.status == 429:
            self._stats.inc_value(f"robotstxt/response_status_count/{response.status}")
            self._fail_closed(netloc, response.url, f"HTTP {response.status}")
            return
        await super()._parse_robots(response, netloc, request)

    def _fail_closed(self, netloc: str, url: str, why: str) -> None:
        self._stats.inc_value("snhr/robots/unavailable")
        logger.error(
            "robots.txt at %s unavailable (%s); not crawling %s in this run", url, why, netloc
        )
        pending = self._parsers[netloc]
        parser = _DisallowAll()
        self._parsers[netloc] = parser
        if isinstance(pending, Deferred):
            pending.callback(parser)
