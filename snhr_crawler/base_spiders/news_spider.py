"""NewsSpider: everything a news source needs, whatever its platform.

A concrete spider (or a platform base such as ``TagDivSpider``) sets, under a
``# NewsSpider`` header:

``name``            the source name (the archive's ``source``)
``site``            its ``SiteDescriptor`` (origin, aliases, old hosts, site
                    names, doc-type rules, seeds; see ``snhr_crawler.sites``)
``language``        ``"en"`` or ``"ar"``

``allowed_domains`` defaults to the descriptor's host (a local ``origin`` is
added at run time).

What this base does, so no platform base repeats it:

* **arguments** (validated before the crawl starts): ``origin=URL`` (fetch a
  local copy, archive public URLs), ``since=YYYY-MM-DD``, ``max_pages=N``,
  ``full=true`` (re-walk everything, re-fetch archived articles, re-check
  the ones no listing shows), ``discovery=listing|sitemap|feed|rest|auto``;
* **discovery dispatch** (``start``): listings, or the site's sitemaps,
  REST API or feed through ``snhr_crawler.discovery``, falling back to
  listings;
* **the listing walk** (``parse_listing``): from the home listing, the seeds
  and the categories the site itself shows (menus, ``/wp/v2/categories``,
  breadcrumbs; ``snhr_crawler.discovery.listings``: the seeds are hints, a
  seed that answers 404 is reported by name), newest first, skipping what the
  archive has and stopping as the ``IncrementalPolicy`` says, following the
  platform's next page;
* **articles** (``parse_article``): a 404/410 for an archived article yields
  a ``Removal`` (a tombstone); a page is decoded (wrong charsets), parsed by
  the platform's parser, assembled into an ``Article`` with every derived
  field computed once (``build_article``), and filtered by ``since``; both
  carry the ``capture`` pointer of the response they were read from, and an
  article request carries the archived capture of its page, so that an
  identical re-fetch is kept as a WARC ``revisit``;
* **re-checks**: in full runs, once the walk is done, archived articles no
  listing showed are fetched again;
* **pending articles**: an article a listing or discovery named but that was
  not archived (failed fetch, truncated body, unparseable page, refused
  identity) is kept in the archive's pending table and asked for again by
  later runs, with backoff, until archived or given up (``archive.pending``);
* **bounds** (``snhr_crawler.bounds``): a listing walk stops at the site's own
  page count plus a margin, at ``BOUND_LISTING_PAGES``, after
  ``BOUND_LISTING_STALE_PAGES`` pages that show the walk nothing new, and
  reads at most ``BOUND_LINKS_PER_PAGE`` links a page; pages are at most
  ``BOUND_PAGE_BYTES``; discovery's article requests wait in a backlog and
  reach Scrapy's queue ``BOUND_QUEUED`` at a time;
* **identity and safe values**: the record's ``url`` and key come from what
  the page proves about itself (``extract.identity``); links that are not
  http(s) are dropped and oversized fields cut (``extract.safety``);
* **error accounting**: one log line and one stat per page that could not be
  had, a bad page is a counted skip, never a dead callback; a site that never
  answered says so at close.

A platform base provides three listing hooks and the parser:

``listing_items(response, limit)`` ``[(href, published or None), ...]`` of the loop, newest
                              first, at most ``limit`` of them
``next_page(response, page)`` the next listing page's URL, or None
``page_count(response)``      the listing's page count if it shows one (stats, audit)
``article_parser()``          an object with ``parse(selector, url) -> Extracted``

and may override ``post_process(article, response)`` for a source's quirks.

Stats: ``snhr/listing/pages``, ``snhr/listing/items``, ``snhr/listing/last_page``,
``snhr/listing/not_html``, ``snhr/listing/offsite``, ``snhr/listing/offsite_next``,
``snhr/listing/bad_link``, ``snhr/listing/stopped/<why>`` (``since``, ``known``,
``max_pages``), ``snhr/article/skipped/archived``, ``snhr/article/skipped/since``,
``snhr/article/not_html``, ``snhr/article/not_an_article``, ``snhr/article/gone/<status>``,
``snhr/extract/<field>/<layer>``, ``snhr/extract/rejected/<field>``, ``snhr/recheck/scheduled``,
``snhr/<listing|article|discovery>/failed`` (and ``/failed/<reason>``),
``.../ignored/<reason>``, ``.../deferred/budget``, ``snhr/identity/untrusted/<what>``
(``canonical``, ``shortlink``, ``json-ld``), ``snhr/article/unsafe_url/<field>``,
``snhr/article/truncated/<field>``, ``snhr/pending/<added|retried|resolved|given_up>``,
``snhr/pending/waiting`` and ``given_up_total`` (at close), ``snhr/bounds/<name>``,
``snhr/site_unreachable``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Iterator
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar, Protocol
from urllib.parse import urlsplit

import scrapy
from parsel.csstranslator import HTMLTranslator
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Response, TextResponse

from snhr_crawler.archive.extension import archive_locked, archive_of
from snhr_crawler.archive.policy import IncrementalPolicy
from snhr_crawler.base_spiders.backlog import Backlog
from snhr_crawler.base_spiders.failures import DEFERRED, IGNORED, Outcome, classify
from snhr_crawler.base_spiders.release import frees_page
from snhr_crawler.bounds import Bounds, Limits
from snhr_crawler.capture.extension import CAPTURE_PREVIOUS_META, capture_of
from snhr_crawler.clock import utc_stamp
from snhr_crawler.doc_types import doc_type_for
from snhr_crawler.exceptions import SpiderArgumentError
from snhr_crawler.extract import Extracted
from snhr_crawler.extract.identity import resolve_identity
from snhr_crawler.extract.safety import cut_oversized, web_links_only
from snhr_crawler.items import Article, Removal, article_id, seal, translation_group
from snhr_crawler.pipelines.dedupe import DuplicateItem
from snhr_crawler.sites import SiteDescriptor
from snhr_crawler.urls import Origin, join, shortlink_post_id

if TYPE_CHECKING:
    from snhr_crawler.discovery.listings import ListingSources

logger = logging.getLogger(__name__)

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}

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

#: Article answers the spider handles itself (a tombstone), not the HttpError middleware.
GONE = [404, 410]
#: A listing's first page answering these: no such listing (``ListingSources.gone``).
LISTING_GONE = frozenset(GONE)


class ArticleParser(Protocol):
    """What a platform's parser offers: the page's fields and the layer of each."""

    def parse(self, selector: Any, url: str) -> Extracted: ...


def first_matches(response: TextResponse, css: str, limit: int | None) -> Any:
    """``response.css(css)``, but at most ``limit`` matches, counted inside lxml.

    A page of 200,000 links must not become 200,000 Selector objects to keep twenty.
    """
    if limit is None:
        return response.css(css)
    xpath = HTMLTranslator().css_to_xpath(css)
    return response.xpath(f"({xpath})[position() <= {int(limit)}]")


def parse_arguments(raw: dict[str, Any]) -> dict[str, Any]:
    """Validate spider arguments; raise SpiderArgumentError naming the bad one."""
    known = {"origin", "since", "max_pages", "full", "discovery"}
    unknown = sorted(set(raw) - known - {"_job"})  # _job: the job id Scrapyd passes
    if unknown:
        raise SpiderArgumentError(
            unknown[0], f"unknown argument (known: {', '.join(sorted(known))})"
        )
    args: dict[str, Any] = {"origin": "", "since": None, "max_pages": None, "full": False}
    if origin := str(raw.get("origin") or "").strip():
        parts = urlsplit(origin)
        if (
            parts.scheme not in ("http", "https")
            or not parts.hostname
            or parts.path not in ("", "/")
        ):
            raise SpiderArgumentError("origin", f"expected scheme://host[:port], got {origin!r}")
        # Scrapy lower-cases request hosts; so must the origin, or no URL would match it.
        args["origin"] = f"{parts.scheme.lower()}://{parts.netloc.lower()}"
    if (since := raw.get("since")) not in (None, ""):
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(since)):
            raise SpiderArgumentError("since", f"expected YYYY-MM-DD, got {since!r}")
        try:
            args["since"] = date.fromisoformat(str(since))
        except ValueError:
            raise SpiderArgumentError("since", f"not a real date: {since!r}") from None
    if (max_pages := raw.get("max_pages")) not in (None, ""):
        if not str(max_pages).isdigit() or int(max_pages) < 1:
            raise SpiderArgumentError(
                "max_pages", f"expected a positive integer, got {max_pages!r}"
            )
        args["max_pages"] = int(max_pages)
    full = str(raw.get("full", "")).strip().lower()
    if full not in _TRUE | _FALSE:
        raise SpiderArgumentError("full", f"expected true or false, got {raw.get('full')!r}")
    args["full"] = full in _TRUE
    # The mode list lives with the discovery engine (snhr_crawler.discovery).
    from snhr_crawler.discovery.modes import validate_discovery

    args["discovery"] = validate_discovery(raw.get("discovery"))
    return args


class NewsSpider(scrapy.Spider):
    # NewsSpider
    site: ClassVar[SiteDescriptor]
    language: ClassVar[str] = "en"

    site_origin: Origin
    limits: Limits
    since: date | None
    max_pages: int | None
    full: bool
    discovery: str

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        origin = cls.__dict__.get("public_origin")
        if origin and "site" not in cls.__dict__:
            # Spiders written before descriptors named only their origin: they get
            # the shipped descriptor for it, or one with no aliases.
            from snhr_crawler.sites.registry import site_for_origin

            cls.site = site_for_origin(origin)
        site = cls.__dict__.get("site")
        if site is not None and "allowed_domains" not in cls.__dict__:
            cls.allowed_domains = [site.host]

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> NewsSpider:
        parsed = parse_arguments(kwargs)
        spider = super().from_crawler(crawler, *args, **kwargs)
        assert isinstance(spider, NewsSpider)
        spider.limits = Limits.from_crawler(crawler)
        spider.apply_arguments(parsed)
        crawler.signals.connect(spider.on_idle, signal=signals.spider_idle)
        crawler.signals.connect(spider.item_archived, signal=signals.item_scraped)
        crawler.signals.connect(spider.item_refused, signal=signals.item_dropped)
        return spider

    def apply_arguments(self, args: dict[str, Any]) -> None:
        self.site_origin = Origin.for_site(self.site, fetch=args["origin"])
        self.since = args["since"]
        self.max_pages = args["max_pages"]
        self.full = args["full"]
        self.discovery = args.get("discovery", "listing")
        self.discoverer: Any = None  # the discovery engine, when discovery is not "listing"
        self._listings: ListingSources | None = None
        self._policy: IncrementalPolicy | None = None
        self._rechecked = False
        if not hasattr(self, "limits"):
            self.limits = Limits(Bounds())
        self.backlog = Backlog(self.limits, self.article_request, lambda: self.crawler.stats)
        #: Per listing walk (its first page's URL): hashes of the article URLs it showed.
        self._walk_seen: dict[str, set[int]] = {}
        if args["origin"]:
            # The local copy's host joins the allowed domains for this run only.
            host = urlsplit(args["origin"]).hostname or ""
            self.allowed_domains = [*getattr(self, "allowed_domains", []), host]

    @property
    def site_host(self) -> str:
        """The public host, the record's ``site``."""
        return self.site.host

    @property
    def policy(self) -> IncrementalPolicy:
        """The crawl's incremental policy: the archive's, or "everything is new" without one."""
        if self._policy is None:
            archive = archive_of(self.crawler)
            self._policy = (
                archive.policy_for(self)
                if archive is not None
                else IncrementalPolicy.without_archive(self)
            )
        return self._policy

    @property
    def listings(self) -> ListingSources:
        """Where this run's listing walk starts (made on first use; see ``discovery.listings``)."""
        if self._listings is None:
            from snhr_crawler.discovery.listings import ListingSources

            self._listings = ListingSources(self)
        return self._listings

    def start_urls_from_seeds(self) -> list[str]:
        return [self.site_origin.to_fetch(url) for url in self.site.seed_urls()]

    def published_before_since(self, published: str | None) -> bool:
        """True when ``published`` is known and older than the ``since`` bound."""
        return self.policy.before_since(published)

    def inc_stat(self, key: str, count: int = 1) -> None:
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(key, count)

    # --- discovery ---------------------------------------------------------------------
    async def start(self) -> AsyncIterator[Any]:
        """Dispatch on ``discovery``: listings, or the site's sitemaps / REST / feed.

        Every mode but ``listing`` runs through ``snhr_crawler.discovery``'s
        engine, which falls back to :meth:`listing_requests` when the site
        offers nothing better. Then the pending articles that are due. Nothing
        at all when another run holds the archive (``archive_locked``).
        """
        if archive_locked(self.crawler) is not None:
            engine = self.crawler.engine
            assert engine is not None
            await engine.close_spider_async(reason="archive_locked")
            return
        if self.discovery == "listing":
            assert self.crawler.stats is not None
            self.crawler.stats.set_value("snhr/discovery/mode", "listing")
            self.crawler.stats.set_value("snhr/discovery/why", "asked for (discovery=listing)")
            for request in self.listing_requests():
                yield request
        else:
            from snhr_crawler.discovery.engine import Discoverer

            self.discoverer = Discoverer(self)
            for request in self.discoverer.start_requests():
                yield request
        for request in self.pending_requests():
            yield request

    def listing_requests(self) -> Iterator[scrapy.Request]:
        """Discovery entry point: the home listing, the seeds, the site's categories."""
        yield from self.listings.start()

    def listing_request(self, url: str, **cb_kwargs: Any) -> scrapy.Request:
        return scrapy.Request(
            url,
            callback=self.parse_listing,
            errback=self.listing_failed,
            cb_kwargs=cb_kwargs,
            meta={"download_maxsize": self.limits.bounds.page_bytes},
        )

    def pending_requests(self) -> Iterator[scrapy.Request]:
        """Articles named before but not archived yet, whose next try has come (``archive.pending``)."""
        for entry in self.policy.pending_due():
            self.inc_stat("snhr/pending/retried")
            yield from self.offer_article(
                entry.url,
                discovered_by=entry.discovered_by or "listing",
                listed_post_id=entry.post_id,
            )

    @frees_page
    def parse_discovery(self, response: Response, step: str, **kwargs: Any) -> Iterator[Any]:
        """Discovery entry point: robots.txt, sitemap, REST and feed pages."""
        yield from self.discoverer.handle(response, step, **kwargs)

    def discovery_failed(self, failure: Any) -> Iterator[Any]:
        """Discovery entry point: a probe that could not be fetched moves to the next path."""
        yield from self.discoverer.failed(failure)

    def article_request(self, public: str, *, discovered_by: str, **meta: Any) -> scrapy.Request:
        """The request for one article page (``public``: its canonical public URL).

        An archived page's request carries its archived ``capture``: an
        identical answer is then written as a revisit, not a second copy.
        """
        previous = self.policy.previous_capture(post_id=shortlink_post_id(public), url=public)
        if previous is not None:
            meta.setdefault(CAPTURE_PREVIOUS_META, previous)
        return scrapy.Request(
            self.site_origin.to_fetch(public),
            callback=self.parse_article,
            errback=self.article_failed,
            meta={
                "handle_httpstatus_list": GONE,
                "discovered_by": discovered_by,
                "listed_url": public,
                "download_maxsize": self.limits.bounds.page_bytes,
                **meta,
            },
        )

    def offer_article(
        self, public: str, *, discovered_by: str, **meta: Any
    ) -> Iterator[scrapy.Request]:
        """An article request through the backlog (discovery, pending, re-checks)."""
        yield from self.backlog.offer(public, discovered_by=discovered_by, **meta)

    # --- listings ----------------------------------------------------------------------
    def listing_items(
        self, response: TextResponse, limit: int | None = None
    ) -> list[tuple[str, str | None]]:
        """Platform hook: the loop's ``(href, published)`` pairs, newest first (at most ``limit``)."""
        raise NotImplementedError(f"{type(self).__name__} must implement listing_items")

    def next_page(self, response: TextResponse, page: int) -> str | None:
        """Platform hook: the URL of listing page ``page + 1``, or None at the end."""
        raise NotImplementedError(f"{type(self).__name__} must implement next_page")

    def page_count(self, response: TextResponse) -> int | None:
        """Platform hook: how many pages the listing says it has (None: it does not say)."""
        return None

    @frees_page
    def parse_listing(
        self,
        response: Response,
        page: int = 1,
        known_run: int = 0,
        walk: str = "",
        last: int | None = None,
        stale: int = 0,
    ) -> Iterator[Any]:
        """One listing page: its articles (unless skipped), then the next page, within bounds.

        ``walk`` names the walk (its first page), ``last`` is the highest page
        count the walk's pages showed, ``stale`` how many pages in a row
        brought no article the walk had not shown already.

        The first page of a listing also shows the site's categories (menus,
        category links): those not walked yet are walked too.
        """
        if response.status in LISTING_GONE:
            self.listings.gone(response)  # only a listing's first page accepts these
            return
        if not isinstance(response, TextResponse):
            self.inc_stat("snhr/listing/not_html")
            return
        walk = walk or response.url
        bounds = self.limits.bounds
        self.inc_stat("snhr/listing/pages")
        if page == 1:
            yield from self.listings.from_listing(response)
        last_page = self.page_count(response)
        if last_page is not None:
            assert self.crawler.stats is not None
            self.crawler.stats.max_value("snhr/listing/last_page", last_page)
            last = max(last or 0, last_page)
        policy = self.policy
        items = self.listing_items(response, limit=bounds.links_per_page + 1)
        if len(items) > bounds.links_per_page:
            self.limits.hit("links_per_page", response.url, f"over {bounds.links_per_page} links")
            items = items[: bounds.links_per_page]
        self.inc_stat("snhr/listing/items", len(items))
        seen = self._walk_seen.setdefault(walk, set())
        fresh = 0
        for href, published in items:
            if policy.before_since(published):
                self.inc_stat("snhr/listing/stopped/since")
                return
            absolute = join(response.url, href)
            if absolute is None:
                self.inc_stat("snhr/listing/bad_link")
                logger.info("Not a URL in listing %s: %r", response.url, href[:200])
                continue
            # allowed_domains admits subdomains (e.g. a media.* host of clippings): not articles.
            if not self.site_origin.owns(absolute):
                self.inc_stat("snhr/listing/offsite")
                continue
            public = self.site_origin.to_public(absolute)
            if hash(public) not in seen:
                seen.add(hash(public))
                fresh += 1
            if policy.known(post_id=shortlink_post_id(public), url=public):
                self.inc_stat("snhr/article/skipped/archived")
                known_run += 1
                if policy.stop_listing(known_run):
                    self.inc_stat("snhr/listing/stopped/known")
                    return
                continue
            known_run = 0
            yield self.article_request(public, discovered_by="listing", listing=response.url)
        stale = stale + 1 if items and not fresh else 0
        if self.max_pages is not None and page >= self.max_pages:
            self.inc_stat("snhr/listing/stopped/max_pages")
            return
        next_url = self.next_page(response, page)
        if not next_url:
            return
        if stale >= bounds.listing_stale_pages:
            self.limits.hit("listing_stale", response.url, f"{stale} pages with nothing new")
            return
        if page >= bounds.listing_pages:
            self.limits.hit("listing_pages", response.url, f"{page} pages")
            return
        if last is not None and page >= last + bounds.listing_margin:
            self.limits.hit("listing_past_last", response.url, f"the listing says {last} pages")
            return
        absolute = join(response.url, next_url)
        if absolute is None or not self.site_origin.owns(absolute):
            self.inc_stat("snhr/listing/offsite_next")
            logger.warning(
                "Not following a next page off the source: %s -> %s", response.url, next_url
            )
            return
        yield self.listing_request(
            self.site_origin.to_fetch(absolute),
            page=page + 1,
            known_run=known_run,
            walk=walk,
            last=last,
            stale=stale,
        )

    # --- articles --------------------------------------------------------------------------
    def article_parser(self) -> ArticleParser:
        """Platform hook: the parser for this source's article pages."""
        raise NotImplementedError(f"{type(self).__name__} must implement article_parser")

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

    @frees_page
    def parse_article(self, response: Response) -> Iterator[Article | Removal]:
        """One article page: a tombstone, a record, or a counted failure (never an exception)."""
        if response.status in GONE:
            yield from self._gone(response)
            return
        text_response = self.decode(response)
        if text_response is None:
            self.inc_stat("snhr/article/not_html")
            self._not_archived(response.request, "not_html", "not an HTML page")
            return
        try:
            article = self.read_article(text_response)
        except Exception as exc:  # a page no parser survives is a counted skip, not a dead callback
            logger.exception("Could not read the article page %s", response.url)
            self._not_archived(response.request, "unparseable", f"{type(exc).__name__}: {exc}")
            return
        if article is not None:
            yield article

    def read_article(self, response: TextResponse) -> Article | None:
        """Parse, prove the identity, assemble and bound the record; None when it is not archived."""
        extracted = self.article_parser().parse(response.selector, response.url)
        if not extracted.fields.get("title") and not extracted.fields.get("body_text"):
            self.inc_stat("snhr/article/not_an_article")
            logger.warning("No article on the page (soft 404 or a redesign?): %s", response.url)
            self._not_archived(response.request, "not_an_article", "no title and no body")
            return None
        identity = resolve_identity(
            extracted.fields,
            extracted.layers,
            extracted.evidence.get("post_id") or {},
            fetched=self.site_origin.to_public(response.url),
            own_host=self.site_host,
            site_path=self.site.site_path or "/",
            listed_post_id=response.meta.get("listed_post_id"),
        )
        for what in identity.untrusted:
            self.inc_stat(f"snhr/identity/untrusted/{what}")
            logger.info("Not trusting the page's %s: %s", what, response.url)
        if extracted.evidence.get("json-ld") == "other-page":
            self.inc_stat("snhr/identity/untrusted/json-ld")
        if identity.refused:
            self._not_archived(
                response.request, identity.refused, "the page's post id cannot be one"
            )
            return None
        extracted.fields["url"], extracted.fields["post_id"] = identity.url, identity.post_id
        for name in extracted.rejected:
            self.inc_stat(f"snhr/extract/rejected/{name}")
        article = self.build_article(
            extracted,
            discovered_by=response.meta.get("discovered_by"),
            capture=capture_of(response),
        )
        self.listings.from_article(response, article.categories)
        if self.policy.before_since(article.published_at):
            self.inc_stat("snhr/article/skipped/since")
            return None
        for name in LAYERED_FIELDS:
            self.inc_stat(f"snhr/extract/{name}/{extracted.layers.get(name, 'none')}")
        return self.post_process(article, response)

    def build_article(
        self,
        extracted: Extracted,
        *,
        discovered_by: str | None = None,
        capture: dict[str, Any] | None = None,
    ) -> Article:
        """Record assembly: the parsed fields plus every derived one, each computed here once.

        ``id`` (post id, else the URL), ``site``, ``doc_type`` (the descriptor's
        rules), ``translation_group``, ``crawled_at`` and, through ``seal``,
        the tidied text, ``content_sha256``, ``incident_date`` and ``incident``.
        Links that are not http(s) are dropped and fields longer than their
        bound (``BOUND_FIELD_SIZES``) are cut, named in ``truncated``
        (``extract.safety``).
        """
        fields = dict(extracted.fields)
        for name, count in web_links_only(fields).items():
            self.inc_stat(f"snhr/article/unsafe_url/{name}", count)
        fields["title"] = self.site.strip_site_name(fields.get("title") or "")
        truncated = cut_oversized(fields, self.limits.bounds.field_sizes)
        for name in truncated:
            self.inc_stat(f"snhr/article/truncated/{name}")
        url = fields["url"]
        post_id = fields.get("post_id")
        title = fields["title"]
        published = fields.get("published_at")
        categories = fields.get("categories") or []
        translations = fields.get("translations") or {}
        article = Article(
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
            categories=categories,
            tags=fields.get("tags") or [],
            doc_type=doc_type_for(self.site, categories),
            body_text=fields.get("body_text") or "",
            body_html=fields.get("body_html") or "",
            attachments=fields.get("attachments") or [],
            images=fields.get("images") or [],
            translations=translations,
            translation_group=translation_group(url, translations),
            discovered_by=discovered_by or "listing",
            crawled_at=utc_stamp(),
            truncated=truncated,
            capture=capture,
        )
        return seal(article)

    def post_process(self, article: Article, response: TextResponse) -> Article:
        """Hook for source-specific fixes; the default returns the article as is.

        An override that changes ``title`` or ``body_text`` returns
        ``seal(article)`` so the hash follows the text.
        """
        return article

    def _gone(self, response: Response) -> Iterator[Removal]:
        self.inc_stat(f"snhr/article/gone/{response.status}")
        public = self.site_origin.to_public(response.url)
        post_id = shortlink_post_id(public)
        key = self.policy.removal_key(post_id=post_id, url=public)
        if key is None:
            logger.info("Gone (%s) and never archived: %s", response.status, response.url)
            # Named once, gone now: nothing is pending any more.
            self._resolved(response.request, public)
            return
        logger.warning("Archived article now answers %s: %s", response.status, response.url)
        yield Removal(
            # A re-check carries the archived key; otherwise the archive knows it.
            id=response.meta.get("archive_key") or key,
            source=self.name,
            url=public,
            post_id=post_id,
            status=response.status,
            checked_at=utc_stamp(),
            capture=capture_of(response),
        )

    # --- pending articles -------------------------------------------------------------------
    def _not_archived(self, request: scrapy.Request | None, reason: str, detail: str) -> None:
        """An article named by the site but not archived: counted, logged, kept as pending."""
        self.inc_stat("snhr/article/failed")
        self.inc_stat(f"snhr/article/failed/{reason}")
        meta = request.meta if request is not None else {}
        url = meta.get("listed_url") or (self.site_origin.to_public(request.url) if request else "")
        logger.warning("Article not archived (%s: %s): %s", reason, detail, url)
        self._remember(url, reason, meta)

    def _remember(self, url: str, reason: str, meta: Any) -> None:
        if not url:
            return
        entry = self.policy.remember_failure(
            url,
            post_id=meta.get("listed_post_id"),
            reason=reason,
            discovered_by=meta.get("discovered_by"),
        )
        if entry is None:
            return
        if entry.attempts == 1:
            self.inc_stat("snhr/pending/added")
        if entry.given_up:
            self.inc_stat("snhr/pending/given_up")
            logger.warning(
                "Giving up on %s after %d attempts (last: %s)", url, entry.attempts, reason
            )

    def _resolved(self, request: Any, *urls: str) -> None:
        listed = request.meta.get("listed_url") if request is not None else None
        done = self.policy.resolve([u for u in (*urls, listed) if u])
        if done:
            self.inc_stat("snhr/pending/resolved", done)

    def item_archived(self, item: Any, response: Response | None = None, **_: Any) -> None:
        """``item_scraped``: an article or tombstone reached the archive; it is pending no more."""
        if isinstance(item, Article | Removal) and item.source == self.name:
            self._resolved(getattr(response, "request", None), item.url)

    def item_refused(
        self, item: Any, response: Response | None = None, exception: Any = None, **_: Any
    ) -> None:
        """``item_dropped``: a duplicate is archived under its twin; any other refusal is pending."""
        if not isinstance(item, Article) or item.source != self.name:
            return
        request = getattr(response, "request", None)
        if isinstance(exception, DuplicateItem):
            self._resolved(request, item.url)
            return
        meta = request.meta if request is not None else {}
        self._remember(meta.get("listed_url") or item.url, "refused", meta)

    # --- idle: the backlog, then (full runs) the re-checks ----------------------------------
    def on_idle(self) -> None:
        """``spider_idle``: the next batch of waiting article requests; when none wait, the
        categories breadcrumbs showed; then (full runs) the re-checks.

        Re-checks wait until no listing is left to walk, so an article that a
        late category shows is found by the listing, not by the re-check.
        """
        batch = self.backlog.release()
        if not batch and self._listings is not None:
            batch = self._listings.walk_found()
        if batch:
            engine = self.crawler.engine
            assert engine is not None
            for request in batch:
                engine.crawl(request)
            raise DontCloseSpider
        self.recheck_archived()

    def recheck_archived(self) -> None:
        """In full runs, once the walk is done, re-fetch archived articles it did not reach.

        An article deleted on the site vanishes from its listings, so only a
        direct request can tell that it now answers 404/410 (a tombstone) or
        still lives outside every listing. Articles fetched earlier in the run
        are dropped by the dupefilter, so this costs one request per article
        the listings no longer show. They go through the backlog, a batch at a time.
        """
        if self._rechecked:
            return
        self._rechecked = True
        self.backlog.feed(self._rechecks())
        self.on_idle()

    def _rechecks(self) -> Iterator[tuple[str, str, dict[str, Any]]]:
        """The re-check entries, read from the archive as the backlog releases them."""
        for archived in self.policy.recheck():
            self.inc_stat("snhr/recheck/scheduled")
            yield archived.url, "archive", {"archive_key": archived.key}

    # --- errors and the end of the run --------------------------------------------------------
    def closed(self, reason: str) -> None:
        """Hand discovery's state to the archive; count what is pending; say plainly when the
        site never answered.

        Runs before the archive's own ``spider_closed``, which commits the
        staged state with the run's outcome.
        """
        if self.discoverer is not None:
            self.discoverer.close(reason)
        if self._listings is not None:
            self._listings.close()
        stats = self.crawler.stats
        assert stats is not None
        if self.backlog.waiting:
            stats.set_value("snhr/pending/unsent", len(self.backlog.waiting))
        waiting, given_up = self.policy.pending_counts()
        stats.set_value("snhr/pending/waiting", waiting)
        stats.set_value("snhr/pending/given_up_total", given_up)
        # A robots.txt that never answered is stood in for by "disallow all": not an answer.
        answered = stats.get_value("response_received_count", 0) - stats.get_value(
            "snhr/robots/unreachable", 0
        )
        if answered <= 0 and stats.get_value("downloader/exception_count"):
            stats.set_value("snhr/site_unreachable", self.site_origin.fetch_origin)
            logger.error(
                "%s could not be reached from here; nothing was archived. "
                "Without network access, run `make demo` to see the crawler work on the offline replica.",
                self.site_origin.fetch_origin,
            )

    def listing_failed(self, failure: Any) -> None:
        self._failed(failure, "listing")

    def article_failed(self, failure: Any) -> None:
        outcome = self._failed(failure, "article")
        if outcome.kind != IGNORED:
            request = failure.request
            self._remember(
                request.meta.get("listed_url") or self.site_origin.to_public(request.url),
                outcome.reason,
                request.meta,
            )

    def _failed(self, failure: Any, kind: str) -> Outcome:
        """One log line per page that could not be had, and stats saying why.

        HttpError (a 4xx/5xx left after retries) is an IgnoreRequest subclass
        but a failure; robots.txt and off-site refusals are decisions, logged
        at info (an unavailable robots.txt was already logged once); a request
        past the run's budget waits for the next run.
        """
        url = failure.request.url
        outcome = classify(failure)
        if outcome.kind == IGNORED:
            self.inc_stat(f"snhr/{kind}/ignored")
            self.inc_stat(f"snhr/{kind}/ignored/{outcome.reason}")
            logger.info("Not fetched (%s) %s: %s", kind, url, outcome.detail)
        elif outcome.kind == DEFERRED:
            self.inc_stat(f"snhr/{kind}/deferred/{outcome.reason}")
            logger.info("Left for the next run (%s) %s: %s", kind, url, outcome.detail)
        else:
            self.inc_stat(f"snhr/{kind}/failed")
            self.inc_stat(f"snhr/{kind}/failed/{outcome.reason}")
            logger.error("Could not fetch %s %s: %s", kind, url, outcome.detail)
        return outcome
