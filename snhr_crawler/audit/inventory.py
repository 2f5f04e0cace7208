"""What the site says it has: REST, sitemaps and listing counts, fetched with Scrapy."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response, TextResponse

from snhr_crawler.discovery.engine import REFUSALS
from snhr_crawler.discovery.parsers import (
    is_post_sitemap,
    parse_rest_page,
    parse_sitemap,
    robots_sitemaps,
)
from snhr_crawler.discovery.site import SitePaths, derive_site_path, normalise_site_path
from snhr_crawler.urls import Origin, canonical_url, url_date

logger = logging.getLogger(__name__)


# --- what the site says ------------------------------------------------------------------


@dataclass
class SitePost:
    """One post as the site's indexes describe it."""

    url: str  # canonical public URL
    post_id: int | None = None
    month: str | None = None  # YYYY-MM of the publication (URL) date
    categories: list[int] = field(default_factory=list)
    via: list[str] = field(default_factory=list)  # "rest", "sitemap"


@dataclass
class Inventory:
    source: str
    posts: dict[str, SitePost] = field(default_factory=dict)  # by canonical URL
    rest_total: int | None = None
    rest_total_pages: int | None = None
    sitemap_urls: int | None = None
    sitemap_url: str | None = None
    category_names: dict[int, str] = field(default_factory=dict)
    category_counts: dict[int, int] = field(default_factory=dict)
    listings: dict[str, dict[str, int]] = field(default_factory=dict)  # url -> pages, page_size
    unavailable: dict[str, str] = field(default_factory=dict)  # what did not answer, and why

    def add(self, url: str, via: str, **extra: Any) -> None:
        post = self.posts.get(url)
        if post is None:
            date = url_date(url)
            post = self.posts[url] = SitePost(url=url, month=date[:7] if date else None)
        if via not in post.via:
            post.via.append(via)
        if extra.get("post_id") is not None:
            post.post_id = extra["post_id"]
        if extra.get("categories"):
            post.categories = list(extra["categories"])
        if post.month is None and extra.get("date"):
            post.month = str(extra["date"])[:7]

    @property
    def complete(self) -> bool:
        """True when a full index (REST or sitemap) answered: then "extra" means something."""
        return self.rest_total is not None or self.sitemap_urls is not None


