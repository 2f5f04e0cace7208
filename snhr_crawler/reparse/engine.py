"""Re-reading one archived record from its capture with today's parser.

``Rereader.reread(line)`` takes an archived line (the latest version of an
article), rebuilds the response its ``capture`` names (``rebuild_response``;
a revisit's original through ``Originals``), runs the source's spider on it
as the crawl did (``parse_article``, then the normalize and validate
pipelines' rules) and returns the record today's parser makes of it, as an
archived record would hold it, with what differs from the line.

What the re-read keeps from the line, because it was not parsed from the
page: ``id`` (the archive key), ``crawled_at`` (when these bytes were
fetched), ``discovered_by`` and ``capture``; and, for an attachment whose
URL is unchanged, what the PDF pipeline recorded about the stored file
(``sha256``, ``size``, ``path``): the file did not change, and a re-read
downloads nothing. The post id a crawl may have had from the site's index
(REST, feed) is not in the capture: the line's ``post_id`` stands in for it,
and, as in the crawl, decides only when the page itself names none.

The spider is built offline, per source and per fetch origin (the crawl's
``origin`` argument, read from the capture file's ``warcinfo``: it maps the
fetched URL back to the public one), with no archive attached: a re-read
never fetches and never filters by ``since``.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.settings import Settings
from scrapy.spiderloader import get_spider_loader
from scrapy.utils.misc import load_object
from scrapy.utils.serialize import ScrapyJSONEncoder

from snhr_crawler.archive.records import ARTICLE_FIELDS
from snhr_crawler.base_spiders.news_spider import NewsSpider
from snhr_crawler.capture.originals import Originals
from snhr_crawler.capture.pointer import CapturePointer
from snhr_crawler.capture.reader import CaptureReadError, read_warcinfo, rebuild_response
from snhr_crawler.items import Article
from snhr_crawler.pipelines.normalize import NormalizePipeline
from snhr_crawler.pipelines.validate import hard_problem

logger = logging.getLogger(__name__)

#: Fields a re-read takes from the archived line, not from the page.
KEPT = ("id", "crawled_at", "discovered_by", "capture")
#: What the PDF pipeline adds to an attachment (kept for an unchanged URL).
ATTACHMENT_FILE_KEYS = ("sha256", "size", "path")

_ENCODER = ScrapyJSONEncoder(ensure_ascii=False)
FAILED_PREFIX = "snhr/article/failed/"

# Outcomes of one re-read.
SAME = "unchanged"
CHANGED = "changed"
NO_CAPTURE = "no_capture"
UNREADABLE = "unreadable"
NO_SPIDER = "no_spider"
NOT_AN_ARTICLE = "not_an_article"
INVALID = "invalid"
FAILED = "failed"


@dataclass
class Reread:
    """What today's parser made of one archived line."""

    outcome: str
    record: dict[str, Any] | None = None  # the re-read record (CHANGED and SAME)
    fields: list[str] = field(default_factory=list)  # fields that differ (CHANGED)
    reason: str = ""  # why there is no record (the other outcomes)


