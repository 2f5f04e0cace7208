"""Where a run's listing walk starts: the site's own categories, the seeds as hints, the home listing.

Nobody here has seen every category slug of the live sites, so the seeds file
cannot be the truth about them: a slug renamed on the site answers 404 and a
walk of the seeds alone would silently archive less. :class:`ListingSources`
(one per spider run) therefore starts the walk from

1. the **home listing** (``<site path>``, ``page/N/``): every post of the
   (sub-)site, newest first. It is the catch-all: a post filed in no walked
   category is still found here;
2. the **seeds** and the categories **learned** by earlier runs;
3. the categories the site shows on the way (see
   :mod:`~snhr_crawler.discovery.categories`): the menus and category links
   of each listing's first page, ``/wp/v2/categories`` (else the category
   sitemap), and the breadcrumbs of the articles fetched. Each one not walked
   yet is walked too; breadcrumb finds at the end of the walk (``walk_found``,
   from ``spider_idle``), so the article callback yields only records.

Category walks are what make an incremental run cheap and the audit's
per-category counts possible; the home listing is what makes the walk
complete. A seed that answers 404 or 410 is reported once, by name, at the
end of the run (with the category that has its name now, when one does), and
never counts as a failed page: its posts are found through what the site
showed. A learned category that answers 404 is forgotten.

What the run learned goes into the source's discovery state (``categories``
and ``seeds_missing``), staged with the run and committed with its outcome.

Stats: ``snhr/listing/categories/<via>`` (categories each source showed),
``snhr/listing/categories/total``, ``snhr/listing/categories/walked`` (walked
beyond the seeds, learned ones and the home listing), ``snhr/listing/seeds_missing``
(a count; the URLs are in ``snhr/listing/seeds_missing_urls``),
``snhr/listing/home_missing`` (the home listing answered 404: no catch-all).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import scrapy
from scrapy.http import Response, TextResponse

from snhr_crawler.discovery.categories import (
    CategoryCatalog,
    page_category_links,
    rest_categories,
)
from snhr_crawler.discovery.parsers import DocumentTooLarge, parse_sitemap
from snhr_crawler.discovery.site import SitePaths
from snhr_crawler.exceptions import SpiderArgumentError
from snhr_crawler.sites import fold

logger = logging.getLogger(__name__)

#: Answers that mean "no such listing" (handled here, never counted as failed pages).
GONE = [404, 410]
#: Answers from the category index that mean "not here" rather than "broken".
INDEX_REFUSALS = [400, 401, 403, 404, 405, 406, 410, 451]
#: More categories than this discovered in one run are not all walked (a runaway site).
DEFAULT_MAX_DISCOVERED = 100
#: REST category pages read at most (100 categories each).
MAX_INDEX_PAGES = 5


class ListingSources:
    """One run's listing roots (see the module docstring). The spider owns one."""

    def __init__(self, spider: Any) -> None:
        self.spider = spider
        self.paths = SitePaths.for_spider(spider)
        self.catalog = CategoryCatalog(self.paths)
        self.origin = spider.site_origin
        state = spider.policy.state
        for url, known in (state.categories or {}).items():
            self.catalog.add(url, "learned", name=known.get("name"), count=known.get("count"))
        try:
            seeds = spider.site.seed_urls()
        except SpiderArgumentError:  # a source without a seeds file: the site shows the rest
            seeds = []
        self.seeds = [self.origin.to_public(url) for url in seeds]
        self.walked: set[str] = set()
        self.walking = False
        self.seeds_missing: list[str] = []
        self.max_discovered = spider.settings.getint(
            "LISTING_MAX_DISCOVERED", DEFAULT_MAX_DISCOVERED
        )
        self._discovered_walks = 0
        self._capped = False
        self._trails_read: set[tuple[str, ...]] = set()

    @property
    def home(self) -> str:
        return self.origin.to_public(self.paths.base)

    # -- the start of the walk ---------------------------------------------------------
    def start(self) -> Iterator[scrapy.Request]:
        """The home listing, the seeds, the learned categories, then the category index."""
        self.walking = True
        yield self._listing(self.home, "home")
        for url in self.seeds:
            yield self._listing(url, "seed")
        for category in list(self.catalog):
            if category.url not in self.walked:
                yield self._listing(category.url, "learned")
        yield self._index(self.paths.rest_categories(), "rest")

    def _listing(self, public: str, kind: str) -> scrapy.Request:
        self.walked.add(public)
        return scrapy.Request(
            self.origin.to_fetch(public),
            callback=self.spider.parse_listing,
            errback=self.spider.listing_failed,
            meta={
                "handle_httpstatus_list": GONE,
                "listing_root": public,
                "listing_kind": kind,
                "download_maxsize": self.spider.limits.bounds.page_bytes,  # BOUND_PAGE_BYTES
            },
        )

    def _index(self, url: str, kind: str, page: int = 1) -> scrapy.Request:
        return scrapy.Request(
            url,
            callback=self.parse_index,
            errback=self.index_failed,
            cb_kwargs={"kind": kind, "page": page},
            meta={
                "handle_httpstatus_list": INDEX_REFUSALS,
                "download_maxsize": self.spider.limits.bounds.decoded_bytes,  # BOUND_DECODED_BYTES
            },
            priority=5,  # the index decides which listings exist: before articles
        )

    def _walk_new(self, public: str, via: str) -> Iterator[scrapy.Request]:
        """A listing request for a category the site showed, unless walked already."""
        if public in self.walked or not self.walking:
            return
        if self._discovered_walks >= self.max_discovered:
            if not self._capped:
                self._capped = True
                logger.warning(
                    "%s: more than %d categories discovered; the rest are not walked "
                    "(LISTING_MAX_DISCOVERED; the home listing still finds their posts)",
                    self.spider.name,
                    self.max_discovered,
                )
            return
        self._discovered_walks += 1
        self.spider.inc_stat("snhr/listing/categories/walked")
        yield self._listing(public, via)

    def _note(self, url: str, via: str, **kwargs: Any) -> Iterator[scrapy.Request]:
        if (category := self.catalog.add(url, via, **kwargs)) is not None:
            yield from self._walk_new(category.url, via)
        elif (known := self.catalog.get(self.catalog.public(url))) is not None:
            yield from self._walk_new(known.url, via)

    # -- what pages show ----------------------------------------------------------------
    def from_listing(self, response: TextResponse) -> Iterator[scrapy.Request]:
        """The menus and category links of a listing's first page."""
        for href, text, via in page_category_links(response, response.url):
            yield from self._note(href, via, name=text or None)

    def from_article(self, response: TextResponse, categories: list[str]) -> None:
        """The article's breadcrumb categories: noted now, walked when the walk is idle.

        ``categories`` are the names the parser read; the trail's links are
        read only for a trail not seen yet in this run (a site has few), so
        the cost per article is a set lookup.
        """
        trail = tuple(fold(name) for name in categories)
        if not trail or trail in self._trails_read:
            return
        self._trails_read.add(trail)
        for href, text, _ in page_category_links(response, response.url, breadcrumbs=True):
            self.catalog.add(href, "breadcrumb", name=text or None)

    def walk_found(self) -> list[scrapy.Request]:
        """Listings for categories noted but not walked yet (breadcrumbs); [] when none."""
        requests: list[scrapy.Request] = []
        for category in list(self.catalog):
            requests.extend(self._walk_new(category.url, "breadcrumb"))
        return requests

    # -- the category index: REST, else the category sitemap ----------------------------------
    def parse_index(self, response: Response, kind: str, page: int = 1) -> Iterator[Any]:
        if kind == "rest":
            found = None
            if response.status == 200:
                try:
                    found = rest_categories(response.json())  # type: ignore[attr-defined]
                except (AttributeError, ValueError):
                    found = None
            if found is None:
                yield from self._next_index(kind)
                return
            for raw in found:
                yield from self._note(raw["link"], "rest", name=raw["name"], count=raw["count"])
            pages = _header_int(response, b"X-WP-TotalPages") or 1
            if page == 1:
                for number in range(2, min(pages, MAX_INDEX_PAGES) + 1):
                    yield self._index(self.paths.rest_categories(number), "rest", number)
            return
        bounds = self.spider.limits.bounds
        try:
            doc = (
                parse_sitemap(
                    response.body,
                    max_bytes=bounds.decoded_bytes,
                    max_entries=bounds.sitemap_urls,
                    raise_too_large=True,
                )
                if response.status == 200
                else None
            )
        except DocumentTooLarge as exc:
            self.spider.limits.hit("decoded_bytes", response.url, str(exc))
            doc = None
        if doc is None or doc.kind != "urlset":
            yield from self._next_index(kind)
            return
        for entry in doc.entries:
            yield from self._note(entry.loc, "sitemap")

    def index_failed(self, failure: Any) -> Iterator[Any]:
        logger.info(
            "Category index %s unavailable: %s", failure.request.url, failure.getErrorMessage()
        )
        yield from self._next_index(failure.request.cb_kwargs.get("kind", "rest"))

    def _next_index(self, kind: str) -> Iterator[scrapy.Request]:
        """REST refused: the category sitemap, Yoast's name first, then core's."""
        following = {"rest": "sitemap:yoast", "sitemap:yoast": "sitemap:core"}.get(kind)
        if following == "sitemap:yoast":
            yield self._index(self.paths.base + "category-sitemap.xml", following)
        elif following == "sitemap:core":
            yield self._index(self.paths.base + "wp-sitemap-taxonomies-category-1.xml", following)

    # -- answers -----------------------------------------------------------------------------
    def gone(self, response: Response) -> None:
        """A listing root answered 404/410: a wrong seed, a deleted category, no home listing."""
        public = response.meta.get("listing_root") or self.origin.to_public(response.url)
        kind = response.meta.get("listing_kind")
        if kind == "home":
            self.spider.inc_stat("snhr/listing/home_missing")
            logger.warning(
                "%s: the home listing %s answers %s: posts in no walked category may be missed",
                self.spider.name,
                public,
                response.status,
            )
        elif kind == "seed":
            if public not in self.seeds_missing:
                self.seeds_missing.append(public)
                self.spider.inc_stat("snhr/listing/seeds_missing")
        else:
            self.catalog.forget(public)
            logger.info(
                "%s: category %s answers %s; forgotten", self.spider.name, public, response.status
            )

    # -- the end of the run ---------------------------------------------------------------
    def close(self) -> None:
        """Report missing seeds once, by name; stage what was learned for the next run."""
        stats = self.spider.crawler.stats
        if stats is not None:
            stats.set_value("snhr/listing/categories/total", len(self.catalog))
            for via, count in self.catalog.via_counts().items():
                stats.set_value(f"snhr/listing/categories/{via}", count)
        if self.seeds_missing:
            if stats is not None:
                stats.set_value("snhr/listing/seeds_missing_urls", list(self.seeds_missing))
            for seed in self.seeds_missing:
                successor = self.catalog.likely_successor(seed)
                instead = (
                    f"the category named {successor.name!r} is now {successor.url}"
                    if successor is not None
                    else "no category of the site has its name"
                )
                logger.warning(
                    "%s: seed %s answers 404: not a category of the site today (%s); "
                    "its posts are found through the site's %d categories and the home listing",
                    self.spider.name,
                    seed,
                    instead,
                    len(self.catalog),
                )
        policy = self.spider.policy
        if policy.archive is None:
            return
        state = policy.state
        state.categories = self.catalog.to_state()
        state.seeds_missing = list(self.seeds_missing) if self.walking else state.seeds_missing
        policy.save_state(state)


def _header_int(response: Response, name: bytes) -> int | None:
    value = response.headers.get(name)
    text = value.decode("latin-1").strip() if value else ""
    return int(text) if text.isdigit() else None
