"""Torn WARC tails: cut a file back to its last whole record, keeping what was cut.

A killed crawl can leave the last exchange of its ``.open`` file half
written. ``recover_torn_tail(path, quarantine_dir)`` finds the end of the
last whole record (each record is its own gzip member: one that decompresses
to its end with a good CRC and starts ``WARC/`` is whole), copies the bytes
after it into ``quarantine_dir`` (fsynced first), cuts the file there
(fsynced), and says which records were lost (the ids and target URIs still
readable in the cut bytes). Nothing a pointer names is ever cut: the archive
writes a pointer only after its record was fsynced.

Damage followed by whole records is not a torn tail (bit rot, a bad copy):
``DamagedWarcError``, and the file is left as it is for ``verify`` to report.

``recover_open_files(archive_dir, source)`` does it for every ``.open`` file
of a source that no live crawl holds (the writer keeps an exclusive ``flock``
on the file it writes) and renames each to its closed name, as the crawl
that was killed would have.
"""

from __future__ import annotations

import fcntl
import logging
import os
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from snhr_crawler import durable
from snhr_crawler.capture import writer
from snhr_crawler.capture.writer import OPEN_SUFFIX, WARC_DIR, fsync_dir
from snhr_crawler.clock import utc_now

logger = logging.getLogger(__name__)

QUARANTINE_DIR = "quarantine"
#: A torn tail is at most one exchange; more than this after the cut is damage, not a tear.
MAX_TAIL_BYTES = 256 * 1024 * 1024

_CHUNK = 1 << 20
_HEAD = 8192  # enough of a record to see its WARC headers
_GZIP_MAGIC = b"\x1f\x8b\x08"
_RECORD_ID = re.compile(rb"WARC-Record-ID:[ \t]*(<[^>\r\n]+>)")
_TARGET_URI = re.compile(rb"WARC-Target-URI:[ \t]*<?([^>\r\n]+)>?")


class DamagedWarcError(Exception):
    """Unreadable bytes in a WARC file that are not its last record; nothing was cut."""


@dataclass(frozen=True)
class TailRecovery:
    """What ``recover_torn_tail`` did to one file."""

    path: Path
    kept_bytes: int
    kept_records: int
    cut_bytes: int = 0
    quarantine_path: Path | None = None
    lost_record_ids: tuple[str, ...] = ()
    lost_target_uris: tuple[str, ...] = ()


def quarantine_dir_for(archive_dir: Path, source: str) -> Path:
    """``<archive>/quarantine/warc/<source>``: beside the archive's own torn lines."""
    return Path(archive_dir) / QUARANTINE_DIR / WARC_DIR / source


def whole_records_end(path: Path) -> tuple[int, int]:
    """(byte offset just past the last whole record, number of whole records before it)."""
    end = records = 0
    with open(path, "rb") as handle:
        decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16)
        head = b""
        consumed = 0  # bytes of the file fed to decompressors so far
        while chunk := handle.read(_CHUNK):
            data = chunk
            while data:
                try:
                    out = decompressor.decompress(data, _CHUNK)
                except zlib.error:
                    return end, records
                if len(head) < _HEAD:
                    head += out[: _HEAD - len(head)]
                if decompressor.eof:
                    rest = decompressor.unused_data
                    consumed += len(data) - len(rest)
                    if not head.startswith(b"WARC/"):
                        return end, records
                    end, records = consumed, records + 1
                    decompressor, head, data = zlib.decompressobj(zlib.MAX_WBITS | 16), b"", rest
                else:
                    tail = decompressor.unconsumed_tail
                    consumed += len(data) - len(tail)
                    data = tail
    return end, records


