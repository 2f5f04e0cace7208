"""The article body: furniture removed, blocks kept, HTML sanitised.

The body container of a tagDiv page also holds things that are not the
article: the featured figure whose caption repeats the title, the "Available
In" language switch, share buttons, ads and embedded blocks. They are removed
first (``snhr_crawler.extract.furniture`` says how). What remains is read as a sequence of blocks (paragraphs, headings,
list items, quotes); ``body_text`` joins their text with a blank line and
``body_html`` re-serialises them with an allow-list of tags and attributes, so
no script, style or event handler can survive.
"""

from __future__ import annotations

import copy
import html
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from lxml.html import HtmlElement

from snhr_crawler.extract.furniture import DROP_TAGS, FurnitureStripper
from snhr_crawler.extract.safety import BLOCK_LIMIT, squash
from snhr_crawler.urls import split

BLOCK_TAGS = frozenset({"p", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "li"})
LIST_TAGS = frozenset({"ul", "ol"})
INLINE_TAGS = frozenset({"a", "strong", "em", "b", "i", "sup", "sub", "br"})
#: Link schemes kept in body_html; anything else (javascript:, data:) loses its link.
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
#: Labels of the language switch, in both languages.
AVAILABLE_IN_LABELS = frozenset(
    {"available in", "languages", "متوفر باللغة", "متوفر باللغات", "اللغات"}
)


@dataclass
class Body:
    text: str = ""
    html: str = ""
    links: list[tuple[str, str]] = field(default_factory=list)  # (public URL, text) in the article


def _squash(text: str) -> str:
    return squash(text, BLOCK_LIMIT)


def _is_available_in_label(element: HtmlElement) -> bool:
    return _squash(element.text_content()).rstrip(":").casefold() in AVAILABLE_IN_LABELS


def _is_link_only(element: HtmlElement) -> bool:
    """A paragraph made only of links and separators (the language links)."""
    links = element.findall(".//a")
    rest = _squash(element.text_content())
    for link in links:
        rest = rest.replace(_squash(link.text_content()), "", 1)
    return bool(links) and not rest.strip(" |/-·")


def strip_furniture(container: HtmlElement, page_url: str = "", title: str = "") -> None:
    """Remove non-article elements from the body container, in place."""
    FurnitureStripper(page_url, title).strip(container)
    # An "Available In" label and the link paragraph that follows it.
    for element in list(container.iter("p", "div", "h4", "h5", "h6")):
        if element.getparent() is None or not _is_available_in_label(element):
            continue
        following = element.getnext()
        if following is not None and _is_link_only(following):
            following.drop_tree()
        element.drop_tree()


#: Elements that hold blocks rather than being one.
CONTAINER_TAGS = frozenset(
    {"div", "section", "article", "main", "center", "figure", "table", "tbody", "tr", "td"}
)


def _is_block(element: object) -> bool:
    tag = getattr(element, "tag", None)
    return isinstance(tag, str) and (tag in BLOCK_TAGS or tag in LIST_TAGS or tag in CONTAINER_TAGS)


def _wrap_loose_text(container: HtmlElement) -> None:
    """Put text that sits directly in a container into ``<p>`` blocks, in place.

    Old posts often have no paragraphs at all ("On January 3, ...<br>He was
    taken ..."), and text can sit between blocks; without this it would be
    lost. A ``<br>`` between loose runs separates paragraphs.
    """
    kept: list[HtmlElement] = []
    run: list[str | HtmlElement] = []

    def flush() -> None:
        if not any(_squash(p if isinstance(p, str) else p.text_content()) for p in run):
            run.clear()
            return
        paragraph = container.makeelement("p", {})
        for part in run:
            if isinstance(part, str):
                if len(paragraph):
                    paragraph[-1].tail = (paragraph[-1].tail or "") + part
                else:
                    paragraph.text = (paragraph.text or "") + part
            else:
                paragraph.append(part)
        kept.append(paragraph)
        run.clear()

    if container.text:
        run.append(container.text)
    for child in list(container):
        tail, child.tail = child.tail, None
        if _is_block(child):
            flush()
            kept.append(child)
        elif getattr(child, "tag", None) == "br":
            flush()
        elif isinstance(child.tag, str):
            run.append(child)
        if tail:
            run.append(tail)
    flush()
    container.text = None
    for child in list(container):
        container.remove(child)
    container.extend(kept)


