"""What the spider may ask the archive: ``crawler.archive`` (set by ``ArchivePipeline.from_crawler``).

Read-only on purpose: the spider decides what to fetch from this, the pipeline
alone decides what to write. Answers include records appended earlier in the
same run (the store's own index connection sees its open batch).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from snhr_crawler.archive.store import ArchiveStore
from snhr_crawler.items import article_id
from snhr_crawler.urls import canonical_url


@dataclass(frozen=True)
class ArchivedArticle:
    """A live archived article, for re-checking (404/410 -> ``Removal``) in full runs."""

    key: str
    post_id: int | None
    url: str
    version: int
    published_at: str | None


class ArchiveState:
    """The archive as the spider sees it."""

    def __init__(self, store: ArchiveStore) -> None:
        self._store = store

    @property
    def archive_dir(self) -> str:
        return str(self._store.root)

    def is_archived(self, source: str, *, post_id: int | None, url: str) -> bool:
        """True if ``source`` had a live article with this post id or URL before this run.

        ``url`` should be the canonical public URL; it is canonicalised again
        here, so an alias or http spelling answers the same.

        False for a tombstoned article (if a listing shows it again it was
        restored and must be fetched), and for one this run archived itself,
        e.g. through another listing: "K archived items in a row" must mean
        "we reached what earlier runs archived", or a parent listing walked
        after its child listings would stop early and miss its deeper pages.
        Its article page is not fetched twice either way (Scrapy's dupefilter).
        """
        row = self._store.lookup(source, post_id=post_id, url=url)
        if row is None or row.tombstoned:
            return False
        return not self._store.new_this_run(source, row.key)

    def needs_full_walk(self, source: str) -> bool:
        """True when this run must not stop a listing walk after K archived items.

        The previous run of ``source`` was killed or failed (or was limited by
        ``since``/``max_pages``), so archived items may sit before a gap of
        never-fetched ones. Keep skipping archived *article pages*; only the
        early stop of the listing walk is off. The next clean run restores it.
        """
        return self._store.needs_full_walk(source)

    def key_for(self, source: str, *, post_id: int | None, url: str) -> str:
        """The archive key of an article: its indexed key if archived, else ``Article.id``'s rule.

        A ``Removal`` must carry this key so the tombstone joins the right
        version chain even when the article was archived under its URL key.
        """
        row = self._store.lookup(source, post_id=post_id, url=url)
        if row is not None:
            return row.key
        return article_id(source, post_id, canonical_url(url))

    def latest_published(self, source: str) -> str | None:
        """The newest ``published_at`` archived for ``source`` (None for an empty archive)."""
        return self._store.latest_published(source)

    def count(self, source: str) -> int:
        """How many live articles ``source`` has in the archive."""
        return self._store.count(source)

    def archived(self, source: str) -> Iterator[ArchivedArticle]:
        """Every live archived article of ``source`` (a snapshot), e.g. to re-check for removal."""
        for row in self._store.live_rows(source):
            yield ArchivedArticle(row.key, row.post_id, row.url, row.version, row.published_at)
