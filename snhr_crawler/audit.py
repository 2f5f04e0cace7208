"""Completeness audit: what the site says it has, against what the archive holds.

``snhr-crawler audit [SOURCE ...] [--archive DIR] [--origin SOURCE=URL]``
asks each site for its own inventory and compares it with the archive:

* the REST API: ``X-WP-Total`` and every post's id, link, date and
  categories (``/wp-json/wp/v2/posts``), category names (``/categories``);
* the sitemaps (robots.txt ``Sitemap:`` lines, else ``sitemap_index.xml``,
  else ``wp-sitemap.xml``): every post URL;
* the category listings of the spider's seeds: page 1 only, whose
  ``a.last`` page count × items per page estimates the listing's size.

Whatever answers is used (each is optional; a 401/403/404 or a WAF page is
noted, not fatal). A post the site lists that the archive lacks is printed by
URL; counts are broken down by month (the URL's publication date) and, when
REST answers, by category.

The inventory is fetched with Scrapy (project settings, so robots.txt and
politeness apply) in one ``CrawlerProcess``; :func:`run_audit` can therefore
be called once per process (Twisted's reactor does not restart).

Outputs: the printed report, and ``<archive>/state/audit-<source>.json`` with
the same figures (:meth:`AuditReport.to_dict`) for the run report to include.
Exit status of the command: 0 when nothing is missing, 1 when the site lists
posts the archive lacks, 2 for usage errors.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.http import Response, TextResponse
from scrapy.spiderloader import get_spider_loader
from scrapy.utils.project import get_project_settings

from snhr_crawler.archive.paths import resolve_archive_dir
from snhr_crawler.archive.reader import latest_records
from snhr_crawler.base_spiders.news_spider import read_seeds
from snhr_crawler.discovery.engine import REFUSALS
from snhr_crawler.discovery.parsers import (
    is_post_sitemap,
    parse_rest_page,
    parse_sitemap,
    robots_sitemaps,
)
from snhr_crawler.discovery.site import SitePaths, derive_site_path, normalise_site_path
from snhr_crawler.discovery.state import STATE_DIR
from snhr_crawler.urls import Origin, canonical_url, url_date

logger = logging.getLogger(__name__)

#: Missing URLs printed per source before "… and N more" (the JSON has them all).
PRINT_LIMIT = 50


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
        self.origin = Origin(public=source_cls.public_origin, fetch=origin.rstrip("/"))
        seeds = [self.origin.to_fetch(url) for url in read_seeds(source_cls.name)]
        explicit = getattr(source_cls, "site_path", None)
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


# --- the comparison ----------------------------------------------------------------------


@dataclass
class AuditReport:
    source: str
    site_total: int | None
    site_total_via: str
    site_listed: int  # posts named by the site's indexes (what can be compared)
    archived: int  # live archived articles of the source
    archived_of_listed: int
    missing: list[str]  # site posts the archive lacks, by URL
    extra: list[str]  # archived posts no index names (deleted? other language?)
    by_month: dict[str, dict[str, int]]  # YYYY-MM -> {"site": n, "archived": m}
    by_category: dict[str, dict[str, int]]  # name -> {"site": n, "archived": m}
    listing_estimate: int | None  # pages × page size, summed over top-level seed listings
    listings: dict[str, dict[str, int]]  # per seed listing: pages, page_size
    rest_total: int | None
    sitemap_urls: int | None
    unavailable: dict[str, str]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def render(self) -> str:
        lines = [
            f"{self.source}: the site lists {self.site_total if self.site_total is not None else '?'}"
            f" posts ({self.site_total_via}); the archive has {self.archived_of_listed} of the"
            f" {self.site_listed} it names, {len(self.missing)} missing"
            + (f", {len(self.extra)} archived but not listed" if self.extra else ""),
            f"  figures: REST X-WP-Total={_fmt(self.rest_total)}, sitemap URLs={_fmt(self.sitemap_urls)},"
            f" listings ≈ {_fmt(self.listing_estimate)} (pages × page size), archived={self.archived}",
        ]
        if not self.site_listed:
            lines.append(
                "  no post-level index (REST, sitemap) answered: missing posts cannot be named;"
                " compare the listing estimate with the archived count"
            )
        if self.listings:
            lines.append("  listings (pages × page size): " + ", ".join(
                f"{urlsplit(url).path} {v['pages']}×{v['page_size']}"
                for url, v in self.listings.items()
            ))  # fmt: skip
        if self.missing:
            lines.append(f"  missing ({len(self.missing)}):")
            lines += [f"    {url}" for url in self.missing[:PRINT_LIMIT]]
            if len(self.missing) > PRINT_LIMIT:
                lines.append(f"    … and {len(self.missing) - PRINT_LIMIT} more (see the JSON)")
        gaps = {k: v for k, v in self.by_month.items() if v["site"] != v["archived"]}
        if gaps:
            lines.append("  months with gaps (site/archived): " + ", ".join(
                f"{month} {v['archived']}/{v['site']}" for month, v in sorted(gaps.items())
            ))  # fmt: skip
        cats = {k: v for k, v in self.by_category.items() if v["site"] != v["archived"]}
        if cats:
            lines.append("  categories with gaps (site/archived): " + ", ".join(
                f"{name} {v['archived']}/{v['site']}" for name, v in sorted(cats.items())
            ))  # fmt: skip
        if self.extra:
            lines.append(f"  archived but named by no index ({len(self.extra)}):")
            lines += [f"    {url}" for url in self.extra[:PRINT_LIMIT]]
        for url, why in sorted(self.unavailable.items()):
            lines.append(f"  unavailable: {url} ({why})")
        return "\n".join(lines)


def _fmt(value: int | None) -> str:
    return "n/a" if value is None else str(value)


def listing_estimate(listings: dict[str, dict[str, int]]) -> int | None:
    """Pages × page size summed over the listings no other listing contains.

    A parent category's archive also lists its children's posts, so a child
    listing (``…/category/news/casualties/`` under ``…/category/news/``) is
    left out of the sum; its own estimate stays in ``listings``.
    """
    if not listings:
        return None
    paths = {url: urlsplit(url).path for url in listings}
    top = [
        url
        for url, path in paths.items()
        if not any(other != path and path.startswith(other) for other in paths.values())
    ]
    return sum(listings[url]["pages"] * listings[url]["page_size"] for url in top)


def compare(inventory: Inventory, records: list[dict[str, Any]]) -> AuditReport:
    """The audit of one source: ``records`` are the archive's latest live records."""
    ids = {r["post_id"] for r in records if isinstance(r.get("post_id"), int)}
    urls = {canonical_url(r["url"]) for r in records if r.get("url")}

    def archived(post: SitePost) -> bool:
        return (post.post_id is not None and post.post_id in ids) or post.url in urls

    posts = sorted(inventory.posts.values(), key=lambda p: p.url)
    missing = [p.url for p in posts if not archived(p)]
    site_ids = {p.post_id for p in posts if p.post_id is not None}
    site_urls = {p.url for p in posts}
    extra = []
    if inventory.complete:
        extra = sorted(
            canonical_url(r["url"])
            for r in records
            if r.get("url")
            and canonical_url(r["url"]) not in site_urls
            and r.get("post_id") not in site_ids
        )
    month_site: Counter[str] = Counter()
    month_have: Counter[str] = Counter()
    cat_site: Counter[str] = Counter()
    cat_have: Counter[str] = Counter()
    for post in posts:
        month = post.month or "undated"
        month_site[month] += 1
        have = archived(post)
        month_have[month] += have
        for cat in post.categories:
            name = inventory.category_names.get(cat, str(cat))
            cat_site[name] += 1
            cat_have[name] += have
    if inventory.rest_total is not None:
        total, via = inventory.rest_total, "REST X-WP-Total"
    elif inventory.sitemap_urls is not None:
        total, via = inventory.sitemap_urls, "sitemap URLs"
    elif inventory.listings:
        total, via = None, "listings only: no post-level index answered"
    else:
        total, via = None, "nothing answered"
    estimate = listing_estimate(inventory.listings)
    return AuditReport(
        source=inventory.source,
        site_total=total,
        site_total_via=via,
        site_listed=len(posts),
        archived=len(records),
        archived_of_listed=len(posts) - len(missing),
        missing=missing,
        extra=extra,
        by_month={
            m: {"site": month_site[m], "archived": month_have[m]} for m in sorted(month_site)
        },
        by_category={c: {"site": cat_site[c], "archived": cat_have[c]} for c in sorted(cat_site)},
        listing_estimate=estimate,
        listings=dict(sorted(inventory.listings.items())),
        rest_total=inventory.rest_total,
        sitemap_urls=inventory.sitemap_urls,
        unavailable=dict(inventory.unavailable),
    )


