"""A tiny loopback HTTP(S) server for capture crawls: a page, a redirect, a 404, a page that changes.

``with serve(tls=True) as server:`` gives ``server.origin``
(``https://127.0.0.1:<port>``), ``server.certificate_pem`` (its self-signed
certificate) and ``server.requests`` (``(method, path, status)`` in order).
"""

from __future__ import annotations

import gzip
import ssl
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.capture.warc_helpers import self_signed_certificate

PAGE = "<html><head><title>Page</title></head><body><p>نص الصفحة</p></body></html>".encode()
SAME = b"<html><body><p>This page never changes.</p></body></html>"


@dataclass
class LocalServer:
    origin: str = ""
    certificate_pem: bytes = b""
    requests: list[tuple[str, str, int]] = field(default_factory=list)
    changes: int = 0


def _answer(
    server: LocalServer, path: str, accept_encoding: str
) -> tuple[int, dict[str, str], bytes]:
    html = {"Content-Type": "text/html; charset=UTF-8"}
    if path == "/page":
        return 200, html, PAGE
    if path == "/old":
        return 301, {**html, "Location": "/page"}, b""
    if path == "/same":
        return 200, html, SAME
    if path == "/changing":
        server.changes += 1
        return 200, html, f"<html><body><p>Version {server.changes}</p></body></html>".encode()
    if path == "/gzip" and "gzip" in accept_encoding:
        return (
            200,
            {**html, "Content-Encoding": "gzip", "Vary": "Accept-Encoding"},
            gzip.compress(PAGE, mtime=0),
        )
    return 404, html, b"<html><body>Not found</body></html>"


@contextmanager
def serve(*, tls: bool = False) -> Iterator[LocalServer]:
    state = LocalServer()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            status, headers, body = _answer(
                state, self.path, self.headers.get("Accept-Encoding", "")
            )
            state.requests.append(("GET", self.path, status))
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    scheme = "http"
    if tls:
        state.certificate_pem, key_pem = self_signed_certificate()
        with tempfile.TemporaryDirectory() as directory:
            cert_file, key_file = Path(directory) / "cert.pem", Path(directory) / "key.pem"
            cert_file.write_bytes(state.certificate_pem)
            key_file.write_bytes(key_pem)
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(cert_file, key_file)
        server.socket = context.wrap_socket(server.socket, server_side=True)
        scheme = "https"
    state.origin = f"{scheme}://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
