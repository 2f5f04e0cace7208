"""What discovery keeps for a source between runs, in the archive's state store.

The archive answers "is this post archived?" but not "up to which
modification date is the archive complete?", which is what REST's
``modified_after`` and a sitemap's ``lastmod`` need. This state holds exactly
that, per source, as JSON in the index's ``source_state`` table::

    {
      "version": 1,
      "source": "snhr_news",
      "last_run": "2026-11-25T13:00:00+00:00",   # end of the last finished run
      "mode": "rest",                             # the discovery path it used
      "watermarks": {                             # newest modification fully archived
        "rest": "2026-11-20T09:00:00+00:00",
        "sitemap": "2026-11-20T09:00:00+00:00"
      },
      "site_totals": {"rest": 4210, "sitemap": 4210},  # what the site said it had
      "endpoints": {"sitemap": "https://news.snhr.org/sitemap_index.xml"},
      "validators": {"feed_etag": "\"9b2c…\"", "feed_last_modified": "Wed, 25 Nov 2026 …"},
      "categories": {                             # category listings the site showed
        "https://news.snhr.org/category/news/": {"name": "News", "count": 812, "via": ["rest", "menu"]}
      },
      "seeds_missing": ["https://news.snhr.org/category/news/arrests/"]  # seeds that answered 404
    }

``endpoints`` remembers (as a public URL) the sitemap that answered, so an
incremental run asks it first instead of re-reading robots.txt. ``validators``
are the feed's ``ETag``/``Last-Modified`` from the last clean feed run, sent
back as ``If-None-Match``/``If-Modified-Since``: a 304 answers "nothing new"
in one tiny request. ``categories`` and ``seeds_missing`` are what the listing
walk learned about the site's category listings
(:mod:`snhr_crawler.discovery.listings`): the next walk starts from them too.

It is written only when a run finished cleanly with no failed article
fetches, so a watermark never moves past a post that was not archived, and
committed in the same SQLite transaction as that run's outcome, after the
run's lines were fsynced. Run with ``full=true`` to make the next run re-read
every index. Archives written before the state store kept this in
``state/<source>.json``; such a file is read once when the store has nothing
for the source.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from snhr_crawler.discovery.parsers import parse_w3c_datetime

logger = logging.getLogger(__name__)

STATE_VERSION = 1
STATE_DIR = "state"


def state_path(archive_dir: Path | str, source: str) -> Path:
    """Where archives before the state store kept a source's discovery state."""
    return Path(archive_dir) / STATE_DIR / f"{source}.json"


@dataclass
class DiscoveryState:
    source: str
    last_run: str | None = None
    mode: str | None = None
    watermarks: dict[str, str] = field(default_factory=dict)
    site_totals: dict[str, int] = field(default_factory=dict)
    endpoints: dict[str, str] = field(default_factory=dict)
    validators: dict[str, str] = field(default_factory=dict)
    categories: dict[str, dict[str, Any]] = field(default_factory=dict)
    seeds_missing: list[str] = field(default_factory=list)

    def watermark(self, mode: str) -> datetime | None:
        return parse_w3c_datetime(self.watermarks.get(mode))

    def advance(self, mode: str, moment: datetime | None) -> None:
        """Move ``mode``'s watermark forward to ``moment`` (never backwards)."""
        if moment is None:
            return
        current = self.watermark(mode)
        if current is None or moment > current:
            self.watermarks[mode] = moment.isoformat()

    @classmethod
    def from_json(cls, text: str | None, source: str, *, where: str = "") -> DiscoveryState:
        """The saved state, or an empty one (missing, unreadable or another source's)."""
        if not text:
            return cls(source=source)
        try:
            data = json.loads(text)
        except ValueError as error:
            logger.warning("Ignoring unreadable discovery state %s: %s", where or source, error)
            return cls(source=source)
        if not isinstance(data, dict) or data.get("source") != source:
            logger.warning("Ignoring discovery state %s: not for source %s", where, source)
            return cls(source=source)
        return cls(
            source=source,
            last_run=data.get("last_run"),
            mode=data.get("mode"),
            watermarks=_strings(data.get("watermarks")),
            site_totals={
                k: v for k, v in (data.get("site_totals") or {}).items() if isinstance(v, int)
            },
            endpoints=_strings(data.get("endpoints")),
            validators=_strings(data.get("validators")),
            categories={
                url: known
                for url, known in _mapping(data.get("categories")).items()
                if isinstance(url, str) and isinstance(known, dict)
            },
            seeds_missing=[
                url for url in _sequence(data.get("seeds_missing")) if isinstance(url, str)
            ],
        )

    @classmethod
    def legacy(cls, archive_dir: Path | str, source: str) -> DiscoveryState:
        """The ``state/<source>.json`` an archive from before the state store may hold."""
        path = state_path(archive_dir, source)
        try:
            text = path.read_text("utf-8")
        except OSError:
            return cls(source=source)
        return cls.from_json(text, source, where=str(path))

    def to_json(self) -> str:
        return json.dumps({"version": STATE_VERSION, **asdict(self)}, sort_keys=True)


def _mapping(value: object) -> dict[Any, Any]:
    return value if isinstance(value, dict) else {}


def _sequence(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _strings(value: object) -> dict[str, str]:
    items = value.items() if isinstance(value, dict) else ()
    return {k: v for k, v in items if isinstance(v, str)}