class InventorySpider(scrapy.Spider):
    """Collects one source's :class:`Inventory` (not a news spider: it archives nothing)."""

    name = "snhr_audit_inventory"

    def __init__(
        self,
        *,
        source_cls: Any,
        inventory: Inventory,
        origin: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.source_cls = source_cls
        self.inventory = inventory
        self.origin = Origin.for_site(source_cls.site, fetch=origin.rstrip("/"))
        seeds = [self.origin.to_fetch(url) for url in source_cls.site.seed_urls()]
        explicit = getattr(source_cls, "site_path", None) or source_cls.site.site_path
        site_path = normalise_site_path(explicit) if explicit else derive_site_path(seeds)
        self.paths = SitePaths(self.origin, site_path)
        self.seeds = seeds
        hosts = {self.origin.public_host, urlsplit(self.origin.fetch_origin).hostname or ""}
        self.allowed_domains = sorted(h for h in hosts if h)
        self.sitemap_candidates: list[str] = []

    async def start(self) -> Any:
        yield self._get(self.paths.robots, self.parse_robots)
        yield self._get(self.paths.rest_posts(1), self.parse_rest, page=1)
        yield self._get(self.paths.rest_categories(), self.parse_categories)
        for url in self.seeds:
            yield self._get(url, self.parse_listing_page)

    def _get(self, url: str, callback: Any, **cb_kwargs: Any) -> scrapy.Request:
        return scrapy.Request(
            url,
            callback=callback,
            errback=self.failed,
            cb_kwargs=cb_kwargs,
            meta={"handle_httpstatus_list": list(REFUSALS)},  # redirects still followed
            dont_filter=True,
        )

    def failed(self, failure: Any) -> None:
        self.inventory.unavailable[failure.request.url] = failure.getErrorMessage()

    def _note(self, response: Response) -> bool:
        """True if usable; otherwise record why not."""
        if response.status != 200:
            self.inventory.unavailable[response.url] = f"HTTP {response.status}"
            return False
        return True

    # sitemaps: robots.txt names them, else the two WordPress defaults.
    def parse_robots(self, response: Response) -> Iterator[Any]:
        named = []
        if self._note(response):
            for url in robots_sitemaps(response.body, base_url=response.url):
                fetch = self.origin.to_fetch(url)
                if self.paths.in_site_dir(fetch) and fetch not in named:
                    named.append(fetch)
        self.sitemap_candidates = named + [
            url for url in (self.paths.yoast_index, self.paths.core_index) if url not in named
        ]
        yield from self._next_sitemap()

    def _next_sitemap(self) -> Iterator[Any]:
        if self.sitemap_candidates:
            yield self._get(self.sitemap_candidates.pop(0), self.parse_sitemap, root=True)

    def parse_sitemap(self, response: Response, root: bool = False) -> Iterator[Any]:
        doc = parse_sitemap(response.body) if self._note(response) else None
        if doc is None:
            self.inventory.unavailable.setdefault(response.url, "not a sitemap")
            if root:
                yield from self._next_sitemap()
            return
        if root:
            self.sitemap_candidates = []
            self.inventory.sitemap_url = response.url
            self.inventory.sitemap_urls = 0
        if doc.kind == "sitemapindex":
            for entry in doc.entries:
                if is_post_sitemap(entry.loc) is not False:
                    yield self._get(self.origin.to_fetch(entry.loc), self.parse_sitemap)
            return
        for entry in doc.entries:
            public = self.origin.to_public(entry.loc)
            if self.paths.is_post_url(public):
                self.inventory.sitemap_urls = (self.inventory.sitemap_urls or 0) + 1
                self.inventory.add(public, "sitemap")

    def parse_rest(self, response: Response, page: int) -> Iterator[Any]:
        parsed = None
        if self._note(response):
            try:
                parsed = parse_rest_page(response.json(), response.headers)  # type: ignore[attr-defined]
            except (AttributeError, ValueError):
                parsed = None
        if parsed is None:
            self.inventory.unavailable.setdefault(response.url, "not a REST posts list")
            return
        if page == 1:
            self.inventory.rest_total = parsed.total if parsed.total is not None else 0
            self.inventory.rest_total_pages = parsed.total_pages
            for number in range(2, (parsed.total_pages or 1) + 1):
                yield self._get(self.paths.rest_posts(number), self.parse_rest, page=number)
        for post in parsed.posts:
            public = self.origin.to_public(post.link)
            if self.paths.is_post_url(public):
                self.inventory.add(
                    canonical_url(public),
                    "rest",
                    post_id=post.post_id,
                    categories=post.categories,
                    date=post.date,
                )

    def parse_categories(self, response: Response) -> None:
        if not self._note(response):
            return
        try:
            data = response.json()  # type: ignore[attr-defined]
        except (AttributeError, ValueError):
            return
        for raw in data if isinstance(data, list) else []:
            if isinstance(raw, dict) and isinstance(raw.get("id"), int):
                self.inventory.category_names[raw["id"]] = str(raw.get("name") or raw["id"])
                if isinstance(raw.get("count"), int):
                    self.inventory.category_counts[raw["id"]] = raw["count"]

    def parse_listing_page(self, response: Response) -> None:
        if not self._note(response) or not isinstance(response, TextResponse):
            return
        items = 0
        for css in getattr(self.source_cls, "listing_item_css", ()):
            items = len(response.css(css))
            if items:
                break
        last = response.css(".page-nav a.last::attr(title), .page-nav a.last::text").get()
        pages = int(last) if last and last.strip().isdigit() else 1
        public = self.origin.to_public(response.url)
        self.inventory.listings[public] = {"pages": pages, "page_size": items}
