"""The moved-clock runner's arithmetic (``make test-clock`` runs the suite through it)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.moved_clock import offset_seconds

REAL = datetime(2026, 12, 2, 4, 40, tzinfo=UTC).timestamp()


def test_days_ahead() -> None:
    assert offset_seconds("+365d", REAL) == 365 * 86400


def test_an_instant_is_reached_from_the_real_clock() -> None:
    target = datetime(2027, 1, 1, 0, 0, 30, tzinfo=UTC)
    assert REAL + offset_seconds("2027-01-01T00:00:30Z", REAL) == target.timestamp()
    assert offset_seconds("2027-01-01T03:00:30+03:00", REAL) == target.timestamp() - REAL


def test_an_instant_without_a_zone_is_refused() -> None:
    with pytest.raises(SystemExit, match="time zone"):
        offset_seconds("2027-01-01T00:00:30", REAL)
