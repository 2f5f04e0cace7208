"""The replica's mutable state: all posts, lookups, and the mutation API.

One lock guards mutations because tests mutate from their own thread while the
server thread reads. Every change bumps :attr:`World.version`, which the page
caches key on.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from urllib.parse import unquote

from . import news_text, report_text
from .clock import LOCAL, utc_now
from .generate import (
    build_all,
    build_main_post,
    build_news_post,
    finish,
    main_body,
    main_category,
    news_category,
    news_kind,
)
from .model import Block, Post
from .rand import rng
from .sites import SITE_BY_SOURCE, SiteSpec, sites_for
from .slugs import registry_with
from .switches import Switches


class World:
    """Every site's posts plus the in-process mutation API (``add``/``edit``/``delete``)."""

    def __init__(
        self,
        *,
        posts: int = 60,
        seed: int = 1,
        switches: Switches | None = None,
        now: datetime | Callable[[], datetime] | None = None,
    ) -> None:
        self.seed = seed
        self.count = posts
        self.switches = switches or Switches()
        #: The sites with the category tree the switches describe.
        self.sites = sites_for(self.switches)
        self.site_by_source = {site.source: site for site in self.sites}
        self._now = now
        self.lock = threading.RLock()
        self.version = 0
        self.posts = build_all(seed, posts, self.switches)
        self._added = 0
        self._index()
        self.hidden = self._pick_hidden() if self.switches.hide_one_per_listing else set()

    # --- clock and lookups -----------------------------------------------------------------

    def now(self) -> datetime:
        """The server's clock: fixed, a callable, or the real clock."""
        if self._now is None:
            return utc_now()
        value = self._now() if callable(self._now) else self._now
        return value if value.tzinfo else value.replace(tzinfo=UTC)

    def set_now(self, now: datetime | Callable[[], datetime] | None) -> None:
        """Move the server clock (None: back to the real clock); pages follow on the next request."""
        with self.lock:
            self._now = now

    def _index(self) -> None:
        self.by_path: dict[tuple[str, str], Post] = {}
        self.by_id: dict[tuple[str, int], Post] = {}
        for source, items in self.posts.items():
            for post in items:
                self._register(source, post)

    def _register(self, source: str, post: Post) -> None:
        self.by_path[(post.family, unquote(post.path))] = post
        self.by_id[(source, post.post_id)] = post

    def site_at(self, family: str, path: str) -> SiteSpec:
        """The sub-site a path of ``family`` belongs to: ``/ar/…`` and ``/arabic/…`` are Arabic."""
        arabic_root = "/ar/" if family == "news" else "/arabic/"
        want_ar = path.startswith(arabic_root) or path == arabic_root.rstrip("/")
        return next(s for s in self.sites if s.family == family and (s.language == "ar") == want_ar)

    def find_path(self, family: str, decoded_path: str) -> Post | None:
        return self.by_path.get((family, decoded_path))

    def find_id(self, sources: tuple[str, ...], post_id: int) -> Post | None:
        for source in sources:
            post = self.by_id.get((source, post_id))
            if post is not None:
                return post
        return None

    def translation_of(self, post: Post) -> Post | None:
        if post.translation is None:
            return None
        other = self.by_id.get(post.translation)
        return other if other is not None and other.gone is None else None

    def live(self, source: str) -> list[Post]:
        """Published posts of a site, newest first."""
        return [p for p in reversed(self.posts[source]) if p.gone is None]

    def listed(self, site: SiteSpec, category: str | None) -> list[Post]:
        """What a category archive (or the home page, ``None``) lists, newest first."""
        keys = None if category is None else self.subtree(site, category)
        return [
            p
            for p in self.live(site.source)
            if (keys is None or p.category in keys) and (p.source, p.post_id) not in self.hidden
        ]

    def in_category(self, site: SiteSpec, category: str | None) -> list[Post]:
        """Like :meth:`listed` but ignoring the hide switch (feeds, sitemaps, REST)."""
        keys = None if category is None else self.subtree(site, category)
        return [p for p in self.live(site.source) if keys is None or p.category in keys]

    @staticmethod
    def subtree(site: SiteSpec, key: str) -> set[str]:
        """A category and its descendants (WordPress lists children in parent archives)."""
        keys = {key}
        for cat in site.categories:
            if cat.parent in keys:
                keys.add(cat.key)
        return keys

    def _pick_hidden(self) -> set[tuple[str, int]]:
        """One post per category, from the middle of its history (not in the newest feeds)."""
        hidden: set[tuple[str, int]] = set()
        for site in self.sites:
            for cat in site.categories:
                own = [p for p in self.posts[site.source] if p.category == cat.key]
                if own:
                    post = own[len(own) // 2]
                    hidden.add((post.source, post.post_id))
        return hidden

    # --- mutations -------------------------------------------------------------------------

    def add(self, source: str, n: int = 1) -> list[Post]:
        """Publish ``n`` new posts dated just before ``now`` (newest last)."""
        if source not in SITE_BY_SOURCE or n < 1:
            raise ValueError("unknown source or bad n")
        now = self.now()
        with self.lock:
            made = []
            latest = max(p.published for p in self.posts[source])
            for k in range(n):
                when = now - timedelta(minutes=2 * (n - k))
                when = max(when, latest + timedelta(seconds=30 * (k + 1)))
                made.append(self._make(source, when.astimezone(LOCAL)))
            self.version += 1
            return made

    def _make(self, source: str, local: datetime) -> Post:
        site = SITE_BY_SOURCE[source]
        self._added += 1
        key = f"added-{self._added}"
        r = rng(self.seed, source, "add", self._added)
        if site.family == "news":
            kind = news_kind(r, local.date())
            inc = news_text.pick_incident(r, kind, news_text.incident_day(r, local.date(), kind))
            post = build_news_post(
                self.seed, source, local, inc, news_category(r, kind, self.switches), key
            )
            family_sources: tuple[str, ...] = ("snhr_news", "snhr_news_ar")
        else:
            category = report_text.pick_category(r)
            doc = report_text.pick_document(r, category, local.date().replace(day=1))
            post = build_main_post(self.seed, source, local, doc, key)
            post.category = main_category(self.seed, doc.category, self.switches, key)
            family_sources = (source,)
        ids = [p.post_id for s in family_sources for p in self.posts[s]]
        post.post_id = max(ids) + 3 + r.randrange(20)
        registry = registry_with([p.slug for s in family_sources for p in self.posts[s]])
        finish(post, registry)
        post.modified = post.published
        if site.family == "main":
            previous = self.posts[source][-1].path if self.posts[source] else None
            post.blocks = main_body(post, doc, previous)
        self.posts[source].append(post)
        self._register(source, post)
        return post

    def edit(self, source: str, post_id: int, text: str | None = None) -> Post:
        """Append an update paragraph and move ``modified`` to just before ``now``."""
        with self.lock:
            post = self._get(source, post_id)
            post.revision += 1
            note = (
                text
                or f"Update {post.revision}: SNHR has verified further details of this incident."
            )
            post.blocks = [*post.blocks, Block("p", (note,))]
            post.modified = max(self.now() - timedelta(seconds=1), post.published)
            self.version += 1
            return post

    def delete(self, source: str, post_id: int, status: int = 404) -> Post:
        """Unpublish a post; its URL then answers ``status`` (404 or 410)."""
        if status not in (404, 410):
            raise ValueError("status must be 404 or 410")
        with self.lock:
            post = self._get(source, post_id)
            post.gone = status
            self.version += 1
            return post

    def _get(self, source: str, post_id: int) -> Post:
        post = self.by_id.get((source, post_id))
        if post is None or post.gone is not None:
            raise KeyError(f"no post {post_id} on {source}")
        return post
