"""Running a long alternation only where a word could begin one of its matches.

Python's regex engine tries every alternative at every position; with a few
hundred words in a lexicon that was most of the parse. A ``Scanner`` reads,
once, the letters its pattern's literal words begin with, and tries the
pattern (anchored, lookbehinds and all) only at the words of a title that
begin with them. The letters are a superset of where a match can start, so the
matches are exactly those of ``finditer`` over the whole title.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

#: Words of a title: runs of letters and digits (a match can only start at one).
_WORD = re.compile(r"[^\W_]+")
# Pattern syntax that holds letters without being text to match: group flags and
# names, escapes (\s, \d, \w), and character classes (an optional prefix "[وبلف]?").
_SYNTAX = re.compile(r"\(\?(?:P<\w+>|[aiLmsux-]+:|<?[=!])|\\[A-Za-z]|\[[^\]]*\]")
#: One-letter prefixes Arabic writes onto a word ("و", "ب", "ل", "ف"): a match may start after them.
_ATTACHED = frozenset("وبلف")

#: (start, how the word begins, how it begins after a one-letter Arabic prefix) per word.
Words = list[tuple[int, str, str]]


def _head(word: str) -> str:
    """A word's first two letters, lower case, an Arabic article's alef skipped ("النظام" -> "لن")."""
    if word.startswith("ال"):
        word = word[1:]
    return word[:2].lower()


def words(text: str) -> Words:
    """Every word of ``text`` with the letters a match starting there would begin with."""
    found = []
    for match in _WORD.finditer(text):
        word = match.group()
        found.append((match.start(), _head(word), _head(word[1:]) if word[0] in _ATTACHED else ""))
    return found


class Scanner:
    """A compiled pattern and the word beginnings its matches can have."""

    __slots__ = ("_digits", "_one", "_two", "regex")

    def __init__(self, regex: re.Pattern[str]) -> None:
        self.regex = regex
        # An optional article ("ا?لنظام", from the Arabic lexicon) begins with its lam.
        source = _SYNTAX.sub(" ", regex.pattern.replace("ا?ل", "ل"))
        heads = [_head(run) for run in _WORD.findall(source)]
        self._one = frozenset(head for head in heads if len(head) == 1)
        self._two = frozenset(head for head in heads if len(head) == 2)
        self._digits = "\\d" in regex.pattern

    def _may_start(self, head: str) -> bool:
        return head[:1] in self._one or head in self._two or (self._digits and head[:1].isdigit())

    def finditer(self, text: str, index: Words) -> Iterator[re.Match[str]]:
        reached = 0
        for start, head, after_prefix in index:
            if start < reached or not (
                self._may_start(head) or (after_prefix and self._may_start(after_prefix))
            ):
                continue
            match = self.regex.match(text, start)
            if match is not None:
                reached = max(match.end(), start + 1)
                yield match

    def search(self, text: str, index: Words) -> re.Match[str] | None:
        return next(self.finditer(text, index), None)
