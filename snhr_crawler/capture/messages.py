"""Scrapy's Request and Response as the HTTP messages of WARC records.

The response is taken as Scrapy's HTTP/1.1 handler received it, which is what
the ``response_downloaded`` signal carries: the status, the headers and the
body before any downloader middleware ran, so the body is still
content-encoded (``HttpCompressionMiddleware`` decodes it later) and each
redirect hop is its own response. Two things Scrapy does not keep are
reconstructed:

* the reason phrase (Twisted reads it, Scrapy drops it): the standard phrase
  for the status, nothing for a code without one;
* connection-level headers (``Transfer-Encoding``, ``Connection``,
  ``Keep-Alive``): Twisted consumes them while de-chunking, so the stored
  body is the de-chunked entity and no ``Transfer-Encoding`` may describe it.
  (``Content-Length`` is the one Twisted read; Scrapy puts it back.)

The request is the one Scrapy handed to Twisted, after every downloader
middleware, plus the ``Host`` and ``Content-Length`` lines Twisted adds when
it writes it; Twisted's own bytes on the wire are not exposed.

Header bytes are kept exactly: warcio would percent-encode a non-ASCII header
value (a raw UTF-8 ``Location``, say), which would no longer be what the
server sent.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any
from urllib.parse import ParseResult

from scrapy import Request
from scrapy.http import Response
from scrapy.utils.httpobj import urlparse_cached
from warcio.statusandheaders import StatusAndHeaders

#: What warcio (and replay tools) accept as the protocol of an HTTP status line.
_HTTP1 = ("HTTP/1.0", "HTTP/1.1")
#: Hop-by-hop headers that describe the transfer, not the entity that was stored.
_CONNECTION_HEADERS = frozenset({b"transfer-encoding", b"connection", b"keep-alive"})
_DEFAULT_PORTS = {"http": 80, "https": 443}


class ExactHeaders(StatusAndHeaders):
    """warcio's status line and headers, serialised byte for byte.

    Header names and values arrive as bytes and warcio holds them as
    ISO-8859-1 text (one character per byte), so encoding them back the same
    way gives exactly the bytes received.
    """

    def to_ascii_bytes(self, filter_func: Any = None) -> bytes:
        return bytes(self.to_str(filter_func).encode("iso-8859-1")) + b"\r\n"


def reason_phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def http_protocol(response: Response) -> str:
    """The status line's protocol; anything but HTTP/1.x is written as HTTP/1.1 (see ``warc_protocol``)."""
    protocol = (response.protocol or "HTTP/1.1").upper()
    return protocol if protocol in _HTTP1 else "HTTP/1.1"


def warc_protocol(response: Response) -> str | None:
    """The real protocol when the status line cannot say it (``h2``), for ``WARC-Protocol``."""
    protocol = response.protocol
    if not protocol or protocol.upper() in _HTTP1:
        return None
    return protocol.lower()


def response_http_headers(response: Response) -> ExactHeaders:
    """``HTTP/1.1 200 OK`` and the headers as received, minus connection-level ones."""
    statusline = f"{response.status} {reason_phrase(response.status)}".rstrip()
    pairs = [
        (name, value)
        for name, values in response.headers.items()
        if name.lower() not in _CONNECTION_HEADERS
        for value in values
    ]
    return ExactHeaders(statusline, pairs, protocol=http_protocol(response))


def request_target(parts: ParseResult) -> str:
    """The request line's target: path, parameters and query, never the fragment."""
    target = parts.path or "/"
    if parts.params:
        target += f";{parts.params}"
    return target + (f"?{parts.query}" if parts.query else "")


def host_header(parts: ParseResult) -> bytes:
    """``Host`` as Twisted computes it: the host, and the port when it is not the scheme's default."""
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    if parts.port is not None and parts.port != _DEFAULT_PORTS.get(parts.scheme):
        host = f"{host}:{parts.port}"
    return host.encode("ascii")  # Scrapy's URLs are ASCII (IDNA hosts, percent-escapes)


def request_http_headers(request: Request) -> ExactHeaders:
    """``GET /path?query HTTP/1.1``, the request's headers, ``Host`` and ``Content-Length``."""
    parts = urlparse_cached(request)  # parsed once already, for the download
    pairs: list[tuple[bytes, bytes]] = [
        (name, value) for name, values in request.headers.items() for value in values
    ]
    names = {name.lower() for name, _ in pairs}
    if b"host" not in names:
        pairs.append((b"Host", host_header(parts)))
    if request.body and b"content-length" not in names:
        pairs.append((b"Content-Length", str(len(request.body)).encode("ascii")))
    return ExactHeaders(f"{request_target(parts)} HTTP/1.1", pairs, protocol=request.method.upper())


def certificate_pem(response: Response) -> bytes | None:
    """The server's TLS certificate as PEM, for https responses.

    Scrapy keeps only the peer certificate (``response.certificate``), not the
    intermediates the server sent with it.
    """
    certificate = response.certificate
    if certificate is None:
        return None
    return bytes(certificate.dumpPEM())
