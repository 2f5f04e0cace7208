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
    "theme": ("tagdiv", "plain", "mixed"),
    "menu": ("none", "top", "tree"),
    "category_slugs": ("seeds", "renamed"),
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
    # Real-world furniture inside some posts' content; the truth is the same with or without.
    share_bar: bool = False  # Social Warfare, Shariff or Jetpack sharedaddy buttons
    rating_widget: bool = False  # KK Star Ratings
    inline_related: bool = False  # a "Read also:" line, Jetpack or Contextual Related Posts
    ad_slots: bool = False  # Ad Inserter code-block or tagDiv td-a-rec, with its label
    nested_header: bool = False  # title, byline and date again, inside the content
    headline_em: bool = False  # part of the <h1> headline in <em>
    furniture_share: float = 0.5  # share of posts each furniture switch reaches
    theme: str = "tagdiv"  # tagdiv | plain (every page plain WordPress) | mixed (half the posts)
    # What a crawler may not know in advance (category tree, politeness, page size).
    menu: str = "top"  # none | top (top-level categories) | tree (every category, sub-menus)
    category_slugs: str = "seeds"  # seeds (as seeds/*.txt name them) | renamed (some seeds 404)
    extra_category: bool = False  # a category the seeds do not name, with posts of its own
    crawl_delay: float = 0.0  # robots.txt Crawl-delay (0: no such line)
    # Transport.
    gzip: bool = False  # Content-Encoding: gzip for clients that accept it

    def __post_init__(self) -> None:
        for key, choices in _CHOICES.items():
            if getattr(self, key) not in choices:
                raise ValueError(f"switch {key} must be one of {'|'.join(choices)}")
        if self.crawl_delay < 0:
            raise ValueError("crawl_delay must not be negative")
        if self.per_page < 1 or self.feed_items < 1 or self.sitemap_size < 1:
            raise ValueError("per_page, feed_items and sitemap_size must be positive")
        for key in ("translation_share", "furniture_share"):
            if not 0.0 <= getattr(self, key) <= 1.0:
                raise ValueError(f"{key} must be between 0 and 1")


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
