"""robots.txt that fails closed.

Scrapy treats a robots.txt that answers 5xx, or cannot be fetched at all, as
"allow all": the moment a struggling server can least afford a crawl is the
moment Scrapy crawls it without rules. RFC 9309 (2.3.1.3-4) says an
unreachable robots.txt means complete disallow.

Scrapy's own RobotsTxtMiddleware stays in charge of fetching and parsing
robots.txt. This downloader middleware uses only public hooks:

* ``process_response``/``process_exception`` on that middleware's robots.txt
  request (``meta["dont_obey_robotstxt"]``, ``NO_CALLBACK``). It sits below
  the retry middleware, so it sees what is left after the retries (with
  backoff): a 5xx/429, or a network failure, becomes a robots.txt that
  disallows everything, and the host is disallowed for this run with one log
  line instead of a traceback;
* the documented ``robots_parsed`` signal, to keep each host's parser, and
  ``process_request`` to check every request against it a second time.
  Scrapy 2.19 hands a host's parser only to the first of the requests that
  waited for its robots.txt; the others are let through unchecked. Here they
  are checked.

A host whose robots.txt gave no answer at all is not asked for it again in
the run (a spider's own copy, as discovery fetches, is ignored at once).

Stats: ``snhr/robots/unavailable`` (hosts disallowed because of it; of them
``snhr/robots/unreachable`` gave no answer at all),
``snhr/robots/forbidden`` (requests only this second check refused).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Request, Response, TextResponse
from scrapy.http.request import NO_CALLBACK
from scrapy.utils.httpobj import urlparse_cached

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.robotstxt import RobotParser

logger = logging.getLogger(__name__)

DISALLOW_ALL = b"User-agent: *\nDisallow: /\n"
#: The flag on that stand-in response: no answer from the site, whatever follows it.
STAND_IN = "robots.txt stand-in"


def is_robots_request(request: Request) -> bool:
    """The request RobotsTxtMiddleware sends for a host's rules."""
    return (
        request.meta.get("dont_obey_robotstxt") is True
        and request.callback is NO_CALLBACK
        and urlsplit(request.url).path == "/robots.txt"
    )


class RobotsTxtFailClosedMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.parsers: dict[str, RobotParser] = {}
        #: Hosts whose robots.txt gave no answer at all in this run.
        self.unreachable: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("ROBOTSTXT_OBEY"):
            raise NotConfigured
        middleware = cls(crawler)
        crawler.signals.connect(middleware.robots_parsed, signal=signals.robots_parsed)
        return middleware

    def robots_parsed(self, robotparser: RobotParser, request: Request) -> None:
        self.parsers[urlparse_cached(request).netloc] = robotparser

    def process_request(self, request: Request) -> None:
        netloc = urlparse_cached(request).netloc
        if netloc in self.unreachable and urlparse_cached(request).path == "/robots.txt":
            # A spider's own copy of a robots.txt that never answered (discovery reads
            # its Sitemap: lines): asking again would only wait out the delay for nothing.
            raise IgnoreRequest(f"robots.txt of {netloc} did not answer earlier in this run")
        if request.meta.get("dont_obey_robotstxt"):
            return
        parser = self.parsers.get(netloc)
        if parser is None:
            return
        agent = (
            self.crawler.settings.get("ROBOTSTXT_USER_AGENT")
            or request.headers.get(b"User-Agent")
            or self.crawler.settings.get("USER_AGENT")
        )
        if not parser.allowed(request.url, agent):
            assert self.crawler.stats is not None
            self.crawler.stats.inc_value("snhr/robots/forbidden")
            raise IgnoreRequest("Forbidden by robots.txt")

    def process_response(self, request: Request, response: Response) -> Response:
        if not is_robots_request(request):
            return response
        if response.status >= 500 or response.status == 429:
            return self._disallow_all(request, f"HTTP {response.status}")
        return response

    def process_exception(self, request: Request, exception: Exception) -> Response | None:
        if not is_robots_request(request):
            return None
        # No answer at all: the stand-in below is not a response from the site
        # (NewsSpider.closed subtracts these when it asks whether the site answered).
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value("snhr/robots/unreachable")
        self.unreachable.add(urlparse_cached(request).netloc)
        if isinstance(exception, IgnoreRequest):
            return self._disallow_all(request, f"request ignored ({exception})")
        return self._disallow_all(request, str(exception) or type(exception).__name__)

    def _disallow_all(self, request: Request, why: str) -> Response:
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value("snhr/robots/unavailable")
        logger.error(
            "robots.txt at %s unavailable (%s); not crawling %s in this run",
            request.url,
            why,
            urlsplit(request.url).netloc,
        )
        return TextResponse(
            request.url,
            status=200,
            body=DISALLOW_ALL,
            headers={"Content-Type": "text/plain"},
            request=request,
            flags=[STAND_IN],
        )
