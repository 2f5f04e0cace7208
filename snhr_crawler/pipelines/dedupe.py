"""DedupePipeline: one record per article per run.

Scrapy's dupefilter drops repeated *requests*; the same article still arrives
twice when reached through different URLs (``?p=ID`` shortlink, the old
``sn4hr`` host, a parent and a child category). Records share ``id``
(``<source>:<post_id>``, or a hash of the canonical URL), so the second one is
dropped. Dedupe across runs is the archive's job, not this pipeline's.

Stats: ``snhr/dedupe/dropped``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scrapy.exceptions import DropItem

from snhr_crawler.items import Article

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler


class DuplicateItem(DropItem):
    """The record is another URL of an article this run already has (it is archived under that)."""


class DedupePipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.seen: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, Article):
            return item
        for key in (item.id, f"{item.source}:{item.url}"):
            if key in self.seen:
                assert self.crawler.stats is not None
                self.crawler.stats.inc_value("snhr/dedupe/dropped")
                raise DuplicateItem(f"duplicate of {item.id}: {item.url}")
        self.seen.update((item.id, f"{item.source}:{item.url}"))
        return item
