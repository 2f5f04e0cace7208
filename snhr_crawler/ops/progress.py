"""Progress: a live line per source in a terminal, a periodic log line otherwise.

Scrapy's ``LogStats`` says "Crawled 120 pages, scraped 14 items", which does
not tell an archivist what matters here: how many articles were new or
changed, how many known ones were skipped, and whether errors are piling up.
This extension shows those (see ``ops.metrics``) for its crawler's source:

* ``OPS_PROGRESS = "tty"``: one line rewritten in place on stderr every second,
  left on screen when the source finishes with what happened (``finished``,
  ``unreachable``, ...). The line fits the terminal's width, read at every
  refresh: a line wider than the terminal wraps, and then every refresh adds
  a line instead of rewriting one. At 80 columns it is the compact form;
* ``"log"`` (the default, and what cron and Scrapyd get): an INFO log line
  every ``OPS_PROGRESS_INTERVAL`` seconds and one when the source closes (the
  ``snhr-crawler`` CLI sends the log to the run's log file);
* ``"off"``: nothing;
* ``"relay"`` (set by the CLI for a host group's crawl in its own process,
  ``ops.parallel``): the tty lines, as JSON, to the pipe
  ``OPS_PROGRESS_RELAY_FD``; the parent draws every group's line.

``OPS_PROGRESS_POSITION`` (``"2/4"``, set by the CLI for each source) leads
the line. When the site says how many posts there are (the REST API's total),
the line ends with an estimate of the time left, from the rate at which
articles have been handled so far.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sys
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TextIO

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.asyncio import create_looping_call

from snhr_crawler.ops.metrics import Counts, counts
from snhr_crawler.ops.report import source_outcome

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Spider
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

MODES = ("tty", "log", "off", "relay")
TTY_REFRESH_SECONDS = 1.0
_CLEAR_LINE = "\r\x1b[K"
#: What the site says it holds, in the order trusted (see discovery.engine).
SITE_TOTAL_STATS = (
    "snhr/discovery/rest/total",
    "snhr/audit/site_total/rest",
    "snhr/audit/site_total/sitemap",
)


def duration(seconds: float) -> str:
    """``42s``, ``4m10s``, ``2h05m``: short enough for a progress line and a table."""
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"


def eta_seconds(stats: Mapping[str, Any], c: Counts, elapsed: float) -> float | None:
    """Seconds left, when the site's total is known and articles are being handled."""
    total = next((stats[key] for key in SITE_TOTAL_STATS if stats.get(key)), None)
    handled = c.new + c.changed + c.unchanged + c.skipped
    if not isinstance(total, int | float) or handled <= 0 or elapsed <= 0:
        return None
    remaining = total - handled
    return remaining / (handled / elapsed) if remaining > 0 else None


def progress_line(
    source: str,
    c: Counts,
    elapsed: float,
    *,
    position: str = "",
    eta: float | None = None,
    width: int | None = None,
    end: str = "",
) -> str:
    """The progress line in the widest form that fits ``width - 1`` (no limit: the wide form).

    ``end`` (the source's outcome, on its last line) is kept in every form.
    """
    rate = c.pages / elapsed * 60 if elapsed > 0 else 0.0
    lead = f"[{position}] " if position else ""
    tail = (f"  ETA {duration(eta)}" if eta is not None else "") + (f"  {end}" if end else "")
    forms = [
        f"{lead}{source:<16} pages {c.pages:>5}  new {c.new:>4}  changed {c.changed:>3}  "
        f"skipped {c.skipped:>4}  errors {c.errors:>3}  {rate:6.1f} pages/min{tail}",
        f"{position + ' ' if position else ''}{source} pages {c.pages} new {c.new}"
        f" chg {c.changed} skip {c.skipped} err {c.errors} {rate:.0f}/min{tail}",
        f"{position + ' ' if position else ''}{source} {c.pages}p {c.new}new {c.errors}err{tail}",
    ]
    if width is None:
        return forms[0]
    for form in forms:
        if len(form) < width:
            return form
    return forms[-1][: max(0, width - 1)]


def terminal_width(stream: TextIO, fallback: int = 80) -> int:
    try:
        return os.get_terminal_size(stream.fileno()).columns or fallback
    except (OSError, ValueError, AttributeError):
        return fallback


class Progress:
    """Reports its crawler's counts while the spider runs; see the module docstring."""

    def __init__(
        self,
        crawler: Crawler,
        mode: str,
        interval: float,
        stream: TextIO,
        position: str = "",
        relay_fd: int | None = None,
    ) -> None:
        assert crawler.stats is not None
        self.stats = crawler.stats
        self.mode = mode
        self.interval = TTY_REFRESH_SECONDS if mode in ("tty", "relay") else interval
        self.relay_fd = relay_fd
        self.stream = stream
        self.position = position
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
        position = str(crawler.settings.get("OPS_PROGRESS_POSITION") or "")
        relay_fd = crawler.settings.getint("OPS_PROGRESS_RELAY_FD", -1)
        if mode == "relay" and relay_fd < 0:
            raise ValueError("OPS_PROGRESS=relay needs OPS_PROGRESS_RELAY_FD (set by the CLI)")
        extension = cls(crawler, mode, interval, sys.stderr, position, relay_fd)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider: Spider) -> None:
        self.started = time.monotonic()
        self.task = create_looping_call(self.report, spider.name)
        self.task.start(self.interval, now=self.mode in ("tty", "relay"))

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.task is not None and self.task.running:
            self.task.stop()
        self.report(spider.name, final=True, reason=reason)

    def report(self, source: str, *, final: bool = False, reason: str = "") -> None:
        stats = self.stats.get_stats()
        c = counts(stats)
        elapsed = self.elapsed()
        eta = None if final else eta_seconds(stats, c, elapsed)
        end = ""
        if final:
            # The spider's own closed() sets snhr/site_unreachable after this handler has
            # run (extensions connect first), so the same test is made here: no page at
            # all (robots.txt stand-ins are not counted), only download exceptions.
            unreachable = stats.get("snhr/site_unreachable") or (
                not c.pages and stats.get("downloader/exception_count")
            )
            end = source_outcome({"finish_reason": reason, "unreachable": unreachable})
        if self.mode == "relay" and self.relay_fd is not None:
            line = progress_line(
                source, c, elapsed, position=self.position, eta=eta,
                width=terminal_width(self.stream), end=end,
            )  # fmt: skip
            message = json.dumps({"line": line, "final": final}) + "\n"
            with contextlib.suppress(OSError):  # the parent went away: no one to show it to
                os.write(self.relay_fd, message.encode("utf-8"))
            return
        if self.mode == "tty":
            width = terminal_width(self.stream)
            line = progress_line(
                source, c, elapsed, position=self.position, eta=eta, width=width, end=end
            )
            self.stream.write(_CLEAR_LINE + line + ("\n" if final else ""))
            self.stream.flush()
            return
        line = progress_line(source, c, elapsed, position=self.position, eta=eta)
        if final:
            logger.info("progress (%s): %s", end, line)
        else:
            logger.info("progress: %s", line)

    def elapsed(self) -> float:
        return time.monotonic() - self.started
