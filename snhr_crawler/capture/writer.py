"""The WARC writer: one run's exchanges into ``warc/<source>/<run-id>-<n>.warc.gz``.

Each exchange is a ``response`` (or ``revisit``) record, the ``request`` record
concurrent to it and, for https, a ``metadata`` record with the server's
certificate; every file starts with a ``warcinfo`` record. Records are WARC/1.1,
built by warcio, with sha256 block and payload digests, and each is its own
gzip member, so a pointer's ``offset``/``length`` address one record and any
WARC tool can read the file.

Durability, in the order the archive relies on:

* an exchange is appended with one ``os.write`` loop (no user-space buffer), so
  a killed process leaves at most one torn exchange at the end of the file,
  which ``recovery.recover_torn_tail`` cuts off; a failed write is cut back
  to the last whole exchange at once;
* ``flush()`` returns only once every byte written so far, and the file's
  directory entry, is on disk (fsync); it costs nothing when nothing new was
  written, so the archive may call it before every line that points here;
* a file is written as ``<name>.open`` (under an exclusive ``flock``, so
  recovery never touches a file a live crawl holds) and renamed to
  ``<name>`` when closed, at rotation (``rotate_bytes``) or at the end of
  the run. Pointers always name the closed file.

Errors surface as ``CaptureWriteError`` with the path and errno.
"""

from __future__ import annotations

import contextlib
import fcntl
import io
import os
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import count
from pathlib import Path

from scrapy import Request
from scrapy.http import Response
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeadersParser
from warcio.utils import Digester
from warcio.warcwriter import WARCWriter

from snhr_crawler import durable
from snhr_crawler.archive.paths import is_valid_source
from snhr_crawler.capture.messages import (
    certificate_pem,
    request_http_headers,
    response_http_headers,
    warc_protocol,
)
from snhr_crawler.capture.pointer import DIGEST_ALGORITHM, CapturePointer, payload_digest
from snhr_crawler.clock import utc_now
from snhr_crawler.durable import DurableWriteError

try:  # ISA-L's deflate: the same gzip format as zlib's, for a fraction of the CPU
    from isal import isal_zlib as _deflate
except ImportError:  # pragma: no cover - a platform without an isal wheel
    _deflate = zlib  # type: ignore[misc,assignment,unused-ignore]

WARC_DIR = "warc"
SUFFIX = ".warc.gz"
OPEN_SUFFIX = ".open"
DEFAULT_ROTATE_BYTES = 1_000_000_000
#: Deflate level of each record's gzip member (ISA-L's 0-3, or zlib's 0-9 without it):
#: ISA-L's level 1 gzips SNHR's HTML as small as zlib's level 1 at a third of its CPU,
#: and 12 % larger than zlib's 6 at a fifth; capture may cost at most 10 % CPU per page.
COMPRESS_LEVEL = 1
CERTIFICATE_CONTENT_TYPE = "application/x-pem-file"

# Indirections so tests can inject faults (ENOSPC, EIO) without touching ``os``.
_os_write = os.write
_os_fsync = os.fsync


class CaptureWriteError(DurableWriteError):
    """A WARC write, fsync or rename failed; the crawl must stop (``capture_error``)."""

    what = "capture write"


@dataclass(frozen=True)
class RevisitOf:
    """The earlier response record a ``revisit`` refers to (identical-payload-digest profile)."""

    record_id: str
    target_uri: str
    date: str
    payload_digest: str