class Rereader:
    """Re-reads archived lines of one archive; see the module docstring."""

    def __init__(self, archive_dir: Path, settings: Settings) -> None:
        self.archive_dir = Path(archive_dir)
        self.settings = settings
        self.loader = get_spider_loader(settings)
        self.originals = Originals(self.archive_dir)
        self._spiders: dict[tuple[str, str], NewsSpider] = {}
        self._origins: dict[str, str] = {}

    def known_source(self, source: str) -> bool:
        return source in self.loader.list()

    def reread(self, line: dict[str, Any]) -> Reread:
        """Today's record for ``line`` (see the module docstring)."""
        capture = line.get("capture")
        if capture is None:
            return Reread(NO_CAPTURE, reason="archived without a capture")
        try:
            pointer = CapturePointer.from_dict(capture)
            spider = self.spider(str(line.get("source")), self.origin_of(pointer))
            response = rebuild_response(self.archive_dir, self.originals.response_of(pointer))
        except (ValueError, CaptureReadError) as exc:
            return Reread(UNREADABLE, reason=str(exc))
        except KeyError:
            return Reread(NO_SPIDER, reason=f"no spider {line.get('source')!r}")
        # What the crawl knew beside the page: how it was found, and the post id the
        # site's index gave (identity falls back on it only when the page names none).
        response.meta["discovered_by"] = line.get("discovered_by")
        if line.get("post_id") is not None:
            response.meta["listed_post_id"] = line.get("post_id")
        failed_before = _failures(spider)
        try:
            items = [item for item in spider.parse_article(response) if isinstance(item, Article)]
        except Exception as exc:  # a parser bug on one page must not stop the others
            logger.exception("reparse: the parser failed on %s", response.url)
            return Reread(FAILED, reason=f"{type(exc).__name__}: {exc}")
        if not items:
            why = sorted(set(_failures(spider).items()) - set(failed_before.items()))
            reason = ", ".join(name for name, _ in why) or "no article"
            outcome = FAILED if "unparseable" in reason else NOT_AN_ARTICLE
            return Reread(outcome, reason=f"today's parser archives nothing there ({reason})")
        article = NormalizePipeline(spider.crawler).process_item(items[0])
        if problem := hard_problem(article):
            return Reread(INVALID, reason=problem)
        record = self._as_archived(article, line)
        fields = changed_fields(line, record)
        return Reread(CHANGED if fields else SAME, record, fields)

    def spider(self, source: str, origin: str) -> NewsSpider:
        """The source's spider for captures fetched from ``origin`` (KeyError: no such spider)."""
        key = (source, origin)
        if key not in self._spiders:
            spider_cls = self.loader.load(source)
            crawler = Crawler(spider_cls, self.settings)
            # Only the stats: no engine, no extensions, so no archive and no network.
            crawler.stats = load_object(crawler.settings["STATS_CLASS"])(crawler)
            spider = spider_cls.from_crawler(crawler, **({"origin": origin} if origin else {}))
            if not isinstance(spider, NewsSpider):
                raise KeyError(source)
            crawler.spider = spider
            self._spiders[key] = spider
        return self._spiders[key]

    def spider_stats(self, source: str) -> dict[str, Any]:
        """Counters the source's spiders kept while re-reading (extraction layers ...), summed."""
        summed: Counter[str] = Counter()
        for (name, _), spider in self._spiders.items():
            if name == source and spider.crawler.stats is not None:
                for key, value in spider.crawler.stats.get_stats().items():
                    if isinstance(value, int) and not isinstance(value, bool):
                        summed[key] += value
        return dict(summed)

    def origin_of(self, pointer: CapturePointer) -> str:
        """The ``origin`` argument of the crawl that wrote ``pointer``'s file ("" for the live site)."""
        if pointer.warc_file not in self._origins:
            info = read_warcinfo(self.archive_dir, pointer.warc_file)
            try:
                arguments = json.loads(info.get("spider-arguments") or "{}")
            except ValueError:
                arguments = {}
            self._origins[pointer.warc_file] = str(arguments.get("origin") or "")
        return self._origins[pointer.warc_file]

    def _as_archived(self, article: Article, line: dict[str, Any]) -> dict[str, Any]:
        record: dict[str, Any] = json.loads(_ENCODER.encode(ItemAdapter(article).asdict()))
        for name in KEPT:
            record[name] = line.get(name)
        record["attachments"] = keep_file_facts(
            record.get("attachments") or [], line.get("attachments") or []
        )
        return record


def _failures(spider: NewsSpider) -> dict[str, int]:
    """The spider's ``snhr/article/failed/<reason>`` counters (why a page gave no record)."""
    stats = spider.crawler.stats.get_stats() if spider.crawler.stats is not None else {}
    return {
        key.removeprefix(FAILED_PREFIX): value
        for key, value in stats.items()
        if key.startswith(FAILED_PREFIX)
    }


def keep_file_facts(
    attachments: list[dict[str, Any]], archived: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """``attachments`` with the stored-file facts of archived entries of the same URL."""
    stored = {entry.get("url"): entry for entry in archived if isinstance(entry, dict)}
    kept = []
    for entry in attachments:
        before = stored.get(entry.get("url"), {})
        facts = {key: before[key] for key in ATTACHMENT_FILE_KEYS if key in before}
        kept.append({**entry, **facts})
    return kept


def changed_fields(line: dict[str, Any], record: dict[str, Any]) -> list[str]:
    """The record fields whose values differ (a field an older line lacks reads as null)."""
    names = [*ARTICLE_FIELDS, *sorted(set(record) - set(ARTICLE_FIELDS))]
    return [name for name in names if line.get(name) != record.get(name)]
