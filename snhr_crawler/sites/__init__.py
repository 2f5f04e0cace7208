"""Site descriptors: every fact about a source's site, in one object per source.

A spider declares ``site = SiteDescriptor(...)``; the URL code (``Origin``),
the doc-type mapping, record assembly and discovery read it, so nothing about
a host is a module constant elsewhere. A spider on a new host therefore gets
canonical URLs (tracking parameters and fragments dropped, old hosts mapped)
and its own doc-type default without touching shared code.

Fields:

``origin``          where the site lives today, ``https://host``
``aliases``         other spellings of the same host today (``www.``)
``old_hosts``       hosts it moved from; old links still point there and
                    canonicalise to ``origin``'s host
``site_names``      the site's name as pages append it to titles
                    (``"Title - <site name>"``); stripped from titles
``doc_types``       the category → ``doc_type`` rules and the default
``seeds``           the seeds file shipped in the package,
                    ``snhr_crawler/seeds/<seeds>.txt`` (start listings);
                    ``seed_package`` names another package to read it from
``site_path``       the (sub-)site root the feeds, sitemaps and REST API hang
                    off (``/``, ``/ar/``); None: derived from the seeds
``related``         the publisher's other sites: links to them are
                    canonicalised with their aliases too (a report linking to
                    the news site's old host)
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from types import MappingProxyType
from urllib.parse import urlsplit

from snhr_crawler.exceptions import SpiderArgumentError

#: The package folder seeds files ship in.
SEEDS_PACKAGE = "snhr_crawler.seeds"


def fold(text: str) -> str:
    """Case-, space- and diacritic-insensitive form of a category name."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


@dataclass(frozen=True)
class DocTypeRules:
    """``doc_type`` from categories: the first rule whose names meet the categories wins.

    ``rules`` is ``((doc_type, names), ...)`` in order of precedence; names
    match case-, space- and diacritic-insensitively. ``default`` is the
    type of a post no rule matches (``news`` on a news site, ``other`` where
    unknown categories are not news).
    """

    rules: tuple[tuple[str, frozenset[str]], ...] = ()
    default: str = "other"

    def doc_type(self, categories: Iterable[str]) -> str:
        folded = {fold(name) for name in categories}
        for doc_type, names in self.rules:
            if folded & {fold(name) for name in names}:
                return doc_type
        return self.default


def read_seeds(resource: str, package: str = SEEDS_PACKAGE) -> list[str]:
    """Start URLs from ``<package>/<resource>.txt``: one per line, ``#`` comments allowed."""
    try:
        text = (resources.files(package) / f"{resource}.txt").read_text("utf-8")
    except (FileNotFoundError, ModuleNotFoundError):
        where = package.replace(".", "/")
        raise SpiderArgumentError("seeds", f"no seeds file {where}/{resource}.txt") from None
    lines = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return [line for line in lines if line]


def _host(url_or_host: str) -> str:
    host = urlsplit(url_or_host).hostname if "//" in url_or_host else url_or_host
    return (host or "").lower().rstrip(".")


@dataclass(frozen=True)
class SiteDescriptor:
    """What is true of one source's site (see the module docstring for each field)."""

    origin: str
    aliases: tuple[str, ...] = ()
    old_hosts: tuple[str, ...] = ()
    site_names: tuple[str, ...] = ()
    doc_types: DocTypeRules = field(default_factory=DocTypeRules)
    seeds: str = ""
    seed_package: str = SEEDS_PACKAGE
    site_path: str | None = None
    related: tuple[SiteDescriptor, ...] = ()

    def __post_init__(self) -> None:
        parts = urlsplit(self.origin)
        if (
            parts.scheme not in ("http", "https")
            or not parts.hostname
            or parts.path not in ("", "/")
        ):
            raise ValueError(f"site origin must be scheme://host, got {self.origin!r}")

    # The descriptor is frozen, so what follows from its hosts is computed once:
    # every link on every page asks (370,000 URL parses for 3,000 articles before).
    @cached_property
    def host(self) -> str:
        """The host the site is canonically served from, e.g. ``news.snhr.org``."""
        return _host(self.origin)

    @cached_property
    def own_hosts(self) -> frozenset[str]:
        """The host, its aliases and its old hosts."""
        return frozenset({self.host, *map(_host, self.aliases), *map(_host, self.old_hosts)})

    def host_map(self) -> Mapping[str, str]:
        """Every host spelling of this site and its related sites -> the host it means."""
        return self._host_map

    @cached_property
    def _host_map(self) -> Mapping[str, str]:
        mapping: dict[str, str] = {}
        for site in (*self.related, self):
            for spelling in site.own_hosts:
                mapping[spelling] = site.host
        return MappingProxyType(mapping)

    def seed_urls(self) -> list[str]:
        """The public start listings (``read_seeds``)."""
        return read_seeds(self.seeds, self.seed_package)

    def strip_site_name(self, title: str) -> str:
        """``title`` without a trailing ``" - <site name>"`` (also ``|`` and ``–``)."""
        stripped = title.rstrip()
        for name in self.site_names:
            for sep in (" - ", " | ", " – ", " — "):
                if stripped.endswith(sep + name):
                    return stripped[: -len(sep + name)].rstrip()
        return title

    def doc_type(self, categories: Iterable[str]) -> str:
        return self.doc_types.doc_type(categories)


__all__ = ["DocTypeRules", "SiteDescriptor", "fold", "read_seeds"]
