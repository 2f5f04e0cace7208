"""The baseline: a bare Scrapy spider over the same listings and articles.

It walks the seed listings of ``snhr_news`` (loop items and the "next page"
link) and reads each article with a few plain selectors: no layered parser,
no normalisation, no validation, no archive. The benchmark runs it with
``scrapy runspider`` outside the project (Scrapy's default settings, no item
pipelines, feed to /dev/null) at the same concurrency as the full crawl, so
the ratio full / bare is the price of everything the project adds on top of
Scrapy itself, measured on the same machine in the same run.

    scrapy runspider benchmarks/bare_spider.py -a origin=http://127.0.0.1:P -a seeds=snhr_crawler/seeds/snhr_news.txt
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import scrapy
from scrapy.http import Response

#: Hosts the replica's pages link to that stand for the local origin (public and old).
SITE_HOSTS = frozenset({"news.snhr.org", "news.sn4hr.org", "www.news.snhr.org"})


class BareNewsSpider(scrapy.Spider):
    """Listing pagination plus article links, selectors only."""

    name = "bare_news"

    def __init__(self, origin: str = "", seeds: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if not origin or not seeds:
            raise ValueError("bare_news needs -a origin=URL -a seeds=FILE")
        self.origin = origin.rstrip("/")
        # Only the local origin: a link to a public host is rewritten, never fetched.
        self.allowed_domains = [urlsplit(self.origin).hostname or "127.0.0.1"]
        lines = (line.split("#", 1)[0].strip() for line in Path(seeds).read_text().splitlines())
        self.seed_urls = [self.local(line) for line in lines if line]

    def local(self, url: str) -> str:
        """The same path on the local origin when ``url`` names the site's public or old host."""
        parts = urlsplit(url)
        if (parts.hostname or "").lower() in SITE_HOSTS:
            base = urlsplit(self.origin)
            return urlunsplit((base.scheme, base.netloc, parts.path, parts.query, ""))
        return url

    async def start(self) -> AsyncIterator[Any]:
        for url in self.seed_urls:
            yield scrapy.Request(url, callback=self.parse_listing)

    def parse_listing(self, response: Response) -> Iterator[Any]:
        for href in response.css(".tdb_loop .td_module_flex .entry-title a::attr(href)").getall():
            yield scrapy.Request(self.local(response.urljoin(href)), callback=self.parse_article)
        next_page = response.css(".page-nav a[aria-label=next-page]::attr(href)").get()
        if next_page:
            yield scrapy.Request(
                self.local(response.urljoin(next_page)), callback=self.parse_listing
            )

    def parse_article(self, response: Response) -> Iterator[dict[str, Any]]:
        title = response.css("h1.tdb-title-text::text, h1.entry-title::text").get()
        published = response.css('meta[property="article:published_time"]::attr(content)').get()
        body = response.css(
            ".tdb_single_content .tdb-block-inner p::text, div.td-post-content p::text, "
            "div.td-post-content h5::text"
        ).getall()
        yield {
            "url": response.url,
            "title": (title or "").strip(),
            "published_at": published or response.css("time::attr(datetime)").get(),
            "body_text": "\n\n".join(text.strip() for text in body if text.strip()),
        }
