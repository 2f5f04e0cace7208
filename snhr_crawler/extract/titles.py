"""Headlines: the whole text of the heading, and a site-name suffix rule for any site.

The theme's heading is read with its children (``<b>``, ``<em>``, links), so
no word is dropped. Where no theme heading is found, the page's own ``<h1>``
is looked for (one with a title class, else the one in the article, else the
only one), and only then ``og:title`` / ``<title>``, which usually carry the
site's name after a separator: " - Site", " | Site", " – Site". That suffix
is removed when it names the site: ``og:site_name``, one of the names the
caller knows (SNHR's, by default), or the page's host ("Chicago Reader" on
chicagoreader.com). A headline that merely contains a dash keeps it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from lxml.html import HtmlElement

from snhr_crawler.extract.page import PageIndex, elsewhere
from snhr_crawler.extract.safety import squash as one_line
from snhr_crawler.urls import host_of

#: Site names known without looking at the page (SNHR's, in both languages).
KNOWN_SITE_NAMES = ("Syrian Network for Human Rights", "الشبكة السورية لحقوق الإنسان")

_SEPARATOR = re.compile(r"\s+(?:[-|–—·•»:]|::)\s+")
_NOT_ALNUM = re.compile(r"[\W_]+")
_TITLE_CLASS = re.compile(r"title|headline", re.IGNORECASE)


def squash(text: str | None) -> str:
    return one_line(text)


def heading_text(element: HtmlElement) -> str:
    """All the text of a heading, children included, whitespace collapsed."""
    return squash(element.text_content())


def _folded(text: str) -> str:
    return _NOT_ALNUM.sub("", text).casefold()


def _host_names(url: str) -> set[str]:
    """The host, folded, whole and as its first label ("chicagoreader.com": both)."""
    host = host_of(url)
    if host.startswith("www."):
        host = host[4:]
    return {_folded(host), _folded(host.split(".")[0])} - {""}


def _names_host(suffix: str, hosts: set[str]) -> bool:
    return len(suffix) >= 4 and (suffix in hosts or suffix.removeprefix("the") in hosts)


def strip_site_suffix(title: str, site_names: Iterable[str], page_url: str = "") -> str:
    """``title`` without a trailing " - Site" that names the site; else unchanged."""
    title = squash(title)
    names = {_folded(name) for name in site_names if name and name.strip()}
    hosts = _host_names(page_url)
    for match in reversed(list(_SEPARATOR.finditer(title))):
        head, suffix = title[: match.start()], _folded(title[match.end() :])
        if not head or not suffix:
            continue
        if suffix in names or _names_host(suffix, hosts):
            return head.strip()
    return title


def generic_heading(index: PageIndex) -> str:
    """The page's own ``<h1>`` when no theme layer knew it."""
    headings = [
        (h1, text)
        for h1 in index.tags.get("h1", [])
        if (text := heading_text(h1)) and not elsewhere(h1)
    ]
    if not headings:
        return ""
    for h1, text in headings:
        if _TITLE_CLASS.search(h1.get("class") or ""):
            return text
    for h1, text in headings:
        if any(ancestor.tag in ("article", "main") for ancestor in h1.iterancestors()):
            return text
    return headings[0][1] if len(headings) == 1 else ""
