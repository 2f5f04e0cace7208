"""The Article record: the one item every SNHR spider yields.

The field names are a contract: archive files, exports, the replica's ground
truth and researchers' scripts all rely on them. Add a field only with a
default, never rename one. ``schema/article-v1.schema.json`` describes the same
record for `snhr-crawler verify`.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass, field, fields
from typing import Any

from snhr_crawler.dates import incident_date
from snhr_crawler.incidents import parse_title

#: Where ``published_at`` came from, strongest first.
DATE_SOURCES = ("json-ld", "meta", "time-element", "feed", "rest", "url")

#: How the article's URL was found (``discovered_by``); ``archive`` is a full
#: run re-checking an archived article that no listing showed any more.
DISCOVERY_MODES = ("listing", "sitemap", "feed", "rest", "archive")

#: ``doc_type`` values; the mapping from categories lives in ``snhr_crawler.doc_types``.
DOC_TYPES = ("news", "daily_death_toll", "report", "statement", "event", "other")


@dataclass(kw_only=True)
class Article:
    """One published SNHR article, as archived.

    ``published_at`` is the publication time of the post (ISO 8601 with offset,
    or a bare ``YYYY-MM-DD`` when only the URL date is known). It is never the
    date of the incident the article reports (``incident_date``) and never the
    "today" widget in the site header.

    ``capture`` is the ``CapturePointer`` (as a dict) of the response the
    record was read from, in the crawl's WARC files; None when nothing was
    captured (capture off, a page parsed outside a crawl).
    """

    id: str
    source: str
    site: str
    language: str
    url: str
    post_id: int | None
    title: str
    subtitle: str | None = None
    published_at: str | None = None
    modified_at: str | None = None
    date_source: str | None = None
    incident_date: str | None = None
    incident: dict[str, Any] | None = None
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    doc_type: str = "other"
    body_text: str = ""
    body_html: str = ""
    attachments: list[dict[str, Any]] = field(default_factory=list)
    images: list[dict[str, Any]] = field(default_factory=list)
    translations: dict[str, str] = field(default_factory=dict)
    translation_group: str | None = None
    discovered_by: str = "listing"
    crawled_at: str = ""
    content_sha256: str = ""
    #: Fields cut to their size bound (``BOUND_FIELD_SIZES``), e.g. ``["title"]``; empty when none.
    truncated: list[str] = field(default_factory=list)
    capture: dict[str, Any] | None = None


def record_fields(article: Article) -> dict[str, Any]:
    """The article's fields as a dict, built once per item for the write path.

    Shallow: lists and mappings are the article's own. ``ArchiveStore`` copies
    the values into the line it writes and changes none of them, so the deep
    copy ``ItemAdapter.asdict`` makes (twice per item, 6 % of a crawl's CPU)
    bought nothing.
    """
    return {f.name: getattr(article, f.name) for f in fields(article)}


def normalize_text(text: str) -> str:
    """NFC, with each line's runs of white space collapsed and ends stripped.

    Used for the content hash so that re-serialisation noise (CRLF, a trailing
    space, composed vs decomposed Arabic) never reads as an edit.
    """
    text = unicodedata.normalize("NFC", text)
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(lines).strip()


def content_sha256(title: str, body_text: str) -> str:
    """The fingerprint of what a reader sees: normalised title and body text."""
    payload = normalize_text(title) + "\n\n" + normalize_text(body_text)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def tidy(article: Article) -> bool:
    """Text hygiene every record gets; True when it changed something.

    One-line fields lose inner runs of white space, the body its surrounding
    white space; empty and repeated categories and tags go. Stored text is
    never NFC-normalised: Arabic stays as written (normalisation would reorder
    shadda and vowel marks); only the hash normalises.
    """
    before = (article.title, article.subtitle, article.body_text, article.categories, article.tags)
    article.title = " ".join(article.title.split())
    if article.subtitle is not None:
        article.subtitle = " ".join(article.subtitle.split()) or None
    article.body_text = article.body_text.strip()
    article.categories = _unique(article.categories)
    article.tags = _unique(article.tags)
    return (
        article.title,
        article.subtitle,
        article.body_text,
        article.categories,
        article.tags,
    ) != before


def seal(article: Article) -> Article:
    """Tidy ``article`` and derive what follows from its text: the one place each is computed.

    ``content_sha256`` from the title and body; ``incident_date`` and
    ``incident`` from the title (and the publication date, which places a
    yearless date and the period of the perpetrator vocabulary). Only news
    items are read as incidents: a report, statement, death toll or event is
    never one concrete incident, whatever its title says.
    """
    tidy(article)
    article.content_sha256 = content_sha256(article.title, article.body_text)
    article.incident_date = incident_date(article.title, article.published_at)
    article.incident = (
        parse_title(article.title, article.published_at, article.language)
        if article.doc_type == "news"
        else None
    )
    return article


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(value.strip() for value in values if value and value.strip()))


def article_id(source: str, post_id: int | None, canonical_url: str) -> str:
    """``<source>:<post_id>``, or ``<source>:u<first 16 hex of sha256(url)>``."""
    if post_id is not None:
        return f"{source}:{post_id}"
    digest = hashlib.sha256(canonical_url.encode("utf-8")).hexdigest()[:16]
    return f"{source}:u{digest}"


def translation_group(own_url: str, translations: dict[str, str]) -> str | None:
    """One value shared by every language version of a document.

    Computed from the set of canonical URLs the "Available In" switch names
    (the page's own URL included), so either side yields the same value
    without having seen the other. None when the page names no translation.
    """
    others = {url for url in translations.values() if url != own_url}
    if not others:
        return None
    members = "\n".join(sorted({own_url, *others}))
    return "tg:" + hashlib.sha256(members.encode("utf-8")).hexdigest()[:16]


@dataclass(kw_only=True)
class Removal:
    """An archived article that now answers 404 or 410: archived as a tombstone.

    ``capture``: the pointer (as a dict) to the captured 404/410 response, or None.
    """

    id: str
    source: str
    url: str
    post_id: int | None
    status: int
    checked_at: str
    capture: dict[str, Any] | None = None
