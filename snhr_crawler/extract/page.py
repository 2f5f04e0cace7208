"""One pass over a page's tree: everything the field layers look up, indexed.

A CSS or XPath query scans the whole tree each time it runs; the parser used
to run some twenty-five of them per page and most of its time went there.
:func:`index_page` walks the tree once and files what the layers need: head
tags (meta, link, title, JSON-LD), the elements of the tags the layers read,
and the elements carrying one of the class tokens a layer asks for. Every
layer then works on those few elements and their own subtrees.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from lxml.html import HtmlElement

#: Tags filed by name (document order kept).
INDEXED_TAGS = frozenset({"h1", "time", "article"})

#: Class tokens filed by token: what the site, WordPress and date layers ask for.
INDEXED_CLASSES = frozenset(
    {
        # titles and subtitles
        "tdb_title",
        "tdb-single-title",
        "tdb-title-text",
        "entry-title",
        "tdb_single_subtitle",
        "td-post-sub-title",
        # body containers: the theme's own, then WordPress's common ones
        "tdb_single_content",
        "td-post-content",
        "entry-content",
        "post-content",
        "article-content",
        "article-body",
        "post-body",
        "entry-body",
        "story-content",
        "single-content",
        "the-content",
        "entry",
        "post-entry",
        "elementor-widget-theme-post-content",
        # crumbs, categories, tags, images, language switch
        "tdb-breadcrumbs",
        "entry-crumbs",
        "td-category",
        "tdb_single_tags",
        "td-post-source-tags",
        "tdb_single_featured_image",
        "td-post-featured-image",
        "snhr-available-in",
        # plain WordPress: breadcrumb plugins (Yoast, Rank Math, NavXT), category links,
        # the WP Subtitle plugin, the featured image
        "breadcrumb_last",
        "breadcrumbs",
        "breadcrumb",
        "yoast-breadcrumbs",
        "rank-math-breadcrumb",
        "breadcrumb-trail",
        "cat-links",
        "wp-subtitle",
        "entry-subtitle",
        "post-thumbnail",
        "wp-post-image",
    }
)

#: Class tokens of a post's visible date, beside ``<time>`` elements.
DATE_CLASSES = frozenset(
    {
        "entry-date",
        "post-date",
        "posted-on",
        "published",
        "tie-date",
        "jeg_meta_date",
        "meta-date",
        "post-meta-date",
        "article-date",
        "byline-date",
        "entry-meta-date",
        "elementor-post-info__item--type-date",
    }
)


@dataclass
class PageIndex:
    """What :func:`index_page` found, in document order."""

    root: HtmlElement
    lang: str = ""
    body_class: str = ""
    title: str = ""
    meta: dict[str, str] = field(default_factory=dict)  # property/name/itemprop -> content
    links: dict[str, str] = field(default_factory=dict)  # rel -> href (first)
    json_ld: list[str] = field(default_factory=list)
    tags: dict[str, list[HtmlElement]] = field(default_factory=lambda: defaultdict(list))
    classes: dict[str, list[HtmlElement]] = field(default_factory=lambda: defaultdict(list))
    #: ``<time>`` elements and elements with a date class, in document order.
    dates: list[HtmlElement] = field(default_factory=list)
    #: Elements with ``itemprop="articleBody"``.
    article_bodies: list[HtmlElement] = field(default_factory=list)
    #: ``content`` of elements other than ``<meta>``/``<time>`` with ``itemprop="datePublished"``.
    microdata_dates: list[str] = field(default_factory=list)

    def first(self, token: str) -> HtmlElement | None:
        found = self.classes.get(token)
        return found[0] if found else None


def _record_head(index: PageIndex, element: HtmlElement, tag: str) -> None:
    if tag == "meta":
        content = element.get("content")
        if content is None:
            return
        for attribute in ("property", "name", "itemprop"):
            key = element.get(attribute)
            if key:
                index.meta.setdefault(key.strip(), content)
    elif tag == "link":
        href = element.get("href")
        for rel in (element.get("rel") or "").lower().split():
            if href:
                index.links.setdefault(rel, href)
    elif tag == "script":
        if (element.get("type") or "").strip().lower() == "application/ld+json" and element.text:
            index.json_ld.append(element.text)
    elif tag == "title" and not index.title:
        index.title = element.text_content()


_HEAD_TAGS = frozenset({"meta", "link", "script", "title"})
_WATCHED = INDEXED_CLASSES | DATE_CLASSES
#: A class attribute's watched tokens and whether it marks a date, per attribute string.
#: Themes repeat the same few hundred attribute strings on every page, so a lookup
#: replaces splitting each one; the cache is bounded and simply restarts when full.
_CLASS_CACHE: dict[str, tuple[tuple[str, ...], bool]] = {}
_CLASS_CACHE_SIZE = 20_000
_NOTHING: tuple[tuple[str, ...], bool] = ((), False)


def _watched_tokens(class_attr: str) -> tuple[tuple[str, ...], bool]:
    tokens = class_attr.split()
    if _WATCHED.isdisjoint(tokens):
        found = _NOTHING
    else:
        found = (
            tuple(token for token in tokens if token in INDEXED_CLASSES),
            not DATE_CLASSES.isdisjoint(tokens),
        )
    if len(_CLASS_CACHE) >= _CLASS_CACHE_SIZE:
        _CLASS_CACHE.clear()
    _CLASS_CACHE[class_attr] = found
    return found


def index_page(root: HtmlElement) -> PageIndex:
    """Walk the tree once and file what the extraction layers need.

    The loop is the parser's hottest code (every element of the page): an
    attribute read and a dictionary lookup per element; everything else is
    left to the layers.
    """
    index = PageIndex(root=root, lang=(root.get("lang") or "").strip())
    tags, classes, dates = index.tags, index.classes, index.dates
    cached = _CLASS_CACHE.get
    for element in root.iter():
        tag = element.tag
        if tag in _HEAD_TAGS:
            _record_head(index, element, tag)
            continue
        if tag in INDEXED_TAGS:
            tags[tag].append(element)
            if tag == "time":
                dates.append(element)
        class_attr = element.get("class")
        if class_attr:
            watched, dated = cached(class_attr) or _watched_tokens(class_attr)
            for token in watched:
                classes[token].append(element)
            if dated and tag != "time":
                dates.append(element)
            if tag == "body":
                index.body_class = class_attr
        itemprop = element.get("itemprop")
        if itemprop == "articleBody":
            index.article_bodies.append(element)
        elif itemprop == "datePublished" and tag != "time" and (value := element.get("content")):
            index.microdata_dates.append(value)  # a <time> is read as the date element it is
    return index


#: Regions that hold other posts, wherever they sit: sidebars, widgets, related
#: posts, listing modules, comments.
_OTHER_POSTS = re.compile(
    r"(?:^|\s)(?:sidebar|\S*[-_]sidebar|sidebar[-_]\S*|widget|\S*[-_]widget|widget[-_]\S*"
    r"|\S*related\S*|\S*comments?\S*|yarpp\S*"
    r"|td_module_\S+|tdb_module_\S+|td-module-container|td_block_inner|jeg_post|jeg_postblock\S*)(?=\s|$)",
    re.IGNORECASE,
)
#: The site's chrome: header (with its "today" widget), menus, footer. Inside the
#: post's article these names mean the post's own header or footer instead.
_CHROME = re.compile(
    r"(?:^|\s)(?:\S*footer\S*|td-header-\S+|tdb_header_\S+|site-header|jeg_header\S*"
    r"|menu|menu[-_]\S*|\S*[-_]menu)(?=\s|$)",
    re.IGNORECASE,
)
_OTHER_POSTS_TAGS = frozenset({"aside", "nav"})
_CHROME_TAGS = frozenset({"footer"})
_PAGE_TAGS = frozenset({"body", "html"})


def elsewhere(element: HtmlElement) -> bool:
    """True when ``element`` sits in a sidebar, widget, related block, module or the site's chrome.

    The walk up stops at the nearest ``<article>``: what is inside the post's
    article is judged inside it (its own header and footer are the post's),
    and broken markup that nests the article in the header's menu does not
    make the post part of the menu.
    """
    chrome = False
    for ancestor in element.iterancestors():
        tag = ancestor.tag
        if tag == "article":
            return False
        if tag in _PAGE_TAGS:
            return chrome
        if tag in _OTHER_POSTS_TAGS:
            return True
        class_attr = ancestor.get("class")
        if class_attr and _OTHER_POSTS.search(class_attr):
            return True
        if tag in _CHROME_TAGS or (class_attr and _CHROME.search(class_attr)):
            chrome = True
    return chrome


def has_ancestor(
    element: HtmlElement, tokens: frozenset[str], tags: frozenset[str] = frozenset()
) -> bool:
    """True when an ancestor carries one of ``tokens`` or is one of ``tags``."""
    for ancestor in element.iterancestors():
        if ancestor.tag in tags:
            return True
        class_attr = ancestor.get("class")
        if class_attr and not tokens.isdisjoint(class_attr.split()):
            return True
    return False
