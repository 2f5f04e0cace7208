"""``doc_type``: what kind of document a record is, from its site's rules and its categories.

The rules are a site fact (``SiteDescriptor.doc_types``, SNHR's in
``snhr_crawler.sites.snhr``); this module is the one entry point record
assembly calls. Categories are matched case- and diacritic-insensitively; the
first rule that matches wins, else the site's default.
"""

from __future__ import annotations

from collections.abc import Iterable

from snhr_crawler.sites import DocTypeRules, SiteDescriptor


def doc_type_for(site: SiteDescriptor | DocTypeRules | str, categories: Iterable[str]) -> str:
    """``news``, ``daily_death_toll``, ``report``, ``statement``, ``event`` or ``other``.

    ``site`` is a descriptor, its rules, or (for callers that know only a
    host, such as the replica's truth) a host the package has a descriptor for.
    """
    if isinstance(site, str):
        from snhr_crawler.sites.registry import site_for_origin

        site = site_for_origin(f"https://{site}")
    rules = site.doc_types if isinstance(site, SiteDescriptor) else site
    return rules.doc_type(categories)
