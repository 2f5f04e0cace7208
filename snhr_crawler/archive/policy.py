"""IncrementalPolicy: every rule about what a run may skip, re-check or trust, in one place.

One policy per crawl, made by ``ArchiveExtension.policy_for(spider)`` (or
``IncrementalPolicy.without_archive`` when the crawl archives nothing: then
every post is new and nothing is remembered). The listing walk, the discovery
engine, the re-check of a full run and the archive's run record all ask it:

* ``known(post_id, url)``: skip this article page (incremental runs only):
  archived before this run, live, not tombstoned;
* ``stop_listing(known_run)``: a listing walk may stop after
  ``INCREMENTAL_STOP_AFTER`` consecutive known items, unless the last run of
  the source did not finish cleanly (``walk_whole``): after a killed run,
  articles were archived out of order and a run of known ones can hide
  unfetched ones further down;
* ``before_since(published)``: outside the ``since`` bound;
* ``use_watermarks`` / ``changed_after_watermark``: the discovery watermarks
  are trusted only after a clean run, and a listed post that is known is
  fetched again only when the site says it changed after the watermark;
* ``removal_key``: the key a tombstone carries (None: never archived);
* ``previous_capture``: the ``capture`` of a live archived article's latest
  line, which its re-fetch hands to the WARC capture (an identical answer
  becomes a revisit record);
* ``recheck``: the archived articles a full run re-fetches once its walk is
  done (bounded by ``since`` as the walk is);
* ``run_complete(reason, stats)``: whether the next run may trust this one's
  listing walk (finished, not limited by ``since`` or ``max_pages``, no
  listing page failed and no bound hit: any of those leaves articles unseen);
* ``pending_due`` / ``remember_failure`` / ``resolve``: the pending articles
  (``archive.pending``): named by the site but not archived, retried by later
  runs with backoff until archived or given up;
* ``may_advance_watermarks``: discovery state moves only after a clean run
  with no failed article fetches.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from snhr_crawler.archive.pending import Retry
from snhr_crawler.discovery.state import DiscoveryState

if TYPE_CHECKING:
    from collections.abc import Mapping

    from snhr_crawler.archive.extension import ArchivedArticle, ArchiveExtension
    from snhr_crawler.archive.index import PendingArticle

DEFAULT_STOP_AFTER = 10


class IncrementalPolicy:
    def __init__(
        self,
        archive: ArchiveExtension | None,
        source: str,
        *,
        full: bool = False,
        since: date | None = None,
        limited: bool = False,
        stop_after: int = DEFAULT_STOP_AFTER,
        retry: Retry | None = None,
    ) -> None:
        self.archive = archive
        self.retry = retry or Retry()
        self.source = source
        self.full = full
        self.since = since
        self.limited = limited or since is not None
        self.stop_after = stop_after
        self.incremental = not full and archive is not None
        self.walk_whole = archive is not None and archive.needs_full_walk(source)
        self.state = (
            archive.discovery_state(source) if archive is not None else DiscoveryState(source)
        )
        #: Watermarks say "archived up to here"; after a killed or failed run
        #: the archive says that may not hold, so only per-post checks are trusted.
        self.use_watermarks = self.incremental and not self.walk_whole
        #: Whether this source was crawled before (the feed is worth trying only then).
        self.has_history = self.incremental and bool(
            self.state.last_run or (archive is not None and archive.count(source))
        )

    @classmethod
    def for_spider(cls, spider: Any, archive: ArchiveExtension | None) -> IncrementalPolicy:
        return cls(
            archive,
            spider.name,
            full=spider.full,
            since=spider.since,
            limited=spider.max_pages is not None,
            stop_after=spider.settings.getint("INCREMENTAL_STOP_AFTER", DEFAULT_STOP_AFTER),
            retry=Retry.from_settings(spider.settings),
        )

    @classmethod
    def without_archive(cls, spider: Any) -> IncrementalPolicy:
        return cls.for_spider(spider, None)

    # -- what to fetch ---------------------------------------------------------------------
    def before_since(self, published: str | None) -> bool:
        """True when ``published`` is known and older than the ``since`` bound."""
        if self.since is None or not published:
            return False
        try:
            return date.fromisoformat(published[:10]) < self.since
        except ValueError:
            return False

    def known(self, *, post_id: int | None, url: str) -> bool:
        """Whether an incremental run may skip this article page (see the module docstring)."""
        return (
            self.incremental
            and self.archive is not None
            and self.archive.is_archived(self.source, post_id=post_id, url=url)
        )

    def stop_listing(self, known_run: int) -> bool:
        return not self.walk_whole and known_run >= self.stop_after

    def watermark(self, mode: str) -> datetime | None:
        return self.state.watermark(mode) if self.use_watermarks else None

    def changed_after_watermark(self, mode: str, modified: datetime | None) -> bool:
        """A known post the site says was modified after ``mode``'s watermark."""
        watermark = self.watermark(mode)
        return modified is not None and watermark is not None and modified > watermark

    # -- removals and re-checks --------------------------------------------------------------
    def removal_key(self, *, post_id: int | None, url: str) -> str | None:
        """The archive key a tombstone for this page joins, or None when it was never archived."""
        if self.archive is None or not self.archive.is_archived(
            self.source, post_id=post_id, url=url
        ):
            return None
        return self.archive.key_for(self.source, post_id=post_id, url=url)

    def previous_capture(self, *, post_id: int | None, url: str) -> dict[str, Any] | None:
        """The archived ``capture`` of this page, if it is archived, live and was captured."""
        if self.archive is None:
            return None
        return self.archive.latest_capture(self.source, post_id=post_id, url=url)

    def recheck(self) -> Iterator[ArchivedArticle]:
        """In full runs, the archived articles to fetch again once the walk is done."""
        if not self.full or self.archive is None:
            return
        for archived in self.archive.archived(self.source):
            if not self.before_since(archived.published_at):
                yield archived

    # -- what the run leaves behind ------------------------------------------------------------
    def run_complete(self, reason: str, stats: Mapping[str, Any] | None = None) -> bool:
        """Whether the next run may stop listing walks early on this run's account."""
        stats = stats or {}
        bounded = any(k.startswith("snhr/bounds/") and v for k, v in stats.items())
        return (
            reason == "finished"
            and not self.limited
            and not stats.get("snhr/listing/failed")
            and not bounded
        )

    # -- pending articles ---------------------------------------------------------------------
    def pending_due(self) -> list[PendingArticle]:
        """Pending articles to ask for again in this run (none without an archive)."""
        return self.archive.pending_due(self.source) if self.archive is not None else []

    def pending_counts(self) -> tuple[int, int]:
        """(waiting, given up) pending articles after this run's changes so far."""
        return self.archive.pending_counts(self.source) if self.archive is not None else (0, 0)

    def remember_failure(
        self, url: str, *, post_id: int | None, reason: str, discovered_by: str | None
    ) -> PendingArticle | None:
        """One more failed attempt at the article ``url`` names (nothing without an archive)."""
        if self.archive is None:
            return None
        return self.archive.remember_failure(
            self.source,
            url,
            post_id=post_id,
            reason=reason,
            discovered_by=discovered_by,
            retry=self.retry,
        )

    def resolve(self, urls: list[str]) -> int:
        """The article at ``urls`` is archived (or tombstoned): its pending entries go."""
        return self.archive.resolve_pending(self.source, urls) if self.archive is not None else 0

    def may_advance_watermarks(self, reason: str, *, failed_articles: int, broken: bool) -> bool:
        return reason == "finished" and not failed_articles and not broken

    def save_state(self, state: DiscoveryState) -> None:
        """Keep discovery's state for the next run (nothing without an archive)."""
        if self.archive is not None:
            self.archive.save_discovery_state(state)
