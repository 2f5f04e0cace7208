"""One ``reparse`` run over an archive: every latest version re-read, the changed ones versioned.

``reparse(archive_dir, ...)`` holds the archive's run lock for the whole run
(as a crawl does; ``ArchiveLockedError`` when a crawl holds it), opens the
store (which first takes in what a killed crawl left), and for each source
walks the latest version of every live article, published on or after
``since`` if given, in file order. Each is re-read from its capture
(``engine.Rereader``); one whose record differs in any field is appended as
version n+1 with ``change: reparse`` and ``previous_sha256`` (through
``ArchiveStore.put_reparsed``), one that reads the same is left alone. So a
second run with the same parser changes nothing, and a record is never lost:
a capture that cannot be read, a page where today's parser finds no article
or only an invalid one, keeps its archived version and is counted.

A dry run (``dry_run=True``) reads the same and writes nothing (no store,
no recovery), keeping a few records that would change (``samples``).
Nothing is fetched: the captures are the only input.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scrapy.settings import Settings

from snhr_crawler.archive.lock import RunLock
from snhr_crawler.archive.paths import iter_data_files
from snhr_crawler.archive.reader import latest_records
from snhr_crawler.archive.store import DEFAULT_FSYNC_EVERY, ArchiveStore, RejectedRecord
from snhr_crawler.clock import utc_now
from snhr_crawler.ops import runs
from snhr_crawler.reparse.engine import CHANGED, INVALID, Rereader

logger = logging.getLogger(__name__)

#: Outcomes that mean the archive (not the parser) has a problem: ``verify`` will say which.
TROUBLE = ("unreadable", "failed")


@dataclass
class Sample:
    """A record that changed (or would): the archived line and today's reading of it."""

    before: dict[str, Any]
    after: dict[str, Any]
    fields: list[str]


@dataclass
class SourceTally:
    """What a run did with one source's records."""

    records: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    fields: Counter[str] = field(default_factory=Counter)  # field -> records where it changed
    invalid: Counter[str] = field(default_factory=Counter)  # hard rule -> records
    seconds: float = 0.0
    samples: list[Sample] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # the first unreadable or failed, by id
    spider_stats: dict[str, Any] = field(default_factory=dict)

    @property
    def changed(self) -> int:
        return self.outcomes[CHANGED]

    @property
    def trouble(self) -> int:
        return sum(self.outcomes[name] for name in TROUBLE)


@dataclass
class ReparseRun:
    """A whole run: per source, and when."""

    run_id: str
    archive_dir: Path
    dry_run: bool
    since: str | None
    started: Any
    finished: Any = None
    sources: dict[str, SourceTally] = field(default_factory=dict)

    @property
    def records(self) -> int:
        return sum(t.records for t in self.sources.values())

    @property
    def changed(self) -> int:
        return sum(t.changed for t in self.sources.values())

    @property
    def trouble(self) -> int:
        return sum(t.trouble for t in self.sources.values())


def archived_sources(archive_dir: Path) -> list[str]:
    """The sources that have data files in the archive."""
    return sorted({rel.split("/", 1)[0] for rel in iter_data_files(archive_dir)})


def reparse(
    archive_dir: Path,
    settings: Settings,
    *,
    sources: Iterable[str] | None = None,
    since: str | None = None,
    dry_run: bool = False,
    samples: int = 3,
    run_id: str | None = None,
    lock_held: bool = False,
) -> ReparseRun:
    """Re-read the archive from its captures; see the module docstring."""
    archive_dir = Path(archive_dir).resolve()
    started = utc_now()
    run = ReparseRun(
        run_id=run_id or runs.new_run_id(started),
        archive_dir=archive_dir,
        dry_run=dry_run,
        since=since,
        started=started,
    )
    lock = None
    if not lock_held:
        lock = RunLock(archive_dir, f"reparse-{run.run_id}", runs.iso(started))
        lock.acquire()
    try:
        store = None
        if not dry_run:
            store = ArchiveStore(
                archive_dir,
                fsync_every=settings.getint("ARCHIVE_FSYNC_EVERY", DEFAULT_FSYNC_EVERY),
                held_lock=True,
            )
        try:
            rereader = Rereader(archive_dir, settings)
            wanted = list(sources) if sources is not None else archived_sources(archive_dir)
            for source in wanted:
                run.sources[source] = _source(rereader, store, source, since, samples)
        finally:
            if store is not None:
                store.close()
        if store is not None and store.failed is not None:
            raise store.failed
    finally:
        if lock is not None:
            lock.release()
    run.finished = utc_now()
    return run


def _source(
    rereader: Rereader, store: ArchiveStore | None, source: str, since: str | None, samples: int
) -> SourceTally:
    tally = SourceTally()
    began = time.monotonic()
    for line in latest_records(rereader.archive_dir, [source], since=since):
        tally.records += 1
        result = rereader.reread(line)
        outcome = result.outcome
        if outcome == CHANGED and result.record is not None:
            if store is not None:
                try:
                    written = store.put_reparsed(
                        result.record, key=str(line["id"]), version=int(line["version"])
                    )
                except RejectedRecord as exc:
                    outcome, result.reason = INVALID, exc.reason
                else:
                    if written == "stale":  # cannot happen under the lock; say so if it does
                        outcome, result.reason = "stale", "the archive moved on meanwhile"
            if outcome == CHANGED:
                tally.fields.update(result.fields)
                if len(tally.samples) < samples:
                    tally.samples.append(Sample(line, result.record, result.fields))
        if outcome == INVALID:
            tally.invalid[result.reason] += 1
        tally.outcomes[outcome] += 1
        if outcome in (*TROUBLE, "stale") and len(tally.problems) < 20:
            tally.problems.append(f"{line.get('id')} v{line.get('version')}: {result.reason}")
            logger.warning(
                "reparse: %s v%s: %s", line.get("id"), line.get("version"), result.reason
            )
    tally.seconds = time.monotonic() - began
    tally.spider_stats = rereader.spider_stats(source)
    return tally
