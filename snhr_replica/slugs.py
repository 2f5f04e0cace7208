"""WordPress slugs: ASCII words, percent-encoded Arabic, the 200-char cut, ``-2``.

WordPress stores ``post_name`` percent-encoded with lower-case hex and caps it
at 200 characters of that encoded form, so long Arabic titles collide early
and get a ``-2`` suffix; that is how SNHR's ``…-2`` URLs arise.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

SLUG_LIMIT = 200
_STOP_WORDS = frozenset(
    {"in", "on", "of", "the", "a", "an", "by", "and", "at", "to", "was", "were"}
)


def _ascii_words(title: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    folded = folded.replace("'", "").replace("’", "").lower()
    return [word for word in re.split(r"[^a-z0-9]+", folded) if word]


def english_slug(title: str, *, drop_stop_words: bool = False) -> str:
    """``sanitize_title`` for English titles, optionally without stop words (2019–2020 style)."""
    words = _ascii_words(title)
    if drop_stop_words:
        words = [word for word in words if word not in _STOP_WORDS]
    return cut("-".join(words))


def arabic_slug(title: str) -> str:
    """The percent-encoded (lower-case hex) slug of an Arabic title."""
    text = re.sub(r"[^\w\s-]", "", title)
    words = text.split()
    encoded = "-".join(quote(word, safe="").lower() for word in words)
    return cut(encoded)


def cut(slug: str) -> str:
    """Cap at 200 characters without splitting a ``%xx`` escape, then trim dashes."""
    if len(slug) <= SLUG_LIMIT:
        return slug.strip("-")
    head = slug[:SLUG_LIMIT]
    tail = head.rfind("%")
    if tail > SLUG_LIMIT - 3:
        head = head[:tail]
    while _dangling(head):  # never leave half of a UTF-8 character
        head = head[: head.rfind("%")]
    return head.strip("-")


def _dangling(slug: str) -> bool:
    """True when the trailing escapes do not complete a UTF-8 sequence."""
    escapes = re.findall(r"((?:%[0-9a-f]{2})+)$", slug)
    if not escapes:
        return False
    raw = bytes.fromhex(escapes[0].replace("%", ""))
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def uppercase_escapes(path: str) -> str:
    """The same path with upper-case hex, as some old links spell it."""
    return re.sub(r"%[0-9a-f]{2}", lambda m: m.group(0).upper(), path)


class SlugRegistry:
    """Hands out unique slugs within one WordPress install (``-2``, ``-3`` …)."""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def claim(self, slug: str) -> str:
        candidate, n = slug, 2
        while candidate in self._taken:
            candidate = f"{slug}-{n}"
            n += 1
        self._taken.add(candidate)
        return candidate


def registry_with(slugs: list[str]) -> SlugRegistry:
    """A registry that already holds ``slugs`` (for posts added later)."""
    registry = SlugRegistry()
    for slug in slugs:
        registry.claim(slug)
    return registry
