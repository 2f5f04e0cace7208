"""Pre-rendered pages with clock slots, and the per-request fill.

Pages are rendered once per (page, site version) and split on the slot markers;
a request then costs one dict lookup and a ``b"".join``. The header date and the
related block are cached per local day, so they change with the clock only.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from .clock import header_date, to_local
from .furniture import plain_theme, plan
from .html_article import render_article
from .html_blocks import related_classic, related_tdb
from .html_common import DATE_SLOT, RELATED_SLOT, SITE_NAME
from .html_listing import item_href, render_listing, render_not_found
from .html_plain import (
    recent_posts,
    render_plain_article,
    render_plain_listing,
    render_plain_not_found,
)
from .html_shell import Chrome
from .model import Post
from .rand import rng
from .sites import SiteSpec
from .world import World

Segments = tuple[bytes | int, ...]  # bytes, or 0 = date slot, 1 = related slot
_DATE, _RELATED = 0, 1


def split_slots(html: str) -> Segments:
    out: list[bytes | int] = []
    for i, chunk in enumerate(html.split(DATE_SLOT)):
        if i:
            out.append(_DATE)
        for j, part in enumerate(chunk.split(RELATED_SLOT)):
            if j:
                out.append(_RELATED)
            out.append(part.encode("utf-8"))
    return tuple(out)


class Pages:
    """Renders and caches HTML for one server (its origins and fault links)."""

    def __init__(self, world: World, origins: dict[str, str], footer: dict[str, str]) -> None:
        self.world = world
        self.origins = origins
        self.footer = footer  # family -> extra footer HTML (fault links)
        self._cache: dict[tuple[object, ...], Segments] = {}
        self._slots: dict[tuple[object, ...], bytes] = {}

    def _fill(self, segments: Segments, site: SiteSpec, template: str, now: datetime) -> bytes:
        day = to_local(now).date()
        date_key = ("date", site.language, day)
        date = self._slots.get(date_key)
        if date is None:
            date = self._slots[date_key] = header_date(now, site.language).encode("utf-8")
        related = b""
        if _RELATED in segments:
            key = ("related", site.source, template, day, self.world.version)
            related = self._slots.get(key) or self._related(key, site, template, now)
        return b"".join(
            part if isinstance(part, bytes) else (date if part == _DATE else related)
            for part in segments
        )

    def _related(
        self, key: tuple[object, ...], site: SiteSpec, template: str, now: datetime
    ) -> bytes:
        recent = [p for p in self.world.listed(site, None) if p.published <= now][:30]
        chooser = rng(self.world.seed, "related", site.source, key[3])
        picked = sorted(
            chooser.sample(recent, min(3, len(recent))), key=lambda p: p.published, reverse=True
        )
        if template == "tdb":
            html = related_tdb(picked, self.origins, site.language)
        elif template == "plain":
            html = recent_posts(picked, self.origins, site.language)
        else:
            html = related_classic(picked, self.origins)
        if len(self._slots) > 4096:
            self._slots.clear()
        self._slots[key] = data = html.encode("utf-8")
        return data

    def chrome(self, family: str) -> Chrome:
        return Chrome(footer=self.footer[family], menu=self.world.switches.menu)

    def article(self, site: SiteSpec, post: Post, now: datetime) -> bytes:
        key = ("post", post.source, post.post_id, post.revision, self.world.version)
        plain = plain_theme(self.world, post)
        segments = self._cache.get(key)
        if segments is None:
            other = self.world.translation_of(post)
            render = render_plain_article if plain else render_article
            furniture = plan(self.world, post)
            html = render(site, post, other, self.origins, self.chrome(site.family), furniture)
            segments = self._store(key, split_slots(html))
        return self._fill(segments, site, "plain" if plain else post.template, now)

    def listing(
        self, site: SiteSpec, category: str | None, page: int, now: datetime
    ) -> bytes | None:
        """A category archive page, or None past the last page."""
        world = self.world
        per_page = world.switches.per_page
        key = ("listing", site.source, category, page, per_page, world.version)
        segments = self._cache.get(key)
        if segments is None:
            posts = world.listed(site, category)
            last = max(1, -(-len(posts) // per_page))
            if page > last:
                return None
            origin = self.origins[site.family]
            listing_key = f"{site.source}:{category}:{page}"
            items = [
                (
                    p,
                    item_href(
                        world.seed, listing_key, p, site, origin, world.switches.legacy_links
                    ),
                )
                for p in posts[(page - 1) * per_page : page * per_page]
            ]
            if category is None:
                heading, base, body_class = (
                    SITE_NAME[site.language],
                    origin + site.root,
                    "home blog",
                )
            else:
                cat = site.category(category)
                heading, base = cat.name, f"{origin}{site.category_base}{cat.path}/"
                body_class = (
                    f"archive category category-{cat.path.split('/')[-1]} category-{cat.term_id}"
                )
            common: dict[str, Any] = dict(
                site=site, items=items, page=page, last=last, base_url=base, origins=self.origins,
                latest=posts[:5], chrome=self.chrome(site.family),
            )  # fmt: skip
            if world.switches.theme == "plain":
                html = render_plain_listing(
                    heading=None if category is None else heading, body_class=body_class, **common
                )
            else:
                html = render_listing(heading=heading, **common)
            segments = self._store(key, split_slots(html))
        return self._fill(segments, site, "tdb", now)

    def not_found(self, site: SiteSpec, now: datetime) -> bytes:
        key = ("404", site.source)
        segments = self._cache.get(key)
        if segments is None:
            render = (
                render_plain_not_found if self.world.switches.theme == "plain" else render_not_found
            )
            html = render(site, self.origins[site.family], self.chrome(site.family))
            segments = self._store(key, split_slots(html))
        return self._fill(segments, site, "tdb", now)

    def _store(self, key: tuple[object, ...], segments: Segments) -> Segments:
        if len(self._cache) > 50000:
            self._cache.clear()
        self._cache[key] = segments
        return segments
