"""The suite's seal: nothing a test runs resolves or connects beyond loopback, in any process."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.sealed.network_seal import ENV_LOG, is_loopback_address

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("address", "allowed"),
    [
        (("127.0.0.1", 8000), True),
        (("127.3.4.5", 80), True),
        (("::1", 80, 0, 0), True),
        (("localhost", 80), True),
        ("/tmp/some.sock", True),
        (("192.0.2.1", 443), False),
        (("news.snhr.org", 443), False),
        (("10.0.0.1", 80), False),
        (("localhost.example.org", 80), False),
    ],
)
def test_only_loopback_addresses_pass(address: object, allowed: bool) -> None:
    assert is_loopback_address(address) is allowed


def test_this_process_refuses_lookups_and_connections() -> None:
    with pytest.raises(socket.gaierror, match="may not resolve"):
        socket.getaddrinfo("news.snhr.org", 443)
    with pytest.raises(socket.gaierror, match="may not resolve"):
        socket.gethostbyname("news.snhr.org")
    with (
        socket.socket() as sock,
        pytest.raises(ConnectionRefusedError, match="only connect to loopback"),
    ):
        sock.connect(("192.0.2.1", 443))
    with (
        socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp,
        pytest.raises(ConnectionRefusedError),
    ):
        udp.sendto(b"\0", ("192.0.2.53", 53))  # a hand-made DNS query
    assert socket.getaddrinfo("localhost", 80)  # loopback still resolves


def test_child_processes_inherit_the_seal(tmp_path: Path) -> None:
    log = tmp_path / "seal.log"
    code = (
        "import socket\n"
        "for call in (lambda: socket.getaddrinfo('example.org', 80),\n"
        "             lambda: socket.create_connection(('192.0.2.1', 80), timeout=5)):\n"
        "    try:\n"
        "        call()\n"
        "    except OSError as exc:\n"
        "        print(type(exc).__name__)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, ENV_LOG: str(log)},
        capture_output=True, text=True, timeout=30, check=True,
    )  # fmt: skip
    assert result.stdout.split() == ["gaierror", "ConnectionRefusedError"]
    assert [line.split(" ", 1)[1] for line in log.read_text().splitlines()] == [
        "lookup example.org",
        "('192.0.2.1', 80)",
    ]


@pytest.mark.e2e
def test_a_scrapy_crawl_of_the_public_site_fails_fast_without_a_lookup(tmp_path: Path) -> None:
    """A spider without ``origin`` aims at news.snhr.org: the child is stopped before any DNS query."""
    log = tmp_path / "seal.log"
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "snhr_news", "-a", "max_pages=1",
         "-s", f"ARCHIVE_DIR={tmp_path / 'archive'}", "-s", "RETRY_ENABLED=0",
         "-s", "LOG_LEVEL=INFO"],
        cwd=ROOT, env={**os.environ, ENV_LOG: str(log)},
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert time.monotonic() - started < 30
    refused = log.read_text().splitlines()
    assert refused, result.stderr[-2000:]
    assert all(line.split(" ", 1)[1] == "lookup news.snhr.org" for line in refused), refused
    assert "could not be reached" in result.stderr, result.stderr[-2000:]
    assert "'item_scraped_count'" not in result.stderr