#: Inline elements nested deeper than this are read as plain text: no article nests
#: ``<b><i><a>`` more than a few levels, and a hostile page nesting thousands
#: must not exhaust the interpreter's stack.
MAX_INLINE_DEPTH = 64


def _blocks(element: HtmlElement) -> Iterator[HtmlElement]:
    """The blocks under ``element`` in document order, containers opened (without recursion:
    a page nesting a hundred thousand ``div`` must cost time, never the stack)."""
    stack = [iter(_opened(element))]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
        elif child.tag in CONTAINER_TAGS:
            stack.append(iter(_opened(child)))
        elif _is_block(child):
            yield child


def _opened(element: HtmlElement) -> list[HtmlElement]:
    _wrap_loose_text(element)
    return list(element)


def _inline_html(element: HtmlElement, map_url: Callable[[str], str], depth: int = 0) -> str:
    parts: list[str] = []
    if depth > MAX_INLINE_DEPTH:
        return html.escape(element.text_content(), quote=False)
    if element.text:
        parts.append(html.escape(element.text, quote=False))
    for child in element:
        if isinstance(child.tag, str) and child.tag not in DROP_TAGS:
            inner = _inline_html(child, map_url, depth + 1)
            if child.tag == "br":
                parts.append("<br>")
            elif child.tag == "a" and child.get("href"):
                target = map_url(child.get("href", ""))
                pieces = split(target)
                if pieces is not None and pieces.scheme in SAFE_SCHEMES:
                    parts.append(f'<a href="{html.escape(target, quote=True)}">{inner}</a>')
                else:  # javascript:, data: and the like: keep the words, not the link
                    parts.append(inner)
            elif child.tag in INLINE_TAGS and child.tag != "a":
                parts.append(f"<{child.tag}>{inner}</{child.tag}>")
            else:
                parts.append(inner)  # unknown inline element: keep its text only
        if child.tail:
            parts.append(html.escape(child.tail, quote=False))
    return "".join(parts)


def _collapse(markup: str) -> str:
    return " ".join(markup.split())


def read_body(container: HtmlElement, map_url: Callable[[str], str], title: str = "") -> Body:
    """Blocks of the (already stripped) container as text and sanitised HTML.

    A last block that only repeats the title (a caption printed as text) is
    dropped, as are empty blocks.
    """
    body = Body()
    body.links = [
        (map_url(a.get("href", "").strip()), _squash(a.text_content()))
        for a in container.iter("a")
        if a.get("href")
    ]
    for br in container.iter("br"):  # a line break separates words in the text too
        br.tail = "\n" + (br.tail or "")
    read: list[tuple[list[str], str]] = []  # per block: its paragraphs' text, its HTML
    for block in _blocks(container):
        items = (
            [li for li in block if isinstance(li.tag, str) and li.tag == "li"]
            if block.tag in LIST_TAGS
            else [block]
        )
        texts = [text for text in (_squash(item.text_content()) for item in items) if text]
        if not texts:
            continue
        tag = block.tag if block.tag in BLOCK_TAGS or block.tag in LIST_TAGS else "p"
        if tag in LIST_TAGS:
            inner = "".join(f"<li>{_collapse(_inline_html(li, map_url))}</li>" for li in items)
        else:
            inner = _collapse(_inline_html(block, map_url))
        read.append((texts, f"<{tag}>{inner}</{tag}>"))
    if title and read and read[-1][0] == [_squash(title)]:
        read.pop()  # the caption printed as a last paragraph
    body.text = "\n\n".join(text for texts, _ in read for text in texts)
    body.html = "\n".join(markup for _, markup in read)
    return body


def detached_copy(element: HtmlElement) -> HtmlElement:
    """A deep copy of an element, so stripping furniture never touches the page."""
    return copy.deepcopy(element)
