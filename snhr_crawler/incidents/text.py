"""Matching copies of a title whose every character maps back to the original.

The rules match on a folded copy (one apostrophe, one hyphen, Arabic without
diacritics and with one alef), but every span they report must index the
title as published. English folding is one character for one, so its offsets
are the title's. Arabic folding drops marks, so it keeps a map back.
"""

from __future__ import annotations

import re

_ENGLISH = str.maketrans(
    {
        "\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'",
        "\u201c": '"', "\u201d": '"',
        "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u2007": " ",
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
    }
)  # fmt: skip


def fold_english(title: str) -> str:
    """Typographic quotes, dashes and spaces made plain; same length as ``title``."""
    return title.translate(_ENGLISH)


# Harakat, shadda, sukun, superscript alef, tatweel, and the invisible bidi and
# zero-width marks editors leave in Arabic titles: none of them changes a word.
_DROPPED = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670\u0640\u061c\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
_HAS_DROPPED = re.compile(f"[{_DROPPED}]")
# One letter for one: hamza-carrying alefs to bare alef, alef maqsura to ya,
# ta marbuta to ha (titles and lexicons disagree on all three), Eastern digits
# to Western ones (SNHR writes Western digits, but not every editor does).
_ARABIC = str.maketrans(
    {
        "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "،": "،",
        "٠": "0", "١": "1", "٢": "2", "٣": "3", "٤": "4", "٥": "5", "٦": "6", "٧": "7", "٨": "8",
        "٩": "9", "۰": "0", "۱": "1", "۲": "2", "۳": "3", "۴": "4", "۵": "5", "۶": "6", "۷": "7",
        "۸": "8", "۹": "9", "\u00a0": " ",
    }
)  # fmt: skip


def fold_arabic_text(text: str) -> str:
    """The folded form alone: for building lexicons that must match folded titles."""
    return _HAS_DROPPED.sub("", text).translate(_ARABIC)


class FoldedArabic:
    """An Arabic title folded for matching, with the way back to the title's offsets."""

    __slots__ = ("_length", "_origin", "text")

    def __init__(self, title: str) -> None:
        self._length = len(title)
        if _HAS_DROPPED.search(title) is None:
            self._origin: list[int] | None = None
            self.text = title.translate(_ARABIC)
            return
        self._origin = [i for i, char in enumerate(title) if char not in _DROPPED]
        self.text = "".join(title[i] for i in self._origin).translate(_ARABIC)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The title's ``[start, end)`` for the folded text's ``[start, end)``.

        The end reaches over the marks that follow the last letter: a word's
        tanween or shadda belongs to it.
        """
        origin = self._origin
        if origin is None:
            return start, end
        begin = origin[start] if start < len(origin) else self._length
        if start >= end:
            return begin, begin
        return begin, origin[end] if end < len(origin) else self._length
