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
  Articles whose every line went with a lost file are reported (``lost``):
  the store queues them as pending, so the next crawl fetches them again;
* a file that grew but whose old end is no longer where the index left it (a
  line edited in place, longer or shorter) is not a tail to take in: the
  rows are rebuilt from whole files, and nothing in it is cut.

With ``sources`` recovery looks only at those sources' files and rows: a
crawl of one host group (``ops.parallel``) must not judge, let alone cut, the
lines another group's crawl is appending at the same moment.

Recovery never cuts a record it did not find torn: only bytes after the last
line the index committed (a tail that never counted as archived), or a last
line without its newline, go to quarantine.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from snhr_crawler import durable
from snhr_crawler.archive.index import ArchiveIndex, FileState, IndexRow
from snhr_crawler.archive.paths import QUARANTINE_DIR, iter_data_files
from snhr_crawler.archive.records import is_tombstone, record_sha256
from snhr_crawler.archive.scan import ScannedLine, read_at, scan
from snhr_crawler.clock import utc_now
from snhr_crawler.urls import canonical_url, valid_post_id

logger = logging.getLogger(__name__)


@dataclass
class RecoveryReport:
    """What start-up recovery did; the pipeline turns it into stats and log lines."""

    quarantined_lines: int = 0
    quarantine_files: list[str] = field(default_factory=list)
    indexed_lines: int = 0
    skipped_lines: int = 0
    rebuilt: bool = False
    #: Live articles whose lines are no longer in any file (a data file lost from disk).
    lost: list[IndexRow] = field(default_factory=list)
    #: Data files the index knew that are gone from disk.
    lost_files: list[str] = field(default_factory=list)
    #: Files that changed before the index's last line (edited in place), not just grew.
    edited_files: list[str] = field(default_factory=list)
    #: Where an index SQLite could not read was moved (set by the store), else None.
    index_replaced: str | None = None


def recover(
    root: Path, index: ArchiveIndex, sources: Collection[str] | None = None
) -> RecoveryReport:
    """Quarantine torn tails and reconcile the index with the files, in one index transaction.

    ``sources``: only theirs (None: every source's).
    """
    report = RecoveryReport()
    index.begin()
    try:
        states = {
            rel: state
            for rel, state in index.file_states().items()
            if sources is None or rel.split("/", 1)[0] in sources
        }
        on_disk = list(iter_data_files(root, sources))
        report.lost_files = sorted(set(states) - set(on_disk))
        rebuild = bool(report.lost_files)
        for rel in on_disk:
            known = states.get(rel)
            size = (root / rel).stat().st_size
            if known is not None and known.size == size:
                continue
            if known is not None and known.size > size:
                rebuild = True  # shrank: the index has lines the file no longer holds
                continue
            if known is not None and known.size and not _tail_starts_at(root, rel, index, known):
                # Grown, but not by appending: a line before the index's end was edited.
                report.edited_files.append(rel)
                logger.warning("archive file %s was edited in place; rebuilding the index", rel)
                rebuild = True
                continue
            start = known if known is not None else FileState(0, 0)
            # With no file known at all the index is new or lost: whole files, not tails.
            tail = known is not None or bool(states)
            index.set_file_state(rel, _take_in(root, rel, index, start, report, tail=tail))
        if not rebuild:
            states = index.file_states()
            for rel, max_line in index.max_line_per_file().items():
                if sources is not None and rel.split("/", 1)[0] not in sources:
                    continue
                if rel not in states or max_line > states[rel].lines:
                    rebuild = True
                    break
        if rebuild:
            _rebuild(root, index, on_disk, report, sources)
        index.commit()
    except BaseException:
        index.rollback()
        raise
    if report.indexed_lines:
        logger.info("archive recovery: indexed %d line(s) found on disk", report.indexed_lines)
    return report


def _rebuild(
    root: Path,
    index: ArchiveIndex,
    on_disk: list[str],
    report: RecoveryReport,
    sources: Collection[str] | None = None,
) -> None:
    logger.warning(
        "archive index disagrees with the files in %s; rebuilding it from the files", root
    )
    before = list(index.rows(sources))
    seen = {row.key: (row.first_seen, row.last_seen) for row in before}
    if sources is None:
        index.delete_all_articles()
    else:
        index.delete_articles_of(sources)
    for rel in list(index.file_states()):
        if sources is None or rel.split("/", 1)[0] in sources:
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
    report.lost = [row for row in before if not row.tombstoned and index.get(row.key) is None]
    report.rebuilt = True


def _tail_starts_at(root: Path, rel: str, index: ArchiveIndex, known: FileState) -> bool:
    """Whether ``rel`` still ends its indexed part where the index says (only appended since).

    The byte before the index's end must be a newline, and the last line the
    index points at in this file must still be the record it indexed.
    """
    path = root / rel
    with open(path, "rb") as handle:
        handle.seek(known.size - 1)
        if handle.read(1) != b"\n":
            return False
    last = index.last_row_in(rel)
    if last is None:
        return True
    try:
        record = read_at(path, last.offset)
    except (OSError, ValueError):
        return False
    return record.get("id") == last.key and record.get("version") == last.version


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
        unreadable = scanned.record is None
        if scanned.torn or (unreadable and (tail or is_last)):
            _quarantine_from(root, rel, scanned.offset, report)
            break
        if not unreadable and _apply(index, rel, scanned, dry_run=True):
            _apply(index, rel, scanned)
            report.indexed_lines += 1
        elif tail:
            _quarantine_from(root, rel, scanned.offset, report)
            break
        else:
            # A whole line that is not a record the index can hold: it stays, for verify.
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
    if not (isinstance(key, str) and isinstance(version, int) and source and isinstance(url, str)):
        return False
    post_id = record.get("post_id")
    if post_id is not None and valid_post_id(post_id) is None:
        return False  # an id SQLite cannot hold: never indexed, reported by verify
    if not -(2**63) <= version < 2**63:
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
    source, name = rel.split("/", 1)
    stamp = utc_now().strftime("%Y%m%dT%H%M%S%fZ")
    qpath = root / QUARANTINE_DIR / source / f"{name}.{stamp}.torn"
    data = durable.move_tail(root / rel, offset, qpath)
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
