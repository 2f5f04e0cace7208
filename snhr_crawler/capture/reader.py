"""Reading captures back: a pointer to its record, its response, and whether it holds.

* ``read_record(archive_dir, pointer)`` -- the record the pointer names, parsed:
  WARC headers, HTTP status line and headers (bytes, exactly as stored) and
  the payload as received (still content-encoded);
* ``rebuild_response(archive_dir, pointer)`` -- a Scrapy response as the
  spider saw it: the payload decoded the way Scrapy's
  ``HttpCompressionMiddleware`` decodes it, ``Content-Encoding`` dropped,
  the response class picked by Scrapy's ``responsetypes`` (``HtmlResponse``,
  ``TextResponse``, ...), the URL the record's target. This is what
  ``reparse`` feeds the parser;
* ``check_pointer(archive_dir, pointer)`` -- every way the pointer can be
  wrong, as a list of problems (empty: it resolves, and the bytes are the
  ones it names);
* ``read_warcinfo(archive_dir, warc_file)`` -- the fields of a file's
  ``warcinfo`` record (software, settings, spider arguments such as
  ``origin``, which a re-parse needs to map fetched URLs to public ones).

A file still being written is ``<name>.open``; the reader finds it under
either name. Problems surface as ``CaptureReadError`` naming the pointer.
"""

from __future__ import annotations

import io
import ipaddress
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scrapy import Request
from scrapy.http import Headers, Response, TextResponse
from scrapy.responsetypes import responsetypes
from scrapy.utils.gz import gunzip
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeaders
from warcio.utils import Digester

from snhr_crawler.capture.pointer import CapturePointer, payload_digest
from snhr_crawler.capture.writer import OPEN_SUFFIX

#: Decoded size above which a payload is refused, as Scrapy's DOWNLOAD_MAXSIZE would.
MAX_DECODED_BYTES = 1024 * 1024 * 1024


class CaptureReadError(Exception):
    """A pointer that does not lead to a readable record of the kind it names."""

    def __init__(self, pointer: CapturePointer | str, reason: str) -> None:
        where = (
            f"{pointer.warc_file}@{pointer.offset}"
            if isinstance(pointer, CapturePointer)
            else pointer
        )
        super().__init__(f"{where}: {reason}")
        self.reason = reason


@dataclass
class CapturedRecord:
    """One WARC record as stored."""

    warc_headers: StatusAndHeaders
    record_type: str
    target_uri: str
    #: ``HTTP/1.1``, ``200``, ``OK``; for a request record: method, target, protocol.
    status_line: tuple[str, str, str] = ("", "", "")
    http_headers: list[tuple[bytes, bytes]] = field(default_factory=list)
    #: The block after the HTTP headers: the payload as received (content-encoded).
    payload: bytes = b""
    block: bytes = b""

    @property
    def status(self) -> int:
        return int(self.status_line[1]) if self.status_line[1].isdigit() else 0

    def header(self, name: str) -> str | None:
        value = self.warc_headers.get_header(name)
        return str(value) if value is not None else None

    def http_header(self, name: bytes) -> list[bytes]:
        return [value for key, value in self.http_headers if key.lower() == name.lower()]


def warc_path(archive_dir: Path, warc_file: str) -> Path:
    """The file as it is on disk: the closed name, else the ``.open`` one of a live run."""
    path = Path(archive_dir) / warc_file
    if not path.exists():
        open_path = path.with_name(path.name + OPEN_SUFFIX)
        if open_path.exists():
            return open_path
    return path


def read_member(archive_dir: Path, pointer: CapturePointer) -> bytes:
    """The uncompressed bytes of the gzip member the pointer names (exactly one member)."""
    path = warc_path(archive_dir, pointer.warc_file)
    try:
        with open(path, "rb") as handle:
            handle.seek(pointer.offset)
            data = handle.read(pointer.length)
    except OSError as exc:
        raise CaptureReadError(pointer, f"cannot read {path.name}: {exc.strerror or exc}") from exc
    if len(data) != pointer.length:
        raise CaptureReadError(pointer, f"file ends {pointer.length - len(data)} bytes early")
    decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16)
    try:
        raw = decompressor.decompress(data)
    except zlib.error as exc:
        raise CaptureReadError(pointer, f"not a gzip member at this offset ({exc})") from exc
    if not decompressor.eof:
        raise CaptureReadError(pointer, "the gzip member is longer than the pointer's length")
    if decompressor.unused_data:
        raise CaptureReadError(pointer, "the pointer's length runs past the gzip member")
    return bytes(raw)


