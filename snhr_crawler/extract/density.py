"""The last body layer: the element where the page's prose is densest.

Used when no content container of the theme or of WordPress is found, or the
one found yields too little. Every paragraph-like element outside the site's
chrome (sidebars, widgets, related blocks, comments, header and footer) votes
for its parent with its own text length, discounted by the share of it that is
link text, and for its grandparent with half of that; the element with the
most votes holds the article. That is the classic readability rule, small and
predictable, with the same furniture stripping as every other layer after it.

Why not trafilatura at run time: on the real-pages benchmark
(``benchmarks/real_pages.py``, the "generic layer alone" row) this rule and
the furniture stripping find the same bodies as trafilatura does at a
fraction of its time (trafilatura parses and cleans the page again, 5-40 ms
a page), and it would become a runtime dependency with its own release
cadence for a layer that only pages the theme layers miss ever reach.
"""

from __future__ import annotations

from lxml.html import HtmlElement

from snhr_crawler.extract.page import elsewhere

#: Elements whose text counts as prose.
PROSE_TAGS = ("p", "pre", "blockquote", "h2", "h3", "h4", "li")
#: A paragraph shorter than this (in characters) does not vote: captions, labels, bylines.
MIN_PROSE = 25


def _squash_len(element: HtmlElement) -> int:
    return len(" ".join(element.text_content().split()))


def _loose_text_len(element: HtmlElement) -> int:
    """Text sitting directly in a ``div`` (pages without ``<p>``: text and ``<br>``)."""
    parts = [element.text or ""] + [child.tail or "" for child in element]
    return len(" ".join(" ".join(parts).split()))


def main_text_container(root: HtmlElement) -> HtmlElement | None:
    """The element that holds the page's main prose, or None when it has none."""
    votes: dict[HtmlElement, float] = {}
    for element in root.iter(*PROSE_TAGS, "div"):
        if element.tag == "div":
            length = _loose_text_len(element)
            if length < 4 * MIN_PROSE:
                continue
            target, length_weight = element, float(length)
        else:
            length = _squash_len(element)
            if length < MIN_PROSE:
                continue
            parent = element.getparent()
            if parent is None:
                continue
            target, length_weight = parent, float(length)
        linked = sum(_squash_len(a) for a in element.iter("a"))
        weight = length_weight * max(0.0, 1.0 - linked / max(length, 1))
        if weight <= 0:
            continue
        votes[target] = votes.get(target, 0.0) + weight
        grandparent = target.getparent()
        if grandparent is not None and element.tag != "div":
            votes[grandparent] = votes.get(grandparent, 0.0) + weight / 2
    for candidate, _ in sorted(votes.items(), key=lambda item: -item[1]):
        if candidate.tag in ("html", "body"):
            continue
        if not elsewhere(candidate):
            return candidate
    return None