def warc_date(moment: datetime) -> str:
    """WARC/1.1's date: UTC, microseconds, ``Z``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def gzip_member(data: bytes, level: int = COMPRESS_LEVEL) -> bytes:
    """One whole gzip member (RFC 1952), as any gzip reader expects it."""
    return bytes(_deflate.compress(data, level, zlib.MAX_WBITS | 16))


def fsync_dir(path: Path) -> None:
    """Make a directory entry (a created or renamed file) durable (through ``_os_fsync``)."""
    durable.fsync_dir(path, _os_fsync)


def file_name(run_id: str, number: int) -> str:
    return f"{run_id}-{number:05d}{SUFFIX}"


class _RecordBuilder(WARCWriter):
    """warcio's writer into memory: WARC/1.1 records with sha256 digests, uncompressed.

    The gzip member is made by ``gzip_member``: warcio's own compresses with
    zlib at level 9, several times the CPU for a few per cent less size.
    """

    def __init__(self) -> None:
        super().__init__(io.BytesIO(), gzip=False, warc_version="1.1")

    @staticmethod
    def _create_digester() -> Digester:
        return Digester(DIGEST_ALGORITHM)

    def serialise(self, record: ArcWarcRecord) -> bytes:
        self.out = io.BytesIO()
        self.write_record(record)
        return bytes(self.out.getvalue())


@dataclass
class _OpenFile:
    fd: int
    number: int
    open_path: Path
    final_path: Path
    relative: str  # archive-relative, closed name
    size: int = 0
    synced: int = 0
    entry_synced: bool = False


class WarcWriter:
    """Writes one source's exchanges of one run; see the module docstring."""

    def __init__(
        self,
        archive_dir: Path,
        source: str,
        run_id: str,
        *,
        warcinfo: Mapping[str, str],
        rotate_bytes: int = DEFAULT_ROTATE_BYTES,
        clock: Callable[[], datetime] = utc_now,
        compress_level: int = COMPRESS_LEVEL,
    ) -> None:
        if not is_valid_source(source):
            raise ValueError(f"invalid source name for the archive: {source!r}")
        if not run_id or "/" in run_id or run_id.startswith("."):
            raise ValueError(f"invalid run id: {run_id!r}")
        if rotate_bytes < 1:
            raise ValueError("rotate_bytes must be positive")
        self.archive_dir = Path(archive_dir)
        self.source = source
        self.run_id = run_id
        self.directory = self.archive_dir / WARC_DIR / source
        self.warcinfo = dict(warcinfo)
        self.rotate_bytes = rotate_bytes
        self.clock = clock
        self.compress_level = compress_level
        self.records_written = 0
        self.bytes_written = 0
        #: Archive-relative (closed) names of every file this writer started, in order.
        self.files: list[str] = []
        self._builder = _RecordBuilder()
        self._current: _OpenFile | None = None
        self._next_number = 1

    # --- writing -------------------------------------------------------------------------
    def write_exchange(
        self, request: Request, response: Response, *, revisit_of: RevisitOf | None = None
    ) -> CapturePointer:
        """Append one exchange and return the pointer to its response (or revisit) record.

        With ``revisit_of`` the response is written as a ``revisit`` record
        (HTTP headers only) referring to that earlier record; its payload
        digest must be the one this response has (``ValueError`` otherwise).
        """
        moment = self.clock()
        date = warc_date(moment)
        url = response.url
        digest = payload_digest(response.body)
        main = (
            self._response_record(response, date, digest)
            if revisit_of is None
            else self._revisit_record(response, date, digest, revisit_of)
        )
        record_id = str(main.rec_headers.get_header("WARC-Record-ID"))
        records = [main, self._request_record(request, response, date, record_id)]
        pem = certificate_pem(response)
        if pem is not None:
            records.append(
                self._builder.create_warc_record(
                    url,
                    "metadata",
                    payload=io.BytesIO(pem),
                    length=len(pem),
                    warc_content_type=CERTIFICATE_CONTENT_TYPE,
                    warc_headers_dict=_warc_headers(
                        "metadata", date, url, {"WARC-Concurrent-To": record_id}
                    ),
                )
            )
        members = [
            gzip_member(self._builder.serialise(record), self.compress_level) for record in records
        ]
        current = self._file(moment)
        offset = current.size
        self._append(current, b"".join(members), len(members))
        pointer = CapturePointer(
            warc_file=current.relative,
            record_id=record_id,
            offset=offset,
            length=len(members[0]),
            payload_digest=digest,
            status=response.status,
            fetched_at=date,
        )
        if current.size >= self.rotate_bytes:
            self._close_current()
        return pointer

    def _response_record(self, response: Response, date: str, digest: str) -> ArcWarcRecord:
        fields = {**_network_fields(response), "WARC-Payload-Digest": digest}
        truncated = _truncation(response)
        if truncated:
            fields["WARC-Truncated"] = truncated
        return self._builder.create_warc_record(
            response.url,
            "response",
            payload=io.BytesIO(response.body),
            length=len(response.body),
            http_headers=response_http_headers(response),
            warc_headers_dict=_warc_headers("response", date, response.url, fields),
        )

    def _revisit_record(
        self, response: Response, date: str, digest: str, revisit_of: RevisitOf
    ) -> ArcWarcRecord:
        if revisit_of.payload_digest != digest:
            raise ValueError(
                f"revisit of {revisit_of.record_id}: payload digest {digest} "
                f"differs from the original's {revisit_of.payload_digest}"
            )
        fields = {**_network_fields(response), "WARC-Refers-To": revisit_of.record_id}
        return self._builder.create_revisit_record(
            response.url,
            digest,
            revisit_of.target_uri,
            revisit_of.date,
            http_headers=response_http_headers(response),
            warc_headers_dict=_warc_headers("revisit", date, response.url, fields),
        )

    def _request_record(
        self, request: Request, response: Response, date: str, concurrent_to: str
    ) -> ArcWarcRecord:
        fields = {**_network_fields(response), "WARC-Concurrent-To": concurrent_to}
        return self._builder.create_warc_record(
            response.url,
            "request",
            payload=io.BytesIO(request.body),
            length=len(request.body),
            http_headers=request_http_headers(request),
            warc_headers_dict=_warc_headers("request", date, response.url, fields),
        )

    def flush(self) -> None:
        """Return once every byte written so far is durable (fsync of the file and its entry)."""
        current = self._current
        if current is None or (current.synced == current.size and current.entry_synced):
            return
        try:
            if current.synced != current.size:
                _os_fsync(current.fd)
            if not current.entry_synced:
                fsync_dir(self.directory)
        except OSError as exc:
            raise CaptureWriteError(current.open_path, exc) from exc
        current.synced = current.size
        current.entry_synced = True

    def close(self) -> None:
        """Flush and close the current file under its final name; the writer may go on after."""
        self._close_current()

    @property
    def current_file(self) -> str | None:
        """The archive-relative (closed) name of the file being written, if any."""
        return self._current.relative if self._current else None

    # --- files ---------------------------------------------------------------------------
    def _file(self, moment: datetime) -> _OpenFile:
        if self._current is None:
            self._current = self._open_next()
            info = self._warcinfo_record(self._current.final_path.name, warc_date(moment))
            self._append(self._current, gzip_member(info, self.compress_level), 1)
        return self._current

    def _open_next(self) -> _OpenFile:
        self._make_directory()
        for number in count(self._next_number):
            name = file_name(self.run_id, number)
            final = self.directory / name
            open_path = final.with_name(name + OPEN_SUFFIX)
            try:
                fd = os.open(open_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND, 0o644)
            except FileExistsError:
                continue
            except OSError as exc:
                raise CaptureWriteError(open_path, exc) from exc
            # Created first, checked second: a concurrent writer of the same name is
            # either still on ``.open`` (our O_EXCL failed) or already renamed (seen here).
            if final.exists():
                os.close(fd)
                open_path.unlink()
                continue
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            self._next_number = number + 1
            relative = final.relative_to(self.archive_dir).as_posix()
            self.files.append(relative)
            return _OpenFile(fd, number, open_path, final, relative)
        raise AssertionError("unreachable")  # pragma: no cover

    def _make_directory(self) -> None:
        """``warc/<source>/``, each level created made durable in its parent."""
        parent = self.archive_dir
        for part in (WARC_DIR, self.source):
            path = parent / part
            if not path.is_dir():
                try:
                    path.mkdir(parents=True, exist_ok=True)
                    fsync_dir(parent)
                except OSError as exc:
                    raise CaptureWriteError(path, exc) from exc
            parent = path

    def _append(self, current: _OpenFile, data: bytes, records: int) -> None:
        start = current.size
        try:
            durable.write_all(current.fd, data, _os_write)
        except OSError as exc:
            # Cut back to the last whole exchange; if even that fails, recovery will.
            with contextlib.suppress(OSError):
                os.ftruncate(current.fd, start)
            raise CaptureWriteError(current.open_path, exc) from exc
        current.size = start + len(data)
        self.records_written += records
        self.bytes_written += len(data)

    def _close_current(self) -> None:
        current = self._current
        if current is None:
            return
        self.flush()
        self._current = None
        try:
            os.close(current.fd)
            os.rename(current.open_path, current.final_path)
            fsync_dir(self.directory)
        except OSError as exc:
            raise CaptureWriteError(current.open_path, exc) from exc

    def _warcinfo_record(self, filename: str, date: str) -> bytes:
        fields = "".join(
            f"{name}: {_one_line(value)}\r\n" for name, value in self.warcinfo.items() if value
        ).encode("utf-8")
        record = self._builder.create_warc_record(
            "",
            "warcinfo",
            payload=io.BytesIO(fields),
            length=len(fields),
            warc_headers_dict=_warc_headers("warcinfo", date, "", {"WARC-Filename": filename}),
        )
        return self._builder.serialise(record)


def _warc_headers(
    record_type: str, date: str, url: str, fields: Mapping[str, str]
) -> dict[str, str]:
    """WARC headers in the usual order: type, id, date, target, then the rest."""
    headers = {
        "WARC-Type": record_type,
        "WARC-Record-ID": StatusAndHeadersParser.make_warc_id(),
        "WARC-Date": date,
    }
    if url:
        headers["WARC-Target-URI"] = url
    return {**headers, **fields}


def _network_fields(response: Response) -> dict[str, str]:
    fields = {}
    if response.ip_address is not None:
        fields["WARC-IP-Address"] = str(response.ip_address)
    protocol = warc_protocol(response)
    if protocol:
        fields["WARC-Protocol"] = protocol
    return fields


def _one_line(value: object) -> str:
    return " ".join(str(value).split())


def _truncation(response: Response) -> str | None:
    """WARC-Truncated for a body Scrapy did not receive whole (1.1 §5.13 reasons)."""
    flags = set(response.flags or ())
    if "dataloss" in flags:
        return "disconnect"
    if "download_stopped" in flags:
        return "unspecified"
    return None
