"""ValidatePipeline: hard rules drop a record, soft rules only count.

Hard (the record is not archived; logged with its URL):
``title``, ``body_text``, ``url`` and ``id`` present (the archive's rule, same reason names); ``published_at`` either
absent or ISO 8601. Stats ``snhr/validate/dropped/<reason>``.

Soft (kept, counted so a redesign shows): ``snhr/validate/missing/<field>``
for ``published_at``, ``post_id``, ``categories``, ``modified_at``.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from scrapy.exceptions import DropItem

from snhr_crawler.archive.records import missing_required
from snhr_crawler.dates import is_iso_datetime
from snhr_crawler.items import Article

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

SOFT_FIELDS = ("published_at", "post_id", "categories", "modified_at")


def hard_problem(article: Article) -> str | None:
    """The reason this record must not be archived, or None (the archive's own rule, plus dates)."""
    if reason := missing_required(vars(article)):  # the fields as they are: no copy
        return reason
    if article.published_at and not is_iso_datetime(article.published_at):
        return "bad_published_at"
    return None


class ValidatePipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, Article):
            return item
        stats = self.crawler.stats
        assert stats is not None
        problem = hard_problem(item)
        if problem:
            stats.inc_value(f"snhr/validate/dropped/{problem}")
            logger.warning("Not archived (%s): %s", problem, item.url)
            raise DropItem(f"{problem}: {item.url}")
        for name in SOFT_FIELDS:
            if getattr(item, name) in (None, "", []):
                stats.inc_value(f"snhr/validate/missing/{name}")
        return item