def recover_torn_tail(
    path: Path, quarantine_dir: Path, *, clock: Callable[[], datetime] = utc_now
) -> TailRecovery:
    """Cut ``path`` to its last whole record; the cut bytes go to ``quarantine_dir`` first."""
    path = Path(path)
    end, records = whole_records_end(path)
    size = path.stat().st_size
    if end == size:
        return TailRecovery(path, kept_bytes=size, kept_records=records)
    if size - end > MAX_TAIL_BYTES:
        raise DamagedWarcError(
            f"{path}: {size - end} unreadable bytes from offset {end}: more than one torn "
            "record; left for verify"
        )
    with open(path, "rb") as handle:
        handle.seek(end)
        tail = handle.read()
    later = _first_whole_member(tail)
    if later is not None:
        raise DamagedWarcError(
            f"{path}: unreadable bytes at offset {end}, but a whole record follows at "
            f"{end + later}: not a torn tail; left for verify"
        )
    stamp = clock().strftime("%Y%m%dT%H%M%S%fZ")
    quarantined = Path(quarantine_dir) / f"{path.name}.{stamp}.torn"
    durable.move_tail(path, end, quarantined, writer._os_fsync)
    ids, uris = _readable_headers(tail)
    logger.warning(
        "capture: cut %d torn byte(s) off %s at offset %d (kept in %s); lost record(s): %s",
        len(tail),
        path.name,
        end,
        quarantined,
        ", ".join(ids) or "none readable",
    )
    return TailRecovery(
        path,
        kept_bytes=end,
        kept_records=records,
        cut_bytes=len(tail),
        quarantine_path=quarantined,
        lost_record_ids=ids,
        lost_target_uris=uris,
    )


def _magic_offsets(data: bytes) -> list[int]:
    offsets, start = [], data.find(_GZIP_MAGIC)
    while start != -1:
        offsets.append(start)
        start = data.find(_GZIP_MAGIC, start + 1)
    return offsets


def _first_whole_member(tail: bytes) -> int | None:
    """The offset in ``tail`` (past 0) of a gzip member that is a whole WARC record, if any."""
    for offset in _magic_offsets(tail):
        if offset == 0:
            continue
        decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16)
        try:
            out = decompressor.decompress(tail[offset:], _HEAD)
            while decompressor.unconsumed_tail and not decompressor.eof:
                decompressor.decompress(decompressor.unconsumed_tail, _CHUNK)
        except zlib.error:
            continue
        if decompressor.eof and out.startswith(b"WARC/"):
            return offset
    return None


def _readable_headers(tail: bytes) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Record ids and target URIs readable in the (partial) gzip members of ``tail``."""
    ids: dict[str, None] = {}
    uris: dict[str, None] = {}
    for offset in _magic_offsets(tail):
        head = _partial_head(tail[offset:])
        if not head.startswith(b"WARC/"):
            continue
        headers = head.split(b"\r\n\r\n", 1)[0]
        if match := _RECORD_ID.search(headers):
            ids[match.group(1).decode("ascii", "replace")] = None
            if uri := _TARGET_URI.search(headers):
                uris[uri.group(1).decode("utf-8", "replace")] = None
    return tuple(ids), tuple(uris)


def _partial_head(data: bytes) -> bytes:
    """As much of a member's beginning as decompresses (a torn member stops early)."""
    decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16)
    head = b""
    for start in range(0, min(len(data), _HEAD * 4), 512):
        try:
            head += decompressor.decompress(data[start : start + 512])
        except zlib.error:
            break
        if len(head) >= _HEAD or decompressor.eof:
            break
    return head


@dataclass(frozen=True)
class OpenFileRecovery:
    """One ``.open`` file a killed run left: its tail recovery and the name it now has."""

    recovery: TailRecovery
    closed_as: Path | None  # None: nothing whole was left, the file was removed


def recover_open_files(
    archive_dir: Path, source: str, *, clock: Callable[[], datetime] = utc_now
) -> list[OpenFileRecovery]:
    """Recover and close every ``.open`` WARC file of ``source`` that no live writer holds."""
    directory = Path(archive_dir) / WARC_DIR / source
    if not directory.is_dir():
        return []
    done = []
    for path in sorted(directory.glob(f"*{OPEN_SUFFIX}")):
        fd = os.open(path, os.O_RDONLY)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # a live crawl is writing it
            recovery = recover_torn_tail(path, quarantine_dir_for(archive_dir, source), clock=clock)
            final = path.with_name(path.name[: -len(OPEN_SUFFIX)])
            if recovery.kept_bytes == 0:
                path.unlink()
                closed: Path | None = None
            elif final.exists():
                logger.error("capture: %s and %s both exist; left as they are", path, final)
                continue
            else:
                os.rename(path, final)
                closed = final
            fsync_dir(directory)
        finally:
            os.close(fd)
        done.append(OpenFileRecovery(recovery, closed))
    return done
