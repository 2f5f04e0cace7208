"""A host that never answered is not retried: a run without network ends in seconds.

Retries are how a crawl rides out a bad minute on a server that was
answering. A host whose name does not resolve, or that refuses or drops every
connection, is another matter: retrying its robots.txt four times, two
seconds apart, in each of four sources, kept an archivist without network
waiting 41 s for the line that says so. Until a host has answered once in
this crawl, a request to it that fails before any HTTP answer (DNS lookup,
connection refused, no route, connect timeout) is therefore not retried; the
robots.txt middleware then disallows the host for this run and the spider
reports the site unreachable. Once the host has answered, every failure is
retried as usual. Politeness is untouched: this only sends fewer requests.

Sits after the retry middleware (a higher order number), so its
``process_exception`` runs first and marks the request ``dont_retry``.

Stats: ``snhr/unreachable/not_retried`` (requests not retried for this reason).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy import exceptions
from scrapy.http import Request, Response
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet import error

from snhr_crawler.middlewares.robots import STAND_IN

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler

#: Scrapy's own names for them (2.19); earlier versions raise Twisted's.
_SCRAPY_NAMES = ("CannotResolveHostError", "DownloadConnectionRefusedError", "DownloadTimeoutError")
#: Failures before any HTTP answer: the host cannot be reached from here at all.
#: Twisted's ConnectError covers refused, no route, connect timeout, TLS failure
#: and its download timeout; the builtin is what a refused socket call raises.
NO_CONNECTION: tuple[type[BaseException], ...] = (
    error.DNSLookupError,
    error.ConnectError,
    ConnectionRefusedError,
    *(getattr(exceptions, name) for name in _SCRAPY_NAMES if hasattr(exceptions, name)),
)


class UnreachableHostMiddleware:
    """Marks requests to a never-answering host ``dont_retry`` when they fail to connect."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.answered: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        # The fail-closed robots.txt stand-in passes here too, but the host never answered.
        if STAND_IN not in response.flags:
            self.answered.add(urlparse_cached(request).netloc)
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        if not isinstance(exception, NO_CONNECTION):
            return None
        if urlparse_cached(request).netloc in self.answered or request.meta.get("dont_retry"):
            return None
        request.meta["dont_retry"] = True
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value("snhr/unreachable/not_retried")
        return None
