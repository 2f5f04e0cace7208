"""Markup shared by tagDiv pages: escaping, inline bodies, crumbs, pagination.

Clock-dependent fragments are written as :data:`DATE_SLOT` / :data:`RELATED_SLOT`
markers into otherwise pre-rendered pages; the server splits on them once and
only fills the slots per request (that is what makes 1,500 pages/s cheap).
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from .model import Block, Em, Inline, Link, Strong

DATE_SLOT = "\x00date\x00"
RELATED_SLOT = "\x00related\x00"
SITE_NAME = {"en": "Syrian Network for Human Rights", "ar": "الشبكة السورية لحقوق الإنسان"}

#: Where a body link points, as one rendering spells it (a page, or the ground truth).
LinkHref = Callable[[Link], str]


def esc(text: str) -> str:
    """Text-node escaping (quotes left alone, as WordPress does)."""
    return escape(text, quote=False)


def attr(text: str) -> str:
    return escape(text, quote=True)


def page_href(origins: dict[str, str]) -> LinkHref:
    """Links as a served page spells them: on ``origins``, pasted ones without their slash."""

    def href(link: Link) -> str:
        if link.url:
            return link.url
        return origins[link.family] + (link.path.rstrip("/") if link.bare else link.path)

    return href


def render_inline(node: Inline, href: LinkHref, *, page: bool = True) -> str:
    """One inline node; ``page=False`` is the ground-truth spelling (``href`` attribute only)."""
    if isinstance(node, str):
        return esc(node)
    if isinstance(node, Strong):
        return f"<strong>{esc(node.text)}</strong>"
    if isinstance(node, Em):
        return f"<em>{esc(node.text)}</em>"
    extra = ' target="_blank" rel="noopener"' if page and node.path.endswith(".pdf") else ""
    return f'<a href="{attr(href(node))}"{extra}>{esc(node.text)}</a>'


def render_block(block: Block, href: LinkHref, *, page: bool = True) -> str:
    inner = "".join(render_inline(node, href, page=page) for node in block.inlines)
    return f"<{block.tag}>{inner}</{block.tag}>"


def truncate_crumb(title: str, limit: int = 70) -> str:
    """tdb's last breadcrumb: whole words up to ``limit`` characters, then "..."."""
    if len(title) <= limit:
        return title
    words: list[str] = []
    length = 0
    for word in title.split():
        if length + len(word) + (1 if words else 0) > limit:
            break
        length += len(word) + (1 if words else 0)
        words.append(word)
    return " ".join(words).rstrip(",;:") + "..."


def excerpt(text: str, words: int = 8) -> str:
    """Related-News excerpts: the first words, cut with "..."."""
    parts = text.split()
    return " ".join(parts[:words]).rstrip(",.;:") + "..." if len(parts) > words else text


def pagination(base_url: str, current: int, last: int, language: str) -> str:
    """tagDiv ``get_pagination()``: prev, first, extend, pages, current, last, next, "Page X of Y"."""
    if last <= 1:
        return ""

    def url(n: int) -> str:
        return base_url if n == 1 else f"{base_url}page/{n}/"

    parts = ['<div class="page-nav td-pb-padding-side">']
    if current > 1:
        parts.append(
            f'<a href="{url(current - 1)}" aria-label="prev-page" ><i class="page-nav-icon td-icon-menu-left"></i></a>'
        )
    window = range(max(1, current - 2), min(last, current + 2) + 1)
    if window.start > 1:
        parts.append(f'<a href="{url(1)}" class="first" title="1">1</a>')
        if window.start > 2:
            parts.append('<span class="extend">...</span>')
    for n in window:
        if n == current:
            parts.append(f'<span class="current">{n}</span>')
        elif n == last:
            continue
        else:
            parts.append(f'<a href="{url(n)}" class="page" title="{n}">{n}</a>')
    if current != last:
        if window.stop - 1 < last - 1:
            parts.append('<span class="extend">...</span>')
        parts.append(f'<a href="{url(last)}" class="last" title="{last}">{last}</a>')
        parts.append(
            f'<a href="{url(current + 1)}" aria-label="next-page" ><i class="page-nav-icon td-icon-menu-right"></i></a>'
        )
    label = f"صفحة {current} من {last}" if language == "ar" else f"Page {current} of {last}"
    parts.append(f'<span class="pages">{label}</span><div class="clearfix"></div></div>')
    return "".join(parts)


def fbpx() -> str:
    """The Facebook pixel fallback at the top of snhr.org pages ("fbpx" in text dumps)."""
    return (
        '<noscript><img height="1" width="1" style="display:none" alt="fbpx" '
        'src="https://www.facebook.com/tr?id=1404707656362468&amp;ev=PageView&amp;noscript=1" />'
        "</noscript>"
    )
