"""The host descriptors the package ships, for callers that know only an origin.

``Origin(public="https://news.snhr.org")`` (benchmarks, parser tests) gets
SNHR's descriptor for that host, so old hosts and aliases still canonicalise;
a spider passes its own descriptor and never needs this lookup.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from types import MappingProxyType

from snhr_crawler.sites import SiteDescriptor


def known_hosts() -> tuple[SiteDescriptor, ...]:
    """One descriptor per host the package knows (each with its related hosts)."""
    from snhr_crawler.sites import snhr

    return (
        snhr.SNHR_NEWS,
        snhr.SNHR_REPORTS,
    )


@cache
def known_host_map() -> Mapping[str, str]:
    """Every shipped host spelling -> its current host."""
    mapping: dict[str, str] = {}
    for site in known_hosts():
        mapping.update(site.host_map())
    return MappingProxyType(mapping)


def site_for_origin(origin: str) -> SiteDescriptor:
    """The shipped descriptor whose hosts include ``origin``'s, else a bare one for it."""
    bare = SiteDescriptor(origin=origin.rstrip("/"))
    for site in known_hosts():
        if bare.host in site.own_hosts:
            return site
    return bare
