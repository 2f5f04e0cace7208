"""A Scanner finds exactly what the pattern finds over the whole text, only faster."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from snhr_crawler.incidents import arabic, english
from snhr_crawler.incidents.scan import Scanner, trie, words
from snhr_crawler.incidents.text import FoldedArabic
from tests.incidents.test_robustness import FRAGMENTS

SCANNERS = [
    (module, name, value)
    for module in (english, arabic)
    for name, value in vars(module).items()
    if isinstance(value, Scanner)
]


def _same(scanner: Scanner, text: str) -> None:
    expected = [m.span() for m in scanner.regex.finditer(text)]
    assert [m.span() for m in scanner.finditer(text, words(text))] == expected


def test_every_component_pattern_is_scanned() -> None:
    assert len(SCANNERS) >= 20


@settings(max_examples=300, deadline=None)
@given(
    pieces=st.lists(st.sampled_from(FRAGMENTS), max_size=30),
    separator=st.sampled_from([" ", "", ", "]),
)
def test_scanning_finds_what_the_pattern_finds(pieces: list[str], separator: str) -> None:
    text = separator.join(pieces)
    folded = FoldedArabic(text).text
    for module, _, scanner in SCANNERS:
        _same(scanner, folded if module is arabic else english.fold_english(text))


def test_a_word_after_an_arabic_prefix_or_article_is_still_a_start() -> None:
    scanner = Scanner(re.compile(r"(?<!\w)[وبلف]?(?:ا?لنظام|قسد)(?!\w)"))
    for text in ("للنظام", "والنظام", "النظام", "وقسد", "بقسد"):
        _same(scanner, text)
        assert scanner.search(text, words(text)) is not None


@settings(max_examples=200, deadline=None)
@given(
    vocabulary=st.lists(st.text(alphabet="abd '", min_size=1, max_size=5), min_size=1, max_size=12),
    text=st.text(alphabet="abd '", max_size=12),
)
def test_a_tree_of_words_matches_what_the_longest_first_alternation_matches(
    vocabulary: list[str], text: str
) -> None:
    words_ = sorted(set(vocabulary))
    longest_first = re.compile(
        "|".join(re.escape(w) for w in sorted(words_, key=len, reverse=True))
    )
    tree = re.compile(trie(words_))
    for start in range(len(text) + 1):
        plain, treed = longest_first.match(text, start), tree.match(text, start)
        # Same reach: the tree always takes the longest word that matches here.
        assert (plain is None) == (treed is None)
        if plain and treed:
            assert treed.end() == max(start + len(w) for w in words_ if text.startswith(w, start))
