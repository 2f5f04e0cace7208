"""What one fetched page says about the site: its theme, the "today" widget, language, charset.

Pure functions over a Scrapy response (or its lxml tree); the probe spider
calls them on the home page and on each sampled article.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from scrapy.http import TextResponse

from snhr_crawler.charset import decode_response
from snhr_crawler.extract.page import elsewhere

#: Theme families, from the class tokens a page carries.
CLOUD = "tagdiv-cloud"  # tagDiv Composer / Cloud Library templates (tdb_*)
CLASSIC = "tagdiv-classic"  # the classic tagDiv Newspaper markup (td-*)
WORDPRESS = "wordpress"  # a plain WordPress theme (entry-content, entry-title)
OTHER = "other"

#: The template's own blocks, article first, then listing: the footer and small
#: widgets of either template may carry the other's tokens, so they do not count.
_CLOUD_TOKENS = frozenset(
    {"tdb_single_content", "tdb_title", "tdb_loop", "tdb-category-loop-posts"}
)
_CLASSIC_TOKENS = frozenset(
    {"td-post-content", "td-post-title", "td-ss-main-content", "td_module_wrap", "td-main-content"}
)
_WORDPRESS_TOKENS = frozenset({"entry-content", "entry-title", "site-main", "hentry"})
#: The header's date widget in tagDiv's templates (and a common theme name for it).
TODAY_TOKENS = frozenset({"tdb_header_date", "tdb-head-date-txt", "td_data_time", "header-date"})
_META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([-\w]+)""", re.IGNORECASE)

RECOGNISED = "recognised"
ABSENT = "absent"
NOT_RECOGNISED = "NOT recognised"


def class_tokens(response: TextResponse) -> set[str]:
    return {token for value in response.xpath("//@class").getall() for token in value.split()}


def theme_of(tokens: Iterable[str]) -> str:
    """``tagdiv-cloud``, ``tagdiv-classic``, ``wordpress`` or ``other``, from class tokens."""
    tokens = set(tokens)
    if tokens & _CLOUD_TOKENS:
        return CLOUD
    if tokens & _CLASSIC_TOKENS:
        return CLASSIC
    if tokens & _WORDPRESS_TOKENS:
        return WORDPRESS
    return OTHER


def today_widget(response: TextResponse) -> str:
    """Whether the header's "today" date is where the extraction never reads a date.

    ``recognised``: every date widget of the header sits in the site's chrome,
    which the date layers skip (``snhr_crawler.extract.page.elsewhere``);
    ``absent``: the page has none; ``NOT recognised``: one sits where the
    publication date could be read from it (the crawl date taken for the
    publication date).
    """
    widgets = [
        element
        for element in response.selector.root.iter()
        if isinstance(element.tag, str) and TODAY_TOKENS & set((element.get("class") or "").split())
    ]
    if not widgets:
        return ABSENT
    return RECOGNISED if all(elsewhere(element) for element in widgets) else NOT_RECOGNISED


def page_language(response: TextResponse) -> str | None:
    """The primary language subtag of ``<html lang>`` (``en-US`` → ``en``), else None."""
    lang = (response.xpath("/html/@lang").get() or "").strip()
    return lang.split("-")[0].lower() or None


@dataclass
class Charset:
    header: str | None  # the Content-Type header's charset
    meta: str | None  # <meta charset> / http-equiv
    used: str  # what the crawl decodes with (``snhr_crawler.charset``)
    redecoded: bool  # the declared one was wrong (or missing) and was overruled


def charset_of(response: TextResponse, language: str) -> Charset:
    content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1")
    match = re.search(r"charset=([-\w]+)", content_type, re.IGNORECASE)
    meta = _META_CHARSET.search(response.body[:4096])
    decoded = decode_response(response, language)
    return Charset(
        header=match.group(1).lower() if match else None,
        meta=meta.group(1).decode("ascii").lower() if meta else None,
        used=decoded.encoding,
        redecoded=decoded is not response,
    )


@dataclass
class ArticleFinding:
    """One sampled article page."""

    url: str
    status: int | None = None
    theme: str | None = None
    layers: dict[str, str] = field(default_factory=dict)
    today_widget: str | None = None
    language: str | None = None
    charset: dict[str, Any] | None = None
    categories: list[str] = field(default_factory=list)
    note: str | None = None  # why it could not be read

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
