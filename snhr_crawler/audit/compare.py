"""The comparison: the site's inventory against the archive, by month and category."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import urlsplit

from snhr_crawler.audit.inventory import Inventory, SitePost
from snhr_crawler.urls import canonical_url

#: Missing URLs printed per source before "… and N more" (the JSON has them all).
PRINT_LIMIT = 50


# --- the comparison ----------------------------------------------------------------------


@dataclass
class AuditReport:
    source: str
    site_total: int | None
    site_total_via: str
    site_listed: int  # posts named by the site's indexes (what can be compared)
    archived: int  # live archived articles of the source
    archived_of_listed: int
    missing: list[str]  # site posts the archive lacks, by URL
    extra: list[str]  # archived posts no index names (deleted? other language?)
    by_month: dict[str, dict[str, int]]  # YYYY-MM -> {"site": n, "archived": m}
    by_category: dict[str, dict[str, int]]  # name -> {"site": n, "archived": m}
    listing_estimate: int | None  # pages × page size, summed over top-level seed listings
    listings: dict[str, dict[str, int]]  # per seed listing: pages, page_size
    rest_total: int | None
    sitemap_urls: int | None
    unavailable: dict[str, str]

    @property
    def nothing_answered(self) -> bool:
        """True when no index and no listing of the site answered: nothing was compared."""
        return (
            self.rest_total is None
            and self.sitemap_urls is None
            and not self.listings
            and not self.site_listed
        )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def render(self) -> str:
        lines = [
            f"{self.source}: the site lists {self.site_total if self.site_total is not None else '?'}"
            f" posts ({self.site_total_via}); the archive has {self.archived_of_listed} of the"
            f" {self.site_listed} it names, {len(self.missing)} missing"
            + (f", {len(self.extra)} archived but not listed" if self.extra else ""),
            f"  figures: REST X-WP-Total={_fmt(self.rest_total)}, sitemap URLs={_fmt(self.sitemap_urls)},"
            f" listings ≈ {_fmt(self.listing_estimate)} (pages × page size), archived={self.archived}",
        ]
        if not self.site_listed:
            lines.append(
                "  no post-level index (REST, sitemap) answered: missing posts cannot be named;"
                " compare the listing estimate with the archived count"
            )
        if self.listings:
            lines.append("  listings (pages × page size): " + ", ".join(
                f"{urlsplit(url).path} {v['pages']}×{v['page_size']}"
                for url, v in self.listings.items()
            ))  # fmt: skip
        if self.missing:
            lines.append(f"  missing ({len(self.missing)}):")
            lines += [f"    {url}" for url in self.missing[:PRINT_LIMIT]]
            if len(self.missing) > PRINT_LIMIT:
                lines.append(f"    … and {len(self.missing) - PRINT_LIMIT} more (see the JSON)")
        gaps = {k: v for k, v in self.by_month.items() if v["site"] != v["archived"]}
        if gaps:
            lines.append("  months with gaps (site/archived): " + ", ".join(
                f"{month} {v['archived']}/{v['site']}" for month, v in sorted(gaps.items())
            ))  # fmt: skip
        cats = {k: v for k, v in self.by_category.items() if v["site"] != v["archived"]}
        if cats:
            lines.append("  categories with gaps (site/archived): " + ", ".join(
                f"{name} {v['archived']}/{v['site']}" for name, v in sorted(cats.items())
            ))  # fmt: skip
        if self.extra:
            lines.append(f"  archived but named by no index ({len(self.extra)}):")
            lines += [f"    {url}" for url in self.extra[:PRINT_LIMIT]]
        for url, why in sorted(self.unavailable.items()):
            lines.append(f"  unavailable: {url} ({why})")
        return "\n".join(lines)


def _fmt(value: int | None) -> str:
    return "n/a" if value is None else str(value)


def listing_estimate(listings: dict[str, dict[str, int]]) -> int | None:
    """Pages × page size summed over the listings no other listing contains.

    A parent category's archive also lists its children's posts, so a child
    listing (``…/category/news/casualties/`` under ``…/category/news/``) is
    left out of the sum; its own estimate stays in ``listings``.
    """
    if not listings:
        return None
    paths = {url: urlsplit(url).path for url in listings}
    top = [
        url
        for url, path in paths.items()
        if not any(other != path and path.startswith(other) for other in paths.values())
    ]
    return sum(listings[url]["pages"] * listings[url]["page_size"] for url in top)


def compare(inventory: Inventory, archived: Iterable[tuple[Any, Any]]) -> AuditReport:
    """The audit of one source against ``(post_id, url)`` of its live archived articles.

    ``archived`` is read once, as it comes (e.g. from the archive's index):
    only post ids and canonical URLs are kept, never the records.
    """
    posts = sorted(inventory.posts.values(), key=lambda p: p.url)
    site_ids = {p.post_id for p in posts if p.post_id is not None}
    site_urls = {p.url for p in posts}
    ids: set[int] = set()
    urls: set[str] = set()
    extra = []
    count = 0
    for post_id, url in archived:
        count += 1
        if isinstance(post_id, int):
            ids.add(post_id)
        if url:
            canonical = canonical_url(url)
            urls.add(canonical)
            if inventory.complete and canonical not in site_urls and post_id not in site_ids:
                extra.append(canonical)
    extra.sort()

    def archived_post(post: SitePost) -> bool:
        return (post.post_id is not None and post.post_id in ids) or post.url in urls

    missing = [p.url for p in posts if not archived_post(p)]
    month_site: Counter[str] = Counter()
    month_have: Counter[str] = Counter()
    cat_site: Counter[str] = Counter()
    cat_have: Counter[str] = Counter()
    for post in posts:
        month = post.month or "undated"
        month_site[month] += 1
        have = archived_post(post)
        month_have[month] += have
        for cat in post.categories:
            name = inventory.category_names.get(cat, str(cat))
            cat_site[name] += 1
            cat_have[name] += have
    if inventory.rest_total is not None:
        total, via = inventory.rest_total, "REST X-WP-Total"
    elif inventory.sitemap_urls is not None:
        total, via = inventory.sitemap_urls, "sitemap URLs"
    elif inventory.listings:
        total, via = None, "listings only: no post-level index answered"
    else:
        total, via = None, "nothing answered"
    estimate = listing_estimate(inventory.listings)
    return AuditReport(
        source=inventory.source,
        site_total=total,
        site_total_via=via,
        site_listed=len(posts),
        archived=count,
        archived_of_listed=len(posts) - len(missing),
        missing=missing,
        extra=extra,
        by_month={
            m: {"site": month_site[m], "archived": month_have[m]} for m in sorted(month_site)
        },
        by_category={c: {"site": cat_site[c], "archived": cat_have[c]} for c in sorted(cat_site)},
        listing_estimate=estimate,
        listings=dict(sorted(inventory.listings.items())),
        rest_total=inventory.rest_total,
        sitemap_urls=inventory.sitemap_urls,
        unavailable=dict(inventory.unavailable),
    )
