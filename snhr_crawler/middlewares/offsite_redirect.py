"""Redirects stay on the site being crawled.

Scrapy follows a redirect from a start URL to any host, private addresses
included, and the offsite filter only looks at requests the spider yields.
A compromised or misconfigured SNHR page must not steer the crawler to
another host. This middleware runs just before RedirectMiddleware sees the
response and drops 3xx answers whose Location leaves the spider's site
(``spider.site_origin.owns(url)``, or ``allowed_domains`` for other spiders).

Stats: ``snhr/redirect/offsite``.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.utils.url import url_is_from_any_domain

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class SameSiteRedirectMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        if response.status not in (301, 302, 303, 307, 308):
            return response
        location = response.headers.get(b"Location")
        if not location:
            return response
        target = urljoin(request.url, location.decode("latin-1"))
        if urlsplit(target).scheme not in ("http", "https") or not self._on_site(target):
            assert self.crawler.stats is not None
            self.crawler.stats.inc_value("snhr/redirect/offsite")
            logger.warning("Refusing redirect off the site: %s -> %s", request.url, target)
            raise IgnoreRequest(f"offsite redirect to {target}")
        return response

    def _on_site(self, url: str) -> bool:
        spider = self.crawler.spider
        origin = getattr(spider, "site_origin", None)
        if origin is not None:
            return bool(origin.owns(url))
        domains = getattr(spider, "allowed_domains", None)
        return not domains or url_is_from_any_domain(url, domains)
