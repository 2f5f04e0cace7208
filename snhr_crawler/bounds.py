"""Bounds: what one run of one source may cost, whatever the site says.

A hostile or broken site can promise ten million REST pages, paginate a
listing for ever with fresh links, nest sitemap indexes without end or serve
a 3 MB gzip that inflates to gigabytes. Every walk the crawler does on its own
account asks :class:`Limits` before it takes the next step, and stops at the
site's own figure (plus a margin) or at the hard ceiling of a ``BOUND_*``
setting (``snhr_crawler/settings.py`` says what each one bounds).

A bound that holds is not an error: the walk stops, the run ends normally
with what it archived, and :meth:`Limits.hit` counts it (``snhr/bounds/<name>``),
logs the URL that hit it and makes the run incomplete, so the ``bounds``
health check fails by name and the next run walks whole again.

``Bounds.from_settings`` validates the settings like command-line values
(whole numbers >= 1), raising ``SettingError`` naming the bad one.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from snhr_crawler.exceptions import SettingError

logger = logging.getLogger(__name__)

PREFIX = "snhr/bounds"

#: Setting name -> attribute of ``Bounds``.
SETTINGS: dict[str, str] = {
    "BOUND_REQUESTS": "requests",
    "BOUND_LISTING_PAGES": "listing_pages",
    "BOUND_LISTING_PAGE_MARGIN": "listing_margin",
    "BOUND_LISTING_STALE_PAGES": "listing_stale_pages",
    "BOUND_LINKS_PER_PAGE": "links_per_page",
    "BOUND_SITEMAP_DEPTH": "sitemap_depth",
    "BOUND_SITEMAP_FILES": "sitemap_files",
    "BOUND_SITEMAP_URLS": "sitemap_urls",
    "BOUND_REST_PAGES": "rest_pages",
    "BOUND_FEED_PAGES": "feed_pages",
    "BOUND_QUEUED": "queued",
    "BOUND_DECODED_BYTES": "decoded_bytes",
    "BOUND_PAGE_BYTES": "page_bytes",
}

DEFAULT_FIELD_SIZES: dict[str, int] = {
    "title": 2_000,
    "subtitle": 4_000,
    "body_text": 2_000_000,
    "body_html": 4_000_000,
    "categories": 50,
    "tags": 200,
    "attachments": 500,
    "images": 50,
    "translations": 20,
}


@dataclass(frozen=True)
class Bounds:
    """The ``BOUND_*`` settings, validated (defaults as in ``settings.py``)."""

    requests: int = 300_000
    listing_pages: int = 3_000
    listing_margin: int = 5
    listing_stale_pages: int = 3
    links_per_page: int = 500
    sitemap_depth: int = 3
    sitemap_files: int = 2_000
    sitemap_urls: int = 50_000
    rest_pages: int = 2_000
    feed_pages: int = 200
    queued: int = 5_000
    decoded_bytes: int = 50 * 1024 * 1024
    page_bytes: int = 16 * 1024 * 1024
    field_sizes: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_FIELD_SIZES))

    @classmethod
    def from_settings(cls, settings: Any) -> Bounds:
        """The bounds in ``settings`` (a Scrapy ``Settings``), or ``SettingError`` naming a bad one."""
        default = cls()
        values: dict[str, Any] = {}
        for name, attribute in SETTINGS.items():
            values[attribute] = _count(name, settings.get(name, getattr(default, attribute)))
        raw_sizes = settings.get("BOUND_FIELD_SIZES") or {}
        if isinstance(raw_sizes, str):
            try:
                raw_sizes = settings.getdict("BOUND_FIELD_SIZES")
            except ValueError as exc:
                raise SettingError("BOUND_FIELD_SIZES", f"not a JSON object: {exc}") from None
        if not isinstance(raw_sizes, Mapping):
            raise SettingError("BOUND_FIELD_SIZES", f"expected a mapping, got {raw_sizes!r}")
        sizes = dict(DEFAULT_FIELD_SIZES)
        for key, value in raw_sizes.items():
            sizes[str(key)] = _count(f"BOUND_FIELD_SIZES[{key!r}]", value)
        values["field_sizes"] = sizes
        return cls(**values)

    def as_dict(self) -> dict[str, Any]:
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["field_sizes"] = dict(self.field_sizes)
        return data


def _count(name: str, value: Any) -> int:
    """A whole number >= 1 (``"5000"`` from ``--set`` or the environment included)."""
    if isinstance(value, bool):
        raise SettingError(name, f"expected a whole number >= 1, got {value!r}")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise SettingError(name, f"expected a whole number >= 1, got {value!r}") from None
    if not math.isfinite(number) or not number.is_integer() or number < 1:
        raise SettingError(name, f"expected a whole number >= 1, got {value!r}")
    return int(number)


class Limits:
    """One crawl's bounds and the record of the ones it hit (see the module docstring)."""

    def __init__(self, bounds: Bounds, crawler: Any = None) -> None:
        self.bounds = bounds
        self.crawler = crawler  # its stats exist only once the crawl starts: read at each hit
        self.hits: dict[str, int] = {}
        self._logged: set[tuple[str, str]] = set()

    @classmethod
    def from_crawler(cls, crawler: Any) -> Limits:
        return cls(Bounds.from_settings(crawler.settings), crawler)

    @property
    def any_hit(self) -> bool:
        return bool(self.hits)

    def hit(self, name: str, url: str, detail: str = "") -> None:
        """Count bound ``name`` as hit at ``url`` and log it (once per name and URL)."""
        self.hits[name] = self.hits.get(name, 0) + 1
        stats = getattr(self.crawler, "stats", None) if self.crawler is not None else None
        if stats is not None:
            stats.inc_value(f"{PREFIX}/{name}")
        if (name, url) not in self._logged:
            self._logged.add((name, url))
            logger.warning(
                "Bound %s hit at %s%s; this walk stops here",
                name,
                url,
                f" ({detail})" if detail else "",
            )


def bounds_hit(stats: Mapping[str, Any]) -> dict[str, int]:
    """bound name -> times hit, from a crawl's stats (for the run report and its check)."""
    prefix = PREFIX + "/"
    return {
        key[len(prefix) :]: int(value)
        for key, value in sorted(stats.items())
        if key.startswith(prefix) and isinstance(value, int | float) and value
    }
