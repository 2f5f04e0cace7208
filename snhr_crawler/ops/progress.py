"""Progress: a live line per source in a terminal, a periodic log line under cron.

Scrapy's ``LogStats`` says "Crawled 120 pages, scraped 14 items", which does
not tell an archivist what matters here: how many articles were new or
changed, how many known ones were skipped, and whether errors are piling up.
This extension shows those (see ``ops.metrics``) for its crawler's source:

* ``OPS_PROGRESS = "tty"``: one line rewritten in place on stderr every second,
  left on screen when the source finishes (the ``snhr-crawler`` CLI picks this
  when stderr is a terminal, and sends Scrapy's log to the run's log file);
* ``"log"`` (the default, and what cron and Scrapyd get): an INFO log line
  every ``OPS_PROGRESS_INTERVAL`` seconds and one when the source closes;
* ``"off"``: nothing.
"""

from __future__ import annotations

import logging
import sys
import time
from typing import TYPE_CHECKING, Any, TextIO

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.asyncio import create_looping_call

from snhr_crawler.ops.metrics import Counts, counts

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Spider
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

MODES = ("tty", "log", "off")
TTY_REFRESH_SECONDS = 1.0
_CLEAR_LINE = "\r\x1b[K"


def progress_line(source: str, c: Counts, elapsed: float, *, width: int = 16) -> str:
    """``snhr_news  pages 120  new 14  changed 2  skipped 30  errors 0  38.0 pages/min``."""
    rate = c.pages / elapsed * 60 if elapsed > 0 else 0.0
    return (
        f"{source:<{width}} pages {c.pages:>5}  new {c.new:>4}  changed {c.changed:>3}  "
        f"skipped {c.skipped:>4}  errors {c.errors:>3}  {rate:6.1f} pages/min"
    )


class Progress:
    """Reports its crawler's counts while the spider runs; see the module docstring."""

    def __init__(self, crawler: Crawler, mode: str, interval: float, stream: TextIO) -> None:
        assert crawler.stats is not None
        self.stats = crawler.stats
        self.mode = mode
        self.interval = TTY_REFRESH_SECONDS if mode == "tty" else interval
        self.stream = stream
        self.started = time.monotonic()
        self.task: Any = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        mode = crawler.settings.get("OPS_PROGRESS", "log")
        if mode not in MODES:
            raise ValueError(f"OPS_PROGRESS must be one of {', '.join(MODES)}, got {mode!r}")
        interval = crawler.settings.getfloat("OPS_PROGRESS_INTERVAL", 60.0)
        if mode == "off" or interval <= 0:
            raise NotConfigured
        extension = cls(crawler, mode, interval, sys.stderr)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider: Spider) -> None:
        self.started = time.monotonic()
        self.task = create_looping_call(self.report, spider.name)
        self.task.start(self.interval, now=self.mode == "tty")

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.task is not None and self.task.running:
            self.task.stop()
        self.report(spider.name, final=True, reason=reason)

    def report(self, source: str, *, final: bool = False, reason: str = "") -> None:
        line = progress_line(source, counts(self.stats.get_stats()), self.elapsed())
        if self.mode == "tty":
            self.stream.write(_CLEAR_LINE + line + (f"  {reason}\n" if final else ""))
            self.stream.flush()
        elif final:
            logger.info("progress (%s): %s", reason, line)
        else:
            logger.info("progress: %s", line)

    def elapsed(self) -> float:
        return time.monotonic() - self.started
