"""A full run's re-checks reach Scrapy's queue a batch at a time, read lazily from the archive."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from scrapy import Request
from scrapy.exceptions import DontCloseSpider

from snhr_crawler.archive.extension import ArchivedArticle
from snhr_crawler.spiders.snhr_news import SnhrNewsSpider
from tests.fake_archive import FakeArchive
from tests.helpers import attach_archive, make_spider

ARCHIVED = 10_000
BATCH = 50


class LargeArchive(FakeArchive):
    """Ten thousand archived articles, made one by one as they are asked for."""

    drawn = 0

    def archived(self, source: str) -> Iterator[ArchivedArticle]:
        for n in range(ARCHIVED):
            self.drawn += 1
            yield ArchivedArticle(
                f"snhr_news:{n}", n, f"https://news.snhr.org/2024/01/01/post-{n}/", 1, "2024-01-01"
            )


class Engine:
    def __init__(self) -> None:
        self.requests: list[Request] = []

    def crawl(self, request: Request) -> None:
        self.requests.append(request)


def test_the_recheck_never_holds_more_than_a_batch() -> None:
    archive = LargeArchive()
    spider = make_spider(SnhrNewsSpider, {"BOUND_QUEUED": BATCH}, full="true")
    attach_archive(spider, archive)
    spider.crawler.engine = engine = Engine()
    with pytest.raises(DontCloseSpider):
        spider.recheck_archived()
    assert len(engine.requests) == BATCH
    assert archive.drawn == BATCH  # read from the archive as released, not all at once
    assert not spider.backlog.waiting
    for _ in range(3):  # each idle releases the next batch
        with pytest.raises(DontCloseSpider):
            spider.on_idle()
    assert len(engine.requests) == archive.drawn == 4 * BATCH
    while True:
        try:
            spider.on_idle()
        except DontCloseSpider:
            continue
        break
    assert len(engine.requests) == ARCHIVED
    assert spider.crawler.stats.get_value("snhr/recheck/scheduled") == ARCHIVED
    assert engine.requests[-1].meta["archive_key"] == f"snhr_news:{ARCHIVED - 1}"
