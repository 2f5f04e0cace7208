"""Nothing outside the source's own hosts and ports is requested, whatever a page says.

Every request passes ``process_request`` here before anything else sees it
(priority 40, ahead of Scrapy's offsite filter at 50 and robots.txt at 100),
so this one check covers what the spider yields and what middlewares make on
its behalf: redirects and meta refreshes (both come back as new requests),
listing pagination, sitemap children, feed and REST pages, PDFs, and the
robots.txt of any host (a host refused here is never asked for its
robots.txt).

* A URL the source serves (``Origin.serves``: the site's own hosts at their
  default ports, or the fetch origin exactly when crawling a local copy) goes
  on.
* When crawling a local copy (``origin=``), a URL on the public site (a 301 or
  meta refresh to the live host, an absolute link) is sent to the local copy
  instead: nothing goes to the live site.
* Anything else (a subdomain such as ``media.<host>``, another port, another
  host, a scheme other than http(s)) is refused with ``IgnoreRequest``,
  counted in ``snhr/offsite/refused`` and logged with its URL.

It also holds the run's request budget (``BOUND_REQUESTS``, see
``snhr_crawler.bounds``): past it every request is refused and the bound
counted, so a site that mints pages for ever cannot keep a run going.

The same check runs when a request is scheduled (the ``request_scheduled``
signal, connected before Scrapy's own offsite filter, which drops such a
request there without calling its errback): an article request refused there
is still counted for the article (``snhr/article/ignored/offsite``).

Spiders without a ``site_origin`` (not a ``NewsSpider``) are left to Scrapy's
own offsite filter.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class OffSourceRequest(IgnoreRequest):
    """A request for a URL the source does not serve (the errback sees this type)."""


class RunBudgetSpent(IgnoreRequest):
    """A request past the run's ``BOUND_REQUESTS``."""


class SourceHostsMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.sent = 0
        self._logged: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        middleware = cls(crawler)
        crawler.signals.connect(middleware.request_scheduled, signal=signals.request_scheduled)
        return middleware

    def request_scheduled(self, request: Request, spider: Any) -> None:
        """Refuse an off-source request before it is queued (see the module docstring)."""
        origin = getattr(spider, "site_origin", None)
        if origin is None or origin.serves(request.url) or origin.owns(request.url):
            return
        self._refuse(request.url)
        if request.meta.get("listed_url") and self.crawler.stats is not None:
            self.crawler.stats.inc_value("snhr/article/ignored")
            self.crawler.stats.inc_value("snhr/article/ignored/offsite")
        raise OffSourceRequest(f"not a host of this source: {request.url}")

    def _refuse(self, url: str) -> None:
        self._inc("snhr/offsite/refused")
        if url not in self._logged:
            self._logged.add(url)
            logger.warning("Refusing a request off the source's hosts: %s", url)

    def process_request(self, request: Request) -> Request | None:
        spider: Any = self.crawler.spider
        origin = getattr(spider, "site_origin", None)
        if origin is None:
            return None
        url = request.url
        if origin.fetch and not origin.is_local(url) and origin.owns(url):
            local = origin.to_fetch(url)
            self._inc("snhr/offsite/to_origin")
            logger.info("Sending a public URL to the local copy: %s -> %s", url, local)
            return request.replace(url=local)
        if not origin.serves(url):
            self._refuse(url)
            raise OffSourceRequest(f"not a host of this source: {url}")
        limits = getattr(spider, "limits", None)
        if limits is not None:
            self.sent += 1
            if self.sent > limits.bounds.requests:
                limits.hit("requests", url, f"{limits.bounds.requests} requests this run")
                raise RunBudgetSpent(f"run budget of {limits.bounds.requests} requests spent")
        return None

    def _inc(self, key: str) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(key)
