"""The last body layer: the element where the page's prose is densest.

Used when no content container of the theme or of WordPress is found, or the
one found yields too little. Every paragraph-like element outside the site's
chrome (sidebars, widgets, related blocks, comments, header and footer) votes
for its parent with its own text length, discounted by the share of it that is
link text, and for its grandparent with half of that; the element with the
most votes holds the article. That is the classic readability rule, small and
predictable, with the same furniture stripping as every other layer after it.

Why not trafilatura at run time: measured on the 27 development pages of the
real-pages benchmark (``python -m benchmarks.real_pages``, row "ours, generic
layer only": every container layer skipped), this rule with the furniture
stripping gets the body's first sentence, last sentence and no leak right on
27, 27 and 27 pages, trafilatura on 25, 25 and 24, at a fraction of its time
(trafilatura parses and cleans the page again: some 40-60 ms a page there,
against 10-15 ms for our whole parse of those large pages). It would also be
a runtime dependency, with its own release cadence, for a layer that only
pages the container layers miss ever reach.
"""

from __future__ import annotations

from lxml.html import HtmlElement

from snhr_crawler.extract.page import elsewhere
from snhr_crawler.extract.safety import BLOCK_LIMIT, squash

#: Elements whose text counts as prose.
PROSE_TAGS = ("p", "pre", "blockquote", "h2", "h3", "h4", "li")
#: A paragraph shorter than this (in characters) does not vote: captions, labels, bylines.
MIN_PROSE = 25


def _squash_len(element: HtmlElement) -> int:
    return len(squash(element.text_content(), BLOCK_LIMIT))


def _loose_text_len(element: HtmlElement) -> int:
    """Text sitting directly in a ``div`` (pages without ``<p>``: text and ``<br>``)."""
    parts = [element.text or ""] + [child.tail or "" for child in element]
    return len(squash(" ".join(parts), BLOCK_LIMIT))


def main_text_container(root: HtmlElement) -> HtmlElement | None:
    """The element that holds the page's main prose, or None when it has none."""
    votes: dict[HtmlElement, float] = {}
    prose: list[tuple[HtmlElement, float]] = []
    for element in root.iter(*PROSE_TAGS, "div"):
        if element.tag == "div":
            length = _loose_text_len(element)
            if length < 4 * MIN_PROSE:
                continue
            target = element
        else:
            length = _squash_len(element)
            if length < MIN_PROSE:
                continue
            target = element.getparent()
            if target is None:
                continue
        linked = sum(_squash_len(a) for a in element.iter("a"))
        weight = length * max(0.0, 1.0 - linked / max(length, 1))
        if weight <= 0:
            continue
        prose.append((element, weight))
        votes[target] = votes.get(target, 0.0) + weight
        grandparent = target.getparent()
        if grandparent is not None and element.tag != "div":
            votes[grandparent] = votes.get(grandparent, 0.0) + weight / 2
    best = next(
        (
            candidate
            for candidate, _ in sorted(votes.items(), key=lambda item: -item[1])
            if candidate.tag not in _PAGE and not elsewhere(candidate)
        ),
        None,
    )
    return None if best is None else _whole(best, prose)


_PAGE = frozenset({"html", "body"})
#: The climb never reaches the whole post or page.
_STOP = frozenset({"html", "body", "article", "main"})
#: An ancestor is the container when it holds this much more prose than the best element.
GROWTH = 1.1
#: How many ancestors up the container may be (page builders nest rows five or six deep).
CLIMB = 10


def _whole(best: HtmlElement, prose: list[tuple[HtmlElement, float]]) -> HtmlElement:
    """The ancestor of ``best`` that holds the article when it is split into sibling blocks.

    Page builders put each paragraph group in its own row or column, and
    paragraph-less posts put each paragraph in its own ``div``: the best
    element then holds only a part. Climb while the parent holds markedly
    more of the page's prose (outside sidebars, related blocks and chrome),
    through wrappers that hold no more than their child, but never up to the
    element that also holds the post's ``<h1>`` (the header and what follows
    the post sit there), nor to the ``<article>`` itself.
    """
    held: dict[HtmlElement, float] = {}
    for element, weight in prose:
        if elsewhere(element):
            continue
        for ancestor in element.iterancestors():
            held[ancestor] = held.get(ancestor, 0.0) + weight
        held[element] = held.get(element, 0.0) + weight
    chosen = best
    for level, ancestor in enumerate(best.iterancestors()):
        if level >= CLIMB or ancestor.tag in _STOP or elsewhere(ancestor):
            break
        if ancestor.find(".//h1") is not None:
            break  # the post's header is beside its body, not in it
        # Wrappers with one child hold as much as the child: pass through them.
        if held.get(ancestor, 0.0) >= GROWTH * held.get(chosen, 0.0):
            chosen = ancestor
    return chosen
