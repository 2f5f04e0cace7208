"""Layered extraction for tagDiv Newspaper (WordPress) article pages.

Each field is tried layer by layer, most specific first, and the layer that
answered is recorded, so a redesign shows up in the stats as a shift from
``site:tdb`` to a fallback rather than as silently worse data:

1. site selectors: the current Cloud Library template (``tdb_*``), then the
   classic theme (``td-*``);
2. page metadata: JSON-LD (Yoast ``@graph`` included), ``og:``/``article:``
   meta tags, ``link rel=shortlink``, body classes;
3. the URL (the date permalink).

For the publication date, machine-readable metadata outranks the visible
date element: JSON-LD, then ``article:published_time``, then the post's own
``time[datetime]``, then the URL. The header's "today" widget
(``.tdb-head-date-txt``, ``.td_data_time``) and the dates inside "Related
News" are never read: they are the crawl date and other posts' dates.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

from lxml.html import HtmlElement
from parsel import Selector

from snhr_crawler.dates import human_date, is_iso_datetime
from snhr_crawler.extract.body import (
    AVAILABLE_IN_LABELS,
    Body,
    detached_copy,
    read_body,
    strip_furniture,
)
from snhr_crawler.extract.jsonld import article_node, breadcrumb_names, json_ld_nodes
from snhr_crawler.urls import shortlink_post_id, url_date

# (layer, css) in order of preference, per field.
TITLE_SELECTORS = (
    ("site:tdb", ".tdb_title h1.tdb-title-text::text, .tdb-single-title h1.tdb-title-text::text"),
    (
        "site:classic",
        "article header.td-post-title h1.entry-title::text, article h1.entry-title::text",
    ),
)
SUBTITLE_SELECTORS = (
    ("site:tdb", ".tdb_single_subtitle p::text, .tdb_single_subtitle .tdb-block-inner::text"),
    ("site:classic", ".td-post-sub-title::text"),
)
BODY_SELECTORS = (
    ("site:tdb", ".tdb_single_content .tdb-block-inner"),
    ("site:classic", "article div.td-post-content"),
    ("site:content", "div.td-post-content, div.entry-content"),
)
CRUMB_SELECTORS = (
    ("site:tdb", ".tdb-breadcrumbs a.tdb-entry-crumb"),
    ("site:classic", ".entry-crumbs a.entry-crumb"),
)
#: The post's own date element (never the header widget or Related News).
DATE_ELEMENT_SELECTORS = (
    ".tdb_single_date time",
    "article .td-post-header time.entry-date",
    "article header.td-post-title time",
)
TAG_SELECTORS = (".tdb_single_tags a::text", ".td-post-source-tags ul.td-tags li a::text")
FEATURED_SELECTORS = (
    ".tdb_single_content figure",
    ".tdb_single_featured_image figure, .tdb_single_featured_image",
    ".td-post-featured-image",
)
LANGUAGE_SWITCH_SELECTORS = (".snhr-available-in a[href]",)

#: Link texts of the language switch.
LANGUAGE_NAMES = {
    "english": "en",
    "انكليزي": "en",
    "الإنجليزية": "en",
    "الانكليزية": "en",
    "عربي": "ar",
    "العربية": "ar",
    "arabic": "ar",
}

_SITE_SUFFIX = re.compile(
    r"\s+[-|–]\s+(Syrian Network for Human Rights|الشبكة السورية لحقوق الإنسان)\s*$"
)
_POSTID_CLASS = re.compile(r"\bpostid-(\d+)\b")
_POST_ARTICLE_ID = re.compile(r"^post-(\d+)$")
_PDF = re.compile(r"\.pdf$", re.IGNORECASE)


def _squash(text: str | None) -> str:
    return " ".join((text or "").split())


@dataclass
class Extracted:
    """What one article page says, and which layer said each field."""

    fields: dict[str, Any] = field(default_factory=dict)
    layers: dict[str, str] = field(default_factory=dict)

    def put(self, name: str, value: Any, layer: str) -> None:
        self.fields[name] = value
        self.layers[name] = layer


class TagDivArticleParser:
    """Parses a tagDiv article page into Article fields (without derived ones).

    ``map_url`` turns any absolute URL the page links to into the canonical
    public URL (see ``snhr_crawler.urls.Origin.to_public``); relative links are
    first resolved against the page's URL.
    """

    def __init__(self, map_url: Callable[[str], str], language: str) -> None:
        self.map_url = map_url
        self.language = language
        self.page_url = ""

    def public(self, href: str) -> str:
        """The canonical public form of a link on the page being parsed."""
        return self.map_url(urljoin(self.page_url, href.strip()))

    def parse(self, selector: Selector, url: str) -> Extracted:
        self.page_url = url
        out = Extracted()
        nodes = json_ld_nodes(selector)
        article = article_node(nodes) or {}
        self._url(selector, url, out)
        self._post_id(selector, out)
        self._title(selector, article, out)
        self._first(selector, SUBTITLE_SELECTORS, out, "subtitle")
        self._dates(selector, article, out)
        self._categories(selector, nodes, article, out)
        out.put("tags", self._tags(selector), "site")
        body = self._body(selector, out)
        self._attachments(body, out)
        self._images(selector, out)
        self._translations(selector, body, out)
        return out

    # --- identity -------------------------------------------------------------
    def _url(self, selector: Selector, url: str, out: Extracted) -> None:
        canonical = selector.css('link[rel="canonical"]::attr(href)').get()
        if canonical:
            out.put("url", self.public(canonical), "meta")
        else:
            out.put("url", self.public(url), "url")

    def _post_id(self, selector: Selector, out: Extracted) -> None:
        shortlink = selector.css('link[rel="shortlink"]::attr(href)').get()
        if shortlink and (post_id := shortlink_post_id(shortlink.strip())) is not None:
            out.put("post_id", post_id, "shortlink")
            return
        match = _POSTID_CLASS.search(selector.css("body::attr(class)").get() or "")
        if match:
            out.put("post_id", int(match[1]), "body-class")
            return
        for article_id in selector.css("article::attr(id)").getall():
            if match := _POST_ARTICLE_ID.match(article_id):
                out.put("post_id", int(match[1]), "article-id")
                return
        out.put("post_id", None, "none")

    # --- text fields ------------------------------------------------------------
    def _first(
        self, selector: Selector, layers: tuple[tuple[str, str], ...], out: Extracted, name: str
    ) -> bool:
        for layer, css in layers:
            value = _squash(" ".join(selector.css(css).getall()))
            if value:
                out.put(name, value, layer)
                return True
        out.put(name, None, "none")
        return False

    def _title(self, selector: Selector, article: dict[str, Any], out: Extracted) -> None:
        if self._first(selector, TITLE_SELECTORS, out, "title"):
            return
        og_title = _squash(selector.css('meta[property="og:title"]::attr(content)').get())
        if og_title:
            out.put("title", _SITE_SUFFIX.sub("", og_title), "meta")
        elif isinstance(article.get("headline"), str):
            out.put("title", _squash(article["headline"]), "json-ld")

    def _tags(self, selector: Selector) -> list[str]:
        tags: list[str] = []
        for css in TAG_SELECTORS:
            tags.extend(text for text in map(_squash, selector.css(css).getall()) if text)
        return list(dict.fromkeys(tags))

    # --- dates ------------------------------------------------------------------------
    def _dates(self, selector: Selector, article: dict[str, Any], out: Extracted) -> None:
        meta = selector.css('meta[property="article:published_time"]::attr(content)').get()
        element = next(
            (found for css in DATE_ELEMENT_SELECTORS if (found := selector.css(css))), None
        )
        machine = element.attrib.get("datetime") if element else None
        # Without a datetime attribute, the element's text is a date written for people.
        written = _squash(" ".join(element.css("::text").getall())) if element else ""
        candidates = (
            ("json-ld", article.get("datePublished")),
            ("meta", meta),
            ("time-element", machine),
            (
                "time-element",
                human_date(written, self.language) if written and not machine else None,
            ),
            ("url", url_date(out.fields["url"])),
        )
        for layer, value in candidates:
            if isinstance(value, str) and is_iso_datetime(value.strip()):
                out.put("published_at", value.strip(), layer)
                break
        else:
            out.put("published_at", None, "none")
        modified_candidates = (
            ("json-ld", article.get("dateModified")),
            ("meta", selector.css('meta[property="article:modified_time"]::attr(content)').get()),
        )
        for layer, value in modified_candidates:
            if isinstance(value, str) and is_iso_datetime(value.strip()):
                out.put("modified_at", value.strip(), layer)
                return
        out.put("modified_at", None, "none")

    # --- categories ---------------------------------------------------------------------
    def _categories(
        self,
        selector: Selector,
        nodes: list[dict[str, Any]],
        article: dict[str, Any],
        out: Extracted,
    ) -> None:
        for layer, css in CRUMB_SELECTORS:
            crumbs = [_squash(text) for text in selector.css(f"{css}::text").getall()]
            if crumbs:
                # The first crumb is Home; the title crumb is a span, not a link.
                out.put("categories", [c for c in crumbs[1:] if c], layer)
                return
        names = breadcrumb_names(nodes)
        if len(names) > 2:
            out.put("categories", names[1:-1], "json-ld")
            return
        classic = [
            _squash(t) for t in selector.css("ul.td-category li.entry-category a::text").getall()
        ]
        if classic:
            out.put("categories", classic, "site:classic-category")
            return
        section = article.get("articleSection")
        sections = section if isinstance(section, list) else [section]
        names = [name for name in sections if isinstance(name, str) and name.strip()]
        if names:
            out.put("categories", names, "json-ld")
            return
        out.put("categories", [], "none")

    # --- body and what hangs off it -------------------------------------------------------
    def _body(self, selector: Selector, out: Extracted) -> Body:
        for layer, css in BODY_SELECTORS:
            found = selector.css(css)
            if not found:
                continue
            container: HtmlElement = detached_copy(found[0].root)
            strip_furniture(container)
            body = read_body(container, self.public, title=out.fields.get("title") or "")
            if body.text:
                out.put("body_text", body.text, layer)
                out.put("body_html", body.html, layer)
                return body
        out.put("body_text", "", "none")
        out.put("body_html", "", "none")
        return Body()

    def _attachments(self, body: Body, out: Extracted) -> None:
        attachments: dict[str, dict[str, Any]] = {}
        for href, text in body.links:
            public = self.public(href)
            if _PDF.search(public.split("?")[0]) and public not in attachments:
                attachments[public] = {"url": public, "title": text or None}
        out.put("attachments", list(attachments.values()), "site" if attachments else "none")

    def _images(self, selector: Selector, out: Extracted) -> None:
        for css in FEATURED_SELECTORS:
            for figure in selector.css(css):
                src = figure.css("img::attr(src)").get()
                if src:
                    caption = _squash(" ".join(figure.css("figcaption ::text").getall())) or None
                    out.put("images", [{"url": self.public(src), "caption": caption}], "site")
                    return
        og_image = selector.css('meta[property="og:image"]::attr(content)').get()
        if og_image:
            out.put("images", [{"url": self.public(og_image), "caption": None}], "meta")
        else:
            out.put("images", [], "none")

    def _translations(self, selector: Selector, body: Body, out: Extracted) -> None:
        translations: dict[str, str] = {}
        layer = "site"
        links: list[Selector] = list(selector.css(", ".join(LANGUAGE_SWITCH_SELECTORS)))
        if not links:
            # Classic-era pages print the switch as plain paragraphs: a label
            # ("Available In", "متوفر باللغة") and then the links.
            links, layer = _labelled_switch_links(selector), "site:label"
        for link in links:
            language = link.attrib.get("hreflang") or LANGUAGE_NAMES.get(
                _squash(link.css("::text").get()).casefold(), ""
            )
            href = link.attrib.get("href", "").strip()
            # hreflang may be regional ("en-US"): the language is its first part.
            language = language.split("-")[0].lower()
            if language and href and language != self.language:
                translations.setdefault(language, self.public(href))
        out.put("translations", translations, layer if translations else "none")


def _labelled_switch_links(selector: Selector) -> list[Selector]:
    """Links of a language switch introduced by a label paragraph.

    The links sit either in the label's own paragraph ("Available In: English
    | عربي") or in the element right after it.
    """
    for block in selector.xpath("//p | //h4 | //h5 | //h6"):
        own_links = block.xpath(".//a[@href]")
        rest = _squash(" ".join(block.xpath(".//text()").getall()))
        for link in own_links:
            rest = rest.replace(_squash(" ".join(link.xpath(".//text()").getall())), "", 1)
        if rest.strip(" :|/-·").casefold() not in AVAILABLE_IN_LABELS:
            continue
        if own_links:
            return list(own_links)
        return list(block.xpath("following-sibling::*[1]/descendant-or-self::a[@href]"))
    return []
