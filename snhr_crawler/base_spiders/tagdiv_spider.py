"""TagDivSpider: WordPress sites on the tagDiv Newspaper theme (all of SNHR's).

A concrete spider is a handful of class attributes (see ``NewsSpider``); this
base walks category listings and parses articles:

* ``start`` requests every seed listing (``seeds/<name>.txt``).
* ``parse_listing`` reads the loop items (never the sidebar or "Related
  News"), follows them to ``parse_article`` and follows the theme's
  pagination (``.page-nav`` next link, else ``span.current`` + 1 up to
  ``a.last``), newest first. A listing stops at ``max_pages``, at the first
  item older than ``since``, or, in incremental runs, after
  ``INCREMENTAL_STOP_AFTER`` consecutive already-archived items.
* ``parse_article`` runs the layered ``TagDivArticleParser`` and builds the
  Article with every derived field. A 404/410 for an archived article yields
  a ``Removal`` (the archive writes a tombstone).

Hooks for subclasses: ``listing_item_css``, ``next_page_css``,
``article_parser()``, ``decode(response)``, ``post_process(article, response)``.

Stats: ``snhr/listing/pages``, ``snhr/listing/items``, ``snhr/listing/last_page``
(max ``a.last`` seen), ``snhr/listing/stopped/<why>``, ``snhr/article/skipped/archived``,
``snhr/article/skipped/since``, ``snhr/article/not_an_article``,
``snhr/article/gone/<status>``, ``snhr/extract/<field>/<layer>``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Iterator
from typing import Any, ClassVar

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError

from snhr_crawler.base_spiders.news_spider import NewsSpider
from snhr_crawler.clock import utc_now_iso
from snhr_crawler.dates import incident_date
from snhr_crawler.extract import Extracted, TagDivArticleParser
from snhr_crawler.items import Article, Removal, article_id, content_sha256, translation_group
from snhr_crawler.urls import shortlink_post_id

logger = logging.getLogger(__name__)

_PAGE_IN_PATH = re.compile(r"/page/(\d+)/?$")

#: Fields whose extraction layer is counted in stats.
LAYERED_FIELDS = (
    "title",
    "published_at",
    "modified_at",
    "categories",
    "body_text",
    "post_id",
    "images",
)


class TagDivSpider(NewsSpider):
    # TagDivSpider
    #: Loop items of a category listing; the first selector that matches wins.
    listing_item_css: ClassVar[tuple[str, ...]] = (
        ".tdb_loop .td_module_flex",
        ".td-ss-main-content .td_module_wrap",
        ".td-main-content .td_module_wrap",
    )
    next_page_css: ClassVar[str] = ".page-nav a[aria-label=next-page]::attr(href)"

    # --- crawl -------------------------------------------------------------------
    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> TagDivSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        assert isinstance(spider, TagDivSpider)
        crawler.signals.connect(spider.recheck_archived, signal=signals.spider_idle)
        return spider

    async def start(self) -> AsyncIterator[Any]:
        """Dispatch on ``discovery``: listings, or the site's sitemaps / REST / feed.

        Every mode but ``listing`` runs through ``snhr_crawler.discovery``'s
        engine, which falls back to :meth:`listing_requests` when the site
        offers nothing better.
        """
        if getattr(self, "discovery", "listing") == "listing":
            assert self.crawler.stats is not None
            self.crawler.stats.set_value("snhr/discovery/mode", "listing")
            for request in self.listing_requests():
                yield request
            return
        from snhr_crawler.discovery.engine import Discoverer

        self.discoverer = Discoverer(self)
        for request in self.discoverer.start_requests():
            yield request

    def listing_requests(self) -> Iterator[Any]:
        """Discovery entry point: the first page of every seed listing."""
        for url in self.start_urls_from_seeds():
            yield scrapy.Request(
                url,
                callback=self.parse_listing,
                errback=self.listing_failed,
                cb_kwargs={"page": 1, "known_run": 0},
            )

    def parse_discovery(self, response: Response, step: str, **kwargs: Any) -> Iterator[Any]:
        """Discovery entry point: robots.txt, sitemap, REST and feed pages."""
        yield from self.discoverer.handle(response, step, **kwargs)

    def discovery_failed(self, failure: Any) -> Iterator[Any]:
        """Discovery entry point: a probe that could not be fetched moves to the next path."""
        yield from self.discoverer.failed(failure)

    def parse_listing(self, response: Response, page: int, known_run: int) -> Iterator[Any]:
        if not isinstance(response, TextResponse):
            self.inc_stat("snhr/listing/not_html")
            return
        self.inc_stat("snhr/listing/pages")
        last_page = self._last_page(response)
        if last_page is not None:
            assert self.crawler.stats is not None
            self.crawler.stats.max_value("snhr/listing/last_page", last_page)
        stop_after = self.settings.getint("INCREMENTAL_STOP_AFTER", 10)
        archive = getattr(self.crawler, "archive", None)
        # After a killed or failed run, articles were archived out of order:
        # a run of known ones can hide unfetched ones further down, so walk whole.
        walk_whole = archive is not None and archive.needs_full_walk(self.name)
        items = self._listing_items(response)
        self.inc_stat("snhr/listing/items", len(items))
        for href, published in items:
            if self.published_before_since(published):
                self.inc_stat("snhr/listing/stopped/since")
                return
            absolute = response.urljoin(href)
            # allowed_domains admits subdomains: media.snhr.org clippings are not SNHR articles.
            if not self.site_origin.owns(absolute):
                self.inc_stat("snhr/listing/offsite")
                continue
            public = self.site_origin.to_public(absolute)
            post_id = shortlink_post_id(public)
            if (
                not self.full
                and archive is not None
                and archive.is_archived(self.name, post_id=post_id, url=public)
            ):
                self.inc_stat("snhr/article/skipped/archived")
                known_run += 1
                if not walk_whole and known_run >= stop_after:
                    self.inc_stat("snhr/listing/stopped/known")
                    return
                continue
            known_run = 0
            yield scrapy.Request(
                self.site_origin.to_fetch(public),
                callback=self.parse_article,
                errback=self.article_failed,
                meta={"handle_httpstatus_list": [404, 410], "listing": response.url},
            )
        if self.max_pages is not None and page >= self.max_pages:
            self.inc_stat("snhr/listing/stopped/max_pages")
            return
        next_url = self._next_page(response, page, last_page)
        if next_url:
            yield response.follow(
                self.site_origin.to_fetch(response.urljoin(next_url)),
                callback=self.parse_listing,
                errback=self.listing_failed,
                cb_kwargs={"page": page + 1, "known_run": known_run},
            )

    def _listing_items(self, response: TextResponse) -> list[tuple[str, str | None]]:
        for css in self.listing_item_css:
            modules = response.css(css)
            if modules:
                items = []
                for module in modules:
                    href = module.css(
                        "h3.entry-title a::attr(href), .entry-title a::attr(href)"
                    ).get()
                    if href:
                        items.append((href.strip(), module.css("time::attr(datetime)").get()))
                return items
        return []

    def _next_page(self, response: TextResponse, page: int, last: int | None) -> str | None:
        """The theme's next link, else page + 1 while below ``a.last``."""
        explicit = response.css(self.next_page_css).get()
        if explicit:
            return explicit
        if last is not None and page < last:
            base = _PAGE_IN_PATH.sub("/", response.url.split("?")[0])
            return f"{base.rstrip('/')}/page/{page + 1}/"
        return None

    @staticmethod
    def _last_page(response: TextResponse) -> int | None:
        """The listing's page count from tagDiv's ``a.last`` (the audit and stats use it)."""
        last = response.css(".page-nav a.last::attr(title), .page-nav a.last::text").get()
        return int(last) if last and last.strip().isdecimal() else None

    # --- articles ------------------------------------------------------------------------
    def article_parser(self) -> TagDivArticleParser:
        return TagDivArticleParser(self.site_origin.to_public, self.language)

    def decode(self, response: Response) -> TextResponse | None:
        """The response as text, re-read when the server got the charset wrong.

        Arabic pages served as windows-1256 without a charset would otherwise
        be read as cp1252 by Scrapy and archived garbled; see
        ``snhr_crawler.charset`` for the rule and the stats it keeps.
        """
        if not isinstance(response, TextResponse):
            return None
        from snhr_crawler.charset import decode_response

        return decode_response(response, self.language, self.crawler.stats)

    def parse_article(self, response: Response) -> Iterator[Article | Removal]:
        if response.status in (404, 410):
            yield from self._gone(response)
            return
        text_response = self.decode(response)
        if text_response is None:
            self.inc_stat("snhr/article/not_html")
            logger.warning("Not an HTML page: %s", response.url)
            return
        extracted = self.article_parser().parse(text_response.selector, text_response.url)
        if not extracted.fields.get("title") and not extracted.fields.get("body_text"):
            self.inc_stat("snhr/article/not_an_article")
            logger.warning("No article on the page (soft 404 or a redesign?): %s", response.url)
            return
        article = self.build_article(extracted)
        article.discovered_by = response.meta.get("discovered_by", "listing")
        if self.published_before_since(article.published_at):
            self.inc_stat("snhr/article/skipped/since")
            return
        for name in LAYERED_FIELDS:
            self.inc_stat(f"snhr/extract/{name}/{extracted.layers.get(name, 'none')}")
        yield self.post_process(article, text_response)

    def build_article(self, extracted: Extracted) -> Article:
        fields = extracted.fields
        url = fields["url"]
        post_id = fields.get("post_id")
        title = self.site.strip_site_name(fields.get("title") or "")
        body_text = fields.get("body_text") or ""
        published = fields.get("published_at")
        categories = fields.get("categories") or []
        translations = fields.get("translations") or {}
        return Article(
            id=article_id(self.name, post_id, url),
            source=self.name,
            site=self.site_host,
            language=self.language,
            url=url,
            post_id=post_id,
            title=title,
            subtitle=fields.get("subtitle"),
            published_at=published,
            modified_at=fields.get("modified_at"),
            date_source=extracted.layers.get("published_at") if published else None,
            incident_date=incident_date(title, published),
            categories=categories,
            tags=fields.get("tags") or [],
            doc_type=self.site.doc_type(categories),
            body_text=body_text,
            body_html=fields.get("body_html") or "",
            attachments=fields.get("attachments") or [],
            images=fields.get("images") or [],
            translations=translations,
            translation_group=translation_group(url, translations),
            discovered_by="listing",
            crawled_at=utc_now_iso(),
            content_sha256=content_sha256(title, body_text),
        )

    def post_process(self, article: Article, response: TextResponse) -> Article:
        """Hook for source-specific fixes; the default returns the article as is."""
        return article

    def _gone(self, response: Response) -> Iterator[Removal]:
        self.inc_stat(f"snhr/article/gone/{response.status}")
        public = self.site_origin.to_public(response.url)
        post_id = shortlink_post_id(public)
        archive = getattr(self.crawler, "archive", None)
        if archive is None or not archive.is_archived(self.name, post_id=post_id, url=public):
            logger.info("Gone (%s) and never archived: %s", response.status, response.url)
            return
        logger.warning("Archived article now answers %s: %s", response.status, response.url)
        yield Removal(
            # A re-check carries the archived key; otherwise the archive knows it.
            id=response.meta.get("archive_key")
            or archive.key_for(self.name, post_id=post_id, url=public),
            source=self.name,
            url=public,
            post_id=post_id,
            status=response.status,
            checked_at=utc_now_iso(),
        )

    def listing_failed(self, failure: Any) -> None:
        self._failed(failure, "listing")

    def recheck_archived(self) -> None:
        """In full runs, once the walk is done, re-fetch archived articles it did not reach.

        An article deleted on the site vanishes from its listings, so only a
        direct request can tell that it now answers 404/410 (a tombstone) or
        still lives outside every listing. Articles fetched earlier in the run
        are dropped by the dupefilter, so this costs one request per article
        the listings no longer show.
        """
        archive = getattr(self.crawler, "archive", None)
        if not self.full or archive is None or getattr(self, "_rechecked", False):
            return
        self._rechecked = True
        engine = self.crawler.engine
        assert engine is not None
        count = 0
        for archived in archive.archived(self.name):
            if self.published_before_since(archived.published_at):
                continue  # --since bounds the re-check as it bounds the walk
            count += 1
            engine.crawl(
                scrapy.Request(
                    self.site_origin.to_fetch(archived.url),
                    callback=self.parse_article,
                    errback=self.article_failed,
                    meta={
                        "handle_httpstatus_list": [404, 410],
                        "discovered_by": "archive",
                        "archive_key": archived.key,
                    },
                )
            )
        if count:
            self.inc_stat("snhr/recheck/scheduled", count)
            raise DontCloseSpider

    def closed(self, reason: str) -> None:
        """Say plainly when the site could not be reached at all (no HTTP answer, not even 5xx)."""
        stats = self.crawler.stats
        assert stats is not None
        if not stats.get_value("response_received_count") and stats.get_value(
            "downloader/exception_count"
        ):
            stats.set_value("snhr/site_unreachable", self.site_origin.fetch_origin)
            logger.error(
                "%s could not be reached from here; nothing was archived. "
                "Without network access, run `make demo` to see the crawler work on the offline replica.",
                self.site_origin.fetch_origin,
            )

    def article_failed(self, failure: Any) -> None:
        self._failed(failure, "article")

    def _failed(self, failure: Any, kind: str) -> None:
        """One log line per page that could not be had, and a stat saying why.

        HttpError (a 4xx/5xx left after retries) is an IgnoreRequest subclass
        but a failure; robots.txt and off-site refusals are decisions, logged
        at info (an unavailable robots.txt was already logged once).
        """
        url = failure.request.url
        if failure.check(HttpError):
            self.inc_stat(f"snhr/{kind}/failed")
            logger.error("Could not fetch %s %s: HTTP %s", kind, url, failure.value.response.status)
        elif failure.check(IgnoreRequest):
            self.inc_stat(f"snhr/{kind}/ignored")
            logger.info("Not fetched (%s) %s: %s", kind, url, failure.getErrorMessage())
        else:
            self.inc_stat(f"snhr/{kind}/failed")
            logger.error("Could not fetch %s %s: %s", kind, url, failure.getErrorMessage())
