"""The article body: furniture removed, blocks kept, HTML sanitised.

The body container of a tagDiv page also holds things that are not the
article: the featured figure whose caption repeats the title, the "Available
In" language switch, share buttons, ads and embedded blocks. They are removed
first. What remains is read as a sequence of blocks (paragraphs, headings,
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

BLOCK_TAGS = frozenset({"p", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "li"})
LIST_TAGS = frozenset({"ul", "ol"})
INLINE_TAGS = frozenset({"a", "strong", "em", "b", "i", "sup", "sub", "br"})
DROP_TAGS = frozenset(
    {
        "script",
        "style",
        "noscript",
        "iframe",
        "figure",
        "figcaption",
        "form",
        "button",
        "svg",
        "img",
    }
)
#: Class fragments of page furniture that can sit inside the body container.
FURNITURE_CLASSES = (
    "td-post-featured-image",
    "wp-caption",
    "available-in",
    "td-post-sharing",
    "td-a-rec",
    "td_block_wrap",
    "sharedaddy",
)
#: Labels of the language switch, in both languages.
AVAILABLE_IN_LABELS = frozenset(
    {"available in", "languages", "متوفر باللغة", "متوفر باللغات", "اللغات"}
)


@dataclass
class Body:
    text: str = ""
    html: str = ""
    blocks: list[str] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)  # (href, text) in the article


def _squash(text: str) -> str:
    return " ".join(text.split())


def _is_furniture(element: HtmlElement) -> bool:
    classes = element.get("class", "")
    return any(fragment in classes for fragment in FURNITURE_CLASSES)


def _is_available_in_label(element: HtmlElement) -> bool:
    return _squash(element.text_content()).rstrip(":").casefold() in AVAILABLE_IN_LABELS


def _is_link_only(element: HtmlElement) -> bool:
    """A paragraph made only of links and separators (the language links)."""
    links = element.findall(".//a")
    rest = _squash(element.text_content())
    for link in links:
        rest = rest.replace(_squash(link.text_content()), "", 1)
    return bool(links) and not rest.strip(" |/-·")


def strip_furniture(container: HtmlElement) -> None:
    """Remove non-article elements from the body container, in place."""
    for element in list(container.iter()):
        if not isinstance(element.tag, str):  # comments, processing instructions
            if element.getparent() is not None:
                element.drop_tree()
            continue
        if element is container or element.getparent() is None:
            continue
        if element.tag in DROP_TAGS or _is_furniture(element):
            element.drop_tree()
    # An "Available In" label and the link paragraph that follows it.
    for element in list(container.iter("p", "div", "h4", "h5", "h6")):
        if element.getparent() is None or not _is_available_in_label(element):
            continue
        following = element.getnext()
        if following is not None and _is_link_only(following):
            following.drop_tree()
        element.drop_tree()


def _blocks(element: HtmlElement) -> Iterator[HtmlElement]:
    for child in element:
        if not isinstance(child.tag, str):
            continue
        if child.tag in BLOCK_TAGS or child.tag in LIST_TAGS:
            yield child
        elif child.tag in (
            "div",
            "section",
            "article",
            "span",
            "center",
            "font",
            "table",
            "tbody",
            "tr",
            "td",
        ):
            if any(
                isinstance(c.tag, str)
                and (c.tag in BLOCK_TAGS or c.tag in LIST_TAGS or c.tag == "div")
                for c in child
            ):
                yield from _blocks(child)
            elif _squash(child.text_content()):
                yield child  # a bare text div: treat as a paragraph


def _inline_html(element: HtmlElement, map_url: Callable[[str], str]) -> str:
    parts: list[str] = []
    if element.text:
        parts.append(html.escape(element.text, quote=False))
    for child in element:
        if isinstance(child.tag, str) and child.tag not in DROP_TAGS:
            inner = _inline_html(child, map_url)
            if child.tag == "br":
                parts.append("<br>")
            elif child.tag == "a" and child.get("href"):
                href = html.escape(map_url(child.get("href", "").strip()), quote=True)
                parts.append(f'<a href="{href}">{inner}</a>')
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
        (a.get("href", "").strip(), _squash(a.text_content()))
        for a in container.iter("a")
        if a.get("href")
    ]
    html_blocks: list[str] = []
    for block in _blocks(container):
        items = (
            [li for li in block if isinstance(li.tag, str) and li.tag == "li"]
            if block.tag in LIST_TAGS
            else [block]
        )
        texts = [_squash(item.text_content()) for item in items]
        texts = [text for text in texts if text]
        if not texts:
            continue
        tag = block.tag if block.tag in BLOCK_TAGS or block.tag in LIST_TAGS else "p"
        if tag in LIST_TAGS:
            inner = "".join(f"<li>{_collapse(_inline_html(li, map_url))}</li>" for li in items)
        else:
            inner = _collapse(_inline_html(block, map_url))
        body.blocks.extend(texts)
        html_blocks.append(f"<{tag}>{inner}</{tag}>")
    if title and body.blocks and _squash(body.blocks[-1]) == _squash(title):
        body.blocks.pop()
        html_blocks.pop()
    body.text = "\n\n".join(body.blocks)
    body.html = "\n".join(html_blocks)
    return body


def detached_copy(element: HtmlElement) -> HtmlElement:
    """A deep copy of an element, so stripping furniture never touches the page."""
    return copy.deepcopy(element)
