"""What the probe found about one source, what it concludes, and the profile it writes.

:class:`Findings` is filled by the probe spider as answers come in;
:func:`judge` turns it into *problems* (something the crawl relies on is
missing: the command exits 1) and *warnings* (worth a look, not a failure);
:func:`auto_path` says which discovery path ``crawl``'s default ``auto``
would take; :meth:`Findings.to_profile` is ``state/profile-<source>.json``.

Problems:

* the site never answered (robots.txt, the home page and every index silent);
* robots.txt forbids what the crawl fetches (the home listing, a seed, an article);
* a seed answers 404/410 (named, with the category that has its name now);
* no article could be sampled, or a field the records rely on
  (``title``, ``published_at``, ``body_text``, ``categories``, ``post_id``) was
  served only by a last-resort layer (URL, generic text, ``<title>``, nothing)
  on every sampled article;
* no discovery path but listings (no sitemap, no REST), and the listing
  markup is not recognised either.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from snhr_crawler.discovery.categories import CategoryCatalog
from snhr_crawler.ops.layershift import LAST_RESORT_TIER, tier
from snhr_crawler.probe.pages import NOT_RECOGNISED, ArticleFinding

#: Fields every record needs from the page (the crawl's minimum coverage, and the id).
RELIED_ON = ("title", "published_at", "body_text", "categories", "post_id")
PROFILE_VERSION = 1


@dataclass
class Findings:
    source: str
    probed_at: str = ""
    # Filled by the probe spider from the source's descriptor:
    public: str = ""  # https://host
    fetch: str = ""  # the origin fetched (the public one, or a local copy)
    site_path: str = "/"
    language: str = ""
    robots: dict[str, Any] = field(default_factory=dict)
    sitemaps: dict[str, Any] = field(default_factory=dict)
    rest: dict[str, Any] = field(default_factory=dict)
    feed: dict[str, Any] = field(default_factory=dict)
    home: dict[str, Any] = field(default_factory=dict)
    seeds: list[dict[str, Any]] = field(default_factory=list)
    articles: list[ArticleFinding] = field(default_factory=list)
    catalog: CategoryCatalog | None = None
    requests: int = 0
    not_checked: list[str] = field(default_factory=list)  # cut by the request budget

    # -- summaries -----------------------------------------------------------------------
    @property
    def answered(self) -> bool:
        return any(
            part.get("status") is not None
            for part in (self.robots, self.home, self.rest, self.feed)
        ) or bool(self.sitemaps.get("index"))

    def extraction_layers(self) -> dict[str, dict[str, int]]:
        """field -> layer -> sampled articles: the shift alarm's first baseline."""
        layers: dict[str, dict[str, int]] = {}
        for article in self.articles:
            for name, layer in article.layers.items():
                layers.setdefault(name, {})
                layers[name][layer] = layers[name].get(layer, 0) + 1
        return {name: dict(sorted(counts.items())) for name, counts in sorted(layers.items())}

    def themes(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for article in self.articles:
            if article.theme:
                counts[article.theme] = counts.get(article.theme, 0) + 1
        return counts

    def settle_seeds(self) -> None:
        """A seed that answered and that an article's breadcrumbs then showed is confirmed.

        Seeds are checked before the articles are read (their answers decide
        nothing else), so breadcrumbs can only confirm them afterwards.
        """
        if self.catalog is None:
            return
        for seed in self.seeds:
            if seed.get("state") == "answers" and self.catalog.get(seed["url"]) is not None:
                seed["state"] = "confirmed"

    def to_profile(self) -> dict[str, Any]:
        self.settle_seeds()
        problems, warnings = judge(self)
        catalog = self.catalog
        return {
            "version": PROFILE_VERSION,
            "source": self.source,
            "probed_at": self.probed_at,
            "site": {
                "public": self.public,
                "fetched_from": self.fetch,
                "site_path": self.site_path,
            },
            "requests": self.requests,
            "not_checked": self.not_checked,
            "robots": self.robots,
            "sitemaps": self.sitemaps,
            "rest": self.rest,
            "feed": self.feed,
            "home": self.home,
            "categories": [cat.to_dict() for cat in catalog] if catalog is not None else [],
            "seeds": self.seeds,
            "theme": {"home": self.home.get("theme"), "articles": self.themes()},
            "articles": [article.to_dict() for article in self.articles],
            "extraction_layers": self.extraction_layers(),
            "auto": auto_path(self),
            "problems": problems,
            "warnings": warnings,
            "ok": not problems,
        }


def auto_path(findings: Findings) -> dict[str, str]:
    """The path ``discovery=auto`` takes on a first run and on later (incremental) runs."""
    index = findings.sitemaps.get("index")
    if index:
        named = " (named in robots.txt)" if findings.sitemaps.get("named") else ""
        first, why = "sitemap", f"{index} answered{named}"
    elif findings.rest.get("ok"):
        first, why = "rest", "no sitemap; the REST API answered"
    else:
        first, why = "listing", "no sitemap and no REST API: listings are the last resort"
    later = first
    if first == "listing" and findings.feed.get("ok"):
        later = "feed"  # auto trusts the feed only once the archive holds the rest
    return {"first_run": first, "incremental": later, "why": why}


def judge(findings: Findings) -> tuple[list[str], list[str]]:
    """(problems, warnings) about what the crawl relies on (see the module docstring)."""
    problems: list[str] = []
    warnings: list[str] = []
    if not findings.answered:
        return [f"{findings.fetch} never answered (robots.txt, home page, indexes)"], warnings
    for what in findings.robots.get("forbidden") or []:
        problems.append(f"robots.txt forbids {what}")
    for seed in findings.seeds:
        status = seed.get("status")
        if status in (404, 410):
            successor = seed.get("successor")
            instead = (
                f"; the category named {successor['name']!r} is now {successor['url']}"
                if successor
                else ""
            )
            problems.append(f"seed {seed['url']} answers {status}{instead}")
        elif seed.get("state") == "answers":
            warnings.append(f"seed {seed['url']} answers but no index of the site lists it")
    if not findings.articles or not any(a.layers for a in findings.articles):
        problems.append("no article could be sampled")
    else:
        layers = findings.extraction_layers()
        for name in RELIED_ON:
            served = layers.get(name) or {}
            if served and all(tier(layer) >= LAST_RESORT_TIER for layer in served):
                problems.append(
                    f"{name} served only by the last fallback layer"
                    f" ({', '.join(sorted(served))}) on {sum(served.values())} sampled article(s)"
                )
    path = auto_path(findings)
    if path["first_run"] == "listing":
        if not findings.home.get("items"):
            problems.append(
                "no discovery path but listings, and the home listing shows no article the"
                " theme's listing markup recognises"
            )
        else:
            warnings.append("no sitemap and no REST API: a first crawl walks every listing page")
    elif not findings.home.get("items"):
        warnings.append("the home listing shows no article the listing markup recognises")
    for article in findings.articles:
        if article.today_widget == NOT_RECOGNISED:
            warnings.append(
                f"the header's today widget is not recognised as chrome on {article.url}"
            )
        if article.language and article.language != findings.language:
            warnings.append(
                f"{article.url} says lang={article.language}, the source is {findings.language}"
            )
        if article.charset and article.charset.get("redecoded"):
            warnings.append(
                f"{article.url} declares {article.charset.get('header') or article.charset.get('meta')}"
                f" but reads as {article.charset.get('used')}"
            )
    if findings.not_checked:
        warnings.append(f"request budget reached; not checked: {', '.join(findings.not_checked)}")
    return problems, warnings
