"""Pure parsers for what WordPress publishes about its own posts.

Each takes bytes (or decoded JSON) and returns plain dataclasses, or None when
the document is not what was asked for: a WAF challenge page, a theme 404
rendered with status 200, an HTML login wall. The engine treats None like a
401/403/404 and moves on to the next discovery path.

Sitemaps go through Scrapy's own ``Sitemap`` (lxml, entities off, recover on)
and ``sitemap_urls_from_robots``; feeds through parsel; REST through the JSON
the response already decoded.

What a hostile site can put in them is bounded here: a ``.xml.gz`` is
inflated through ``scrapy.utils.gz.gunzip(max_size=...)`` (past it,
``DocumentTooLarge``), a sitemap yields at most ``max_entries`` entries (the
rest are cut, ``SitemapDoc.cut``), a REST post of the wrong shape costs that
post (``RestPage.bad_posts``), and a date outside 2011..tomorrow is no date
(``rejected_dates``): a year-9999 ``lastmod`` would otherwise become a
watermark no later post could pass.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from parsel import Selector
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots

from snhr_crawler.dates import is_publication_date
from snhr_crawler.urls import shortlink_post_id, valid_post_id

__all__ = [
    "DocumentTooLarge",
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


class DocumentTooLarge(ValueError):
    """A compressed document inflates past the bound it was read with."""


def parse_w3c_datetime(text: object) -> datetime | None:
    """Sitemap ``lastmod`` / REST ``*_gmt`` as aware UTC; naive values are UTC.

    Date-only values (``2024-05-01``, allowed by the sitemap protocol) become
    midnight UTC; unparseable values, values that are not strings and dates
    outside 2011..tomorrow become None (never an error: one odd entry must not
    sink a discovery page).
    """
    if not isinstance(text, str) or not text.strip():
        return None
    value = text.strip().replace("Z", "+00:00")
    try:
        moment = datetime.fromisoformat(value)
        moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    except (ValueError, OverflowError):
        return None
    return moment if is_publication_date(moment.date().isoformat()) else None


def _rejected(text: object) -> bool:
    """A date given but not usable (so it is counted, not silently dropped)."""
    return isinstance(text, str) and bool(text.strip()) and parse_w3c_datetime(text) is None


# --- sitemaps -----------------------------------------------------------------------


@dataclass(frozen=True)
class SitemapEntry:
    loc: str
    lastmod: datetime | None = None


@dataclass(frozen=True)
class SitemapDoc:
    kind: str  # "sitemapindex" or "urlset"
    entries: tuple[SitemapEntry, ...]
    cut: bool = False  # more entries than ``max_entries``: the rest were not read
    rejected_dates: int = 0


def _maybe_gunzip(body: bytes, max_size: int) -> bytes:
    if body[:2] == b"\x1f\x8b":
        try:
            return gunzip(body, max_size=max_size)
        except ValueError as exc:  # scrapy's size error is a ValueError
            raise DocumentTooLarge(f"inflates past {max_size} bytes") from exc
        except (OSError, EOFError):
            return b""
    return body


#: The sitemap protocol's own limits: 50 MB uncompressed, 50,000 URLs a file.
SITEMAP_MAX_BYTES = 50 * 1024 * 1024
SITEMAP_MAX_ENTRIES = 50_000


def parse_sitemap(
    body: bytes,
    *,
    max_bytes: int = SITEMAP_MAX_BYTES,
    max_entries: int = SITEMAP_MAX_ENTRIES,
    raise_too_large: bool = False,
) -> SitemapDoc | None:
    """A sitemap index or urlset; None for anything else (HTML, JSON, empty).

    ``max_bytes`` bounds a gzip's inflated size: past it the document is None,
    or ``DocumentTooLarge`` with ``raise_too_large`` (the discovery engine
    counts the bound); ``max_entries`` bounds the entries read (the rest are
    cut: ``SitemapDoc.cut``).
    """
    try:
        body = _maybe_gunzip(body, max_bytes).lstrip()
    except DocumentTooLarge:
        if raise_too_large:
            raise
        return None
    if not body or not body.startswith(b"<") or b"<html" in body[:512].lower():
        return None
    try:
        sitemap = Sitemap(body)
    except Exception:  # lxml gives up on bytes that are not XML at all
        return None
    if sitemap.type not in ("sitemapindex", "urlset"):
        return None
    entries: list[SitemapEntry] = []
    cut = False
    rejected = 0
    for entry in sitemap:
        loc = entry.get("loc")
        if not isinstance(loc, str) or not loc.strip():
            continue
        if max_entries and len(entries) >= max_entries:
            cut = True
            break
        lastmod = entry.get("lastmod")
        rejected += _rejected(lastmod)
        entries.append(SitemapEntry(loc=loc.strip(), lastmod=parse_w3c_datetime(lastmod)))
    return SitemapDoc(kind=sitemap.type, entries=tuple(entries), cut=cut, rejected_dates=rejected)


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
        moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    except (TypeError, ValueError, OverflowError):
        return parse_w3c_datetime(text)  # Atom uses RFC 3339
    return moment if is_publication_date(moment.date().isoformat()) else None


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
    bad_posts: int = 0  # entries of the list that are not post objects (skipped)
    rejected_dates: int = 0


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
        return int(text) if text.isascii() and text.isdigit() and len(text) < 19 else None
    return None


def parse_rest_page(data: Any, headers: Mapping[str, Any]) -> RestPage | None:
    """A page of ``/wp/v2/posts``; None unless it is a JSON list of post objects.

    ``headers`` may be Scrapy's ``Headers`` or any mapping; ``X-WP-Total`` and
    ``X-WP-TotalPages`` are read case-insensitively.
    """
    if not isinstance(data, list):
        return None
    posts = []
    bad = rejected = 0
    for raw in data:
        post_id = valid_post_id(raw.get("id")) if isinstance(raw, dict) else None
        link = raw.get("link") if isinstance(raw, dict) else None
        if post_id is None or not isinstance(link, str) or not link.strip():
            bad += 1  # one odd entry costs that entry, not the page
            continue
        categories = raw.get("categories")
        date = raw.get("date")
        rejected += _rejected(raw.get("date_gmt")) + _rejected(raw.get("modified_gmt"))
        posts.append(
            RestPost(
                post_id=post_id,
                link=link.strip(),
                date=date if isinstance(date, str) and is_publication_date(date[:10]) else None,
                date_gmt=parse_w3c_datetime(raw.get("date_gmt")),
                modified_gmt=parse_w3c_datetime(raw.get("modified_gmt")),
                categories=tuple(
                    c
                    for c in (categories if isinstance(categories, list) else [])
                    if isinstance(c, int)
                ),
            )
        )
    if data and not posts:
        return None  # a list, but of nothing that is a post: not this API
    return RestPage(
        posts=tuple(posts),
        total=_header_int(headers, "X-WP-Total"),
        total_pages=_header_int(headers, "X-WP-TotalPages"),
        bad_posts=bad,
        rejected_dates=rejected,
    )
