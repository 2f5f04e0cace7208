"""FieldCoverage: how many scraped records had each field non-empty.

A redesign of an SNHR site rarely breaks a crawl outright: the spider keeps
finding pages but the date, the categories or the body quietly come back
empty. Counting each field's non-empty share per run, and comparing runs
(``ops.checks``), is what catches that. Counted on ``item_scraped`` (after
every pipeline), for ``Article`` records only: removals carry no content.

"Non-empty" means not None, not blank text, not an empty list or mapping;
``0`` counts as present.

Stats: ``snhr/coverage/items`` (records counted) and
``snhr/coverage/field/<field>`` (records with ``<field>`` non-empty).
"""

from __future__ import annotations

from dataclasses import fields
from typing import TYPE_CHECKING, Any

from scrapy import signals

from snhr_crawler.items import Article

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler

PREFIX = "snhr/coverage"
ITEMS_KEY = f"{PREFIX}/items"
FIELD_PREFIX = f"{PREFIX}/field/"

#: Every field of the record contract, in its order.
ARTICLE_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Article))


def is_filled(value: Any) -> bool:
    """True for a value a researcher would count as present."""
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list | tuple | dict | set):
        return bool(value)
    return True


def coverage_from_stats(stats: dict[str, Any]) -> tuple[int, dict[str, float]]:
    """(records counted, field -> share non-empty) read back from a crawler's stats."""
    total = int(stats.get(ITEMS_KEY) or 0)
    if not total:
        return 0, {}
    return total, {
        name: round(int(stats.get(FIELD_PREFIX + name) or 0) / total, 4) for name in ARTICLE_FIELDS
    }


class FieldCoverage:
    """Counts non-empty fields of each scraped Article in the crawler's stats."""

    def __init__(self, crawler: Crawler) -> None:
        assert crawler.stats is not None
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        extension = cls(crawler)
        crawler.signals.connect(extension.item_scraped, signal=signals.item_scraped)
        return extension

    def item_scraped(self, item: Any) -> None:
        if not isinstance(item, Article):
            return
        self.stats.inc_value(ITEMS_KEY)
        for name in ARTICLE_FIELDS:
            if is_filled(getattr(item, name)):
                self.stats.inc_value(FIELD_PREFIX + name)
