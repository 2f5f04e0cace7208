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
  field computed once (``build_article``), and filtered by ``since``;
* **re-checks**: in full runs, once the walk is done, archived articles no
  listing showed are fetched again;
* **error accounting**: one log line and one stat per page that could not be
  had; a site that never answered says so at close.

A platform base provides three listing hooks and the parser:

``listing_items(response)``   ``[(href, published or None), ...]`` of the loop, newest first
``next_page(response, page)`` the next listing page's URL, or None
``page_count(response)``      the listing's page count if it shows one (stats, audit)
``article_parser()``          an object with ``parse(selector, url) -> Extracted``

and may override ``post_process(article, response)`` for a source's quirks.

Stats: ``snhr/listing/pages``, ``snhr/listing/items``, ``snhr/listing/last_page``,
``snhr/listing/not_html``, ``snhr/listing/offsite``, ``snhr/listing/stopped/<why>``
(``since``, ``known``, ``max_pages``), ``snhr/article/skipped/archived``,
``snhr/article/skipped/since``, ``snhr/article/not_html``, ``snhr/article/not_an_article``,
``snhr/article/gone/<status>``, ``snhr/extract/<field>/<layer>``, ``snhr/recheck/scheduled``,
``snhr/<listing|article|discovery>/failed`` and ``.../ignored``, ``snhr/site_unreachable``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Iterator
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar, Protocol
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError

