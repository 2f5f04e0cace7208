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

#: (start, bit mask of the scanners a match may start there for, the word) per word.
Words = list[tuple[int, int, str]]

# Every scanner owns one bit; these tables give, for a word's first letter or
# first two letters, the scanners whose patterns have a literal word so begun.
_BY_ONE: dict[str, int] = {}
_BY_TWO: dict[str, int] = {}
_DIGITS = 0
_count = 0


def _head(word: str) -> str:
    """A word's first two letters, lower case, an Arabic article's alef skipped ("النظام" -> "لن")."""
    if word.startswith("ال"):
        word = word[1:]
    return word[:2].lower()


def _mask(head: str) -> int:
    mask = _BY_ONE.get(head[:1], 0) | _BY_TWO.get(head, 0)
    return mask | _DIGITS if head[:1].isdigit() else mask


#: Word -> mask, remembered: titles are written from a small vocabulary.
_MASKS: dict[str, int] = {}
_MASKS_KEPT = 100_000


def _word_mask(word: str) -> int:
    mask = _mask(_head(word))
    if word[0] in _ATTACHED:  # "وقوات", "بريف": the word's own start is one letter in
        mask |= _mask(_head(word[1:]))
    if len(_MASKS) >= _MASKS_KEPT:  # arbitrary input must not grow it without end
        _MASKS.clear()
    _MASKS[word] = mask
    return mask


def words(text: str) -> Words:
    """Every word of ``text``, with the bits of the scanners that may match from its start."""
    masks = _MASKS
    return [
        (match.start(), masks[word] if word in masks else _word_mask(word), word)
        for match in _WORD.finditer(text)
        for word in (match.group(),)
    ]


def trie(words: list[str], separator: str = " ") -> str:
    """One regex for a list of plain words, as a tree of shared beginnings.

    "Damascus|Damascus suburbs|Daraa" becomes "Da(?:mascus(?: suburbs)?|raa)": the engine
    reads each letter once instead of trying every word, and a longer word still wins over
    its own beginning. A space in a word matches ``separator``.
    """
    tree: dict[str, dict] = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}  # a word ends here
    return _branches(tree, separator)


def _branches(node: dict[str, dict], separator: str) -> str:
    ends = "" in node
    options = [
        (separator if char == " " else re.escape(char)) + _branches(child, separator)
        for char, child in sorted(node.items())
        if char
    ]
    if not options:
        return ""
    body = options[0] if len(options) == 1 else "(?:" + "|".join(options) + ")"
    if ends:
        return f"(?:{body})?"
    return body


def alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a pattern: "a|b(?:c|d)" gives ["a", "b(?:c|d)"]."""
    parts, depth, begin, position, in_class = [], 0, 0, 0, False
    while position < len(pattern):
        char = pattern[position]
        if char == "\\":
            position += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(pattern[begin:position])
            begin = position + 1
        position += 1
    parts.append(pattern[begin:])
    return parts


class Scanner:
    """A compiled pattern and the word beginnings its matches can have."""

    __slots__ = ("_bit", "regex")

    def __init__(self, regex: re.Pattern[str], starts: str | None = None) -> None:
        """``starts``: the part of the pattern its matches begin with, when that is known to be
        narrower than the whole (a preposition before a place); by default, the whole pattern."""
        global _count, _DIGITS
        _MASKS.clear()  # remembered masks do not know this scanner yet
        self.regex = regex
        self._bit = 1 << _count
        _count += 1
        # An optional article ("ا?لنظام", from the Arabic lexicon) begins with its lam.
        source = _SYNTAX.sub(" ", (starts or regex.pattern).replace("ا?ل", "ل"))
        for head in {_head(run) for run in _WORD.findall(source)}:
            table = _BY_ONE if len(head) == 1 else _BY_TWO
            table[head] = table.get(head, 0) | self._bit
        if "\\d" in (starts or regex.pattern):
            _DIGITS |= self._bit

    def finditer(self, text: str, index: Words) -> Iterator[re.Match[str]]:
        reached, bit, match_at = 0, self._bit, self.regex.match
        for start, mask, _ in index:
            if mask & bit and start >= reached:
                match = match_at(text, start)
                if match is not None:
                    reached = max(match.end(), start + 1)
                    yield match

    def search(self, text: str, index: Words) -> re.Match[str] | None:
        return next(self.finditer(text, index), None)


class Choices(Scanner):
    """A scanner over an alternation that, at each word, tries only the alternatives that
    could begin there ("Syrian regime" is not tried at "Russian"), in their order."""

    __slots__ = ("_alternatives", "_by_one", "_by_two", "_by_word", "_compiled", "_template")

    def __init__(self, template: str, alternatives: list[str]) -> None:
        """``template`` holds the word ALTERNATION where the alternatives go."""
        self._template, self._alternatives = template, alternatives
        self._by_one: dict[str, int] = {}
        self._by_two: dict[str, int] = {}
        for position, alternative in enumerate(alternatives):
            source = _SYNTAX.sub(" ", alternative.replace("ا?ل", "ل"))
            for head in {_head(run) for run in _WORD.findall(source)}:
                table = self._by_one if len(head) == 1 else self._by_two
                table[head] = table.get(head, 0) | 1 << position
        self._compiled: dict[int, re.Pattern[str]] = {}
        self._by_word: dict[str, re.Pattern[str]] = {}
        super().__init__(self._compile(-1))

    def _compile(self, chosen: int) -> re.Pattern[str]:
        parts = [a for position, a in enumerate(self._alternatives) if chosen >> position & 1]
        return re.compile(self._template.replace("ALTERNATION", "|".join(parts)))

    def _choose(self, head: str) -> int:
        return self._by_one.get(head[:1], 0) | self._by_two.get(head, 0)

    def _regex_for(self, word: str) -> re.Pattern[str]:
        chosen = self._choose(_head(word))
        if word[0] in _ATTACHED:
            chosen |= self._choose(_head(word[1:]))
        regex = self._compiled.get(chosen)
        if regex is None:
            regex = self._compiled[chosen] = self._compile(chosen)
        if len(self._by_word) >= _MASKS_KEPT:
            self._by_word.clear()
        self._by_word[word] = regex
        return regex

    def finditer(self, text: str, index: Words) -> Iterator[re.Match[str]]:
        reached, bit, by_word = 0, self._bit, self._by_word
        for start, mask, word in index:
            if mask & bit and start >= reached:
                regex = by_word.get(word) or self._regex_for(word)
                match = regex.match(text, start)
                if match is not None:
                    reached = max(match.end(), start + 1)
                    yield match
