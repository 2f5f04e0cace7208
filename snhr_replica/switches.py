"""Switches: the replica's answers to what the reference marks "assumed".

Each can be set from the CLI as ``--switch key=value``; :func:`parse_switches`
rejects unknown keys and bad values with a one-line message.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

_CHOICES: dict[str, tuple[str, ...]] = {
    "sitemap": ("yoast", "core", "none"),
    "rest": ("200", "401", "403", "absent"),
    "old_hosts": ("redirect", "serve"),
    "shortlinks": ("redirect", "serve"),
}


@dataclass(frozen=True)
class Switches:
    """Site behaviours that are unknown or assumed on the real sites."""

    sitemap: str = "yoast"  # yoast | core | none
    rest: str = "200"  # 200 | 401 | 403 | absent
    robots_sitemap: bool = True  # robots.txt names the active sitemap
    per_page: int = 10  # category listing page size
    feed_items: int = 10
    feeds: bool = True  # RSS feeds answer (off: /feed/ and category feeds are 404)
    sitemap_size: int = 1000  # URLs per post-sitemap file
    arrests_category: bool = True  # News › Arrests exists (else arrests sit under News)
    legacy_links: bool = True  # listings sometimes link ?p=ID or the old host
    hide_one_per_listing: bool = False  # completeness audit: one post per category unlisted
    translation_share: float = 0.5  # share of documents published in both languages
    old_hosts: str = "redirect"  # redirect (301) | serve (old hosts answer pages themselves)
    shortlinks: str = "redirect"  # redirect (301 to the permalink) | serve (200, the page itself)

    def __post_init__(self) -> None:
        for key, choices in _CHOICES.items():
            if getattr(self, key) not in choices:
                raise ValueError(f"switch {key} must be one of {'|'.join(choices)}")
        if self.per_page < 1 or self.feed_items < 1 or self.sitemap_size < 1:
            raise ValueError("per_page, feed_items and sitemap_size must be positive")
        if not 0.0 <= self.translation_share <= 1.0:
            raise ValueError("translation_share must be between 0 and 1")


def _coerce(kind: type, key: str, text: str) -> object:
    if kind is bool:
        lowered = text.lower()
        if lowered in ("1", "true", "on", "yes"):
            return True
        if lowered in ("0", "false", "off", "no"):
            return False
        raise ValueError(f"switch {key} expects on/off, got {text!r}")
    try:
        return kind(text)
    except ValueError:
        raise ValueError(f"switch {key} expects {kind.__name__}, got {text!r}") from None


def parse_switches(items: list[str] | None, base: Switches | None = None) -> Switches:
    """``["sitemap=core", "rest=403"]`` → :class:`Switches`."""
    kinds = {f.name: type(getattr(Switches(), f.name)) for f in fields(Switches)}
    changes: dict[str, Any] = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        key = key.strip().replace("-", "_")
        if not sep or key not in kinds:
            raise ValueError(f"unknown switch {item!r} (known: {', '.join(sorted(kinds))})")
        changes[key] = _coerce(kinds[key], key, value.strip())
    return replace(base or Switches(), **changes)