from snhr_crawler.archive.extension import archive_of
from snhr_crawler.archive.policy import IncrementalPolicy
from snhr_crawler.clock import utc_stamp
from snhr_crawler.doc_types import doc_type_for
from snhr_crawler.exceptions import SpiderArgumentError
from snhr_crawler.extract import Extracted
from snhr_crawler.items import Article, Removal, article_id, seal, translation_group
from snhr_crawler.sites import SiteDescriptor
from snhr_crawler.urls import Origin, shortlink_post_id

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
        spider.apply_arguments(parsed)
        crawler.signals.connect(spider.walk_idle, signal=signals.spider_idle)
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
        offers nothing better.
        """
        if self.discovery == "listing":
            assert self.crawler.stats is not None
            self.crawler.stats.set_value("snhr/discovery/mode", "listing")
            self.crawler.stats.set_value("snhr/discovery/why", "asked for (discovery=listing)")
            for request in self.listing_requests():
                yield request
            return
        from snhr_crawler.discovery.engine import Discoverer

        self.discoverer = Discoverer(self)
        for request in self.discoverer.start_requests():
            yield request

    def listing_requests(self) -> Iterator[scrapy.Request]:
        """Discovery entry point: the home listing, the seeds, the site's categories."""
        yield from self.listings.start()

    def parse_discovery(self, response: Response, step: str, **kwargs: Any) -> Iterator[Any]:
        """Discovery entry point: robots.txt, sitemap, REST and feed pages."""
        yield from self.discoverer.handle(response, step, **kwargs)

    def discovery_failed(self, failure: Any) -> Iterator[Any]:
        """Discovery entry point: a probe that could not be fetched moves to the next path."""
        yield from self.discoverer.failed(failure)

    def article_request(self, public: str, *, discovered_by: str, **meta: Any) -> scrapy.Request:
        """The request for one article page (``public``: its canonical public URL)."""
        return scrapy.Request(
            self.site_origin.to_fetch(public),
            callback=self.parse_article,
            errback=self.article_failed,
            meta={"handle_httpstatus_list": GONE, "discovered_by": discovered_by, **meta},
        )

    # --- listings ----------------------------------------------------------------------
    def listing_items(self, response: TextResponse) -> list[tuple[str, str | None]]:
        """Platform hook: the loop's ``(href, published)`` pairs, newest first."""
        raise NotImplementedError(f"{type(self).__name__} must implement listing_items")

    def next_page(self, response: TextResponse, page: int) -> str | None:
        """Platform hook: the URL of listing page ``page + 1``, or None at the end."""
        raise NotImplementedError(f"{type(self).__name__} must implement next_page")

    def page_count(self, response: TextResponse) -> int | None:
        """Platform hook: how many pages the listing says it has (None: it does not say)."""
        return None

    def parse_listing(self, response: Response, page: int = 1, known_run: int = 0) -> Iterator[Any]:
        """One listing page: its articles (unless skipped), then the next page.

        The first page of a listing also shows the site's categories (menus,
        category links): those not walked yet are walked too.
        """
        if response.status in LISTING_GONE:
            self.listings.gone(response)  # only a listing's first page accepts these
            return
        if not isinstance(response, TextResponse):
            self.inc_stat("snhr/listing/not_html")
            return
        self.inc_stat("snhr/listing/pages")
        if page == 1:
            yield from self.listings.from_listing(response)
        last_page = self.page_count(response)
        if last_page is not None:
            assert self.crawler.stats is not None
            self.crawler.stats.max_value("snhr/listing/last_page", last_page)
        policy = self.policy
        items = self.listing_items(response)
        self.inc_stat("snhr/listing/items", len(items))
        for href, published in items:
            if policy.before_since(published):
                self.inc_stat("snhr/listing/stopped/since")
                return
            absolute = response.urljoin(href)
            # allowed_domains admits subdomains (e.g. a media.* host of clippings): not articles.
            if not self.site_origin.owns(absolute):
                self.inc_stat("snhr/listing/offsite")
                continue
            public = self.site_origin.to_public(absolute)
            if policy.known(post_id=shortlink_post_id(public), url=public):
                self.inc_stat("snhr/article/skipped/archived")
                known_run += 1
                if policy.stop_listing(known_run):
                    self.inc_stat("snhr/listing/stopped/known")
                    return
                continue
            known_run = 0
            yield self.article_request(public, discovered_by="listing", listing=response.url)
        if self.max_pages is not None and page >= self.max_pages:
            self.inc_stat("snhr/listing/stopped/max_pages")
            return
        next_url = self.next_page(response, page)
        if next_url:
            yield scrapy.Request(
                self.site_origin.to_fetch(response.urljoin(next_url)),
                callback=self.parse_listing,
                errback=self.listing_failed,
                cb_kwargs={"page": page + 1, "known_run": known_run},
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

    def parse_article(self, response: Response) -> Iterator[Article | Removal]:
        if response.status in GONE:
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
        article = self.build_article(extracted, discovered_by=response.meta.get("discovered_by"))
        self.listings.from_article(text_response, article.categories)
        if self.policy.before_since(article.published_at):
            self.inc_stat("snhr/article/skipped/since")
            return
        for name in LAYERED_FIELDS:
            self.inc_stat(f"snhr/extract/{name}/{extracted.layers.get(name, 'none')}")
        yield self.post_process(article, text_response)

    def build_article(self, extracted: Extracted, *, discovered_by: str | None = None) -> Article:
        """Record assembly: the parsed fields plus every derived one, each computed here once.

        ``id`` (post id, else the URL), ``site``, ``doc_type`` (the descriptor's
        rules), ``translation_group``, ``crawled_at`` and, through ``seal``,
        the tidied text, ``content_sha256``, ``incident_date`` and ``incident``.
        """
        fields = extracted.fields
        url = fields["url"]
        post_id = fields.get("post_id")
        title = self.site.strip_site_name(fields.get("title") or "")
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
        )

    # --- the end of the walk ------------------------------------------------------------
    def walk_idle(self) -> None:
        """``spider_idle``: walk categories breadcrumbs showed, then (full runs) re-check.

        Re-checks wait until no listing is left to walk, so an article that a
        late category shows is found by the listing, not by the re-check.
        """
        if self._listings is not None and (found := self._listings.walk_found()):
            engine = self.crawler.engine
            assert engine is not None
            for request in found:
                engine.crawl(request)
            raise DontCloseSpider
        self.recheck_archived()

    # --- full runs: re-check what the walk did not reach -----------------------------------
    def recheck_archived(self) -> None:
        """In full runs, once the walk is done, re-fetch archived articles it did not reach.

        An article deleted on the site vanishes from its listings, so only a
        direct request can tell that it now answers 404/410 (a tombstone) or
        still lives outside every listing. Articles fetched earlier in the run
        are dropped by the dupefilter, so this costs one request per article
        the listings no longer show.
        """
        if self._rechecked:
            return
        self._rechecked = True
        engine = self.crawler.engine
        assert engine is not None
        count = 0
        for archived in self.policy.recheck():
            count += 1
            engine.crawl(
                self.article_request(
                    archived.url, discovered_by="archive", archive_key=archived.key
                )
            )
        if count:
            self.inc_stat("snhr/recheck/scheduled", count)
            raise DontCloseSpider

    # --- errors and the end of the run --------------------------------------------------------
    def closed(self, reason: str) -> None:
        """Hand discovery's state to the archive; say plainly when the site never answered.

        Runs before the archive's own ``spider_closed``, which commits the
        staged state with the run's outcome.
        """
        if self.discoverer is not None:
            self.discoverer.close(reason)
        if self._listings is not None:
            self._listings.close()
        stats = self.crawler.stats
        assert stats is not None
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
