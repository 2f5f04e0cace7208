"""Start-up recovery: quarantine a torn tail, then make the index agree with the files.

The write order (line appended -> fsync -> index commit) means the files are
always at least as new as the index. After a crash three things can be true,
and each is repaired here before the first record of a run is written:

* the last line of a file is torn (no ``\\n``, or garbage from a cut write):
  its bytes are copied to ``<dir>/quarantine/<source>/<file>.<stamp>.torn``
  (fsynced) and only then cut off the data file, and the count is reported
  (stat ``snhr/archive/quarantined_lines``);
* a file holds whole lines past what the index has taken in (killed between
  fsync and commit): they are indexed, so the re-run does not fetch or write
  them again;
* the index points past a file or at a file that is gone (an index restored
  from a backup newer than the files, a hand-edited archive): the article rows
  are rebuilt from the files, keeping ``first_seen``/``last_seen`` where known.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from snhr_crawler.archive.files import fsync_dir
from snhr_crawler.archive.index import ArchiveIndex, FileState, IndexRow
from snhr_crawler.archive.paths import QUARANTINE_DIR, iter_data_files
from snhr_crawler.archive.records import is_tombstone, record_sha256
from snhr_crawler.archive.scan import ScannedLine, scan
from snhr_crawler.clock import utc_now
from snhr_crawler.urls import canonical_url

logger = logging.getLogger(__name__)


@dataclass
class RecoveryReport:
    """What start-up recovery did; the pipeline turns it into stats and log lines."""

    quarantined_lines: int = 0
    quarantine_files: list[str] = field(default_factory=list)
    indexed_lines: int = 0
    skipped_lines: int = 0
    rebuilt: bool = False


def recover(root: Path, index: ArchiveIndex) -> RecoveryReport:
    """Quarantine torn tails and reconcile the index with the files, in one index transaction."""
    report = RecoveryReport()
    index.begin()
    try:
        states = index.file_states()
        on_disk = list(iter_data_files(root))
        rebuild = bool(set(states) - set(on_disk))
        for rel in on_disk:
            known = states.get(rel)
            size = (root / rel).stat().st_size
            if known is not None and known.size == size:
                continue
            if known is not None and known.size > size:
                rebuild = True  # shrank: the index has lines the file no longer holds
                continue
            start = known if known is not None else FileState(0, 0)
            # With no file known at all the index is new or lost: whole files, not tails.
            tail = known is not None or bool(states)
            index.set_file_state(rel, _take_in(root, rel, index, start, report, tail=tail))
        if not rebuild:
            states = index.file_states()
            for rel, max_line in index.max_line_per_file().items():
                if rel not in states or max_line > states[rel].lines:
                    rebuild = True
                    break
        if rebuild:
            _rebuild(root, index, on_disk, report)
        index.commit()
    except BaseException:
        index.rollback()
        raise
    if report.indexed_lines:
        logger.info("archive recovery: indexed %d line(s) found on disk", report.indexed_lines)
    return report


def _rebuild(root: Path, index: ArchiveIndex, on_disk: list[str], report: RecoveryReport) -> None:
    logger.warning(
        "archive index disagrees with the files in %s; rebuilding it from the files", root
    )
    seen = {row.key: (row.first_seen, row.last_seen) for row in index.rows()}
    index.delete_all_articles()
    for rel in list(index.file_states()):
        index.delete_file_state(rel)
    for rel in on_disk:
        state = _take_in(root, rel, index, FileState(0, 0), report, tail=False)
        index.set_file_state(rel, state)
    for key, (first_seen, last_seen) in seen.items():
        row = index.get(key)
        if row is not None:
            index.upsert(
                _replace_seen(row, min(first_seen, row.first_seen), max(last_seen, row.last_seen))
            )
    report.rebuilt = True


def _replace_seen(row: IndexRow, first_seen: str, last_seen: str) -> IndexRow:
    return replace(row, first_seen=first_seen, last_seen=last_seen)


def _take_in(
    root: Path,
    rel: str,
    index: ArchiveIndex,
    start: FileState,
    report: RecoveryReport,
    *,
    tail: bool = True,
) -> FileState:
    """Index the lines of ``rel`` after ``start``; quarantine what cannot be a record.

    In a ``tail`` (bytes the index never took in) the first line that is not a
    record starts the quarantined part: after a power cut the unsynced tail
    may hold a hole of zeros followed by later lines, none of which ever
    counted as archived, so the next crawl fetches them again. When rebuilding
    from whole files (``tail=False``) only a torn last line is cut; a bad line
    in the middle is left in place for ``verify`` to report, rather than
    moving everything archived after it out of the archive.
    """
    state = start
    for scanned, is_last in _with_last(scan(root / rel, offset=start.size, line=start.lines)):
        bad = scanned.record is None
        if scanned.torn or (bad and (tail or is_last)):
            _quarantine_from(root, rel, scanned.offset, report)
            break
        if not bad and _apply(index, rel, scanned, dry_run=True):
            _apply(index, rel, scanned)
            report.indexed_lines += 1
        elif tail:
            _quarantine_from(root, rel, scanned.offset, report)
            break
        else:
            report.skipped_lines += 1
            logger.warning("archive line %s:%d is not a record; left for verify", rel, scanned.line)
        state = FileState(scanned.line, scanned.end)
    return state


def _quarantine_from(root: Path, rel: str, offset: int, report: RecoveryReport) -> None:
    qrel, lines = _quarantine(root, rel, offset)
    report.quarantined_lines += lines
    report.quarantine_files.append(qrel)


def _with_last(lines: Iterator[ScannedLine]) -> Iterator[tuple[ScannedLine, bool]]:
    previous: ScannedLine | None = None
    for scanned in lines:
        if previous is not None:
            yield previous, False
        previous = scanned
    if previous is not None:
        yield previous, True


def _apply(index: ArchiveIndex, rel: str, scanned: ScannedLine, *, dry_run: bool = False) -> bool:
    """Index one line if it is newer than what the index holds; False if it is not a record."""
    record = scanned.record or {}
    key, version, source, url = (record.get(k) for k in ("id", "version", "source", "url"))
    if not (isinstance(key, str) and isinstance(version, int) and source and url):
        return False
    if dry_run:
        return True
    archived_at = str(record.get("archived_at") or "")
    row = index.get(key)
    if row is not None and row.version >= version:
        if row.version == version and (row.file, row.line) != (rel, scanned.line):
            logger.warning("duplicate version %d of %s at %s:%d", version, key, rel, scanned.line)
        return True
    tombstone = is_tombstone(record)
    published = row.published_at if tombstone and row else record.get("published_at")
    index.upsert(
        IndexRow(
            key=key,
            source=str(source),
            post_id=record.get("post_id"),
            url=canonical_url(str(url)),
            sha256=record_sha256(record),
            version=version,
            tombstoned=tombstone,
            published_at=published,
            first_seen=row.first_seen if row else archived_at,
            last_seen=max(row.last_seen, archived_at) if row else archived_at,
            file=rel,
            line=scanned.line,
            offset=scanned.offset,
        )
    )
    return True


def _quarantine(root: Path, rel: str, offset: int) -> tuple[str, int]:
    """Copy bytes from ``offset`` to the end into quarantine (durably), then cut them off."""
    path = root / rel
    with open(path, "rb") as handle:
        handle.seek(offset)
        data = handle.read()
    source, name = rel.split("/", 1)
    qdir = root / QUARANTINE_DIR / source
    qdir.mkdir(parents=True, exist_ok=True)
    stamp = utc_now().strftime("%Y%m%dT%H%M%S%fZ")
    qpath = qdir / f"{name}.{stamp}.torn"
    fd = os.open(qpath, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    fsync_dir(qdir)
    fd = os.open(path, os.O_WRONLY)
    try:
        os.ftruncate(fd, offset)
        os.fsync(fd)
    finally:
        os.close(fd)
    qrel = qpath.relative_to(root).as_posix()
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    logger.warning(
        "archive: quarantined %d torn or unreadable line(s) (%d bytes) from %s at byte %d to %s",
        lines,
        len(data),
        rel,
        offset,
        qrel,
    )
    return qrel, lines
