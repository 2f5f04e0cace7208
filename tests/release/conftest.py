"""One archive with a history, released: a crawl, an edit and a removal, a re-read.

Session-scoped: built once per test process (crawls take a second each):
the replica serves ``snhr_news``; run 1 crawls it; one post is edited and
another deleted (410) and run 2 re-crawls with ``full=true`` (an ``edit`` and
a ``removal`` line, revisits for the unchanged pages); run 3 re-reads the
archive with a deliberately changed parser (``reparse`` lines pointing at
run 1's captures). The replica is stopped before anything is released.
Tests work on copies.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from snhr_crawler.ops.crawl import project_settings
from snhr_crawler.reparse import reparse
from snhr_replica import ReplicaServer
from tests.crawling import CrawlSpec, crawl_blocking

SOURCE = "snhr_news"


@dataclass
class History:
    archive: Path
    edited: str  # record id
    removed: str
    truth: list[dict[str, Any]]


@pytest.fixture(scope="session")
def history(tmp_path_factory: pytest.TempPathFactory) -> History:
    archive = tmp_path_factory.mktemp("release") / "archive"
    with ReplicaServer(posts=40, seed=3) as server:
        origin = server.origins[SOURCE]
        (first,) = crawl_blocking(CrawlSpec(SOURCE, archive, origin))
        assert first.finished, first.stats
        live = server.site.live(SOURCE)
        edited, removed = live[1], live[2]
        server.site.edit(SOURCE, edited.post_id, "Update: SNHR corrected the number of victims.")
        server.site.delete(SOURCE, removed.post_id, 410)
        (second,) = crawl_blocking(CrawlSpec(SOURCE, archive, origin, {"full": "true"}))
        assert second.finished, second.stats
        assert second.stat("snhr/archive/changed") == 1
        assert second.stat("snhr/archive/removed") == 1
        truth = server.truth(SOURCE)
    settings = project_settings()
    settings.set("SPIDER_MODULES", ["tests.reparse.changed_spiders"], priority="cmdline")
    reread = reparse(archive, settings, sources=[SOURCE])
    from snhr_crawler.reparse.report import write

    write(reread)
    return History(archive, f"{SOURCE}:{edited.post_id}", f"{SOURCE}:{removed.post_id}", truth)


@pytest.fixture
def archive(history: History, tmp_path: Path) -> Path:
    copy = tmp_path / "archive"
    shutil.copytree(history.archive, copy)
    return copy


@dataclass
class Released:
    archive: Path
    output: Path
    tsa_config: Path  # the local authority's TOML (its root); the authority itself is stopped


@pytest.fixture(scope="module")
def released(history: History, tmp_path_factory: pytest.TempPathFactory) -> Released:
    """A copy of the history released, every run timestamped by a local OpenSSL authority."""
    from snhr_crawler.cli import main
    from tests.release.tsa import local_authority

    folder = tmp_path_factory.mktemp("released")
    archive = folder / "archive"
    shutil.copytree(history.archive, archive)
    with local_authority(folder / "tsa") as tsa:
        code = main(["release", "--archive", str(archive), "-o", str(folder / "out"),
                     "--tsa-config", str(tsa.config)])  # fmt: skip
        assert code == 0
        assert tsa.queries == 3  # one token per run: two crawls and a re-read
    return Released(archive, folder / "out", tsa.config)
