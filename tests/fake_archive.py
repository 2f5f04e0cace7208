"""A hand-made archive for unit tests of the spider, the policy and discovery.

It answers what ``IncrementalPolicy`` asks an ``ArchiveExtension`` (and keeps
what discovery saves), from values the test sets: no store, no lock, no disk.
Attach it with ``tests.helpers.attach_archive(spider, FakeArchive(...))``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from snhr_crawler.archive.extension import ArchivedArticle
from snhr_crawler.discovery.state import DiscoveryState
from snhr_crawler.items import article_id


@dataclass
class FakeArchive:
    known_ids: set[int] = field(default_factory=set)
    known_urls: set[str] = field(default_factory=set)
    full_walk: bool = False
    live: list[ArchivedArticle] = field(default_factory=list)
    #: key_for answers: url -> key (else ``Article.id``'s rule)
    keys: dict[str, str] = field(default_factory=dict)
    state: DiscoveryState | None = None
    saved: list[DiscoveryState] = field(default_factory=list)
    #: latest_capture answers: url -> the archived line's ``capture``
    captures: dict[str, dict[str, Any]] = field(default_factory=dict)

    def is_archived(self, source: str, *, post_id: int | None, url: str) -> bool:
        return post_id in self.known_ids or url in self.known_urls or url in self.keys

    def needs_full_walk(self, source: str) -> bool:
        return self.full_walk

    def count(self, source: str) -> int:
        return len(self.known_ids) + len(self.known_urls)

    def key_for(self, source: str, *, post_id: int | None, url: str) -> str:
        return self.keys.get(url) or article_id(source, post_id, url)

    def latest_capture(
        self, source: str, *, post_id: int | None, url: str
    ) -> dict[str, Any] | None:
        return self.captures.get(url)

    def archived(self, source: str) -> Iterator[ArchivedArticle]:
        yield from self.live

    def discovery_state(self, source: str) -> DiscoveryState:
        return self.state or DiscoveryState(source=source)

    def save_discovery_state(self, state: DiscoveryState) -> None:
        self.saved.append(state)
