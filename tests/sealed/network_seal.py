"""The test network seal: nothing resolves or connects beyond loopback.

Installed in the pytest process by ``tests/conftest.py`` and, through
``sitecustomize.py`` in this folder (put on ``PYTHONPATH`` with
``SNHR_NETWORK_SEAL=1`` for every child), in each Python process a test
starts: ``scrapy crawl``, ``snhr-crawler``, the replica, the benchmark.

Name lookups are refused before any resolver runs (no DNS query is sent),
unless the name is ``localhost`` or a loopback literal; connections and
datagrams to anything but 127.0.0.0/8 or ::1 are refused before the socket
call. Every refusal is appended to ``$SNHR_NETWORK_SEAL_LOG`` when set, so a
test can show what was stopped. Deliberately free of project imports: it runs
before anything else in a child process.
"""

from __future__ import annotations

import ipaddress
import os
import socket
from typing import Any

ENV_FLAG = "SNHR_NETWORK_SEAL"
ENV_LOG = "SNHR_NETWORK_SEAL_LOG"
LOOPBACK_NAMES = frozenset({"localhost", "localhost.", "ip6-localhost"})


def is_loopback_host(host: Any) -> bool:
    """``localhost`` or a loopback IP literal; any other name would need a lookup."""
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if not isinstance(host, str):
        return False
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


def needs_lookup(host: Any) -> bool:
    """A name other than ``localhost``: resolving it would ask a DNS server."""
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if not isinstance(host, str) or host.lower() in LOOPBACK_NAMES:
        return False
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return True
    return False  # an IP literal: connect() decides


def is_loopback_address(address: Any) -> bool:
    """A socket address that stays on this machine (AF_UNIX paths included)."""
    if not isinstance(address, tuple):
        return True
    return is_loopback_host(address[0])


def _record(what: str) -> None:
    path = os.environ.get(ENV_LOG)
    if path:
        with open(path, "a", encoding="utf-8") as log:
            log.write(f"{os.getpid()} {what}\n")


def _refused(what: str) -> ConnectionRefusedError:
    _record(what)
    return ConnectionRefusedError(f"tests may only connect to loopback, not {what}")


def _no_lookup(host: Any) -> socket.gaierror:
    _record(f"lookup {host}")
    return socket.gaierror(socket.EAI_NONAME, f"tests may not resolve {host!r} (loopback only)")


def install() -> None:
    """Replace the resolver and connect/send calls of ``socket`` with guarded ones. Idempotent."""
    if getattr(socket, "_snhr_sealed", False):
        return
    real_getaddrinfo = socket.getaddrinfo
    real_gethostbyname = socket.gethostbyname
    real_gethostbyname_ex = socket.gethostbyname_ex
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_sendto = socket.socket.sendto

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if needs_lookup(host):
            raise _no_lookup(host)
        return real_getaddrinfo(host, *args, **kwargs)

    def gethostbyname(host: str) -> str:
        if needs_lookup(host):
            raise _no_lookup(host)
        return real_gethostbyname(host)

    def gethostbyname_ex(host: str) -> Any:
        if needs_lookup(host):
            raise _no_lookup(host)
        return real_gethostbyname_ex(host)

    def connect(self: socket.socket, address: Any) -> Any:
        if not is_loopback_address(address):
            raise _refused(repr(address))
        return real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> Any:
        if not is_loopback_address(address):
            raise _refused(repr(address))
        return real_connect_ex(self, address)

    def sendto(self: socket.socket, data: Any, *args: Any) -> Any:
        if not is_loopback_address(args[-1]):
            raise _refused(repr(args[-1]))
        return real_sendto(self, data, *args)

    socket.getaddrinfo = getaddrinfo
    socket.gethostbyname = gethostbyname
    socket.gethostbyname_ex = gethostbyname_ex
    socket.socket.connect = connect  # type: ignore[method-assign]
    socket.socket.connect_ex = connect_ex  # type: ignore[method-assign]
    socket.socket.sendto = sendto  # type: ignore[method-assign,assignment]
    socket._snhr_sealed = True  # type: ignore[attr-defined]


def seal_children(environ: dict[str, str] | os._Environ[str] = os.environ) -> None:
    """Make every Python process started from now on install the seal at start-up."""
    here = os.path.dirname(os.path.abspath(__file__))
    paths = [p for p in environ.get("PYTHONPATH", "").split(os.pathsep) if p and p != here]
    environ["PYTHONPATH"] = os.pathsep.join([here, *paths])
    environ[ENV_FLAG] = "1"
