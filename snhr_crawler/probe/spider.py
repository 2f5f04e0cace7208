"""ProbeSpider: a polite first contact with one source's site, a budget of requests.

It archives nothing and follows nothing it was not asked to. In two rounds:

1. **the indexes**: robots.txt (its own copy, for the rules; Scrapy fetches
   another to obey them), the home page (listing markup, menus, theme), the
   sitemap robots.txt names (else Yoast's, else core's) with its first and last
   post sitemap and its category sitemap, ``/wp/v2/posts?per_page=1``
   (``X-WP-Total``), ``/wp/v2/categories`` and the feed;
2. once every index has answered: each seed the indexes did not confirm
   (does it answer 404?), and a sample of articles spread over the site's
   history (oldest to newest, from the sitemaps, the REST API, the feed and
   the home listing), each read by the source's own parser.

A request beyond ``budget`` is not sent; what it would have checked is named
in ``Findings.not_checked``. Everything goes through Scrapy with the
project's settings: robots.txt obeyed, its Crawl-delay honoured, one request
at a time per host, the identifying User-Agent.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from protego import Protego
from scrapy.http import Response, TextResponse

from snhr_crawler.base_spiders.news_spider import LAYERED_FIELDS, parse_arguments
from snhr_crawler.charset import decode_response
from snhr_crawler.discovery.categories import CategoryCatalog, page_category_links, rest_categories
from snhr_crawler.discovery.engine import REFUSALS
from snhr_crawler.discovery.parsers import (
    is_post_sitemap,
    parse_feed,
    parse_rest_page,
    parse_sitemap,
    robots_sitemaps,
    waf_marker,
)
from snhr_crawler.discovery.site import SitePaths
from snhr_crawler.exceptions import SpiderArgumentError
from snhr_crawler.probe.findings import Findings
from snhr_crawler.probe.pages import (
    ArticleFinding,
    charset_of,
    class_tokens,
    page_language,
    theme_of,
    today_widget,
)
from snhr_crawler.urls import url_date

logger = logging.getLogger(__name__)

DEFAULT_BUDGET = 20
DEFAULT_SAMPLE = 5
#: Statuses the probe wants to see itself (5xx come after the retries, as failures).
SEEN = [*REFUSALS, 304]


def spread(urls: list[str], count: int) -> list[str]:
    """``count`` of ``urls`` evenly spread from the oldest to the newest (by URL date).

    Permalinks only when there are enough: a ``?p=ID`` shortlink has no date
    to place it by, and costs a redirect.
    """
    dated = [url for url in dict.fromkeys(urls) if url_date(url)]
    pool = dated if len(dated) >= count else list(dict.fromkeys(urls))
    ordered = sorted(pool, key=lambda url: (url_date(url) or "", url))
    if len(ordered) <= count:
        return ordered
    if count == 1:
        return [ordered[-1]]
    step = (len(ordered) - 1) / (count - 1)
    return [ordered[round(i * step)] for i in range(count)]


class ProbeSpider(scrapy.Spider):
    """Fills one source's :class:`Findings` (see the module docstring)."""

    name = "snhr_probe"

    def __init__(
        self,
        *,
        source_cls: Any,
        findings: Findings,
        origin: str = "",
        sample: int = DEFAULT_SAMPLE,
        budget: int = DEFAULT_BUDGET,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        # The source's own spider, never started: its parser, listing hooks and seeds.
        self.source = source_cls()
        self.source.apply_arguments(parse_arguments({"origin": origin} if origin else {}))
        # ``site_origin``: what the same-site redirect guard asks every spider for.
        self.origin = self.site_origin = self.source.site_origin
        self.paths = SitePaths.for_spider(self.source)
        self.findings = findings
        findings.public = self.origin.public
        findings.fetch = self.origin.fetch_origin
        findings.site_path = self.paths.site_path
        findings.language = self.source.language
        findings.catalog = self.catalog = CategoryCatalog(self.paths)
        try:
            self.seed_urls = [self.origin.to_public(u) for u in self.source.site.seed_urls()]
        except SpiderArgumentError:
            self.seed_urls = []
        self.sample = sample
        self.budget = budget
        hosts = {self.origin.public_host, urlsplit(self.origin.fetch_origin).hostname or ""}
        self.allowed_domains = sorted(host for host in hosts if host)
        self.pending = 0  # first-round requests not answered yet
        self.second_round = False
        self.candidates: list[str] = []  # article URLs the indexes listed
        self.sitemap_steps: list[str] = []
        self.robots_rules: Protego | None = None
        self.agent = ""

    # -- requests, within the budget ----------------------------------------------------
    def _get(self, url: str, callback: Any, what: str, **cb_kwargs: Any) -> scrapy.Request | None:
        if self.findings.requests >= self.budget:
            self.findings.not_checked.append(what)
            return None
        self.findings.requests += 1
        if not self.second_round:
            self.pending += 1
        return scrapy.Request(
            url,
            callback=callback,
            errback=self.failed,
            cb_kwargs=cb_kwargs,
            meta={
                "handle_httpstatus_list": SEEN,
                "probe_what": what,
                "probe_round": 2 if self.second_round else 1,
                # Its own robots.txt copy is read, not obeyed (Scrapy fetches one to obey).
                "dont_obey_robotstxt": url == self.paths.robots,
            },
            dont_filter=True,
            priority=0 if self.second_round else 10,  # the indexes decide the second round
        )

    def _answered(self) -> Iterator[Any]:
        """After each first-round answer: when the last one is in, start the second round."""
        if self.second_round:
            return
        self.pending -= 1
        if self.pending <= 0:
            self.second_round = True
            yield from self._second_round()

    async def start(self) -> Any:
        self.agent = self.settings.get("ROBOTSTXT_USER_AGENT") or self.settings.get("USER_AGENT")
        for request in (
            self._get(self.paths.robots, self.parse_robots, "robots.txt"),
            self._get(self.paths.base, self.parse_home, "the home page"),
            self._get(self.paths.rest_posts(1, per_page=1), self.parse_rest, "the REST API"),
            self._get(self.paths.rest_categories(), self.parse_categories, "REST categories"),
            self._get(self.paths.feed(), self.parse_feed, "the feed"),
        ):
            if request is not None:
                yield request

    def failed(self, failure: Any) -> Iterator[Any]:
        request = failure.request
        what = request.meta.get("probe_what", request.url)
        why = failure.getErrorMessage() or failure.type.__name__
        logger.info("probe %s: %s failed: %s", self.findings.source, what, why)
        handler = getattr(self, f"failed_{request.callback.__name__}", None)
        if handler is not None:
            yield from handler(request, why)
        if request.meta.get("probe_round") == 1:
            yield from self._answered()

    # -- robots.txt ------------------------------------------------------------------------
    def parse_robots(self, response: Response) -> Iterator[Any]:
        robots = self.findings.robots
        robots["status"] = response.status
        text = (
            response.text if isinstance(response, TextResponse) and response.status == 200 else ""
        )
        if response.status == 200:
            self.robots_rules = Protego.parse(text)
            robots["rules"] = [
                line.strip()
                for line in text.splitlines()
                if line.split(":", 1)[0].strip().lower()
                in ("user-agent", "disallow", "allow", "crawl-delay")
            ][:30]
            delay = self.robots_rules.crawl_delay(self.agent)
            robots["crawl_delay"] = float(delay) if delay is not None else None
            named = robots_sitemaps(response.body, base_url=response.url)
            robots["sitemaps"] = [self.origin.to_public(url) for url in named]
            ours = [
                self.origin.to_fetch(u)
                for u in named
                if self.paths.in_site_dir(self.origin.to_fetch(u))
            ]
        else:
            ours = []
        self.sitemap_steps = list(
            dict.fromkeys([*ours, self.paths.yoast_index, self.paths.core_index])
        )
        self.findings.sitemaps["named"] = False
        self._named = set(ours)
        yield from self._next_sitemap()
        yield from self._answered()

    def failed_parse_robots(self, request: scrapy.Request, why: str) -> Iterator[Any]:
        self.findings.robots["error"] = why
        self.sitemap_steps = [self.paths.yoast_index, self.paths.core_index]
        self._named = set()
        yield from self._next_sitemap()

    # -- sitemaps --------------------------------------------------------------------------
    def _next_sitemap(self) -> Iterator[Any]:
        while self.sitemap_steps:
            url = self.sitemap_steps.pop(0)
            request = self._get(url, self.parse_sitemap_index, "sitemaps")
            if request is not None:
                yield request
            return

    def parse_sitemap_index(self, response: Response) -> Iterator[Any]:
        tried = self.findings.sitemaps.setdefault("tried", [])
        why = _bad(response)
        doc = None if why else parse_sitemap(response.body)
        public = self.origin.to_public(response.url)
        if doc is None:
            tried.append({"url": public, "answer": why or "not a sitemap"})
            yield from self._next_sitemap()
            yield from self._answered()
            return
        sitemaps = self.findings.sitemaps
        sitemaps.update(index=public, named=response.url in self._named, kind=doc.kind)
        if doc.kind == "urlset":
            sitemaps.update(files=1, fetched=1, urls=self._count_urls(doc), exact=True)
        else:
            children = [self.origin.to_fetch(entry.loc) for entry in doc.entries]
            posts = [url for url in children if is_post_sitemap(url) is not False]
            taxonomy = [
                url for url in children if is_post_sitemap(url) is False and "categor" in url
            ]
            sitemaps.update(files=len(posts), fetched=0, urls=0, exact=len(posts) <= 2)
            picked = [posts[0], posts[-1]] if len(posts) > 1 else posts
            for position, url in zip(("first", "last"), picked, strict=False):
                request = self._get(
                    url,
                    self.parse_post_sitemap,
                    "post sitemaps",
                    position=position,
                    total=len(posts),
                )
                if request is not None:
                    yield request
            for url in taxonomy[:1]:
                sitemaps["category_sitemap"] = self.origin.to_public(url)
                request = self._get(url, self.parse_category_sitemap, "the category sitemap")
                if request is not None:
                    yield request
        yield from self._answered()

    def failed_parse_sitemap_index(self, request: scrapy.Request, why: str) -> Iterator[Any]:
        self.findings.sitemaps.setdefault("tried", []).append(
            {"url": self.origin.to_public(request.url), "answer": why}
        )
        yield from self._next_sitemap()

    def _count_urls(self, doc: Any) -> int:
        count = 0
        for entry in doc.entries:
            public = self.origin.to_public(entry.loc)
            if self.paths.is_post_url(public):
                count += 1
                self.candidates.append(public)
        return count

    def parse_post_sitemap(self, response: Response, position: str, total: int) -> Iterator[Any]:
        doc = None if _bad(response) else parse_sitemap(response.body)
        sitemaps = self.findings.sitemaps
        if doc is not None and doc.kind == "urlset":
            count = self._count_urls(doc)
            sitemaps["fetched"] += 1
            sitemaps[f"{position}_file_urls"] = count
            first = sitemaps.get("first_file_urls", 0)
            last = sitemaps.get("last_file_urls", 0)
            # Yoast and core fill every file but the last to the same size.
            sitemaps["urls"] = first * (total - 1) + last if total > 1 else count
        yield from self._answered()

    def parse_category_sitemap(self, response: Response) -> Iterator[Any]:
        doc = None if _bad(response) else parse_sitemap(response.body)
        if doc is not None:
            for entry in doc.entries:
                self.catalog.add(entry.loc, "sitemap")
        yield from self._answered()

    # -- REST, the feed ---------------------------------------------------------------------
    def parse_rest(self, response: Response) -> Iterator[Any]:
        rest = self.findings.rest
        rest["status"] = response.status
        why = _bad(response)
        parsed = None
        if why is None:
            try:
                parsed = parse_rest_page(response.json(), response.headers)  # type: ignore[attr-defined]
            except (AttributeError, ValueError):
                parsed = None
            why = None if parsed is not None else "not a REST posts list"
        rest["ok"] = parsed is not None
        if parsed is not None:
            rest["total"] = parsed.total
            for post in parsed.posts:
                if self.paths.is_post_url(public := self.origin.to_public(post.link)):
                    self.candidates.append(public)
        else:
            rest["why"] = why
        yield from self._answered()

    def failed_parse_rest(self, request: scrapy.Request, why: str) -> Iterator[Any]:
        self.findings.rest.update(ok=False, why=why)
        return iter(())

    def parse_categories(self, response: Response) -> Iterator[Any]:
        found = None
        if response.status == 200:
            try:
                found = rest_categories(response.json())  # type: ignore[attr-defined]
            except (AttributeError, ValueError):
                found = None
        self.findings.rest["categories_status"] = response.status
        for raw in found or []:
            self.catalog.add(raw["link"], "rest", name=raw["name"], count=raw["count"])
        yield from self._answered()

    def parse_feed(self, response: Response) -> Iterator[Any]:
        feed = self.findings.feed
        feed["status"] = response.status
        why = _bad(response)
        items = None if why else parse_feed(response.body)
        feed["ok"] = items is not None
        if items is not None:
            feed["items"] = len(items)
            modified = response.headers.get(b"Last-Modified")
            feed["last_modified"] = modified.decode("latin-1") if modified else None
            for item in items:
                if self.paths.is_post_url(public := self.origin.to_public(item.link)):
                    self.candidates.append(public)
        else:
            feed["why"] = why or "not a feed"
        yield from self._answered()

    def failed_parse_feed(self, request: scrapy.Request, why: str) -> Iterator[Any]:
        self.findings.feed.update(ok=False, why=why)
        return iter(())

    # -- the home page -------------------------------------------------------------------------
    def parse_home(self, response: Response) -> Iterator[Any]:
        home = self.findings.home
        home["status"] = response.status
        if response.status == 200 and isinstance(response, TextResponse):
            items = self.source.listing_items(response)
            home["items"] = len(items)
            home["next_page"] = bool(self.source.next_page(response, 1))
            home["theme"] = theme_of(class_tokens(response))
            for href, text, via in page_category_links(response, response.url):
                self.catalog.add(href, via, name=text or None)
            for href, _ in items:
                public = self.origin.to_public(response.urljoin(href))
                if self.paths.is_post_url(public):
                    self.candidates.append(public)
        yield from self._answered()

    # -- the second round: seeds and articles -------------------------------------------------
    def _second_round(self) -> Iterator[Any]:
        check = self.catalog.check_seeds(self.seed_urls)
        for url in self.seed_urls:
            entry: dict[str, Any] = {"url": url}
            self.findings.seeds.append(entry)
            if url in check.confirmed:
                entry["state"] = "confirmed"
                continue
            request = self._get(self.origin.to_fetch(url), self.parse_seed, "seeds", entry=entry)
            entry["state"] = "not checked" if request is None else "fetched"
            if request is not None:
                yield request
        self._check_robots()
        for url in spread(self.candidates, self.sample):
            finding = ArticleFinding(url=url)
            self.findings.articles.append(finding)
            request = self._get(
                self.origin.to_fetch(url), self.parse_article, "articles", finding=finding
            )
            if request is None:
                finding.note = "not fetched (request budget)"
            else:
                yield request

    def _check_robots(self) -> None:
        if self.robots_rules is None:
            return
        forbidden = []
        wanted = [("the home listing", self.origin.to_public(self.paths.base))]
        wanted += [(f"the seed {url}", url) for url in self.seed_urls]
        wanted += [(f"the article {url}", url) for url in spread(self.candidates, self.sample)]
        for what, public in wanted:
            if not self.robots_rules.can_fetch(self.origin.to_fetch(public), self.agent):
                forbidden.append(what)
        self.findings.robots["forbidden"] = forbidden

    def parse_seed(self, response: Response, entry: dict[str, Any]) -> None:
        entry["status"] = response.status
        if response.status == 200:
            entry["state"] = "answers"
        elif response.status in (404, 410):
            entry["state"] = "missing"
            successor = self.catalog.likely_successor(entry["url"])
            entry["successor"] = (
                {"url": successor.url, "name": successor.name} if successor else None
            )
        else:
            entry["state"] = f"HTTP {response.status}"

    def failed_parse_seed(self, request: scrapy.Request, why: str) -> Iterator[Any]:
        request.cb_kwargs["entry"].update(state="failed", error=why)
        return iter(())

    def parse_article(self, response: Response, finding: ArticleFinding) -> None:
        finding.status = response.status
        if response.status != 200 or not isinstance(response, TextResponse):
            finding.note = f"HTTP {response.status}" if response.status != 200 else "not HTML"
            return
        language = self.source.language
        decoded = decode_response(response, language)
        finding.theme = theme_of(class_tokens(decoded))
        finding.today_widget = today_widget(decoded)
        finding.language = page_language(decoded)
        finding.charset = vars(charset_of(response, language))
        extracted = self.source.article_parser().parse(decoded.selector, decoded.url)
        finding.layers = {name: extracted.layers.get(name, "none") for name in LAYERED_FIELDS}
        finding.categories = list(extracted.fields.get("categories") or [])
        for href, text, _ in page_category_links(decoded, decoded.url, breadcrumbs=True):
            self.catalog.add(href, "breadcrumb", name=text or None)

    def failed_parse_article(self, request: scrapy.Request, why: str) -> Iterator[Any]:
        request.cb_kwargs["finding"].note = why
        return iter(())


def _bad(response: Response) -> str | None:
    """Why ``response`` is not the document asked for (None when it may be)."""
    if response.status != 200:
        return f"HTTP {response.status}"
    content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1").lower()
    if "html" in content_type and (marker := waf_marker(response.body)):
        return f"WAF/challenge page ({marker!r})"
    return None