# --- running it ----------------------------------------------------------------------------


def report_path(archive_dir: Path | str, source: str) -> Path:
    return Path(archive_dir) / STATE_DIR / f"audit-{source}.json"


def run_audit(
    sources: list[str] | None = None,
    *,
    archive_dir: Path | str | None = None,
    origins: dict[str, str] | None = None,
    settings: dict[str, Any] | None = None,
    write_json: bool = True,
) -> list[AuditReport]:
    """Audit ``sources`` (default: every news spider); the function the CLI calls.

    ``origins`` maps a source to the origin to fetch it from (a local copy);
    ``settings`` override project settings for the inventory crawl. Blocks
    until the inventory crawl ends; call it once per process.
    """
    project = get_project_settings()
    if settings:
        project.setdict(settings, priority="cmdline")
    project.set("ITEM_PIPELINES", {}, priority="cmdline")  # the inventory archives nothing
    project.set("FEEDS", {}, priority="cmdline")
    directory = Path(archive_dir) if archive_dir else resolve_archive_dir(project)
    loader = get_spider_loader(project)
    names = sources or [n for n in loader.list() if hasattr(loader.load(n), "public_origin")]
    origins = origins or {}
    inventories = {name: Inventory(source=name) for name in names}
    process = CrawlerProcess(project)
    for name in names:
        process.crawl(
            InventorySpider,
            source_cls=loader.load(name),
            inventory=inventories[name],
            origin=origins.get(name, ""),
        )
    process.start()
    reports = []
    for name in names:
        records = list(latest_records(directory, [name]))
        report = compare(inventories[name], records)
        reports.append(report)
        if write_json and directory.is_dir():
            path = report_path(directory, name)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n")
    return reports


