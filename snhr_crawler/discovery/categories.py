"""A site's category listings, learned from the site itself (the seeds are only hints).

Where categories come from, each a ``via`` name:

``rest``        ``/wp-json/wp/v2/categories``: every category, its link and post count
``sitemap``     the category sitemap (Yoast ``category-sitemap.xml``, core
                ``wp-sitemap-taxonomies-category-1.xml``)
``menu``        links to category listings in the navigation menus of a page
``link``        other links to category listings on a listing page
``breadcrumb``  the category links of an article's breadcrumb trail (and its
                "Posted in" / category labels)
``learned``     what earlier runs learned (kept in the discovery state)
``seed``        the seeds file

A *category listing URL* is a link on the source's own host under its
(sub-)site path, ``<site path>[blog/]category/<slug>[/<child>...]/``, without
``page/N`` or ``feed``: the WordPress default category base, which the
multisite main site prefixes with ``blog/``. That holds for REST links too, so
another language directory's categories (one REST API for two sub-sites) are
never taken for this source's; a site with a custom category base would need
its pattern here.

Everything here is pure (pages and JSON in, plain data out); the crawl's
:mod:`~snhr_crawler.discovery.listings` and the ``probe`` command use it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit

from snhr_crawler.discovery.site import SitePaths
from snhr_crawler.sites import fold

#: The order of trust when two sources name one category differently.
VIA_ORDER = ("rest", "sitemap", "menu", "breadcrumb", "link", "learned", "seed")

#: Where breadcrumb trails and category labels sit on article pages (tagDiv, Yoast, themes).
_BREADCRUMB_XPATH = (
    "//*[contains(@class, 'breadcrumb') or contains(@class, 'entry-crumbs')"
    " or contains(@class, 'cat-links') or contains(@class, 'tdb-category')"
    " or contains(@class, 'td-category') or @id = 'breadcrumbs']//a[@href]"
)
_MENU_XPATH = "//nav//a[@href] | //*[contains(@class, 'menu')]//a[@href]"
_ALL_LINKS_XPATH = "//a[@href]"


def category_path_re(site_path: str) -> re.Pattern[str]:
    """Paths of category listings under ``site_path`` (page 1 only, no feeds)."""
    return re.compile(
        "^" + re.escape(site_path) + r"(?:blog/)?category/(?:(?!page/|feed/)[^/]+/)+$"
    )


@dataclass
class Category:
    """One category listing of the site."""

    url: str  # canonical public URL of its first page
    name: str | None = None
    count: int | None = None  # posts filed directly in it, as the site says (REST)
    via: set[str] = field(default_factory=set)

    @property
    def slug(self) -> str:
        """The last path segment, decoded (``casualties``, ``الضحايا``)."""
        return unquote(urlsplit(self.url).path.rstrip("/").rsplit("/", 1)[-1])

    def to_dict(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "name": self.name,
            "count": self.count,
            "via": sorted(self.via, key=_via_rank),
        }


def _via_rank(via: str) -> int:
    return VIA_ORDER.index(via) if via in VIA_ORDER else len(VIA_ORDER)


@dataclass(frozen=True)
class SeedCheck:
    """The seeds against the categories the site showed."""

    confirmed: list[str]  # seeds the site listed too
    unconfirmed: list[str]  # seeds the site did not list (fetch them to know)
    extra: list[Category]  # categories the site listed that no seed names


class CategoryCatalog:
    """The category listings one source's site showed, keyed by canonical public URL."""

    def __init__(self, paths: SitePaths) -> None:
        self.paths = paths
        self.path_re = category_path_re(paths.site_path)
        self.categories: dict[str, Category] = {}

    def __len__(self) -> int:
        return len(self.categories)

    def __iter__(self) -> Iterator[Category]:
        return iter(self.categories.values())

    def get(self, url: str) -> Category | None:
        return self.categories.get(url)

    # -- what is a category listing ----------------------------------------------------
    def public(self, url: str) -> str:
        return self.paths.origin.to_public(url)

    def is_category_url(self, public: str) -> bool:
        parts = urlsplit(public)
        if (parts.hostname or "") != self.paths.origin.public_host or parts.query:
            return False
        return bool(self.path_re.match(parts.path))

    # -- adding ---------------------------------------------------------------------------
    def add(
        self,
        url: str,
        via: str,
        *,
        name: str | None = None,
        count: int | None = None,
    ) -> Category | None:
        """Note a category listing (``url`` fetch or public); the new Category, else None.

        Every source, REST included, must give a category listing URL of this
        (sub-)site: a REST API shared by two language directories lists the
        other language's categories too, and those are not this source's.
        """
        public = self.public(url)
        if not self.is_category_url(public):
            return None
        known = self.categories.get(public)
        if known is None:
            self.categories[public] = Category(public, name or None, count, {via})
            return self.categories[public]
        known.via.add(via)
        if name and (known.name is None or via == "rest"):
            known.name = name
        if count is not None:
            known.count = count
        return None

    def via_counts(self) -> dict[str, int]:
        """How many categories each source showed."""
        counts: dict[str, int] = {}
        for category in self.categories.values():
            for via in category.via:
                counts[via] = counts.get(via, 0) + 1
        return dict(sorted(counts.items(), key=lambda item: _via_rank(item[0])))

    def forget(self, url: str) -> Category | None:
        return self.categories.pop(self.public(url), None)

    # -- the seeds against it ---------------------------------------------------------------
    def check_seeds(self, seeds: Iterable[str], *, sources: Iterable[str] = ()) -> SeedCheck:
        """Seeds the site's own indexes (``sources``: via names; default every but seed) confirm."""
        wanted = set(sources) or set(VIA_ORDER) - {"seed", "learned"}
        shown = {url for url, cat in self.categories.items() if cat.via & wanted}
        seed_urls = [self.public(url) for url in seeds]
        return SeedCheck(
            confirmed=[url for url in seed_urls if url in shown],
            unconfirmed=[url for url in seed_urls if url not in shown],
            extra=[self.categories[url] for url in sorted(shown - set(seed_urls))],
        )

    def likely_successor(self, seed: str) -> Category | None:
        """The shown category whose name slugifies to ``seed``'s slug: a renamed slug, same name."""
        slug = unquote(urlsplit(self.public(seed)).path.rstrip("/").rsplit("/", 1)[-1])
        for category in self.categories.values():
            if (
                category.name
                and category.url != self.public(seed)
                and slugify(category.name) == slug
            ):
                return category
        return None

    # -- state ----------------------------------------------------------------------------------
    def to_state(self) -> dict[str, dict[str, Any]]:
        """What the next run starts from (the seeds are not kept: they ship with the package)."""
        return {
            url: {"name": cat.name, "count": cat.count, "via": sorted(cat.via, key=_via_rank)}
            for url, cat in sorted(self.categories.items())
            if cat.via - {"seed", "learned"} or "learned" in cat.via
        }


