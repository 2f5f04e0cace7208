"""Streaming read API over an archive, for ``export``, ``status`` and researchers.

Nothing here holds the archive in memory: ``iter_lines`` streams every line of
every file; ``latest_records`` walks the SQLite index (ordered by file and
offset, or by publication date for ``export``) and seeks to each article's
latest line. Readers never take the
writer's lock and open the index read-only, so they can run during a crawl;
they then see what the last index commit saw.
"""

from __future__ import annotations

import json
import logging
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from snhr_crawler.archive.index import ArchiveIndex, IndexRow
from snhr_crawler.archive.paths import INDEX_NAME, MANIFEST_NAME, iter_data_files
from snhr_crawler.archive.records import decode_line, is_tombstone
from snhr_crawler.archive.scan import scan

logger = logging.getLogger(__name__)

__all__ = [
    "IndexRow",
    "index_rows",
    "iter_lines",
    "latest_records",
    "read_manifest",
]


def iter_lines(
    archive_dir: Path | str, sources: Iterable[str] | None = None
) -> Iterator[dict[str, Any]]:
    """Every archived line (all versions, tombstones included), parsed, file by file.

    Files come in (source, month) order, ``undated`` last in each source; lines
    in the order they were appended. A torn or unparseable line is skipped with
    a warning (``verify`` reports it; the next crawl quarantines a torn tail).
    """
    archive_dir = Path(archive_dir)
    for rel in iter_data_files(archive_dir, sources):
        for scanned in scan(archive_dir / rel):
            if scanned.record is None:
                logger.warning("skipping unreadable line %s:%d", rel, scanned.line)
                continue
            yield scanned.record


def index_rows(
    archive_dir: Path | str,
    sources: Iterable[str] | None = None,
    *,
    include_tombstoned: bool = True,
    since: str | None = None,
    by_published: bool = False,
) -> Iterator[IndexRow]:
    """The index rows (key, version, sha256, first/last seen, file, line, ...), one per article.

    ``since`` and ``by_published`` as in :meth:`ArchiveIndex.rows`.
    """
    path = Path(archive_dir) / INDEX_NAME
    if not path.exists():
        return
    index = ArchiveIndex.open(path, readonly=True)
    try:
        yield from index.rows(
            sources, include_tombstoned=include_tombstoned, since=since, by_published=by_published
        )
    finally:
        index.close()


#: Archive files kept open while seeking (rows in publication order jump between files).
OPEN_FILES = 16


def latest_records(
    archive_dir: Path | str,
    sources: Iterable[str] | None = None,
    *,
    include_tombstones: bool = False,
    by_published: bool = False,
    since: str | None = None,
) -> Iterator[dict[str, Any]]:
    """One record per article: its latest version; tombstoned articles only if asked.

    Ordered by file and offset, or with ``by_published`` by ``published_at``
    (then id; undated last). ``since`` keeps articles published on or after it
    (an ISO date or time; undated ones are left out).

    Uses the index when present (memory: one row at a time, and at most
    ``OPEN_FILES`` open files). Without an index (a copied archive without
    ``index.sqlite3``) it falls back to two passes over the files, keeping
    ``key -> (version, file, offset, published_at)`` in memory. An index row
    pointing at a torn, missing or unparseable line is skipped with a warning.
    """
    archive_dir = Path(archive_dir)
    sources = list(sources) if sources is not None else None
    if (archive_dir / INDEX_NAME).exists():
        locations: Iterable[tuple[str, int]] = (
            (row.file, row.offset)
            for row in index_rows(
                archive_dir,
                sources,
                include_tombstoned=include_tombstones,
                since=since,
                by_published=by_published,
            )
        )
    else:
        locations = _latest_by_scan(archive_dir, sources, by_published=by_published, since=since)
    handles: OrderedDict[str, IO[bytes]] = OrderedDict()
    try:
        for rel, offset in locations:
            handle = handles.pop(rel, None)
            if handle is None:
                handle = open(archive_dir / rel, "rb")  # noqa: SIM115 -- kept open across rows
                if len(handles) >= OPEN_FILES:
                    handles.popitem(last=False)[1].close()
            handles[rel] = handle  # most recently used last
            handle.seek(offset)
            raw = handle.readline()
            if not raw.endswith(b"\n"):
                logger.warning("index points at a missing line %s@%d", rel, offset)
                continue
            try:
                record = decode_line(raw)
            except ValueError:
                logger.warning("index points at an unreadable line %s@%d", rel, offset)
                continue
            if is_tombstone(record) and not include_tombstones:
                continue
            yield record
    finally:
        for handle in handles.values():
            handle.close()


def _latest_by_scan(
    archive_dir: Path, sources: list[str] | None, *, by_published: bool, since: str | None
) -> Iterator[tuple[str, int]]:
    latest: dict[str, tuple[int, str, int, str | None]] = {}
    for rel in iter_data_files(archive_dir, sources):
        for scanned in scan(archive_dir / rel):
            record = scanned.record
            if record is None:
                continue
            key, version = record.get("id"), record.get("version")
            if (
                isinstance(key, str)
                and isinstance(version, int)
                and (key not in latest or version > latest[key][0])
            ):
                published = record.get("published_at")
                published = published if isinstance(published, str) else None
                latest[key] = (version, rel, scanned.offset, published)
    found = [
        (key, rel, offset, published)
        for key, (_, rel, offset, published) in latest.items()
        if since is None or (published is not None and published >= since)
    ]
    if by_published:
        found.sort(key=lambda row: (row[3] is None, row[3] or "", row[0]))
    else:
        found.sort(key=lambda row: (row[1], row[2]))
    yield from ((rel, offset) for _, rel, offset, _ in found)


def read_manifest(archive_dir: Path | str) -> dict[str, Any] | None:
    """The parsed ``manifest.json``, or None when the archive has none yet."""
    path = Path(archive_dir) / MANIFEST_NAME
    if not path.exists():
        return None
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)
