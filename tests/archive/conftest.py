"""Fixtures for the archive tests: a fresh archive directory and an open store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from snhr_crawler.archive.store import ArchiveStore


@pytest.fixture
def archive_dir(tmp_path: Path) -> Path:
    return tmp_path / "archive"


@pytest.fixture
def store(archive_dir: Path) -> Iterator[ArchiveStore]:
    opened = ArchiveStore(archive_dir, fsync_every=50)
    yield opened
    if not opened.closed:
        opened.close()
