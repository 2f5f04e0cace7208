"""Only safe values stored: web links only, and no field larger than its bound.

What a page links to ends up in researchers' tools: a ``javascript:``,
``data:`` or ``file:`` URL in ``attachments``, ``images`` or ``translations``
would be a link someone clicks. Those keep only absolute http(s) URLs with a
host (``body_html`` keeps ``mailto:`` too; the sanitiser in
``extract.body`` sees to it).

A 10 MB title is not a title. Each field has a size bound
(``BOUND_FIELD_SIZES``: characters for text, entries for lists and
mappings); a longer value is cut to it, and the field is named in the
record's ``truncated`` list, so nothing is cut silently.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from snhr_crawler.urls import is_web_url

LINK_FIELDS = ("attachments", "images", "translations")

#: Characters of one-line text (a title, a crumb, a caption) read before white space is
#: collapsed: ``split()`` on a 10 MB "title" would make a million string objects to keep 2,000.
LINE_LIMIT = 100_000
#: The same for one block of the body (the whole body is bounded at 2,000,000 characters).
BLOCK_LIMIT = 2_000_000


def squash(text: str | None, limit: int = LINE_LIMIT) -> str:
    """``text`` with white space collapsed, read no further than ``limit`` characters."""
    return " ".join((text or "")[:limit].split())


def web_links_only(fields: dict[str, Any]) -> dict[str, int]:
    """Drop entries of ``LINK_FIELDS`` whose URL is not http(s), in place; field -> dropped."""
    dropped: dict[str, int] = {}
    for name in ("attachments", "images"):
        entries = fields.get(name) or []
        kept = [e for e in entries if isinstance(e, Mapping) and is_web_url(e.get("url"))]
        if len(kept) != len(entries):
            dropped[name] = len(entries) - len(kept)
        fields[name] = kept
    translations = fields.get("translations") or {}
    kept_map = {
        str(language): url
        for language, url in (translations.items() if isinstance(translations, Mapping) else ())
        if is_web_url(url)
    }
    if len(kept_map) != len(translations):
        dropped["translations"] = len(translations) - len(kept_map)
    fields["translations"] = kept_map
    return dropped


def cut_oversized(fields: dict[str, Any], sizes: Mapping[str, int]) -> list[str]:
    """Cut every field in ``sizes`` that is longer than its bound, in place; the fields cut."""
    cut: list[str] = []
    for name, limit in sizes.items():
        value = fields.get(name)
        if isinstance(value, str | list) and len(value) > limit:
            fields[name] = value[:limit]
            cut.append(name)
        elif isinstance(value, dict) and len(value) > limit:
            fields[name] = dict(list(value.items())[:limit])
            cut.append(name)
    for name in ("categories", "tags"):
        values = fields.get(name)
        if isinstance(values, list) and any(isinstance(v, str) and len(v) > 500 for v in values):
            fields[name] = [v[:500] if isinstance(v, str) else v for v in values]
            if name not in cut:
                cut.append(name)
    return cut
