"""Discovery beyond listing pages: sitemaps, the WordPress REST API and feeds.

* ``modes``   -- the ``discovery`` spider argument and its validation.
* ``site``    -- where a (sub-)site keeps robots.txt, sitemaps, REST and feeds.
* ``parsers`` -- pure parsers: sitemap XML, RSS/Atom, REST JSON, WAF pages.
* ``state``   -- ``<archive>/state/<source>.json``: watermarks for incremental runs.
* ``engine``  -- :class:`Discoverer`, the per-run chain of discovery steps.

The completeness audit that compares the archive with these indexes lives in
``snhr_crawler.audit``.
"""

from snhr_crawler.discovery.modes import DEFAULT_DISCOVERY, DISCOVERY_CHOICES, validate_discovery

__all__ = ["DEFAULT_DISCOVERY", "DISCOVERY_CHOICES", "validate_discovery"]
