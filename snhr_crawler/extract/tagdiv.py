"""Layered extraction for tagDiv Newspaper (WordPress) article pages, and WordPress at large.

Each field is tried layer by layer, most specific first, and the layer that
answered is recorded, so a redesign shows up in the stats as a shift from
``site:tdb`` to a fallback rather than as silently worse data:

1. site selectors: the current Cloud Library template (``tdb_*``), then the
   classic theme (``td-*``); only the detected template's layer is queried;
2. WordPress at large: the page's own ``<h1>`` (``heading``), the common
   content containers (``site:content``: ``td-post-content``/``entry-content``;
   ``wordpress``: ``[itemprop=articleBody]``, ``post-content``, ``.entry``,
   Elementor's post content, ...);
3. page metadata: JSON-LD (Yoast ``@graph`` included), ``og:``/``article:``
   meta tags, microdata, ``link rel=shortlink``, body classes;
4. for the body, the densest prose on the page (``generic``,
   ``snhr_crawler.extract.density``) when no container is found or the one
   found yields too little; for the date, the URL (the date permalink).

The page is walked once (``snhr_crawler.extract.page``); every layer reads
the elements that walk filed. For the publication date, machine-readable
metadata outranks the visible date element: JSON-LD, then
``article:published_time`` and microdata, then the post's own date element
(``snhr_crawler.extract.postdate``), then the URL. The header's "today"
widget and the dates of sidebars and "Related News" are never read: they are
the crawl date and other posts' dates.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml.html import HtmlElement
from parsel import Selector

from snhr_crawler.dates import is_iso_datetime, is_publication_date
from snhr_crawler.extract.body import (
    AVAILABLE_IN_LABELS,
    Body,
    detached_copy,
    read_body,
    strip_furniture,
)
from snhr_crawler.extract.density import main_text_container
from snhr_crawler.extract.identity import describes_other_page, first_post_id, post_id_evidence
from snhr_crawler.extract.jsonld import article_node, breadcrumb_names, nodes_from_blocks
from snhr_crawler.extract.page import PageIndex, elsewhere, has_ancestor, index_page
from snhr_crawler.extract.postdate import post_date
from snhr_crawler.extract.safety import squash
from snhr_crawler.extract.titles import (
    KNOWN_SITE_NAMES,
    generic_heading,
    heading_text,
    strip_site_suffix,
)
from snhr_crawler.urls import join, split, url_date

#: WordPress's common content containers, after the theme's own (class tokens, in order).
WORDPRESS_CONTAINERS = (
    "elementor-widget-theme-post-content",
    "post-content",
    "article-content",
    "article-body",
    "post-body",
    "entry-body",
    "story-content",
    "single-content",
    "the-content",
    "post-entry",
    "entry",
)
#: A container yielding fewer characters than this is checked against the generic layer.
MIN_BODY_CHARS = 80

#: Trails of breadcrumb plugins and themes (Yoast's own is found by its ``breadcrumb_last``).
BREADCRUMB_TOKENS = (
    "yoast-breadcrumbs",
    "rank-math-breadcrumb",
    "breadcrumb-trail",
    "breadcrumbs",
    "breadcrumb",
)
#: The WP Subtitle plugin's headline subtitle.
WORDPRESS_SUBTITLE_TOKENS = ("wp-subtitle", "entry-subtitle")

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

_PDF = re.compile(r"\.pdf$", re.IGNORECASE)
_TDB_TITLE_BLOCKS = frozenset({"tdb_title", "tdb-single-title"})
_CLASSIC_TITLE_HEADER = frozenset({"td-post-title"})


def _squash(text: str | None) -> str:
    return squash(text)


def _text(element: HtmlElement) -> str:
    return _squash(element.text_content())


def _own_text(element: HtmlElement) -> str:
    """The element's own text nodes, not its children's (CSS ``::text``)."""
    parts = [element.text or ""] + [child.tail or "" for child in element]
    return _squash(" ".join(parts))


@dataclass
class Extracted:
    """What one article page says, and which layer said each field.

    ``evidence`` keeps what the record's identity is decided from
    (``post_id``: layer -> id, see ``extract.identity``; ``json-ld``:
    ``"other-page"`` when the page's JSON-LD describes another article);
    ``rejected`` names the fields whose value was refused (a date outside
    what a publication date can be) before a weaker layer answered.
    """

    fields: dict[str, Any] = field(default_factory=dict)
    layers: dict[str, str] = field(default_factory=dict)
    evidence: dict[str, Any] = field(default_factory=dict)
    rejected: list[str] = field(default_factory=list)

    def put(self, name: str, value: Any, layer: str) -> None:
        self.fields[name] = value
        self.layers[name] = layer

    def reject(self, name: str) -> None:
        if name not in self.rejected:
            self.rejected.append(name)


def own_article_node(
    nodes: list[dict[str, Any]], page_url: str, map_url: Callable[[str], str], out: Extracted
) -> dict[str, Any]:
    """The page's JSON-LD article node; one describing another page is not this page's."""
    article = article_node(nodes) or {}
    if article and describes_other_page(article, page_url, map_url):
        out.evidence["json-ld"] = "other-page"
        return {}
    return article


def first_date(
    candidates: Iterable[tuple[str, Callable[[], Any]]], name: str, out: Extracted
) -> None:
    """Put the first candidate that is a plausible publication date; note refused ones."""
    for layer, read in candidates:
        value = read()
        if not isinstance(value, str) or not is_iso_datetime(value.strip()):
            continue
        if is_publication_date(value.strip()):
            out.put(name, value.strip(), layer)
            return
        out.reject(name)
    out.put(name, None, "none")


class TagDivArticleParser:
    """Parses a tagDiv (or other WordPress) article page into Article fields (without derived ones).

    ``map_url`` turns any absolute URL the page links to into the canonical
    public URL (see ``snhr_crawler.urls.Origin.to_public``); relative links are
    first resolved against the page's URL. ``site_names`` are names the
    site's ``<title>`` may end with (``og:site_name`` and the host are always
    recognised too).
    """

    def __init__(
        self,
        map_url: Callable[[str], str],
        language: str,
        *,
        site_names: Iterable[str] = KNOWN_SITE_NAMES,
    ) -> None:
        self.map_url = map_url
        self.language = language
        self.site_names = tuple(site_names)
        self.page_url = ""
        self._public: dict[str, str] = {}

    def public(self, href: str) -> str:
        """The canonical public form of a link on the page being parsed (each link mapped once)."""
        known = self._public.get(href)
        if known is None:
            link: str | None = href.strip()
            # Joined only where joining can change it.
            if link and not link.startswith(("https://", "http://")):
                link = join(self.page_url, link)
            # An href that is no URL at all (a malformed IPv6 host) maps to nothing usable.
            known = self._public[href] = self.map_url(link) if link and split(link) else ""
        return known

    def parse(self, selector: Selector, url: str) -> Extracted:
        self.page_url = url
        self._public = {}
        out = Extracted()
        index = index_page(selector.root)
        nodes = nodes_from_blocks(index.json_ld)
        article = own_article_node(nodes, url, self.public, out)
        template = _template(index)
        self._url(index, url, out)
        self._post_id(index, out)
        self._title(index, template, article, out)
        self._subtitle(index, template, out)
        self._dates(index, article, out)
        self._categories(index, nodes, article, out)
        out.put("tags", self._tags(index), "site")
        body = self._body(index, template, out)
        self._attachments(body, out)
        self._images(index, out)
        self._translations(index, out)
        return out

    # --- identity -------------------------------------------------------------
    def _url(self, index: PageIndex, url: str, out: Extracted) -> None:
        canonical = index.links.get("canonical")
        if canonical:
            out.put("url", self.public(canonical), "meta")
        else:
            out.put("url", self.public(url), "url")

    def _post_id(self, index: PageIndex, out: Extracted) -> None:
        evidence = post_id_evidence(
            index.links.get("shortlink"),
            index.body_class,
            (element.get("id") or "" for element in index.tags.get("article", [])),
        )
        out.evidence["post_id"] = evidence
        post_id, layer = first_post_id(evidence)
        out.put("post_id", post_id, layer)

    # --- text fields ------------------------------------------------------------
    def _title(
        self, index: PageIndex, template: str, article: dict[str, Any], out: Extracted
    ) -> None:
        if template == "tdb":
            for h1 in index.classes.get("tdb-title-text", []):
                if h1.tag == "h1" and has_ancestor(h1, _TDB_TITLE_BLOCKS) and (text := _text(h1)):
                    out.put("title", text, "site:tdb")
                    return
        classic = [
            h1
            for h1 in index.classes.get("entry-title", [])
            if h1.tag == "h1" and has_ancestor(h1, frozenset(), frozenset({"article"}))
        ]
        classic.sort(key=lambda h1: not has_ancestor(h1, _CLASSIC_TITLE_HEADER))
        for h1 in classic:
            if text := heading_text(h1):
                out.put("title", text, "site:classic")
                return
        if text := generic_heading(index):
            out.put("title", text, "heading")
            return
        names = (*self.site_names, index.meta.get("og:site_name", ""))
        og_title = _squash(index.meta.get("og:title"))
        if og_title:
            out.put("title", strip_site_suffix(og_title, names, self.page_url), "meta")
        elif isinstance(article.get("headline"), str) and article["headline"].strip():
            out.put("title", _squash(article["headline"]), "json-ld")
        elif index.title.strip():
            out.put("title", strip_site_suffix(index.title, names, self.page_url), "title-tag")
        else:
            out.put("title", None, "none")

    def _subtitle(self, index: PageIndex, template: str, out: Extracted) -> None:
        if template == "tdb":
            for block in index.classes.get("tdb_single_subtitle", []):
                paragraphs = [_own_text(p) for p in block.iter("p")]
                inner = [
                    _own_text(el)
                    for el in block.iter()
                    if "tdb-block-inner" in (el.get("class") or "")
                ]
                if value := _squash(" ".join(paragraphs + inner)):
                    out.put("subtitle", value, "site:tdb")
                    return
        if value := _squash(
            " ".join(_own_text(el) for el in index.classes.get("td-post-sub-title", []))
        ):
            out.put("subtitle", value, "site:classic")
            return
        # The WP Subtitle plugin (and themes that copy its markup) under the headline.
        for token in WORDPRESS_SUBTITLE_TOKENS:
            for element in index.classes.get(token, []):
                if not elsewhere(element) and (value := _squash(_text(element))):
                    out.put("subtitle", value, "wordpress")
                    return
        out.put("subtitle", None, "none")

    def _tags(self, index: PageIndex) -> list[str]:
        tags: list[str] = []
        for block in index.classes.get("tdb_single_tags", []):
            tags.extend(text for a in block.iter("a") if (text := _own_text(a)))
        for block in index.classes.get("td-post-source-tags", []):
            for ul in block.iter("ul"):
                if "td-tags" in (ul.get("class") or "").split():
                    tags.extend(
                        text for li in ul.iter("li") for a in li.iter("a") if (text := _own_text(a))
                    )
        return list(dict.fromkeys(tags))

    # --- dates ------------------------------------------------------------------------
    def _dates(self, index: PageIndex, article: dict[str, Any], out: Extracted) -> None:
        microdata = index.meta.get("datePublished") or next(iter(index.microdata_dates), None)
        candidates = (
            ("json-ld", lambda: article.get("datePublished")),
            ("meta", lambda: index.meta.get("article:published_time")),
            ("meta", lambda: microdata),
            ("time-element", lambda: post_date(index, self.language)),
            ("url", lambda: url_date(out.fields["url"])),
        )
        first_date(candidates, "published_at", out)
        first_date(
            (
                ("json-ld", lambda: article.get("dateModified")),
                ("meta", lambda: index.meta.get("article:modified_time")),
            ),
            "modified_at",
            out,
        )

    # --- categories ---------------------------------------------------------------------
    def _categories(
        self,
        index: PageIndex,
        nodes: list[dict[str, Any]],
        article: dict[str, Any],
        out: Extracted,
    ) -> None:
        for layer, block_token, link_token in (
            ("site:tdb", "tdb-breadcrumbs", "tdb-entry-crumb"),
            ("site:classic", "entry-crumbs", "entry-crumb"),
        ):
            crumbs = [
                _own_text(a)
                for block in index.classes.get(block_token, [])
                for a in block.iter("a")
                if link_token in (a.get("class") or "").split()
            ]
            if crumbs:
                # The first crumb is Home; the title crumb is a span, not a link.
                out.put("categories", [c for c in crumbs[1:] if c], layer)
                return
        if crumbs := self._plugin_crumbs(index):
            out.put("categories", crumbs, "wordpress")
            return
        names = breadcrumb_names(nodes)
        if len(names) > 2:
            out.put("categories", names[1:-1], "json-ld")
            return
        classic = [
            _own_text(a)
            for ul in index.classes.get("td-category", [])
            if ul.tag == "ul"
            for li in ul.iter("li")
            if "entry-category" in (li.get("class") or "").split()
            for a in li.iter("a")
        ]
        if classic:
            out.put("categories", classic, "site:classic-category")
            return
        # The theme's "Posted in" links: every category, but in WordPress's order, not the tree's.
        posted_in = [
            text
            for block in index.classes.get("cat-links", [])
            for a in block.iter("a")
            if "tag" in (a.get("rel") or "").split() and (text := _own_text(a))
        ]
        if posted_in:
            out.put("categories", list(dict.fromkeys(posted_in)), "wordpress:cat-links")
            return
        section = article.get("articleSection")
        sections = section if isinstance(section, list) else [section]
        names = [name for name in sections if isinstance(name, str) and name.strip()]
        if names:
            out.put("categories", names, "json-ld")
            return
        out.put("categories", [], "none")

    def _plugin_crumbs(self, index: PageIndex) -> list[str]:
        """Category names from a breadcrumb plugin's trail (Yoast, Rank Math, NavXT...).

        Every such trail starts at the home page and ends at the post, either
        as a link to itself or as plain text (Yoast's ``breadcrumb_last``);
        what lies between is the category path, parent first.
        """
        trails = [
            *(last.getparent() for last in index.classes.get("breadcrumb_last", [])),
            *(el for token in BREADCRUMB_TOKENS for el in index.classes.get(token, [])),
        ]
        page = self.public(self.page_url)
        for trail in trails:
            if trail is None:
                continue
            links = [a for a in trail.iter("a") if a.get("href")]
            names = [
                text
                for a in links[1:]
                if self.public(a.get("href") or "") != page and (text := _own_text(a))
            ]
            if names:
                return names
        return []

    # --- body and what hangs off it -------------------------------------------------------
    def _containers(self, index: PageIndex, template: str) -> Iterator[tuple[str, HtmlElement]]:
        """Body containers to try, in layer order: the template's, then WordPress's (lazily)."""
        if template == "tdb":
            for block in index.classes.get("tdb_single_content", []):
                for element in block.iter():
                    if "tdb-block-inner" in (element.get("class") or "").split():
                        yield "site:tdb", element
                        break
                else:
                    continue
                break
        contents = [el for el in index.classes.get("td-post-content", []) if el.tag == "div"]
        if template == "classic":
            for element in contents:
                if has_ancestor(element, frozenset(), frozenset({"article"})):
                    yield "site:classic", element
                    break
        for element in (*contents, *index.classes.get("entry-content", [])):
            if not elsewhere(element):
                yield "site:content", element
                break
        wordpress = [*index.article_bodies]
        for token in WORDPRESS_CONTAINERS:
            wordpress += index.classes.get(token, [])
        for element in wordpress:
            if not elsewhere(element):
                yield "wordpress", element
                break

    def _read(self, element: HtmlElement, title: str) -> Body:
        container: HtmlElement = detached_copy(element)
        strip_furniture(container, self.page_url, title)
        return read_body(container, self.public, title=title)

    def _body(self, index: PageIndex, template: str, out: Extracted) -> Body:
        title = out.fields.get("title") or ""
        best: tuple[str, Body] | None = None
        for layer, element in self._containers(index, template):
            body = self._read(element, title)
            if body.text:
                best = (layer, body)
                break
        if best is None or len(best[1].text) < MIN_BODY_CHARS:
            main = main_text_container(index.root)
            if main is not None:
                generic = self._read(main, title)
                if best is None or len(generic.text) >= 3 * max(len(best[1].text), 1):
                    best = ("generic", generic) if generic.text else best
        if best is None:
            out.put("body_text", "", "none")
            out.put("body_html", "", "none")
            return Body()
        layer, body = best
        out.put("body_text", body.text, layer)
        out.put("body_html", body.html, layer)
        return body

    def _attachments(self, body: Body, out: Extracted) -> None:
        attachments: dict[str, dict[str, Any]] = {}
        for public, text in body.links:
            if _PDF.search(public.split("?")[0]) and public not in attachments:
                attachments[public] = {"url": public, "title": text or None}
        out.put("attachments", list(attachments.values()), "site" if attachments else "none")

    def _images(self, index: PageIndex, out: Extracted) -> None:
        groups = (
            [
                fig
                for block in index.classes.get("tdb_single_content", [])
                for fig in block.iter("figure")
            ],
            [
                fig
                for block in index.classes.get("tdb_single_featured_image", [])
                for fig in (*block.iter("figure"), block)
            ],
            index.classes.get("td-post-featured-image", []),
            # plain WordPress: the featured image, else the content's first figure
            [*index.classes.get("post-thumbnail", []), *index.classes.get("wp-post-image", [])],
            [
                fig
                for block in index.classes.get("entry-content", [])
                for fig in block.iter("figure")
            ],
        )
        for figures in groups:
            for figure in figures:
                src = next(
                    (img.get("src") for img in figure.iter("img") if img.get("src") is not None),
                    None,
                )
                if src:
                    captions = [_text(c) for c in figure.iter("figcaption")]
                    caption = _squash(" ".join(captions)) or None
                    out.put("images", [{"url": self.public(src), "caption": caption}], "site")
                    return
        og_image = index.meta.get("og:image")
        if og_image:
            out.put("images", [{"url": self.public(og_image), "caption": None}], "meta")
        else:
            out.put("images", [], "none")

    def _translations(self, index: PageIndex, out: Extracted) -> None:
        translations: dict[str, str] = {}
        layer = "site"
        links = [
            a
            for block in index.classes.get("snhr-available-in", [])
            for a in block.iter("a")
            if a.get("href") is not None
        ]
        if not links:
            # Classic-era pages print the switch as plain paragraphs: a label
            # ("Available In", "متوفر باللغة") and then the links.
            links, layer = _labelled_switch_links(index), "site:label"
        for link in dict.fromkeys(links):
            language = link.get("hreflang") or LANGUAGE_NAMES.get(_squash(link.text).casefold(), "")
            href = (link.get("href") or "").strip()
            # hreflang may be regional ("en-US"): the language is its first part.
            language = language.split("-")[0].lower()
            if language and href and language != self.language:
                translations.setdefault(language, self.public(href))
        out.put("translations", translations, layer if translations else "none")


def _template(index: PageIndex) -> str:
    """``tdb`` (Cloud Library), ``classic`` (td-*) or ``other``, from the indexed tokens."""
    if "tdb_single_content" in index.classes or "tdb_title" in index.classes:
        return "tdb"
    if "td-post-content" in index.classes:
        return "classic"
    return "other"


def _labelled_switch_links(index: PageIndex) -> list[HtmlElement]:
    """Links of a language switch introduced by a label paragraph.

    The links sit either in the label's own paragraph ("Available In: English
    | عربي") or in the element right after it.
    """
    for block in index.root.iter("p", "h4", "h5", "h6"):
        own_links = [a for a in block.iter("a") if a.get("href") is not None]
        rest = _squash(block.text_content())
        for link in own_links:
            rest = rest.replace(_squash(link.text_content()), "", 1)
        if rest.strip(" :|/-·").casefold() not in AVAILABLE_IN_LABELS:
            continue
        if own_links:
            return own_links
        following = block.getnext()
        while following is not None and not isinstance(following.tag, str):
            following = following.getnext()
        if following is None:
            return []
        return [a for a in following.iter("a") if a.get("href") is not None]
    return []
