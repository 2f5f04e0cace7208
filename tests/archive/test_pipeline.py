"""The archive extension and its pipeline: what the spider may ask, stats, rejections, disk errors, the lock."""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any

import pytest
from archive_factories import crash, make_article
from scrapy.exceptions import DropItem
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler

from snhr_crawler.archive import files
from snhr_crawler.archive.extension import ArchiveExtension
from snhr_crawler.archive.lock import ArchiveLockedError, RunLock
from snhr_crawler.archive.reader import iter_lines, latest_records
from snhr_crawler.items import Removal
from snhr_crawler.pipelines.archive import ArchivePipeline

EXTENSION = "snhr_crawler.archive.extension.ArchiveExtension"


class _Engine:
    running = True

    def __init__(self) -> None:
        self.reasons: list[str] = []

    def close_spider_async(self, *, reason: str) -> None:
        self.reasons.append(reason)


class _Spider:
    """What the policy reads off a NewsSpider."""

    def __init__(self, name: str = "snhr_news", **args: Any) -> None:
        self.name = name
        self.max_pages = args.get("max_pages")
        self.since = args.get("since")
        self.full = False
        self.settings = Settings()


def _crawler(archive_dir: Path, **settings: Any) -> Any:
    """A crawler whose extensions are built (the archive extension opens the store)."""
    return get_crawler(
        settings_dict={"ARCHIVE_DIR": str(archive_dir), "EXTENSIONS": {EXTENSION: 100}, **settings}
    )


def _pipeline(
    archive_dir: Path, spider: _Spider | None = None, **settings: Any
) -> tuple[ArchivePipeline, Any]:
    """What a crawl does up to the first item: extension, spider_opened, the policy, the pipeline."""
    crawler = _crawler(archive_dir, **settings)
    crawler.spider = spider or _Spider()
    crawler.stats.open_spider()
    archive = crawler.get_extension(ArchiveExtension)
    archive.spider_opened(crawler.spider)
    archive.policy_for(crawler.spider)
    crawler.archive_under_test = archive
    pipeline = ArchivePipeline.from_crawler(crawler)
    pipeline.open_spider()
    return pipeline, crawler


def _close(pipeline: ArchivePipeline, reason: str = "finished") -> None:
    """What the engine does: close_spider on the pipelines, then the spider_closed signal."""
    pipeline.close_spider()
    pipeline.archive.spider_closed(pipeline.crawler.spider, reason)


def _stats(crawler: Any) -> dict[str, Any]:
    return {k: v for k, v in crawler.stats.get_stats().items() if k.startswith("snhr/archive/")}


def test_the_archive_is_an_extension_the_spider_finds(archive_dir: Path) -> None:
    pipeline, crawler = _pipeline(archive_dir)
    state = crawler.get_extension(ArchiveExtension)
    assert state is pipeline.archive
    url = "https://news.snhr.org/2024/01/15/post-1/"
    assert not state.is_archived("snhr_news", post_id=1, url=url)
    pipeline.process_item(make_article(1))
    # Archived by this very run (say, through another listing): not "known" yet.
    assert not state.is_archived("snhr_news", post_id=1, url=url)
    _close(pipeline)
    pipeline, crawler = _pipeline(archive_dir)
    state = crawler.get_extension(ArchiveExtension)
    assert state.is_archived("snhr_news", post_id=1, url="https://example.invalid/")
    assert state.is_archived("snhr_news", post_id=None, url=url)
    assert state.is_archived(
        "snhr_news", post_id=None, url="http://news.sn4hr.org/2024/01/15/post-1"
    )
    assert not state.is_archived("snhr_ar", post_id=1, url=url)
    assert [a.key for a in state.archived("snhr_news")] == ["snhr_news:1"]
    _close(pipeline)


def test_outcomes_are_counted(archive_dir: Path) -> None:
    pipeline, crawler = _pipeline(archive_dir)
    pipeline.process_item(make_article(1))
    pipeline.process_item(make_article(2))
    pipeline.process_item(make_article(1))
    pipeline.process_item(make_article(2, body_text="edited"))
    removal = Removal(
        id="snhr_news:1",
        source="snhr_news",
        url="https://news.snhr.org/2024/01/15/post-1/",
        post_id=1,
        status=404,
        checked_at="2026-11-25T13:00:00Z",
    )
    pipeline.process_item(removal)
    assert crawler.archive_under_test.is_archived("snhr_news", post_id=1, url=removal.url) is False
    assert pipeline.process_item({"other": "item"}) == {"other": "item"}
    _close(pipeline)
    assert _stats(crawler) == {
        "snhr/archive/quarantined_lines": 0,
        "snhr/archive/new": 2,
        "snhr/archive/unchanged": 1,
        "snhr/archive/changed": 1,
        "snhr/archive/removed": 1,
    }
    assert (archive_dir / "manifest.json").exists()


def test_missing_title_or_body_is_dropped_and_counted(archive_dir: Path) -> None:
    pipeline, crawler = _pipeline(archive_dir)
    with pytest.raises(DropItem):
        pipeline.process_item(make_article(1, title=""))
    with pytest.raises(DropItem):
        pipeline.process_item(make_article(2, body_text=" \n "))
    _close(pipeline)
    assert _stats(crawler)["snhr/archive/rejected/missing_title"] == 1
    assert _stats(crawler)["snhr/archive/rejected/missing_body"] == 1
    assert list(iter_lines(archive_dir)) == []


