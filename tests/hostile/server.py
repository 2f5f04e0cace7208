"""A loopback HTTP server that plays a hostile or broken site, one scenario at a time.

Unlike ``tests.site`` (a static copy answering honestly), every answer here can
lie: a ``Content-Length`` longer than the body, a body streamed without end, a
gzip bomb, a page of a million links. Routes map a path (with its query, or
``<path>?*`` for any query) to an :class:`Answer` or to a function of the
:class:`Hit` returning one, so a scenario can mint fresh pages forever.

Bodies may be iterables of chunks, produced while they are sent, so a 60 MB
page or an endless feed never sits in the test process's memory. The server
listens on 127.0.0.1 only and records every request it gets (``hits``), with
the ``Host`` header, so a test can tell which host a request was meant for.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

HTML = {"Content-Type": "text/html; charset=UTF-8"}
XML = {"Content-Type": "application/xml; charset=UTF-8"}
JSON = {"Content-Type": "application/json; charset=UTF-8"}


@dataclass
class Answer:
    """One response. ``length`` overrides the declared Content-Length (None: the body's)."""

    status: int = 200
    body: bytes | Iterable[bytes] = b""
    headers: dict[str, str] = field(default_factory=lambda: dict(HTML))
    length: int | None = None
    #: No Content-Length at all: the body ends when the connection closes.
    unsized: bool = False


@dataclass(frozen=True)
class Hit:
    """One request the server received."""

    path: str  # path and query, as sent
    host: str  # the Host header

    @property
    def route(self) -> str:
        return self.path


Route = Answer | Callable[[Hit], Answer]
NOT_FOUND = Answer(404, b"<html><body>Not found</body></html>")


@dataclass
class HostileSite:
    """The routes of one scenario, and what was asked of them."""

    routes: dict[str, Route] = field(default_factory=dict)
    hits: list[Hit] = field(default_factory=list)
    origin: str = ""
    port: int = 0

    def answer(self, hit: Hit) -> Answer:
        parts = urlsplit(hit.path)
        route = self.routes.get(hit.path) or self.routes.get(parts.path + "?*")
        if route is None:
            return NOT_FOUND
        return route(hit) if callable(route) else route

    def paths(self) -> list[str]:
        return [hit.path for hit in self.hits]


def _chunks(body: bytes | Iterable[bytes]) -> Iterator[bytes]:
    if isinstance(body, bytes):
        yield body
    else:
        yield from body


def _handler(site: HostileSite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            hit = Hit(self.path, self.headers.get("Host", ""))
            site.hits.append(hit)
            answer = site.answer(hit)
            self.send_response(answer.status)
            for name, value in answer.headers.items():
                self.send_header(name, value)
            body = answer.body
            if answer.unsized:
                self.send_header("Connection", "close")
                self.close_connection = True
            elif answer.length is not None or isinstance(body, bytes):
                declared = answer.length if answer.length is not None else len(body)  # type: ignore[arg-type]
                self.send_header("Content-Length", str(declared))
                if answer.length is not None:
                    self.send_header("Connection", "close")
                    self.close_connection = True
            else:
                self.send_header("Connection", "close")
                self.close_connection = True
            self.end_headers()
            try:
                for chunk in _chunks(body):
                    self.wfile.write(chunk)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True  # the crawler stopped reading: a bound held

        def log_message(self, *args: object) -> None:
            pass

    return Handler


@contextmanager
def serve(site: HostileSite) -> Iterator[HostileSite]:
    """Serve ``site`` on 127.0.0.1 (a free port) for the duration of the block."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
    server.daemon_threads = True
    site.port = server.server_address[1]
    site.origin = f"http://127.0.0.1:{site.port}"
    # A short poll: shutdown() waits for the loop to notice, 0.5 s by default, at every case.
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
    )
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
