"""The discovery engine: turns a site's sitemaps, REST API or feed into article requests.

One :class:`Discoverer` per spider run. It holds a *chain* of steps and walks
it until one works:

=========  ==============================================================
mode       chain
=========  ==============================================================
listing    listing
sitemap    robots.txt ``Sitemap:`` lines, ``sitemap_index.xml`` (Yoast),
           ``wp-sitemap.xml`` (core), listing
rest       ``/wp-json/wp/v2/posts``, listing
feed       ``/feed/`` (paged with ``?paged=N``), listing
auto       the sitemap steps, REST, the feed (incremental runs only), listing
=========  ==============================================================

A step is *unavailable* when it answers anything but 200 (401, 403, 404 …),
fails outright (DNS, retries exhausted, forbidden by robots.txt), or answers
200 with something that is not the expected document (a WAF challenge, an
HTML error page). The engine then logs that once and moves on; no step can
fail the run. Once a step answers, the mode is *chosen* (logged once, stat
``snhr/discovery/mode``). If a chosen path breaks half-way (a child sitemap or
a later REST page fails), the listing walk runs as a safety net; Scrapy's
duplicate filter drops articles both paths request.

Every article request carries ``meta["discovered_by"]`` so the record says
which path found it; the article page itself is always fetched and parsed by
``parse_article``, so the record is the same whichever path found it.

Incremental runs skip posts the archive already has, unless the site says
they changed after the source's watermark; the spider's ``IncrementalPolicy``
(``snhr_crawler.archive.policy``) makes both calls and holds the state (see
:mod:`snhr_crawler.discovery.state`): REST asks
for ``modified_after=<watermark>``; sitemaps skip child files whose index
``lastmod`` is not newer and re-fetch archived URLs only when their
``lastmod`` is. The feed is asked with ``If-None-Match``/``If-Modified-Since``
(a 304 ends the run) and stops at the first page that holds an archived post.

Bounds (``snhr_crawler.bounds``, the spider's ``limits``): sitemap indexes
nest at most ``BOUND_SITEMAP_DEPTH`` deep, a run reads at most
``BOUND_SITEMAP_FILES`` sitemap files and ``BOUND_SITEMAP_URLS`` entries of
each, ``BOUND_REST_PAGES`` REST pages (asked for one after another, whatever
``X-WP-TotalPages`` claims) and ``BOUND_FEED_PAGES`` feed pages; every
document is read at most ``BOUND_DECODED_BYTES`` long, after decompression.
A bound that is hit breaks the chosen path (its watermarks do not move) and
the listing walk runs as well. Nothing off the source's own hosts and ports
is asked for: a robots.txt ``Sitemap:`` line or a child sitemap elsewhere is
skipped (``offsite``), and discovery falls back as if it were not there.
Article requests go through the spider's backlog (``offer_article``), so a
sitemap of 50,000 posts never sits in Scrapy's queue at once.

Stats (all ``snhr/discovery/...``): ``mode``, ``why`` (what answered, and
every step found unavailable before it, for the run report), ``unavailable/<step>``,
``fallback/listing``, ``robots/sitemaps``, ``sitemap/files``,
``sitemap/files_unchanged``, ``sitemap/urls``, ``sitemap/not_post``,
``rest/total``, ``rest/total_pages``, ``rest/pages``, ``feed/pages``,
``feed/items``, ``feed/not_modified``, ``offsite``, ``robots/offsite_sitemaps``,
``rest/bad_posts``, ``rejected_dates``, ``<mode>/requested``, ``<mode>/changed``, ``<mode>/not_post``,
``<mode>/skipped_since``; ``snhr/article/skipped/archived`` as the listing walk
counts it. At close, the site's own totals go to ``snhr/audit/site_total/rest``
and ``snhr/audit/site_total/sitemap`` for the run report.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import scrapy
from scrapy.http import Response

from snhr_crawler.base_spiders.failures import classify
from snhr_crawler.clock import utc_stamp
from snhr_crawler.discovery.parsers import (
    DocumentTooLarge,
    SitemapDoc,
    is_post_sitemap,
    parse_feed,
    parse_rest_page,
    parse_sitemap,
    robots_sitemaps,
    waf_marker,
)
from snhr_crawler.discovery.site import SitePaths
from snhr_crawler.urls import url_date

logger = logging.getLogger(__name__)

REST_PER_PAGE = 100
#: Answers that mean "not here" (or "past the last page") rather than "broken".
REFUSALS = (400, 401, 403, 404, 405, 406, 410, 451)
#: Steps of the sitemap family, in probe order (robots.txt first: it names the real one).
SITEMAP_STEPS = ("robots", "sitemap:yoast", "sitemap:core")


@dataclass(frozen=True)
class Step:
    """One thing to try: ``kind`` is robots|sitemap|rest|feed|listing."""

    kind: str
    url: str = ""

    @property
    def label(self) -> str:
        return f"{self.kind} {self.url}".strip()


def chain_for(mode: str, *, incremental: bool) -> list[str]:
    """The step names tried for ``mode``, cheapest first, listing always last."""
    if mode == "listing":
        return ["listing"]
    if mode == "sitemap":
        return [*SITEMAP_STEPS, "listing"]
    if mode == "rest":
        return ["rest", "listing"]
    if mode == "feed":
        return ["feed", "listing"]
    # auto: sitemaps list 1000 posts a request, REST 100, listings 10. The feed
    # only shows the newest posts, so it is worth trying only when the archive
    # already has the rest.
    return [*SITEMAP_STEPS, "rest", *(["feed"] if incremental else []), "listing"]


class Discoverer:
    """Runs one spider's discovery; the spider forwards its entry points here.

    The spider must provide (``NewsSpider`` does): ``name``, ``discovery``,
    ``since``, ``site_origin``, ``crawler``, ``policy`` (an
    ``IncrementalPolicy``), ``inc_stat``, ``article_request(public,
    discovered_by=...)``, ``listing_requests()`` and the two entry points
    ``parse_discovery`` / ``discovery_failed`` that call :meth:`handle` /
    :meth:`failed`. The spider calls :meth:`close` when it closes.
    """

    def __init__(self, spider: Any) -> None:
        self.spider = spider
        self.mode: str = getattr(spider, "discovery", "listing") or "listing"
        self.paths = SitePaths.for_spider(spider)
        self.policy = spider.policy
        self.incremental = self.policy.incremental
        self.state = self.policy.state
        self.use_watermarks = self.policy.use_watermarks
        self.steps: list[Step] = [
            self._step(name) for name in chain_for(self.mode, incremental=self.policy.has_history)
        ]
        remembered = self.state.endpoints.get("sitemap")
        if self.incremental and remembered and any(s.kind == "robots" for s in self.steps):
            # The sitemap that answered last time, before re-reading robots.txt.
            self.steps.insert(0, Step("sitemap", spider.site_origin.to_fetch(remembered)))
        self.tried: set[str] = set()
        #: "<step>: <why>" of each step found unavailable, for the run report's "why".
        self.skipped: list[str] = []
        self.robots_named: set[str] = set()
        self.chosen: str | None = None
        self.listing_started = False
        self.seen_modified: dict[str, datetime] = {}
        self.site_totals: dict[str, int] = {}
        self.sitemap_urls = 0
        self.broken = False  # a chosen path failed half-way: do not advance watermarks
        self.feed_seen: set[str] = set()
        self.sitemap_root: str | None = None
        self.sitemap_partial = False  # unchanged child sitemaps skipped: URL count incomplete
        self.feed_validators: dict[str, str] | None = None  # page 1's ETag/Last-Modified
        self.limits = spider.limits
        self.sitemap_files = 0  # sitemap files asked for this run
        self.feed_pages = 0

    # --- chain -----------------------------------------------------------------------
    def _step(self, name: str) -> Step:
        if name == "sitemap:yoast":
            return Step("sitemap", self.paths.yoast_index)
        if name == "sitemap:core":
            return Step("sitemap", self.paths.core_index)
        if name == "rest":
            return Step("rest", self._rest_url(1))
        if name == "feed":
            return Step("feed", self.paths.feed(1))
        if name == "robots":
            return Step("robots", self.paths.robots)
        return Step("listing")

    def start_requests(self) -> Iterator[Any]:
        logger.info(
            "%s: discovery=%s, trying %s",
            self.spider.name,
            self.mode,
            " → ".join(step.kind if step.kind != "sitemap" else step.url for step in self.steps),
        )
        yield from self._next()

    def _next(self) -> Iterator[Any]:
        """Start the next step of the chain."""
        while self.steps:
            step = self.steps.pop(0)
            if step.url and step.url in self.tried:
                continue
            self.tried.add(step.url)
            if step.kind == "listing":
                yield from self._listing("the other discovery paths were unavailable")
                return
            yield self._probe(step)
            return

    def _unavailable(self, step: Step, why: str) -> Iterator[Any]:
        self.spider.inc_stat(f"snhr/discovery/unavailable/{step.kind}")
        self.skipped.append(f"{step.kind} {self._short(step.url)}: {why}".replace("  ", " "))
        following = self.steps[0].label if self.steps else "nothing"
        logger.info(
            "%s: %s unavailable (%s); next: %s", self.spider.name, step.label, why, following
        )
        yield from self._next()

    def _choose(self, mode: str, url: str) -> None:
        if self.chosen is None:
            self.chosen = mode
            assert self.spider.crawler.stats is not None
            self.spider.crawler.stats.set_value("snhr/discovery/mode", mode)
            self.spider.crawler.stats.set_value("snhr/discovery/why", self._why(mode, url))
            logger.info("%s: discovering articles via %s (%s)", self.spider.name, mode, url)

    def _why(self, mode: str, url: str) -> str:
        """Why ``mode`` serves this run: what answered, and what was tried before it."""
        asked = f"discovery={self.mode}"
        if mode == "listing":
            found = "category listings" if self.mode == "listing" else "listings (the last resort)"
        else:
            named = " (named in robots.txt)" if url in self.robots_named else ""
            found = f"{self._short(url)} answered{named}"
        before = f"; unavailable before it: {'; '.join(self.skipped)}" if self.skipped else ""
        return f"{asked}: {found}{before}"

    def _short(self, url: str) -> str:
        """A step's URL for people: public, without the query."""
        return self.spider.site_origin.to_public(url).split("?", 1)[0] if url else ""

    def _listing(self, why: str) -> Iterator[Any]:
        if self.listing_started:
            return
        self.listing_started = True
        if self.chosen is None:
            self._choose("listing", "category listings")
            if self.mode != "listing":
                logger.info("%s: falling back to listings: %s", self.spider.name, why)
        else:
            self.spider.inc_stat("snhr/discovery/fallback/listing")
            logger.warning("%s: %s; walking listings as well", self.spider.name, why)
        yield from self.spider.listing_requests()

    def _broken(self, why: str) -> Iterator[Any]:
        """A chosen path failed half-way: keep what it found, add the listing walk."""
        self.broken = True
        self.steps = []
        yield from self._listing(why)

    def _probe(self, step: Step, **cb_kwargs: Any) -> scrapy.Request:
        headers = {}
        refusals = list(REFUSALS)
        if step.kind == "feed" and cb_kwargs.get("page", 1) == 1 and self.use_watermarks:
            # Conditional GET: WordPress answers 304 when the feed has not changed.
            if etag := self.state.validators.get("feed_etag"):
                headers["If-None-Match"] = etag
            if modified := self.state.validators.get("feed_last_modified"):
                headers["If-Modified-Since"] = modified
            refusals.append(304)
        return scrapy.Request(
            step.url,
            headers=headers or None,
            callback=self.spider.parse_discovery,
            errback=self.spider.discovery_failed,
            cb_kwargs={"step": step.kind, **cb_kwargs},
            # The refusals come to the callback; redirects are still followed
            # (``handle_httpstatus_all`` would stop that) and 5xx left after
            # the retries reach ``discovery_failed``.
            meta={
                "handle_httpstatus_list": refusals,
                "discovery_step": step,
                # Raw and (Scrapy's decompression) inflated: no document past the bound.
                "download_maxsize": self.limits.bounds.decoded_bytes,
            },
            dont_filter=step.kind in ("robots",),
            priority=10,  # discovery pages before articles: they decide what comes next
        )

    # --- entry points ------------------------------------------------------------------
    def handle(self, response: Response, step: str, **kwargs: Any) -> Iterator[Any]:
        """Callback of every discovery request (``kwargs``: page numbers, child flags)."""
        current: Step = response.meta.get("discovery_step") or Step(step, response.url)
        handler = getattr(self, f"_on_{step}")
        yield from handler(response, current, **kwargs)

    def failed(self, failure: Any) -> Iterator[Any]:
        """Errback: the step could not be fetched at all."""
        request = failure.request
        current: Step = request.meta.get("discovery_step") or Step("?", request.url)
        why = failure.getErrorMessage() or failure.type.__name__
        kwargs = request.cb_kwargs or {}
        if classify(failure).reason == "too_large":
            self.limits.hit("decoded_bytes", request.url, why)
            yield from self._broken(f"{current.label} is larger than the bound ({why})")
            return
        if self._mid_walk(kwargs):
            yield from self._broken(f"{current.label} failed ({why})")
            return
        yield from self._unavailable(current, why)

    @staticmethod
    def _mid_walk(kwargs: dict[str, Any]) -> bool:
        return bool(kwargs.get("child")) or kwargs.get("page", 1) > 1

    @staticmethod
    def _bad_answer(response: Response) -> str | None:
        """Why ``response`` cannot be the document asked for, or None when it may be.

        The parsers make the final call (a 200 HTML page is never a sitemap);
        this only names the common reasons for the log.
        """
        if response.status != 200:
            return f"HTTP {response.status}"
        content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1").lower()
        marker = waf_marker(response.body) if "html" in content_type else None
        if marker:
            return f"WAF/challenge page ({marker!r})"
        return None

    # --- robots.txt ----------------------------------------------------------------------
    def _on_robots(self, response: Response, current: Step) -> Iterator[Any]:
        if response.status != 200:
            yield from self._unavailable(current, f"HTTP {response.status}")
            return
        named = robots_sitemaps(response.body, base_url=response.url)
        ours = []
        for url in named:
            fetch = self.spider.site_origin.to_fetch(url)
            if not self.spider.site_origin.serves(fetch):
                # Another host or port: not this source's, whatever robots.txt says.
                self.spider.inc_stat("snhr/discovery/robots/offsite_sitemaps")
                logger.warning(
                    "%s: ignoring robots.txt Sitemap off the source: %s", self.spider.name, url
                )
                continue
            if self.paths.in_site_dir(fetch) and fetch not in ours:
                ours.append(fetch)
        self.spider.inc_stat("snhr/discovery/robots/sitemaps", len(ours))
        self.robots_named.update(ours)
        if ours:
            logger.info("%s: robots.txt names sitemaps %s", self.spider.name, ", ".join(ours))
            # Probe what robots.txt names first; drop the guessed URLs it already covers.
            self.steps = [Step("sitemap", url) for url in ours] + [
                s for s in self.steps if not (s.kind == "sitemap" and s.url in ours)
            ]
        yield from self._next()

    # --- sitemaps ------------------------------------------------------------------------
    def _on_sitemap(
        self, response: Response, current: Step, child: bool = False, depth: int = 0
    ) -> Iterator[Any]:
        why = self._bad_answer(response)
        bounds = self.limits.bounds
        doc: SitemapDoc | None = None
        if why is None:
            try:
                doc = parse_sitemap(
                    response.body,
                    max_bytes=bounds.decoded_bytes,
                    max_entries=bounds.sitemap_urls,
                    raise_too_large=True,
                )
            except DocumentTooLarge as exc:
                self.limits.hit("decoded_bytes", response.url, str(exc))
                yield from self._broken(f"sitemap {response.url} {exc}")
                return
        if doc is None:
            why = why or "not a sitemap"
            if child:
                yield from self._broken(f"child sitemap {response.url} unusable ({why})")
            else:
                yield from self._unavailable(current, why)
            return
        if not child:
            self._choose("sitemap", response.url)
            self.steps = []
            self.sitemap_root = self.spider.site_origin.to_public(response.url)
        self.spider.inc_stat("snhr/discovery/sitemap/files")
        if doc.rejected_dates:
            self.spider.inc_stat("snhr/discovery/rejected_dates", doc.rejected_dates)
        if doc.cut:
            self.limits.hit("sitemap_urls", response.url, f"over {bounds.sitemap_urls} entries")
            self.broken = True  # the entries past the bound were not seen: no watermark
        if doc.kind == "sitemapindex":
            yield from self._sitemap_children(doc, response.url, depth)
        else:
            yield from self._sitemap_urls(doc)

    def _sitemap_children(self, doc: SitemapDoc, index_url: str, depth: int) -> Iterator[Any]:
        watermark = self.policy.watermark("sitemap")
        bounds = self.limits.bounds
        if depth >= bounds.sitemap_depth:
            self.limits.hit("sitemap_depth", index_url, f"indexes {depth + 1} deep")
            yield from self._broken(f"sitemap indexes nest deeper than {bounds.sitemap_depth}")
            return
        offsite = asked = 0
        for entry in doc.entries:
            url = self.spider.site_origin.to_fetch(entry.loc)
            if not self.spider.site_origin.serves(url):
                offsite += 1
                self.spider.inc_stat("snhr/discovery/offsite")
                logger.warning(
                    "%s: not following a child sitemap off the source: %s", self.spider.name, url
                )
                continue
            if is_post_sitemap(url) is False:
                continue
            if entry.lastmod is not None:
                self._saw("sitemap", entry.lastmod)
            if watermark is not None and entry.lastmod is not None and entry.lastmod <= watermark:
                self.spider.inc_stat("snhr/discovery/sitemap/files_unchanged")
                self.sitemap_partial = True
                continue
            if self.sitemap_files >= bounds.sitemap_files:
                self.limits.hit("sitemap_files", url, f"{bounds.sitemap_files} sitemap files")
                yield from self._broken(f"more than {bounds.sitemap_files} sitemap files")
                return
            self.sitemap_files += 1
            asked += 1
            yield self._probe(Step("sitemap", url), child=True, depth=depth + 1)
        if offsite and not asked:
            # An index of nothing this source serves: garbage, so the listings do the work.
            yield from self._broken(f"sitemap index {index_url} names only other hosts")

    def _sitemap_urls(self, doc: SitemapDoc) -> Iterator[Any]:
        for entry in doc.entries:
            public = self.spider.site_origin.to_public(entry.loc)
            if not self.paths.is_post_url(public):
                self.spider.inc_stat("snhr/discovery/sitemap/not_post")
                continue
            self.sitemap_urls += 1
            self.spider.inc_stat("snhr/discovery/sitemap/urls")
            if entry.lastmod is not None:
                self._saw("sitemap", entry.lastmod)
            yield from self._consider(
                "sitemap", public, post_id=None, modified=entry.lastmod, published=url_date(public)
            )

    # --- REST ----------------------------------------------------------------------------
    def _rest_url(self, page: int) -> str:
        watermark = self.policy.watermark("rest")
        after = None
        if self.spider.since is not None:
            # A day early: ``since`` is a site-local date, ``after`` compares GMT.
            after = datetime.combine(self.spider.since, datetime.min.time(), UTC) - timedelta(
                days=1
            )
        return self.paths.rest_posts(
            page, per_page=REST_PER_PAGE, modified_after=watermark, after=after
        )

    def _on_rest(self, response: Response, current: Step, page: int = 1) -> Iterator[Any]:
        why = self._bad_answer(response)
        parsed = None
        if why is None:
            try:
                parsed = parse_rest_page(response.json(), response.headers)  # type: ignore[attr-defined]
            except (AttributeError, ValueError):
                parsed = None
            why = None if parsed is not None else "not a REST posts list"
        if parsed is None:
            if page > 1:
                yield from self._broken(f"REST page {page} unusable ({why})")
            else:
                yield from self._unavailable(current, why or "unusable")
            return
        if parsed.bad_posts:
            self.spider.inc_stat("snhr/discovery/rest/bad_posts", parsed.bad_posts)
            logger.warning(
                "%s: %d REST entries are not posts: %s",
                self.spider.name,
                parsed.bad_posts,
                response.url,
            )
        if parsed.rejected_dates:
            self.spider.inc_stat("snhr/discovery/rejected_dates", parsed.rejected_dates)
        if page == 1:
            self._choose("rest", response.url)
            self.steps = []
            assert self.spider.crawler.stats is not None
            if parsed.total is not None:
                self.spider.crawler.stats.set_value("snhr/discovery/rest/total", parsed.total)
                if "after=" not in response.url:
                    # Unfiltered (no since, no watermark): the site's own post count.
                    self.site_totals["rest"] = parsed.total
            if parsed.total_pages is not None:
                self.spider.crawler.stats.set_value(
                    "snhr/discovery/rest/total_pages", parsed.total_pages
                )
        self.spider.inc_stat("snhr/discovery/rest/pages")
        watermark = self.policy.watermark("rest")
        for post in parsed.posts:
            if post.modified_gmt is not None:
                self._saw("rest", post.modified_gmt)
            public = self.spider.site_origin.to_public(post.link)
            if not self.paths.is_post_url(public):
                self.spider.inc_stat("snhr/discovery/rest/not_post")
                continue
            yield from self._consider(
                "rest",
                public,
                post_id=post.post_id,
                modified=post.modified_gmt,
                published=url_date(public) or (post.date or "")[:10] or None,
            )
        total_pages = parsed.total_pages or (
            page + 1 if len(parsed.posts) + parsed.bad_posts >= REST_PER_PAGE else page
        )
        if page >= total_pages or not parsed.posts:
            return
        if watermark is not None:
            # Newest modification first: once a page ends at or below the
            # watermark, later pages hold nothing new (even if the server
            # ignored ``modified_after``).
            last = parsed.posts[-1].modified_gmt
            if last is not None and last <= watermark:
                return
        # One page after another, whatever X-WP-TotalPages claims: the next is asked
        # for once this one answered, and never past the bound.
        bound = self.limits.bounds.rest_pages
        if page >= bound:
            self.limits.hit("rest_pages", response.url, f"the site says {total_pages} pages")
            yield from self._broken(f"REST claims {total_pages} pages, more than {bound}")
            return
        yield self._probe(Step("rest", self._rest_url(page + 1)), page=page + 1)

    # --- feed ----------------------------------------------------------------------------
    def _on_feed(self, response: Response, current: Step, page: int = 1) -> Iterator[Any]:
        if response.status == 304 and page == 1:
            self._choose("feed", response.url)
            self.steps = []
            self.spider.inc_stat("snhr/discovery/feed/not_modified")
            logger.info("%s: the feed has not changed since the last run", self.spider.name)
            return
        if page == 1 and response.status == 200:
            self.feed_validators = {
                key: value.decode("latin-1")
                for key, header in (
                    ("feed_etag", b"ETag"),
                    ("feed_last_modified", b"Last-Modified"),
                )
                if (value := response.headers.get(header))
            }
        why = self._bad_answer(response)
        if why is not None and page > 1 and response.status in (400, 404, 410):
            return  # WordPress answers 404 past the last feed page: the walk is complete
        items = None if why else parse_feed(response.body)
        if items is None:
            if page > 1:
                yield from self._broken(f"feed page {page} unusable ({why or 'not a feed'})")
            else:
                yield from self._unavailable(current, why or "not a feed")
            return
        if page == 1:
            self._choose("feed", response.url)
            self.steps = []
        self.feed_pages += 1
        self.spider.inc_stat("snhr/discovery/feed/pages")
        self.spider.inc_stat("snhr/discovery/feed/items", len(items))
        links = {item.link for item in items}
        if page > 1 and links and links <= self.feed_seen:
            # ?paged= ignored: the feed repeats its first page. Listings finish the job.
            yield from self._broken("the feed does not page (?paged= repeats page 1)")
            return
        self.feed_seen |= links
        archived_seen = False
        for item in items:
            public = self.spider.site_origin.to_public(item.link)
            if not self.paths.is_post_url(public):
                self.spider.inc_stat("snhr/discovery/feed/not_post")
                continue
            published = item.published.date().isoformat() if item.published else None
            wanted = self._wanted(
                "feed",
                public,
                post_id=item.post_id,
                modified=None,
                published=url_date(public) or published,
            )
            if not wanted and self.incremental:
                archived_seen = True
            if wanted:
                meta = {"listed_post_id": item.post_id} if item.post_id is not None else {}
                yield from self.spider.offer_article(public, discovered_by="feed", **meta)
        if not items:
            return
        if self.incremental and archived_seen:
            return  # newest first: we have reached what the archive already holds
        oldest = min((i.published for i in items if i.published), default=None)
        if oldest is not None and self.policy.before_since(oldest.date().isoformat()):
            return
        if self.feed_pages >= self.limits.bounds.feed_pages:
            self.limits.hit("feed_pages", response.url, f"{self.feed_pages} feed pages")
            yield from self._broken(f"the feed pages on past {self.feed_pages} pages")
            return
        yield self._probe(Step("feed", self.paths.feed(page + 1)), page=page + 1)

    # --- candidates ----------------------------------------------------------------------
    def _saw(self, mode: str, moment: datetime) -> None:
        current = self.seen_modified.get(mode)
        if current is None or moment > current:
            self.seen_modified[mode] = moment

    def _consider(
        self,
        mode: str,
        public: str,
        *,
        post_id: int | None,
        modified: datetime | None,
        published: str | None,
    ) -> Iterator[scrapy.Request]:
        """The article request for a listed post (through the backlog), or nothing when skipped."""
        if self._wanted(mode, public, post_id=post_id, modified=modified, published=published):
            meta = {"listed_post_id": post_id} if post_id is not None else {}
            yield from self.spider.offer_article(public, discovered_by=mode, **meta)

    def _wanted(
        self,
        mode: str,
        public: str,
        *,
        post_id: int | None,
        modified: datetime | None,
        published: str | None,
    ) -> bool:
        """Whether a listed post is to be fetched (outside ``since``, or known and unchanged: not)."""
        spider = self.spider
        if self.policy.before_since(published):
            spider.inc_stat(f"snhr/discovery/{mode}/skipped_since")
            return False
        if self.policy.known(post_id=post_id, url=public):
            if not self.policy.changed_after_watermark(mode, modified):
                spider.inc_stat("snhr/article/skipped/archived")
                return False
            spider.inc_stat(f"snhr/discovery/{mode}/changed")
        spider.inc_stat(f"snhr/discovery/{mode}/requested")
        return True

    # --- close -----------------------------------------------------------------------------
    def close(self, reason: str) -> None:
        """At the spider's close: the site's totals into the stats, the state to the policy."""
        stats = self.spider.crawler.stats
        if self.sitemap_urls and not self.sitemap_partial and not self.broken:
            self.site_totals["sitemap"] = self.sitemap_urls
        for via, total in self.site_totals.items():
            if stats is not None:
                stats.set_value(f"snhr/audit/site_total/{via}", total)
        if self.policy.archive is None:
            return  # nothing was archived, so there is no state to keep
        failed = stats.get_value("snhr/article/failed", 0) if stats is not None else 0
        if not self.policy.may_advance_watermarks(
            reason, failed_articles=failed, broken=self.broken
        ):
            logger.info(
                "%s: discovery state not advanced (reason=%s, failed articles=%s, broken=%s)",
                self.spider.name,
                reason,
                failed,
                self.broken,
            )
            return
        state = self.state
        state.last_run = utc_stamp()
        state.mode = self.chosen
        if self.chosen in ("rest", "sitemap") and self.spider.since is None:
            # A watermark only means "archived up to here" when the whole index was read.
            state.advance(self.chosen, self.seen_modified.get(self.chosen))
        state.site_totals.update(self.site_totals)
        if self.sitemap_root:
            state.endpoints["sitemap"] = self.sitemap_root
        if self.chosen == "feed" and self.feed_validators is not None:
            state.validators = self.feed_validators
        self.policy.save_state(state)
