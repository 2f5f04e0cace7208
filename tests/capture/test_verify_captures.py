"""``verify`` on captures: WARC files whole and sound, every line's pointer resolving.

Archives are built here from WARC exchanges written by ``WarcWriter`` and
lines written by ``ArchiveStore``; each test then damages one thing the way
it happens (a flipped bit, a wrong offset, a lost file, a killed run's torn
tail) and expects verify's verdict and the line naming it.
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path
from typing import Any

import pytest
from itemadapter import ItemAdapter

from snhr_crawler.archive.store import ArchiveStore
from snhr_crawler.archive.verify import verify
from snhr_crawler.capture.pointer import CapturePointer
from snhr_crawler.capture.writer import RevisitOf, WarcWriter
from snhr_crawler.items import Article, article_id, content_sha256
from tests.capture.warc_helpers import request, response, writer

BASE = "https://news.snhr.org/2024/01/"


def article(post_id: int, capture: CapturePointer | None) -> dict[str, Any]:
    url = f"{BASE}{post_id:02d}/post-{post_id}/"
    title, body = f"Post {post_id}", f"What happened on day {post_id}."
    return ItemAdapter(
        Article(
            id=article_id("snhr_news", post_id, url),
            source="snhr_news",
            site="news.snhr.org",
            language="en",
            url=url,
            post_id=post_id,
            title=title,
            published_at=f"2024-01-{post_id:02d}T10:00:00+03:00",
            body_text=body,
            crawled_at="2026-11-25T12:00:00Z",
            content_sha256=content_sha256(title, body),
            capture=capture.as_dict() if capture else None,
        )
    ).asdict()


def page(post_id: int) -> bytes:
    return f"<html><body><h1>Post {post_id}</h1><p>day {post_id}</p></body></html>".encode()


def exchange(w: WarcWriter, post_id: int, **kwargs: Any) -> CapturePointer:
    url = f"{BASE}{post_id:02d}/post-{post_id}/"
    return w.write_exchange(request(url), response(url, page(post_id)), **kwargs)


def build(archive: Path, posts: int = 3) -> list[CapturePointer]:
    """An archive of ``posts`` captured articles (the WARC closed, the store closed)."""
    w = writer(archive)
    pointers = [exchange(w, post_id) for post_id in range(1, posts + 1)]
    w.close()
    store = ArchiveStore(archive)
    for post_id, pointer in enumerate(pointers, start=1):
        store.put_article(article(post_id, pointer))
    store.close()
    return pointers


def flip_byte(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


def test_a_whole_archive_verifies_with_every_capture_resolved(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    build(archive)
    report = verify(archive)
    assert report.ok, report.problems
    assert (report.captures, report.uncaptured, report.warc_files) == (3, 0, 1)
    assert report.warc_records == 1 + 3 * 2  # warcinfo, then a response and a request each
    assert "3 capture(s) resolved in 1 WARC file(s)" in report.summary()


def test_lines_without_a_capture_are_counted_not_failed(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    store = ArchiveStore(archive)
    store.put_article(article(1, None))  # archived before capture, or with it off
    store.close()
    report = verify(archive)
    assert report.ok, report.problems
    assert (report.captures, report.uncaptured, report.warc_files) == (0, 1, 0)


def test_a_flipped_bit_in_a_record_fails_its_digest_and_its_pointer(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    pointers = build(archive)
    path = archive / pointers[1].warc_file
    # Inside the second response's gzip member, past its header: the deflate stream
    # no longer inflates to the same bytes, or not at all.
    flip_byte(path, pointers[1].offset + pointers[1].length // 2)
    report = verify(archive)
    assert report.state == "FAILED"
    assert any(f"@{pointers[1].offset}" in problem for problem in report.problems), report.problems


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"offset": 1}, "offset is"),
        ({"length": 10}, "length is"),
        ({"status": 404}, "status is"),
        ({"fetched_at": "2026-11-25T02:15:00.000000Z"}, "fetched_at is"),
        ({"record_id": "<urn:uuid:00000000-0000-4000-8000-000000000000>"}, "no record"),
    ],
)
def test_a_pointer_that_names_other_bytes_fails(
    tmp_path: Path, change: dict[str, Any], expected: str
) -> None:
    archive = tmp_path / "archive"
    w = writer(archive)
    good = exchange(w, 1)
    w.close()
    store = ArchiveStore(archive)
    store.put_article(article(1, dataclasses.replace(good, **change)))
    store.close()
    report = verify(archive)
    assert report.state == "FAILED"
    assert any(
        problem.startswith("snhr_news/2024-01.jsonl:1: capture") and expected in problem
        for problem in report.problems
    ), report.problems


def test_a_lost_warc_file_fails_every_line_pointing_into_it(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    pointers = build(archive)
    (archive / pointers[0].warc_file).unlink()
    report = verify(archive)
    assert report.state == "FAILED"
    assert sum("no record" in problem for problem in report.problems) == 3


def test_a_killed_runs_open_file_is_pending_and_a_closed_torn_one_is_damage(
    tmp_path: Path,
) -> None:
    archive = tmp_path / "archive"
    pointers = build(archive, posts=2)
    closed = archive / pointers[0].warc_file
    # A later run killed mid-write: whole records, then a torn exchange, still .open.
    w = WarcWriter(archive, "snhr_news", "20261126T000000Z", warcinfo={"software": "tests"})
    exchange(w, 3)
    w.flush()
    assert w.current_file is not None
    left = archive / (w.current_file + ".open")
    shutil.copy(left, tmp_path / "whole")
    data = left.read_bytes()
    left.write_bytes(data + data[-300:-100])  # the start of another member, cut short
    report = verify(archive)
    assert report.state == "RESUMABLE", report.problems
    assert any("left open by a killed run, with a torn tail" in p for p in report.pending)
    # The same tail on a file that was closed is damage: nothing was supposed to cut it.
    closed.write_bytes(closed.read_bytes() + data[-300:-100])
    report = verify(archive)
    assert report.state == "FAILED"
    assert any("torn or damaged" in problem for problem in report.problems), report.problems


def test_a_line_pointing_at_a_revisit_needs_its_original(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    w = writer(archive)
    original = exchange(w, 1)
    revisit = exchange(
        w,
        1,
        revisit_of=RevisitOf(
            original.record_id,
            f"{BASE}01/post-1/",
            original.fetched_at,
            original.payload_digest,
        ),
    )
    w.close()
    store = ArchiveStore(archive)
    store.put_article(article(1, revisit))
    store.close()
    report = verify(archive)
    assert report.ok, report.problems
    # The original gone (its member cut out of the file): the revisit's line fails.
    path = archive / original.warc_file
    data = path.read_bytes()
    path.write_bytes(data[: original.offset] + data[original.offset + original.length :])
    report = verify(archive)
    assert report.state == "FAILED"
    assert any("the record it revisits" in problem for problem in report.problems), report.problems
