"""Helpers for the capture tests: Scrapy messages to write, and warcio's own view of a file.

Expected values come from warcio (``ArchiveIterator`` offsets, its reader,
``warcio check``) and from hashlib, never from ``snhr_crawler.capture``.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import ipaddress
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scrapy import Request
from scrapy.http import HtmlResponse, Response
from warcio.archiveiterator import ArchiveIterator

from snhr_crawler.capture.writer import WarcWriter

START = dt.datetime(2026, 11, 25, 2, 15, 3, 123456, tzinfo=dt.UTC)
WARCINFO = {"software": "tests", "isPartOf": "20261125T021500Z"}


class Clock:
    """A clock that moves one second per reading, from ``START``."""

    def __init__(self, start: dt.datetime = START) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        moment = self.now
        self.now += dt.timedelta(seconds=1)
        return moment


def writer(archive: Path, source: str = "snhr_news", **kwargs: Any) -> WarcWriter:
    kwargs.setdefault("warcinfo", WARCINFO)
    kwargs.setdefault("clock", Clock())
    return WarcWriter(archive, source, "20261125T021500Z", **kwargs)


def request(url: str, **kwargs: Any) -> Request:
    headers = {
        "Accept": "text/html",
        "Accept-Encoding": "gzip, deflate",
        "User-Agent": "snhr_crawler/test",
        **kwargs.pop("headers", {}),
    }
    return Request(url, headers=headers, **kwargs)


def response(
    url: str,
    body: bytes = b"",
    *,
    status: int = 200,
    headers: Any = None,
    cls: type[Response] = HtmlResponse,
    **kwargs: Any,
) -> Response:
    kwargs.setdefault("ip_address", ipaddress.ip_address("127.0.0.1"))
    kwargs.setdefault("protocol", "HTTP/1.1")
    if headers is None:
        headers = {"Content-Type": "text/html; charset=UTF-8"}
    return cls(url=url, status=status, headers=headers, body=body, request=Request(url), **kwargs)


def sha256_digest(data: bytes) -> str:
    """WARC's ``sha256:<base32>`` computed here, not by the code under test."""
    return "sha256:" + base64.b32encode(hashlib.sha256(data).digest()).decode("ascii")


@dataclass
class Seen:
    """One record as warcio reads it."""

    type: str
    headers: dict[str, str]
    http: Any  # warcio StatusAndHeaders or None
    payload: bytes  # the payload as stored (not content-decoded)
    offset: int
    length: int

    @property
    def id(self) -> str:
        return self.headers["WARC-Record-ID"]


def read_warc(path: Path) -> list[Seen]:
    """Every record of ``path`` through warcio's ArchiveIterator, digests checked."""
    seen = []
    with open(path, "rb") as handle:
        iterator = ArchiveIterator(handle, check_digests="raise")
        for record in iterator:
            payload = record.raw_stream.read()
            seen.append(
                Seen(
                    type=record.rec_type,
                    headers=dict(record.rec_headers.headers),
                    http=record.http_headers,
                    payload=payload,
                    offset=iterator.get_record_offset(),
                    length=iterator.get_record_length(),
                )
            )
    return seen


def warcio_check(*paths: Path) -> subprocess.CompletedProcess[str]:
    """``warcio check -v`` as a separate process, as an archivist would run it."""
    return subprocess.run(
        [sys.executable, "-c", "import sys; from warcio.cli import main; main(sys.argv[1:])",
         "check", "-v", *map(str, paths)],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


def assert_warcio_check_passes(*paths: Path) -> None:
    """Exit 0, and every record with a digest says ``digest pass`` (sha256 was understood)."""
    result = warcio_check(*paths)
    assert result.returncode == 0, result.stdout + result.stderr
    records = sum(len(read_warc(path)) for path in paths)
    revisits = sum(1 for path in paths for seen in read_warc(path) if seen.type == "revisit")
    assert result.stdout.count("digest pass") == records - revisits, result.stdout


def self_signed_certificate(host: str = "127.0.0.1") -> tuple[bytes, bytes]:
    """(certificate PEM, private key PEM) for a loopback TLS server."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(START - dt.timedelta(days=1))
        .not_valid_after(START + dt.timedelta(days=3650))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(host))]), False
        )
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return certificate.public_bytes(serialization.Encoding.PEM), key_pem