def parse_record(raw: bytes, where: CapturePointer | str) -> CapturedRecord:
    """The one WARC record in ``raw`` (uncompressed), HTTP headers parsed byte-exact."""
    try:
        iterator = ArchiveIterator(io.BytesIO(raw), no_record_parse=True)
        record = next(iterator, None)
        if record is None:
            raise CaptureReadError(where, "no WARC record")
        block = bytes(record.raw_stream.read())
        if next(iterator, None) is not None:
            raise CaptureReadError(where, "more than one WARC record in the member")
    except ArchiveLoadFailed as exc:
        raise CaptureReadError(where, f"not a WARC record ({exc})") from exc
    headers = record.rec_headers
    captured = CapturedRecord(
        warc_headers=headers,
        record_type=str(record.rec_type),
        target_uri=str(headers.get_header("WARC-Target-URI") or ""),
        block=block,
    )
    if captured.record_type in ("response", "request", "revisit") and block:
        head, separator, payload = block.partition(b"\r\n\r\n")
        if not separator:
            raise CaptureReadError(where, "HTTP headers without their blank line")
        lines = head.split(b"\r\n")
        first, second, third = [*lines[0].decode("iso-8859-1").split(" ", 2), "", ""][:3]
        captured.status_line = (first, second, third)
        captured.http_headers = _header_pairs(lines[1:])
        captured.payload = payload
    else:
        captured.payload = block
    return captured


def _header_pairs(lines: list[bytes]) -> list[tuple[bytes, bytes]]:
    pairs: list[tuple[bytes, bytes]] = []
    for line in lines:
        if line[:1] in (b" ", b"\t") and pairs:  # an obsolete folded continuation
            name, value = pairs[-1]
            pairs[-1] = (name, value + b" " + line.strip(b" \t"))
            continue
        name, colon, value = line.partition(b":")
        if colon:
            pairs.append((name.strip(b" \t"), value.strip(b" \t")))
    return pairs


def read_record(archive_dir: Path, pointer: CapturePointer) -> CapturedRecord:
    """The record the pointer names; its id must be the pointer's."""
    record = parse_record(read_member(archive_dir, pointer), pointer)
    record_id = record.header("WARC-Record-ID")
    if record_id != pointer.record_id:
        raise CaptureReadError(pointer, f"record there is {record_id}, not {pointer.record_id}")
    return record


def decode_content(
    body: bytes, codings: list[bytes], where: CapturePointer | str
) -> tuple[bytes, list[bytes]]:
    """Undo ``Content-Encoding`` as Scrapy does: last coding first, stop at one it cannot undo.

    Returns the decoded body and the codings left (empty when all were undone).
    """
    left = [c.strip().lower() for value in codings for c in value.split(b",") if c.strip()]
    while left:
        coding = left[-1]
        try:
            if coding in (b"gzip", b"x-gzip"):
                body = gunzip(body, max_size=MAX_DECODED_BYTES)
            elif coding == b"deflate":
                body = _inflate(body)
            elif coding == b"br":
                body = _unbrotli(body)
            elif coding == b"identity":
                pass
            else:
                break
        except (OSError, EOFError, zlib.error, ValueError) as exc:
            raise CaptureReadError(
                where, f"cannot undo Content-Encoding {coding.decode()}: {exc}"
            ) from exc
        left.pop()
    return body, left


def _inflate(body: bytes) -> bytes:
    """deflate: zlib-wrapped as the RFC says, or raw deflate as some servers send."""
    try:
        return zlib.decompress(body)
    except zlib.error:
        return zlib.decompress(body, -zlib.MAX_WBITS)


