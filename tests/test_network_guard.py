"""The suite's own guard: nothing in the test process connects beyond loopback."""

from __future__ import annotations

import socket

import pytest

from tests.conftest import _loopback


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
    ],
)
def test_only_loopback_addresses_pass(address: object, allowed: bool) -> None:
    assert _loopback(address) is allowed


def test_the_guard_is_installed_for_every_test() -> None:
    assert socket.socket.connect.__qualname__.startswith("_only_loopback")
    with (
        socket.socket() as sock,
        pytest.raises(ConnectionRefusedError, match="only connect to loopback"),
    ):
        sock.connect(("news.snhr.org", 443))  # refused by the guard before any lookup or packet
