"""NewsSpider: what every SNHR source shares, whatever its platform.

A concrete spider sets, under a ``# NewsSpider`` header:

``name``            the source name (the archive's ``source``)
``site``            its ``SiteDescriptor`` (origin, aliases, old hosts, site
                    names, doc-type rules, seeds; see ``snhr_crawler.sites``)
``language``        ``"en"`` or ``"ar"``

``allowed_domains`` defaults to the descriptor's host (a local ``origin`` is
added at run time).

Spider arguments (all optional, validated before the crawl starts):

``origin=URL``       fetch the site from another origin (a local copy) while
                     archiving public URLs
``since=YYYY-MM-DD`` only articles published on or after this date
``max_pages=N``      walk at most N listing pages per start URL
``full=true``        re-walk every listing and re-fetch archived articles
                     (to catch edits and removals); default is incremental
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, ClassVar
from urllib.parse import urlsplit

import scrapy
from scrapy.crawler import Crawler

from snhr_crawler.exceptions import SpiderArgumentError
from snhr_crawler.sites import SiteDescriptor
from snhr_crawler.urls import Origin

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


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

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        site = cls.__dict__.get("site")
        if site is not None and "allowed_domains" not in cls.__dict__:
            cls.allowed_domains = [site.host]

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> NewsSpider:
        parsed = parse_arguments(kwargs)
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.apply_arguments(parsed)
        return spider

    def apply_arguments(self, args: dict[str, Any]) -> None:
        self.site_origin = Origin.for_site(self.site, fetch=args["origin"])
        self.since = args["since"]
        self.max_pages = args["max_pages"]
        self.full = args["full"]
        self.discovery = args.get("discovery", "listing")
        if args["origin"]:
            # The local copy's host joins the allowed domains for this run only.
            host = urlsplit(args["origin"]).hostname or ""
            self.allowed_domains = [*getattr(self, "allowed_domains", []), host]

    @property
    def site_host(self) -> str:
        """The public host, the record's ``site``."""
        return self.site.host

    def start_urls_from_seeds(self) -> list[str]:
        return [self.site_origin.to_fetch(url) for url in self.site.seed_urls()]

    def published_before_since(self, published: str | None) -> bool:
        """True when ``published`` is known and older than the ``since`` bound."""
        if self.since is None or not published:
            return False
        try:
            return date.fromisoformat(published[:10]) < self.since
        except ValueError:
            return False

    def inc_stat(self, key: str, count: int = 1) -> None:
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(key, count)