def test_disk_full_closes_the_crawl_with_archive_error(
    archive_dir: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    pipeline, crawler = _pipeline(archive_dir, ARCHIVE_FSYNC_EVERY=1)
    engine = _Engine()
    crawler.engine = engine
    pipeline.process_item(make_article(1))

    def full(fd: int, data: bytes) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(files, "_os_write", full)
    with pytest.raises(DropItem):
        pipeline.process_item(make_article(2))
    with pytest.raises(DropItem):
        pipeline.process_item(make_article(3))
    assert engine.reasons == ["archive_error"]
    assert _stats(crawler)["snhr/archive/error"] == 1
    errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert any("2024-01.jsonl" in m and "Errno 28" in m and "\n" not in m for m in errors)
    monkeypatch.undo()
    _close(pipeline)
    assert [r["id"] for r in iter_lines(archive_dir)] == ["snhr_news:1"]


def test_quarantine_count_reaches_stats(archive_dir: Path) -> None:
    pipeline, _ = _pipeline(archive_dir)
    pipeline.process_item(make_article(1))
    _close(pipeline)
    with open(archive_dir / "snhr_news" / "2024-01.jsonl", "ab") as handle:
        handle.write(b'{"torn')
    pipeline, crawler = _pipeline(archive_dir)
    assert _stats(crawler)["snhr/archive/quarantined_lines"] == 1
    _close(pipeline)


def test_a_second_crawl_on_a_held_archive_does_not_start(archive_dir: Path) -> None:
    first, _ = _pipeline(archive_dir)
    second_crawl = _crawler(archive_dir).get_extension(ArchiveExtension)
    assert not second_crawl.opened  # building a crawler opens nothing
    with pytest.raises(ArchiveLockedError):
        second_crawl.open()  # even in the same process: one writer per archive
    first.process_item(make_article(1))
    _close(first)
    second, _ = _pipeline(archive_dir, _Spider("snhr_ar"))  # the lock went with the first crawl
    second.process_item(make_article(1, source="snhr_ar", url="https://snhr.org/ar/2024/01/x/"))
    _close(second)
    assert sorted(r["id"] for r in iter_lines(archive_dir)) == ["snhr_ar:1", "snhr_news:1"]


def test_crawls_under_the_cli_run_lock_take_none_of_their_own(archive_dir: Path) -> None:
    with RunLock(archive_dir, "20261125T000000Z", "2026-11-25T00:00:00Z"):
        for source in ("snhr_news", "snhr_ar"):  # in turn, as the CLI runs them
            pipeline, _ = _pipeline(
                archive_dir, _Spider(source), ARCHIVE_RUN_LOCK="20261125T000000Z"
            )
            pipeline.process_item(make_article(1, source=source))
            _close(pipeline)
        with pytest.raises(ArchiveLockedError, match="does not hold"):
            _crawler(archive_dir, ARCHIVE_RUN_LOCK="another-run").get_extension(
                ArchiveExtension
            ).open()
    assert len(list(iter_lines(archive_dir))) == 2


def test_unfinished_run_makes_next_run_walk_whole_listings(archive_dir: Path) -> None:
    pipeline, crawler = _pipeline(archive_dir)
    assert (
        crawler.archive_under_test.needs_full_walk("snhr_news") is False
    )  # empty archive, first run
    pipeline.process_item(make_article(1))
    _close(pipeline, reason="shutdown")  # Ctrl-C, archive_error, ... (a SIGKILL records nothing)
    pipeline, crawler = _pipeline(archive_dir)
    assert crawler.archive_under_test.needs_full_walk("snhr_news") is True
    _close(pipeline, reason="finished")
    pipeline, crawler = _pipeline(archive_dir, _Spider(max_pages=1))
    assert crawler.archive_under_test.needs_full_walk("snhr_news") is False
    _close(pipeline, reason="finished")  # limited by max_pages: not a complete walk
    pipeline, crawler = _pipeline(archive_dir)
    assert crawler.archive_under_test.needs_full_walk("snhr_news") is True
    _close(pipeline)


def test_killed_run_makes_next_run_walk_whole_listings(archive_dir: Path) -> None:
    pipeline, _ = _pipeline(archive_dir)
    _close(pipeline)
    pipeline, _ = _pipeline(archive_dir)
    pipeline.process_item(make_article(1))
    crash(pipeline.store)  # killed: the run row stays unfinished
    pipeline, crawler = _pipeline(archive_dir)
    assert crawler.archive_under_test.needs_full_walk("snhr_news") is True
    assert crawler.archive_under_test.needs_full_walk("snhr_ar") is False
    _close(pipeline)


def test_key_for_prefers_the_archived_key(archive_dir: Path) -> None:
    pipeline, crawler = _pipeline(archive_dir)
    url = "https://news.snhr.org/2024/01/15/no-id/"
    pipeline.process_item(make_article(None, url=url))
    key = crawler.archive_under_test.key_for(
        "snhr_news", post_id=None, url="http://news.sn4hr.org/2024/01/15/no-id"
    )
    assert key.startswith("snhr_news:u")
    assert (
        crawler.archive_under_test.key_for("snhr_news", post_id=5, url="https://x.invalid/")
        == "snhr_news:5"
    )
    _close(pipeline)


def test_manifest_write_failure_at_close_is_reported(
    archive_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from snhr_crawler.archive import store as store_mod

    def full(*args: Any, **kwargs: Any) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    pipeline, crawler = _pipeline(archive_dir)
    pipeline.process_item(make_article(1))
    monkeypatch.setattr(store_mod, "update_manifest", full)
    _close(pipeline)
    assert _stats(crawler)["snhr/archive/error"] == 1
    assert [r["id"] for r in latest_records(archive_dir)] == ["snhr_news:1"]  # still archived
