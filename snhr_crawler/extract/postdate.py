"""The post's own visible date element, wherever the theme puts it.

Candidates are ``<time>`` elements and elements with a date class
(``page.DATE_CLASSES``: tagDiv's ``entry-date``, WordPress's ``posted-on``,
TieLabs' ``tie-date``, JNews' ``jeg_meta_date``, ...), in document order.
Never read: anything in a sidebar, widget, related block, listing module,
comment or the site header (the "today" widget) or footer
(``page.elsewhere``), and an element marked as the update time
(``itemprop="dateModified"``) while another candidate is left.

Preferred, in this order: the tdb date block; the post header (tagDiv's
``td-post-header``, the common themes' ``entry-header``, ``post-meta``...);
anywhere in the post's ``<article>``; anywhere else on the page. Within a
rank a candidate marked as the publication time (``published``,
``itemprop="datePublished"``) wins, then document order.

A ``datetime`` attribute is read as is; without one, the element's text is a
date written for people in the page's language (``html[lang]``), and, failing
that, in the spider's.
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml.html import HtmlElement

from snhr_crawler.dates import human_date, is_iso_datetime
from snhr_crawler.extract.page import PageIndex, elsewhere

_TDB_DATE = frozenset({"tdb_single_date"})
_POST_HEADER = frozenset(
    {
        "td-post-header",
        "td-post-title",
        "entry-header",
        "post-header",
        "article-header",
        "entry-meta",
        "post-meta",
        "jeg_meta_container",
        "jeg_post_meta",
        "td-module-meta-info",
    }
)
_PUBLISHED = frozenset({"published", "entry-date"})
_MODIFIED_PROPS = frozenset({"dateModified"})


def _rank(element: HtmlElement) -> int:
    in_article = False
    in_header = False
    for ancestor in element.iterancestors():
        tokens = (ancestor.get("class") or "").split()
        if not _TDB_DATE.isdisjoint(tokens):
            return 0
        if not _POST_HEADER.isdisjoint(tokens) or ancestor.tag == "header":
            in_header = True
        if ancestor.tag == "article":
            in_article = True
    return 1 if in_header else 2 if in_article else 3


def _marked_published(element: HtmlElement) -> bool:
    tokens = (element.get("class") or "").split()
    return element.get("itemprop") in ("datePublished", "dateCreated") or "published" in tokens


def candidates(index: PageIndex) -> list[HtmlElement]:
    """The post's date elements, best first."""
    found = []
    for position, element in enumerate(index.dates):
        if element.tag != "time" and element.find(".//time") is not None:
            continue  # a wrapper: its <time> is a candidate of its own
        if elsewhere(element):
            continue
        modified = element.get("itemprop") in _MODIFIED_PROPS
        found.append(
            ((modified, _rank(element), not _marked_published(element), position), element)
        )
    return [element for _, element in sorted(found, key=lambda item: item[0])]


def _readings(element: HtmlElement, languages: tuple[str, ...]) -> Iterator[tuple[str, str]]:
    machine = (element.get("datetime") or "").strip()
    if machine:
        yield "datetime", machine
        return
    written = " ".join(element.text_content().split())
    if written:
        for language in languages:
            try:
                day = human_date(written, language)
            except ValueError:  # a language dateparser does not know ("pap", "x-default")
                continue
            if day:
                yield "text", day
                return


def post_date(index: PageIndex, language: str) -> str | None:
    """The publication date (ISO) from the post's own date element, or None."""
    page_language = index.lang.split("-")[0].lower()
    languages = tuple(dict.fromkeys(filter(None, (page_language, language))))
    for element in candidates(index):
        for _, value in _readings(element, languages):
            if is_iso_datetime(value):
                return value
    return None
