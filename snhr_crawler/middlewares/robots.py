"""robots.txt that fails closed.

Scrapy treats a robots.txt answering 5xx as an empty file, i.e. "allow all":
the moment a struggling server can least afford a crawl is the moment Scrapy
crawls it without rules. RFC 9309 (2.3.1.4) says an unreachable robots.txt
means complete disallow. The robots request itself goes through the retry
middleware (with backoff) first, so "unreachable" means it stayed 5xx/429
after the retries; only then is the host disallowed for this run.

Stats: ``snhr/robots/unavailable`` (hosts disallowed because of it).
"""

from __future__ import annotations

import logging

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.http import Request, Response

logger = logging.getLogger(__name__)


class _DisallowAll:
    """A RobotParser that forbids everything."""

    def allowed(self, url: str | bytes, user_agent: str | bytes) -> bool:
        return False

    def sitemaps(self) -> list[str]:
        return []


class StrictRobotsTxtMiddleware(RobotsTxtMiddleware):
    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        if response.status >= 500 or response.status == 429:
            self._stats.inc_value("snhr/robots/unavailable")
            logger.error(
                "robots.txt at %s answered %s after retries; not crawling %s in this run",
                response.url,
                response.status,
                netloc,
            )
            parser = self._parsers[netloc]
            self._parsers[netloc] = _DisallowAll()  # type: ignore[assignment]
            parser.callback(self._parsers[netloc])  # type: ignore[union-attr]
            return
        await super()._parse_robots(response, netloc, request)
