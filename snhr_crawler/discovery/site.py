"""Where a spider's WordPress (sub-)site keeps its machine-readable indexes.

SNHR runs several WordPress sites on two hosts. Feeds, sitemaps and the REST
API hang off the (sub-)site root, ``site_path``: ``/`` for news.snhr.org and
for snhr.org (whose *permalinks* carry the multisite ``/blog/`` prefix, but
whose feeds and REST do not), ``/ar/`` for news.snhr.org/ar/ and
``/arabic/`` for snhr.org/arabic/. ``robots.txt`` is per host, always at ``/``.

A source's site descriptor names it (``SiteDescriptor.site_path``; a spider
attribute ``site_path`` still wins); otherwise it is derived from its seed
listings (the path before ``category/``, minus a ``blog/``
segment), which is right for every SNHR source.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode, urlsplit

from snhr_crawler.urls import Origin, shortlink_post_id


def derive_site_path(seed_urls: list[str]) -> str:
    """``/``, ``/ar/`` or ``/arabic/`` from category listing URLs."""
    for url in seed_urls:
        path = urlsplit(url).path
        index = path.find("/category/")
        if index < 0:
            continue
        prefix = path[: index + 1]
        if prefix.endswith("/blog/"):
            prefix = prefix[: -len("blog/")]
        return prefix or "/"
    return "/"


def normalise_site_path(path: str) -> str:
    path = "/" + path.strip("/") + "/"
    return "/" if path == "//" else path


@dataclass(frozen=True)
class SitePaths:
    """Endpoint URLs (on the fetch origin) and the post-URL test for one source."""

    origin: Origin
    site_path: str = "/"

    @classmethod
    def for_spider(cls, spider: Any) -> SitePaths:
        explicit = getattr(spider, "site_path", None) or spider.site_origin.descriptor.site_path
        if explicit:
            path = normalise_site_path(explicit)
        else:
            try:
                seeds = spider.start_urls_from_seeds()
            except Exception:  # no seeds file: the host root is the only guess
                seeds = []
            path = derive_site_path(seeds)
        return cls(origin=spider.site_origin, site_path=path)

    # --- endpoints ----------------------------------------------------------------
    @property
    def base(self) -> str:
        """The (sub-)site root on the fetch origin, with a trailing slash."""
        return self.origin.fetch_origin + self.site_path

    @property
    def robots(self) -> str:
        return self.origin.fetch_origin + "/robots.txt"

    @property
    def yoast_index(self) -> str:
        return self.base + "sitemap_index.xml"

    @property
    def core_index(self) -> str:
        return self.base + "wp-sitemap.xml"

    def rest_posts(
        self,
        page: int,
        *,
        per_page: int = 100,
        modified_after: datetime | None = None,
        after: datetime | None = None,
    ) -> str:
        """A page of ``/wp-json/wp/v2/posts``, newest modification first."""
        query: list[tuple[str, str | int]] = [
            ("per_page", per_page),
            ("page", page),
            ("orderby", "modified"),
            ("order", "desc"),
            ("_fields", "id,link,date,date_gmt,modified_gmt,categories"),
        ]
        if modified_after is not None:
            query.append(("modified_after", modified_after.isoformat()))
        if after is not None:
            query.append(("after", after.isoformat()))
        return self.base + "wp-json/wp/v2/posts?" + urlencode(query)

    def rest_categories(self, page: int = 1) -> str:
        return (
            self.base
            + "wp-json/wp/v2/categories?"
            + urlencode(
                [("per_page", 100), ("page", page), ("_fields", "id,name,count,parent,link")]
            )
        )

    def feed(self, page: int = 1) -> str:
        """The site feed; WordPress pages older items with ``?paged=N``."""
        return self.base + "feed/" + (f"?paged={page}" if page > 1 else "")

    # --- which URLs are this source's posts -------------------------------------
    @property
    def post_path_re(self) -> re.Pattern[str]:
        # /YYYY/MM/DD/slug/ under the site path; the multisite main site adds blog/.
        return re.compile("^" + re.escape(self.site_path) + r"(?:blog/)?\d{4}/\d{2}/\d{2}/[^/]+/?$")

    def is_post_url(self, public_url: str) -> bool:
        """True for a permalink or ``?p=ID`` shortlink of this (sub-)site.

        Keeps the English spider off ``/ar/`` posts when a host's sitemap or
        REST lists both languages, and skips pages, categories and uploads.
        """
        parts = urlsplit(public_url)
        if (parts.hostname or "") != self.origin.public_host:
            return False
        if shortlink_post_id(public_url) is not None:
            return (parts.path or "/") == self.site_path
        return bool(self.post_path_re.match(parts.path))

    def in_site_dir(self, url: str) -> bool:
        """True when ``url`` (a sitemap named in robots.txt) sits in this site's directory."""
        directory = posixpath.dirname(urlsplit(url).path)
        return normalise_site_path(directory) == self.site_path