def _origins(values: list[str]) -> dict[str, str]:
    origins = {}
    for value in values:
        source, sep, url = value.partition("=")
        if not sep or not url.startswith(("http://", "https://")):
            raise ValueError(f"--origin expects SOURCE=URL, got {value!r}")
        origins[source.strip()] = url.strip()
    return origins


def _settings(values: list[str]) -> dict[str, str]:
    pairs = {}
    for value in values:
        name, sep, setting = value.partition("=")
        if not sep:
            raise ValueError(f"--set expects NAME=VALUE, got {value!r}")
        pairs[name.strip()] = setting
    return pairs


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("sources", nargs="*", help="spider names (default: all sources)")
    parser.add_argument("--archive", metavar="DIR", help="archive directory (default: ARCHIVE_DIR)")
    parser.add_argument(
        "--origin",
        action="append",
        default=[],
        metavar="SOURCE=URL",
        help="fetch SOURCE from another origin (a local copy), repeatable",
    )
    parser.add_argument(
        "-s",
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a Scrapy setting for the inventory crawl",
    )
    parser.add_argument("--json", action="store_true", help="print the reports as JSON")


def command(args: argparse.Namespace) -> int:
    """Run the audit from parsed arguments; 0 = complete, 1 = gaps, 2 = usage error."""
    try:
        origins = _origins(args.origin)
        settings = _settings(args.set)
    except ValueError as error:
        print(f"snhr-crawler audit: error: {error}", file=sys.stderr)
        return 2
    settings.setdefault("LOG_LEVEL", "WARNING")
    try:
        reports = run_audit(
            args.sources or None, archive_dir=args.archive, origins=origins, settings=settings
        )
    except KeyError as error:
        print(f"snhr-crawler audit: error: unknown source {error}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps([r.to_dict() for r in reports], indent=2, ensure_ascii=False))
    else:
        print("\n\n".join(report.render() for report in reports))
    return 1 if any(report.missing for report in reports) else 0


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``audit`` subcommand to an argparse ``subparsers`` (``func`` = :func:`command`)."""
    parser = subparsers.add_parser(
        "audit",
        help="compare the archive with what the sites say they have",
        description=__doc__.split("\n\n", 1)[0] if __doc__ else None,
    )
    add_arguments(parser)
    parser.set_defaults(func=command)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="snhr-crawler audit")
    add_arguments(parser)
    return command(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