def _unbrotli(body: bytes) -> bytes:
    try:
        import brotli  # type: ignore[import-not-found,unused-ignore]
    except ImportError as exc:  # we never ask for br, but a server may send it anyway
        raise ValueError("brotli is not installed") from exc
    return bytes(brotli.decompress(body))


def rebuild_response(archive_dir: Path, pointer: CapturePointer) -> Response:
    """The captured response as the spider saw it (see the module docstring)."""
    record = read_record(archive_dir, pointer)
    if record.record_type == "revisit":
        raise CaptureReadError(
            pointer,
            f"a revisit of {record.header('WARC-Refers-To')}: rebuild from the record it refers to",
        )
    if record.record_type != "response":
        raise CaptureReadError(pointer, f"a {record.record_type} record, not a response")
    grouped: dict[bytes, list[bytes]] = {}
    for name, value in record.http_headers:
        grouped.setdefault(name, []).append(value)
    headers = Headers(grouped)
    body, left = decode_content(record.payload, headers.getlist(b"Content-Encoding"), pointer)
    if left:
        headers[b"Content-Encoding"] = left
    else:
        headers.pop(b"Content-Encoding", None)
    url = record.target_uri
    cls = responsetypes.from_args(headers=headers, url=url, body=body)
    kwargs: dict[str, Any] = {}
    if issubclass(cls, TextResponse):
        kwargs["encoding"] = None  # from the headers and the body, as Scrapy decides it
    return cls(
        url=url,
        status=record.status,
        headers=headers,
        body=body,
        request=Request(url),
        ip_address=_ip(record.header("WARC-IP-Address")),
        protocol=record.status_line[0] or None,
        **kwargs,
    )


def _ip(text: str | None) -> Any:
    if not text:
        return None
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def check_pointer(archive_dir: Path, pointer: CapturePointer) -> list[str]:
    """What is wrong with the pointer; an empty list when it resolves and every digest holds."""
    try:
        record = read_record(archive_dir, pointer)
    except CaptureReadError as exc:
        return [exc.reason]
    problems = []
    if record.record_type not in ("response", "revisit"):
        problems.append(f"a {record.record_type} record, not a response or revisit")
    if record.header("WARC-Date") != pointer.fetched_at:
        problems.append(
            f"WARC-Date {record.header('WARC-Date')} is not fetched_at {pointer.fetched_at}"
        )
    if record.status != pointer.status:
        problems.append(f"HTTP status {record.status} is not {pointer.status}")
    stored = record.header("WARC-Payload-Digest")
    if stored != pointer.payload_digest:
        problems.append(f"WARC-Payload-Digest {stored} is not {pointer.payload_digest}")
    if record.record_type == "response":
        actual = payload_digest(record.payload)
        if actual != pointer.payload_digest:
            problems.append(f"payload digest is {actual}, not {pointer.payload_digest}")
    block = record.header("WARC-Block-Digest")
    if block is None:
        problems.append("no WARC-Block-Digest")
    elif digest_of(block, record.block) != block:
        problems.append(f"block digest is {digest_of(block, record.block)}, not {block}")
    return problems


def digest_of(declared: str, data: bytes) -> str:
    """The digest of ``data`` in the algorithm and spelling of ``declared`` (``sha256:...``)."""
    algorithm = declared.split(":", 1)[0]
    try:
        digester = Digester(algorithm)
    except ValueError:
        return f"{algorithm}:(unknown algorithm)"
    digester.update(data)
    return str(digester)


def read_warcinfo(archive_dir: Path, warc_file: str) -> dict[str, str]:
    """The fields of the ``warcinfo`` record that opens ``warc_file``."""
    path = warc_path(archive_dir, warc_file)
    try:
        with open(path, "rb") as handle:
            for record in ArchiveIterator(handle):
                if record.rec_type != "warcinfo":
                    break
                text = record.content_stream().read().decode("utf-8", "replace")
                fields = {}
                for line in text.splitlines():
                    name, colon, value = line.partition(":")
                    if colon:
                        fields[name.strip()] = value.strip()
                return fields
    except (OSError, ArchiveLoadFailed) as exc:
        raise CaptureReadError(warc_file, f"cannot read its warcinfo: {exc}") from exc
    raise CaptureReadError(warc_file, "does not start with a warcinfo record")
