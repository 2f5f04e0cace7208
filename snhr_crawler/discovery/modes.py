"""The ``discovery`` spider argument: which of the site's own indexes finds articles.

Kept free of Scrapy and spider imports so ``parse_arguments`` (run by the
``crawl`` command before anything starts) can validate it cheaply.
"""

from __future__ import annotations

from snhr_crawler.exceptions import SpiderArgumentError

#: ``listing`` walks category pages (the default, and the last resort of every
#: other mode); ``auto`` probes sitemaps, then REST, then (incremental runs
#: only) the feed, then falls back to listings.
DISCOVERY_CHOICES = ("listing", "sitemap", "feed", "rest", "auto")
DEFAULT_DISCOVERY = "listing"


def validate_discovery(raw: object) -> str:
    """The normalised mode, or SpiderArgumentError naming ``discovery``."""
    if raw is None or str(raw).strip() == "":
        return DEFAULT_DISCOVERY
    value = str(raw).strip().lower()
    if value not in DISCOVERY_CHOICES:
        raise SpiderArgumentError(
            "discovery", f"expected one of {'|'.join(DISCOVERY_CHOICES)}, got {raw!r}"
        )
    return value
