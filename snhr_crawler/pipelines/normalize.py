"""NormalizePipeline: text hygiene that every source needs.

Strips surrounding white space from the one-line fields, drops empty and
repeated categories and tags, and recomputes ``content_sha256`` if anything it
hashes changed. Never NFC-normalises stored text: Arabic stays as written
(normalisation would reorder shadda and vowel marks); only the hash
normalises.

Stats: ``snhr/normalize/changed``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from snhr_crawler.items import Article, content_sha256

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(value.strip() for value in values if value and value.strip()))


class NormalizePipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, Article):
            return item
        before = (item.title, item.subtitle, item.body_text, item.categories, item.tags)
        item.title = " ".join(item.title.split())
        if item.subtitle is not None:
            item.subtitle = " ".join(item.subtitle.split()) or None
        item.body_text = item.body_text.strip()
        item.categories = _unique(item.categories)
        item.tags = _unique(item.tags)
        if (item.title, item.subtitle, item.body_text, item.categories, item.tags) != before:
            assert self.crawler.stats is not None
            self.crawler.stats.inc_value("snhr/normalize/changed")
            item.content_sha256 = content_sha256(item.title, item.body_text)
        return item
