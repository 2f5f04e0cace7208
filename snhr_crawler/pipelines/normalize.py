"""NormalizePipeline: text hygiene for Articles that did not come through ``build_article``.

``NewsSpider.build_article`` seals every record it makes (``items.seal``:
tidied text, then ``content_sha256``), so for them this pipeline changes
nothing. An Article built another way (a spider's own code, a
``post_process`` that forgot to re-seal) is tidied and re-sealed here, so the
hash always follows the stored text.

Stats: ``snhr/normalize/changed``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from snhr_crawler.items import Article, seal, tidy

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler


class NormalizePipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, Article):
            return item
        if tidy(item):
            assert self.crawler.stats is not None
            self.crawler.stats.inc_value("snhr/normalize/changed")
            seal(item)
        elif not item.content_sha256:
            seal(item)
        return item