def slugify(name: str) -> str:
    """WordPress's slug of a Latin name: case, accents and punctuation folded, words joined by ``-``."""
    return "-".join(re.findall(r"\w+", fold(name)))


# --- parsers ---------------------------------------------------------------------------


def rest_categories(data: Any) -> list[dict[str, Any]] | None:
    """``/wp/v2/categories`` as ``[{link, name, count, id, parent}]``; None if it is not that."""
    if not isinstance(data, list):
        return None
    found = []
    for raw in data:
        if not isinstance(raw, dict) or not isinstance(raw.get("link"), str):
            return None
        found.append(
            {
                "link": raw["link"],
                "name": str(raw["name"]) if raw.get("name") is not None else None,
                "count": raw["count"] if isinstance(raw.get("count"), int) else None,
                "id": raw.get("id") if isinstance(raw.get("id"), int) else None,
                "parent": raw.get("parent") if isinstance(raw.get("parent"), int) else None,
            }
        )
    return found


def page_category_links(
    selector: Any, base_url: str, *, breadcrumbs: bool = False
) -> Iterator[tuple[str, str, str]]:
    """``(absolute href, link text, via)`` of the category-looking links on a page.

    ``via`` is ``menu`` for links inside a navigation menu, else ``link``; with
    ``breadcrumbs`` only the breadcrumb trail and category labels are read
    (``breadcrumb``), which is all an article page needs. Hrefs without
    ``category`` are dropped before anything is resolved: a page has hundreds
    of links and only a few can be categories.
    """
    from urllib.parse import urljoin

    groups: tuple[tuple[str, str], ...] = (
        ((_BREADCRUMB_XPATH, "breadcrumb"),)
        if breadcrumbs
        else ((_MENU_XPATH, "menu"), (_ALL_LINKS_XPATH, "link"))
    )
    seen: set[str] = set()
    for xpath, via in groups:
        for anchor in selector.xpath(xpath):
            href = (anchor.attrib.get("href") or "").strip()
            if "category" not in href or href in seen:
                continue
            seen.add(href)
            text = " ".join(" ".join(anchor.xpath(".//text()").getall()).split())
            yield urljoin(base_url, href), text, via
