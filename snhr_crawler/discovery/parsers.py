"""Pure parsers for what WordPress publishes about its own posts.

Each takes bytes (or decoded JSON) and returns plain dataclasses, or None when
the document is not what was asked for: a WAF challenge page, a theme 404
rendered with status 200, an HTML login wall. The engine treats None like a
401/403/404 and moves on to the next discovery path.

Sitemaps go through Scrapy's own ``Sitemap`` (lxml, entities off, recover on)
and ``sitemap_urls_from_robots``; feeds through parsel; REST through the JSON
the response already decoded.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from parsel import Selector
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots

from snhr_crawler.urls import shortlink_post_id

__all__ = [
    "FeedItem",
    "RestPage",
    "RestPost",
    "SitemapDoc",
    "SitemapEntry",
    "is_post_sitemap",
    "parse_feed",
    "parse_rest_page",
    "parse_sitemap",
    "parse_w3c_datetime",
    "robots_sitemaps",
    "waf_marker",
]

#: Text that challenge/block pages of common WAFs and security plugins carry.
_WAF_MARKERS = (
    "cf-browser-verification",
    "cf-chl-",
    "challenge-platform",
    "Just a moment...",
    "Attention Required! | Cloudflare",
    "Sucuri WebSite Firewall",
    "Access Denied - Sucuri",
    "Wordfence",
    "Request Rejected",
    "mod_security",
    "Access Denied",
)


def waf_marker(body: bytes) -> str | None:
    """The first WAF/challenge marker in the first 8 KiB of ``body``, else None."""
    head = body[:8192].decode("utf-8", "replace")
    return next((marker for marker in _WAF_MARKERS if marker in head), None)


def parse_w3c_datetime(text: str | None) -> datetime | None:
    """Sitemap ``lastmod`` / REST ``*_gmt`` as aware UTC; naive values are UTC.

    Date-only values (``2024-05-01``, allowed by the sitemap protocol) become
    midnight UTC; unparseable values become None (never an error: one odd
    entry must not sink a discovery page).
    """
    if not text:
        return None
    value = text.strip().replace("Z", "+00:00")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


# --- sitemaps -----------------------------------------------------------------------


@dataclass(frozen=True)
class SitemapEntry:
    loc: str
    lastmod: datetime | None = None


@dataclass(frozen=True)
class SitemapDoc:
    kind: str  # "sitemapindex" or "urlset"
    entries: tuple[SitemapEntry, ...]


def _maybe_gunzip(body: bytes) -> bytes:
    if body[:2] == b"\x1f\x8b":
        try:
            return gzip.decompress(body)
        except OSError:
            return b""
    return body


def parse_sitemap(body: bytes) -> SitemapDoc | None:
    """A sitemap index or urlset; None for anything else (HTML, JSON, empty)."""
    body = _maybe_gunzip(body).lstrip()
    if not body or not body.startswith(b"<") or b"<html" in body[:512].lower():
        return None
    try:
        sitemap = Sitemap(body)
    except Exception:  # lxml gives up on bytes that are not XML at all
        return None
    if sitemap.type not in ("sitemapindex", "urlset"):
        return None
    entries = tuple(
        SitemapEntry(loc=entry["loc"].strip(), lastmod=parse_w3c_datetime(entry.get("lastmod")))
        for entry in sitemap
        if entry.get("loc")
    )
    return SitemapDoc(kind=sitemap.type, entries=entries)


def robots_sitemaps(robots_body: bytes | str, base_url: str) -> list[str]:
    """``Sitemap:`` lines of a robots.txt, absolute, in file order."""
    if isinstance(robots_body, str):
        robots_body = robots_body.encode("utf-8")
    return list(sitemap_urls_from_robots(robots_body, base_url=base_url))


_POST_SITEMAP = re.compile(
    r"/(?:post-sitemap\d*|wp-sitemap-posts-post-\d+|sitemap-posts?-?\d*)\.xml(?:\.gz)?$"
)
_OTHER_SITEMAP = re.compile(
    r"/(?:page|category|post_tag|tag|author|attachment|wp-sitemap-(?:taxonomies|users|posts-page)"
    r"[-\w]*|[-\w]*(?:category|tag|author|page|user)[-\w]*)-?sitemap\d*\.xml(?:\.gz)?$"
    r"|/wp-sitemap-(?:taxonomies|users|posts-page)-[-\w]*\.xml$"
)


def is_post_sitemap(url: str) -> bool | None:
    """True for Yoast/core post sitemaps, False for taxonomy/page/user ones, None if unsure.

    Callers follow the unsure ones too (another SEO plugin's naming) and rely
    on the post-URL filter for their entries.
    """
    path = url.split("?", 1)[0]
    if _POST_SITEMAP.search(path):
        return True
    if _OTHER_SITEMAP.search(path):
        return False
    return None


# --- feeds ----------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedItem:
    link: str
    post_id: int | None = None
    published: datetime | None = None
    title: str = ""
    categories: tuple[str, ...] = ()


def _rfc822(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        moment = parsedate_to_datetime(text.strip())
    except (TypeError, ValueError):
        return parse_w3c_datetime(text)  # Atom uses RFC 3339
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def parse_feed(body: bytes) -> list[FeedItem] | None:
    """Items of an RSS 2.0 or Atom feed, in feed order; None if ``body`` is no feed.

    The post id comes from WordPress's ``<guid>https://…/?p=ID</guid>``; the
    link is the pretty permalink.
    """
    body = body.lstrip()
    if not body.startswith(b"<"):
        return None
    try:
        selector = Selector(body=body, type="xml")
    except Exception:  # parsel raises on bytes lxml cannot read at all
        return None
    selector.remove_namespaces()
    root = selector.xpath("/*")
    name = root.xpath("name()").get() if root else None
    if name == "rss":
        nodes, atom = selector.xpath("/rss/channel/item"), False
    elif name == "feed":
        nodes, atom = selector.xpath("/feed/entry"), True
    else:
        return None
    items = []
    for node in nodes:
        if atom:
            link = (
                node.xpath("link[@rel='alternate']/@href").get()
                or node.xpath("link[not(@rel)]/@href").get()
                or ""
            )
            guid = node.xpath("id/text()").get()
            published = _rfc822(node.xpath("published/text()").get())
            categories = tuple(node.xpath("category/@term").getall())
        else:
            link = node.xpath("link/text()").get() or ""
            guid = node.xpath("guid/text()").get()
            published = _rfc822(node.xpath("pubDate/text()").get())
            categories = tuple(c.strip() for c in node.xpath("category/text()").getall())
        link = link.strip()
        if not link:
            continue
        post_id = shortlink_post_id(guid.strip()) if guid else None
        if post_id is None:
            post_id = shortlink_post_id(link)
        items.append(
            FeedItem(
                link=link,
                post_id=post_id,
                published=published,
                title=(node.xpath("title/text()").get() or "").strip(),
                categories=categories,
            )
        )
    return items


# --- REST ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RestPost:
    post_id: int
    link: str
    date: str | None = None  # site-local, no offset: its YYYY-MM-DD is the URL date
    date_gmt: datetime | None = None
    modified_gmt: datetime | None = None
    categories: tuple[int, ...] = ()


@dataclass(frozen=True)
class RestPage:
    posts: tuple[RestPost, ...]
    total: int | None
    total_pages: int | None


def _header_int(headers: Mapping[str, Any], name: str) -> int | None:
    for key, value in headers.items():
        key_text = key.decode("latin-1") if isinstance(key, bytes) else str(key)
        if key_text.lower() != name.lower():
            continue
        if isinstance(value, list):
            value = value[0] if value else None
        if isinstance(value, bytes):
            value = value.decode("latin-1")
        text = str(value or "").strip()
        return int(text) if text.isdigit() else None
    return None


def parse_rest_page(data: Any, headers: Mapping[str, Any]) -> RestPage | None:
    """A page of ``/wp/v2/posts``; None unless it is a JSON list of post objects.

    ``headers`` may be Scrapy's ``Headers`` or any mapping; ``X-WP-Total`` and
    ``X-WP-TotalPages`` are read case-insensitively.
    """
    if not isinstance(data, list):
        return None
    posts = []
    for raw in data:
        if not isinstance(raw, dict) or not isinstance(raw.get("id"), int) or not raw.get("link"):
            return None
        categories = raw.get("categories") or []
        posts.append(
            RestPost(
                post_id=raw["id"],
                link=str(raw["link"]),
                date=raw.get("date"),
                date_gmt=parse_w3c_datetime(raw.get("date_gmt")),
                modified_gmt=parse_w3c_datetime(raw.get("modified_gmt")),
                categories=tuple(c for c in categories if isinstance(c, int)),
            )
        )
    return RestPage(
        posts=tuple(posts),
        total=_header_int(headers, "X-WP-Total"),
        total_pages=_header_int(headers, "X-WP-TotalPages"),
    )
