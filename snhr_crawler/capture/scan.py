"""Reading a whole WARC file: every record, where it is, and whether its digests hold.

``scan_file(archive_dir, path)`` walks a file gzip member by gzip member (each
record is its own member) and returns, per record, the facts a pointer names
(``RecordFacts``: id, type, offset, length, status, date, payload digest, the
record a revisit refers to) and what is wrong with the file (``problems``):
a member that is not a WARC record, a block or payload digest that does not
match the bytes, a file that does not start with ``warcinfo``, and bytes after
the last whole record (``end`` < ``size``: a torn tail, or damage).

``verify`` checks every file this way and then every line's pointer against
the facts; ``Originals`` finds the response a revisit refers to with it.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from snhr_crawler.capture.pointer import CapturePointer
from snhr_crawler.capture.reader import CapturedRecord, CaptureReadError, digest_of, parse_record
from snhr_crawler.capture.writer import OPEN_SUFFIX, SUFFIX, WARC_DIR

_CHUNK = 1 << 20


@dataclass(frozen=True)
class Member:
    """One gzip member of a file: where it starts, how long it is, what it holds."""

    offset: int
    length: int
    data: bytes


def iter_members(path: Path) -> Iterator[Member]:
    """Every whole gzip member of ``path``, in order; stops at the first that is not whole."""
    with open(path, "rb") as handle:
        start = position = 0
        decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16)
        pieces: list[bytes] = []
        while chunk := handle.read(_CHUNK):
            data = chunk
            while data:
                try:
                    pieces.append(decompressor.decompress(data))
                except zlib.error:
                    return
                if not decompressor.eof:
                    position += len(data)
                    break
                rest = decompressor.unused_data
                position += len(data) - len(rest)
                yield Member(start, position - start, b"".join(pieces))
                start, pieces, data = position, [], rest
                decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16)


@dataclass(frozen=True)
class RecordFacts:
    """What a ``CapturePointer`` to this record must say, and whether its bytes hold."""

    warc_file: str  # archive-relative, closed name
    record_id: str
    record_type: str
    offset: int
    length: int
    target_uri: str
    status: int
    fetched_at: str
    payload_digest: str | None
    refers_to: str | None  # a revisit's original
    sound: bool  # every digest it declares matches its bytes

    def pointer(self) -> CapturePointer:
        return CapturePointer(
            warc_file=self.warc_file,
            record_id=self.record_id,
            offset=self.offset,
            length=self.length,
            payload_digest=self.payload_digest or "",
            status=self.status,
            fetched_at=self.fetched_at,
        )


@dataclass
class ScannedFile:
    """One WARC file, read whole (see the module docstring)."""

    warc_file: str
    path: Path
    size: int
    end: int = 0
    records: list[RecordFacts] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def is_open(self) -> bool:
        """Still named ``.open``: a running crawl's file, or one a killed run left."""
        return self.path.name.endswith(OPEN_SUFFIX)


def closed_name(archive_dir: Path, path: Path) -> str:
    """The archive-relative name pointers use for ``path`` (without ``.open``)."""
    relative = Path(path).relative_to(archive_dir).as_posix()
    return relative.removesuffix(OPEN_SUFFIX)


def scan_file(archive_dir: Path, path: Path) -> ScannedFile:
    """Read ``path`` whole; see the module docstring."""
    warc_file = closed_name(archive_dir, path)
    scanned = ScannedFile(warc_file, Path(path), Path(path).stat().st_size)
    for member in iter_members(path):
        scanned.end = member.offset + member.length
        where = f"{warc_file}@{member.offset}"
        try:
            record = parse_record(member.data, where)
        except CaptureReadError as exc:
            scanned.problems.append(f"{where}: {exc.reason}")
            continue
        if not scanned.records and record.record_type != "warcinfo":
            scanned.problems.append(f"{where}: the file does not start with a warcinfo record")
        wrong = digest_problems(record)
        scanned.problems.extend(f"{where}: {problem}" for problem in wrong)
        scanned.records.append(
            RecordFacts(
                warc_file=warc_file,
                record_id=record.header("WARC-Record-ID") or "",
                record_type=record.record_type,
                offset=member.offset,
                length=member.length,
                target_uri=record.target_uri,
                status=record.status,
                fetched_at=record.header("WARC-Date") or "",
                payload_digest=record.header("WARC-Payload-Digest"),
                refers_to=record.header("WARC-Refers-To"),
                sound=not wrong,
            )
        )
    return scanned


def digest_problems(record: CapturedRecord) -> list[str]:
    """Digests the record declares that its bytes do not have (a revisit has no payload)."""
    problems = []
    declared = record.header("WARC-Block-Digest")
    if declared is None:
        problems.append("no WARC-Block-Digest")
    elif (actual := digest_of(declared, record.block)) != declared:
        problems.append(f"block digest is {actual}, not {declared}")
    payload = record.header("WARC-Payload-Digest")
    if record.record_type == "response" and payload is not None:
        actual = digest_of(payload, record.payload)
        if actual != payload:
            problems.append(f"payload digest is {actual}, not {payload}")
    return problems


def warc_files(archive_dir: Path, source: str | None = None) -> list[Path]:
    """Every WARC file of the archive (or of ``source``), ``.open`` ones included, sorted."""
    root = Path(archive_dir) / WARC_DIR
    pattern = f"{source}/*" if source else "*/*"
    return sorted(
        path
        for path in root.glob(pattern)
        if path.is_file() and path.name.endswith((SUFFIX, SUFFIX + OPEN_SUFFIX))
    )
