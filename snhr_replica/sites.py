"""The four SNHR sites: paths, hosts and category trees.

A :class:`SiteSpec` is static configuration. ``root`` is where the site's
WordPress (sub-)site lives (feeds, REST, sitemaps hang off it); ``post_prefix``
is what permalinks start with (the multisite main site forces ``blog/``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING
from urllib.parse import quote

if TYPE_CHECKING:
    from .switches import Switches


@dataclass(frozen=True)
class CategorySpec:
    """One category; ``path`` is the slug path below the category base.

    ``doc_type`` is what the record contract calls the documents filed here
    (README's record table): the replica chose what each category holds, so it
    states the answer rather than deriving it from the name.
    """

    key: str  # language-neutral identity, shared by the two language versions
    name: str
    path: str  # e.g. "news/casualties"
    term_id: int
    doc_type: str
    parent: str | None = None


@dataclass(frozen=True)
class SiteSpec:
    source: str  # spider name
    family: str  # "news" or "main": which listening port / WP network
    language: str
    public_host: str
    root: str  # "/", "/ar/", "/arabic/"
    post_prefix: str  # "/", "/ar/", "/blog/", "/arabic/"
    category_base: str  # "/category/", "/ar/category/", "/blog/category/" …
    uploads: str  # "/wp-content/uploads/" or "/arabic/wp-content/uploads/sites/2/"
    home_crumb: str
    categories: tuple[CategorySpec, ...]

    @property
    def wp_home(self) -> str:
        """The WordPress install's home path: shortlinks and guids hang off it.

        The Arabic news site shares the English install (a language directory),
        so its ``?p=ID`` links sit at ``/``; the Arabic main site is a multisite
        sub-site with its own home at ``/arabic/``.
        """
        return "/" if self.family == "news" else self.root

    @property
    def public_origin(self) -> str:
        return f"https://{self.public_host}"

    def category(self, key: str) -> CategorySpec:
        return next(cat for cat in self.categories if cat.key == key)

    def lineage(self, key: str) -> list[CategorySpec]:
        """The category and its ancestors, root first (the breadcrumb trail)."""
        chain = [self.category(key)]
        while chain[0].parent:
            chain.insert(0, self.category(chain[0].parent))
        return chain


def _news_categories(arabic: bool) -> tuple[CategorySpec, ...]:
    sfx, base = ("-ar", 20) if arabic else ("", 2)
    names = {
        "news": ("أخبار" if arabic else "News"),
        "casualties": ("الضحايا" if arabic else "Casualties"),
        "attacks": ("الهجمات على المنشآت الحيوية" if arabic else "Attacks on Civilian Facilities"),
        "arrests": ("الاعتقالات" if arabic else "Arrests"),
        "daily": ("الحصيلة اليومية للضحايا" if arabic else "Daily Death Toll"),
    }
    return (
        CategorySpec("news", names["news"], f"news{sfx}", base, "news"),
        CategorySpec(
            "casualties",
            names["casualties"],
            f"news{sfx}/casualties{sfx}",
            base + 1,
            "news",
            parent="news",
        ),
        CategorySpec(
            "attacks",
            names["attacks"],
            f"news{sfx}/attacks-on-civilian-facilities{sfx}",
            base + 2,
            "news",
            parent="news",
        ),
        CategorySpec(
            "arrests", names["arrests"], f"news{sfx}/arrests{sfx}", base + 3, "news", parent="news"
        ),
        CategorySpec(
            "daily", names["daily"], f"daily-death-toll{sfx}", base + 4, "daily_death_toll"
        ),
    )


_MAIN_KEYS = ("death-toll", "arrest", "statements", "events", "joint", "others")
_MAIN_DOC_TYPES = ("report", "report", "statement", "event", "report", "other")
_MAIN_SLUGS = (
    "death-toll", "arrest", "statements-by-snhr", "advocacy-events", "joint-reports", "others",
)  # fmt: skip
_MAIN_EN = (
    "Death Toll",
    "Arrest",
    "Statements by SNHR",
    "Advocacy Events",
    "Joint Reports",
    "Others",
)
_MAIN_AR = (
    "حصيلة الضحايا",
    "الاعتقال",
    "بيانات الشبكة",
    "فعاليات المناصرة",
    "تقارير مشتركة",
    "أخرى",
)


def _main_categories(arabic: bool) -> tuple[CategorySpec, ...]:
    names = _MAIN_AR if arabic else _MAIN_EN
    return tuple(
        CategorySpec(key, name, slug, 3 + i, doc_type)
        for i, (key, slug, name, doc_type) in enumerate(
            zip(_MAIN_KEYS, _MAIN_SLUGS, names, _MAIN_DOC_TYPES, strict=True)
        )
    )


SITES: tuple[SiteSpec, ...] = (
    SiteSpec(
        "snhr_news", "news", "en", "news.snhr.org", "/", "/", "/category/",
        "/wp-content/uploads/", "Home", _news_categories(False),
    ),
    SiteSpec(
        "snhr_news_ar", "news", "ar", "news.snhr.org", "/ar/", "/ar/", "/ar/category/",
        "/wp-content/uploads/", "الرئيسية", _news_categories(True),
    ),
    SiteSpec(
        "snhr_reports", "main", "en", "snhr.org", "/", "/blog/", "/blog/category/",
        "/wp-content/uploads/", "Home", _main_categories(False),
    ),
    SiteSpec(
        "snhr_reports_ar", "main", "ar", "snhr.org", "/arabic/", "/arabic/", "/arabic/category/",
        "/arabic/wp-content/uploads/sites/2/", "الرئيسية", _main_categories(True),
    ),
)  # fmt: skip

SITE_BY_SOURCE = {site.source: site for site in SITES}

# --- the category switches ------------------------------------------------------------------

#: ``category_slugs=renamed``: slugs the seeds do not know (the names stay). English sites get
#: other words; Arabic ones the slug WordPress makes of the Arabic name (percent-encoded).
_RENAMED = {
    "snhr_news": {"attacks": "attacks-on-vital-facilities", "arrests": "detainees"},
    "snhr_reports": {"statements": "statements", "events": "events"},
}
_RENAMED_FROM_NAME = {
    "snhr_news_ar": ("attacks", "arrests"),
    "snhr_reports_ar": ("statements", "events"),
}

#: ``extra_category=on``: one category per site that no seed names, holding posts of its own.
_EXTRA = {
    "snhr_news": ("torture", "Deaths under Torture", "deaths-under-torture", "news", "news"),
    "snhr_news_ar": ("torture", "الوفيات بسبب التعذيب", "deaths-under-torture-ar", "news", "news"),
    "snhr_reports": ("reports", "Reports", "reports", None, "report"),
    "snhr_reports_ar": ("reports", "تقارير", "reports", None, "report"),
}


def name_slug(name: str) -> str:
    """WordPress's slug of a non-ASCII name: words joined by ``-``, UTF-8 percent-encoded, lower-case hex."""
    return "-".join(quote(word, safe="").lower() for word in name.split())


def _slugs(site: SiteSpec, renamed: bool) -> dict[str, str]:
    """Each category's own slug (the last path segment) under the switch in force."""
    slugs = {cat.key: cat.path.rsplit("/", 1)[-1] for cat in site.categories}
    if renamed:
        slugs.update(_RENAMED.get(site.source, {}))
        for key in _RENAMED_FROM_NAME.get(site.source, ()):
            slugs[key] = name_slug(site.category(key).name)
    return slugs


def sites_for(switches: Switches) -> tuple[SiteSpec, ...]:
    """The four sites with the category tree the switches describe (``SITES`` by default)."""
    if switches.category_slugs == "seeds" and not switches.extra_category:
        return SITES
    out = []
    for site in SITES:
        cats = list(site.categories)
        if switches.extra_category:
            key, name, slug, parent, doc_type = _EXTRA[site.source]
            term = max(cat.term_id for cat in cats) + 1
            cats.append(CategorySpec(key, name, slug, term, doc_type, parent))
        draft = replace(site, categories=tuple(cats))
        slugs = _slugs(draft, switches.category_slugs == "renamed")
        paths: dict[str, str] = {}
        for cat in draft.categories:  # parents come first in every tree
            paths[cat.key] = (
                f"{paths[cat.parent]}/{slugs[cat.key]}" if cat.parent else slugs[cat.key]
            )
        out.append(
            replace(
                draft, categories=tuple(replace(c, path=paths[c.key]) for c in draft.categories)
            )
        )
    return tuple(out)


#: Old hostnames and the family that now serves them (the replica 301s them).
ALIAS_FAMILY = {
    "news.sn4hr.org": "news",
    "www.news.sn4hr.org": "news",
    "www.news.snhr.org": "news",
    "sn4hr.org": "main",
    "www.sn4hr.org": "main",
    "www.snhr.org": "main",
}
PUBLIC_FAMILY = {"news.snhr.org": "news", "snhr.org": "main"}
OLD_HOST = {"news": "news.sn4hr.org", "main": "sn4hr.org"}
