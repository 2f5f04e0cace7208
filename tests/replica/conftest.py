"""Shared replica fixture: one default server per test module."""

from __future__ import annotations

import pytest
from replica_helpers import NOW

from snhr_replica import ReplicaServer


@pytest.fixture(scope="module")
def replica():
    with ReplicaServer(posts=40, seed=3, now=NOW) as server:
        yield server
