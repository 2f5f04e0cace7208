"""``scrapy crawl`` that checks spider arguments before anything starts.

Scrapy reports an exception raised while building the spider as a traceback
and still exits 0. An archivist's cron job needs the opposite: one line naming
the bad argument, and a non-zero exit code (2, as for any usage error). The
check runs in ``process_options``, before Scrapy starts logging; a crawl
that finishes for any reason but ``finished`` exits 1.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.spiderloader import get_spider_loader

from snhr_crawler.archive.pending import Retry
from snhr_crawler.base_spiders.news_spider import NewsSpider, parse_arguments
from snhr_crawler.bounds import Bounds
from snhr_crawler.exceptions import SettingError, SpiderArgumentError

if TYPE_CHECKING:
    import argparse


def _fail(message: str) -> None:
    print(f"error: {message}", file=sys.stderr)
    sys.exit(2)


class Command(ScrapyCrawlCommand):
    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        if len(args) != 1:
            return
        assert self.settings is not None
        try:
            spider_cls = get_spider_loader(self.settings).load(args[0])
        except KeyError:
            _fail(f"unknown spider {args[0]!r} (see `scrapy list`)")
            return
        if issubclass(spider_cls, NewsSpider):
            try:
                parse_arguments(opts.spargs)
                Bounds.from_settings(self.settings)
                Retry.from_settings(self.settings)
            except (SpiderArgumentError, SettingError) as error:
                _fail(str(error))

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        super().run(args, opts)
        assert self.crawler_process is not None
        if any(
            crawler.stats and crawler.stats.get_value("finish_reason") not in (None, "finished")
            for crawler in self.crawler_process.crawlers
        ):
            self.exitcode = self.exitcode or 1
