"""Real in-process crawls with capture on: the replica, and a tiny HTTP(S) server.

What the servers logged is the oracle for what the WARC must hold; the
crawled records are the oracle for what re-parsing the captures must give.
"""

from __future__ import annotations

import datetime as dt
import errno
import gzip
import hashlib
import http.client
import json
import socket
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import scrapy
from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.crawler import Crawler, CrawlerRunner
from scrapy.http import Response, TextResponse
from scrapy.utils.defer import deferred_f_from_coro_f, maybe_deferred_to_future
from scrapy.utils.serialize import ScrapyJSONEncoder

from snhr_crawler.capture import writer as writer_module
from snhr_crawler.capture.extension import CAPTURE_META, CAPTURE_PREVIOUS_META
from snhr_crawler.capture.pointer import CapturePointer
from snhr_crawler.capture.reader import check_pointer, read_record, read_warcinfo, rebuild_response
from snhr_crawler.pipelines.normalize import NormalizePipeline
from snhr_replica import ReplicaServer
from tests.capture import local_server
from tests.capture.warc_helpers import assert_warcio_check_passes, read_warc
from tests.crawling import crawl_settings

pytestmark = pytest.mark.e2e

NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)
ENCODER = ScrapyJSONEncoder(ensure_ascii=False)


# --- harness -------------------------------------------------------------------------------
async def crawl_capturing(
    source: str | type[scrapy.Spider],
    archive: Path,
    settings: dict[str, Any] | None = None,
    **args: Any,
) -> tuple[Crawler, list[tuple[dict[str, Any], CapturePointer | None]]]:
    """Crawl; each scraped item (as the feed writes it) with the capture pointer of its response."""
    crawler = CrawlerRunner(crawl_settings(archive, settings)).create_crawler(source)
    scraped: list[tuple[dict[str, Any], CapturePointer | None]] = []

    def collect(item: Any, response: Response, spider: scrapy.Spider) -> None:
        encoded = json.loads(ENCODER.encode(ItemAdapter(item).asdict()))
        scraped.append((encoded, response.meta.get(CAPTURE_META)))

    crawler.signals.connect(collect, signal=signals.item_scraped, weak=False)
    await maybe_deferred_to_future(crawler.crawl(**args))
    return crawler, scraped


def warc_files(archive: Path, source: str) -> list[Path]:
    return sorted((archive / "warc" / source).iterdir())


def exchanges(files: list[Path]) -> list[tuple[str, str, int]]:
    """(method, path?query, status) of every response record, with its concurrent request's method."""
    seen = [record for path in files for record in read_warc(path)]
    methods = {
        r.headers["WARC-Concurrent-To"]: r.http.protocol for r in seen if r.type == "request"
    }
    found = []
    for record in seen:
        if record.type in ("response", "revisit"):
            parts = urlsplit(record.headers["WARC-Target-URI"])
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            found.append((methods[record.id], path, int(record.http.get_statuscode())))
    return found


def without(record: dict[str, Any], *names: str) -> dict[str, Any]:
    return {key: value for key, value in record.items() if key not in names}


def parsed_part(item: dict[str, Any]) -> dict[str, Any]:
    """The item as the parser made it: without what PdfPipeline adds to each attachment."""
    attachments = [{"url": a["url"], "title": a["title"]} for a in item["attachments"]]
    return {**item, "attachments": attachments}


def public_origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def fetch_plain(url: str) -> tuple[dict[str, str], bytes]:
    """The page as a client that asks for no encoding gets it."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    conn.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""))
    reply = conn.getresponse()
    body = reply.read()
    conn.close()
    assert reply.getheader("Content-Encoding") is None
    return dict(reply.getheaders()), body


# --- the replica -------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def replica() -> Iterator[ReplicaServer]:
    with ReplicaServer(posts=12, seed=5, now=NOW) as server:
        yield server


@pytest.mark.parametrize(
    ("source", "settings"), [("snhr_news", {}), ("snhr_reports", {"DOWNLOAD_PDFS": True})]
)
@deferred_f_from_coro_f
async def test_every_exchange_is_captured_and_every_record_reparses_from_its_capture(
    replica: ReplicaServer, tmp_path: Path, source: str, settings: dict[str, Any]
) -> None:
    archive = tmp_path / "archive"
    before = len(replica.requests)
    crawler, scraped = await crawl_capturing(
        source, archive, settings, origin=replica.origins[source]
    )
    served = replica.requests[before:]
    stats = crawler.stats.get_stats()  # type: ignore[union-attr]
    assert stats["finish_reason"] == "finished"
    files = warc_files(archive, source)
    assert files
    assert all(path.name.endswith(".warc.gz") for path in files)

    # Every response the replica sent (robots.txt, listings, redirects, articles, PDFs) is there.
    assert Counter(exchanges(files)) == Counter(served)
    assert any(path.endswith("/robots.txt") for _, path, _ in served)
    assert any(status == 301 for _, _, status in served)
    if settings.get("DOWNLOAD_PDFS"):
        assert any(path.endswith(".pdf") for _, path, _ in served)
    assert stats["snhr/capture/responses"] == stats["downloader/response_count"] == len(served)
    assert stats["snhr/capture/records"] == sum(len(read_warc(path)) for path in files)
    assert stats["snhr/capture/bytes"] == sum(path.stat().st_size for path in files)
    assert 0 < stats["snhr/capture/cpu_s"] < stats["elapsed_time_seconds"]
    assert_warcio_check_passes(*files)

    # Each record's capture resolves and re-parses, offline, to the record that was crawled.
    assert len(scraped) == stats["item_scraped_count"] == len(replica.truth(source))
    spider, normalize = crawler.spider, NormalizePipeline(crawler)
    for item, pointer in scraped:
        assert pointer is not None, item["url"]
        assert item["capture"] == pointer.as_dict()  # the record names the bytes it came from
        assert check_pointer(archive, pointer) == []
        assert pointer.status == 200
        (again,) = list(spider.parse_article(rebuild_response(archive, pointer)))  # type: ignore[union-attr]
        reparsed = json.loads(ENCODER.encode(ItemAdapter(normalize.process_item(again)).asdict()))
        assert reparsed["capture"] is None  # a rebuilt response was not captured again
        assert without(reparsed, "crawled_at", "capture") == without(
            parsed_part(item), "crawled_at", "capture"
        )
    # The PDFs the pipeline downloaded are the captured bytes (its own sha256 is the oracle).
    payloads = {
        r.headers["WARC-Target-URI"]: r.payload
        for path in files
        for r in read_warc(path)
        if r.type == "response"
    }
    for item, _ in scraped:
        for attachment in item["attachments"]:
            if "sha256" in attachment:
                fetched = attachment["url"].replace(
                    public_origin(attachment["url"]), replica.origins[source]
                )
                assert hashlib.sha256(payloads[fetched]).hexdigest() == attachment["sha256"]

    info = read_warcinfo(archive, files[0].relative_to(archive).as_posix())
    assert json.loads(info["spider-arguments"])["origin"] == replica.origins[source]
    assert (
        json.loads(info["settings"])["DEFAULT_REQUEST_HEADERS"]["Accept-Encoding"]
        == "gzip, deflate"
    )
    assert info["robots"].startswith("robots.txt obeyed")


@deferred_f_from_coro_f
async def test_gzip_encoded_pages_are_stored_encoded_and_decode_to_the_same_text(
    tmp_path: Path,
) -> None:
    archive = tmp_path / "archive"
    with ReplicaServer(posts=6, seed=5, now=NOW, switches={"gzip": "on"}) as server:
        crawler, scraped = await crawl_capturing(
            "snhr_news_ar", archive, origin=server.origins["snhr_news_ar"]
        )
        assert scraped
        for _, pointer in scraped:
            assert pointer is not None
            record = read_record(archive, pointer)
            assert record.http_header(b"Content-Encoding") == [b"gzip"]
            assert record.payload[:2] == b"\x1f\x8b"
            headers, plain = fetch_plain(record.target_uri)
            assert gzip.decompress(record.payload) == plain
            rebuilt = rebuild_response(archive, pointer)
            assert isinstance(rebuilt, TextResponse)
            assert rebuilt.body == plain
            served = TextResponse(record.target_uri, body=plain, headers=headers)
            assert rebuilt.text == served.text
            assert "Content-Encoding" not in rebuilt.headers
    requests = [
        r
        for path in warc_files(archive, "snhr_news_ar")
        for r in read_warc(path)
        if r.type == "request"
    ]
    assert requests
    assert all(r.http.get_header("Accept-Encoding") == "gzip, deflate" for r in requests)
    assert crawler.stats.get_value("httpcompression/response_count") > 0  # type: ignore[union-attr]


# --- a tiny server: https, redirects, failures, revisits -----------------------------------------
class ProbeSpider(scrapy.Spider):
    """Fetches ``urls``; notes (url, status, pointer) of each answer; fetches /same and /changing twice."""

    name = "capture_probe"

    def __init__(
        self, urls: list[str], seen: list[Any], previous: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.urls, self.seen, self.previous = urls, seen, previous

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.urls:
            meta: dict[str, Any] = {"handle_httpstatus_list": [404]}
            if self.previous is not None:  # as a re-fetch of an archived page carries it
                meta.update({"again": True, CAPTURE_PREVIOUS_META: self.previous})
            yield scrapy.Request(url, meta=meta, errback=self.failed)

    def parse(self, response: Response) -> Iterator[scrapy.Request]:
        pointer = response.meta.get(CAPTURE_META)
        self.seen.append((response.url, response.status, pointer))
        if response.url.endswith(("/same", "/changing")) and "again" not in response.meta:
            meta = {"handle_httpstatus_list": [404], "again": True, CAPTURE_PREVIOUS_META: pointer}
            yield response.request.replace(dont_filter=True, meta=meta)  # type: ignore[union-attr]

    def failed(self, failure: Any) -> None:
        self.seen.append((failure.request.url, None, failure.request.meta.get(CAPTURE_META)))


PROBE = {"ROBOTSTXT_OBEY": False, "RETRY_TIMES": 0}


async def probe(
    archive: Path, urls: list[str], previous: Any = None, **settings: Any
) -> tuple[Crawler, list[Any]]:
    seen: list[Any] = []
    crawler, _ = await crawl_capturing(
        ProbeSpider, archive, {**PROBE, **settings}, urls=urls, seen=seen, previous=previous
    )
    return crawler, seen


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@deferred_f_from_coro_f
async def test_https_redirects_errors_and_failures(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    dead = f"http://127.0.0.1:{closed_port()}/page"
    with local_server.serve(tls=True) as server:
        urls = [f"{server.origin}/old", f"{server.origin}/missing", dead]
        crawler, seen = await probe(archive, urls)
    stats = crawler.stats.get_stats()  # type: ignore[union-attr]
    files = warc_files(archive, "capture_probe")
    assert Counter(exchanges(files)) == Counter(server.requests)  # /old, /page and /missing
    assert len(server.requests) == 3
    records = [r for path in files for r in read_warc(path)]
    responses = {r.headers["WARC-Target-URI"]: r for r in records if r.type == "response"}
    certificates = [r for r in records if r.type == "metadata"]
    # Each https response has the server's certificate beside it; every exchange its IP.
    assert len(certificates) == 3
    assert {c.headers["WARC-Concurrent-To"] for c in certificates} == {
        r.id for r in responses.values()
    }
    assert all(c.payload == server.certificate_pem for c in certificates)
    assert all(r.headers["WARC-IP-Address"] == "127.0.0.1" for r in responses.values())
    # The redirect is its own exchange; the callback sees the last hop's pointer.
    assert responses[f"{server.origin}/old"].http.get_header("Location") == "/page"
    by_url = {url: (status, pointer) for url, status, pointer in seen}
    status, pointer = by_url[f"{server.origin}/page"]
    assert status == 200
    assert pointer.record_id == responses[f"{server.origin}/page"].id
    assert by_url[f"{server.origin}/missing"][1].status == 404
    # The refused connection left nothing to write, no pointer, and a count.
    assert by_url[dead] == (None, None)
    assert stats["snhr/capture/failed_without_response"] == 1
    assert stats["snhr/capture/responses"] == 3
    assert_warcio_check_passes(*files)


@deferred_f_from_coro_f
async def test_an_unchanged_refetch_is_a_revisit_and_a_changed_one_is_kept_whole(
    tmp_path: Path,
) -> None:
    archive = tmp_path / "archive"
    with local_server.serve() as server:
        crawler, seen = await probe(archive, [f"{server.origin}/same", f"{server.origin}/changing"])
    same = [pointer for url, _, pointer in seen if url.endswith("/same")]
    changing = [pointer for url, _, pointer in seen if url.endswith("/changing")]
    records = {r.id: r for path in warc_files(archive, "capture_probe") for r in read_warc(path)}
    first, second = same
    assert records[first.record_id].type == "response"
    assert records[second.record_id].type == "revisit"
    assert records[second.record_id].headers["WARC-Refers-To"] == first.record_id
    assert records[second.record_id].headers["WARC-Refers-To-Target-URI"] == f"{server.origin}/same"
    assert second.payload_digest == first.payload_digest
    assert check_pointer(archive, second) == []
    assert [records[p.record_id].type for p in changing] == ["response", "response"]
    assert crawler.stats.get_value("snhr/capture/revisits") == 1  # type: ignore[union-attr]


@deferred_f_from_coro_f
async def test_a_later_run_revisits_an_archived_capture_unless_its_bytes_are_gone(
    tmp_path: Path,
) -> None:
    archive = tmp_path / "archive"
    with local_server.serve() as server:
        url = f"{server.origin}/page"
        _, seen = await probe(archive, [url], CAPTURE_RUN_ID="run1")
        ((_, _, archived),) = seen
        # The archive hands the capture on as its line stores it: a dict.
        crawler, seen = await probe(archive, [url], archived.as_dict(), CAPTURE_RUN_ID="run2")
        ((_, _, revisit),) = seen
        assert revisit.warc_file.startswith("warc/capture_probe/run2-")
        record = read_record(archive, revisit)
        assert record.record_type == "revisit"
        assert record.header("WARC-Refers-To") == archived.record_id
        assert record.header("WARC-Refers-To-Date") == archived.fetched_at
        (archive / archived.warc_file).unlink()  # the earlier capture is lost
        crawler, seen = await probe(archive, [url], archived.as_dict(), CAPTURE_RUN_ID="run3")
    ((_, _, kept),) = seen
    assert read_record(archive, kept).record_type == "response"  # never refer to missing bytes
    assert crawler.stats.get_value("snhr/capture/revisit_original_unreadable") == 1  # type: ignore[union-attr]


@pytest.mark.parametrize("off", ["CAPTURE_ENABLED", "ARCHIVE_ENABLED"])  # no archive, no WARC
@deferred_f_from_coro_f
async def test_capture_off_writes_nothing(tmp_path: Path, off: str) -> None:
    archive = tmp_path / "archive"
    with local_server.serve() as server:
        crawler, seen = await probe(archive, [f"{server.origin}/page"], **{off: False})
    assert seen == [(f"{server.origin}/page", 200, None)]
    assert not (archive / "warc").exists()
    assert not any(key.startswith("snhr/capture/") for key in crawler.stats.get_stats())  # type: ignore[union-attr]


@deferred_f_from_coro_f
async def test_a_torn_file_a_killed_run_left_is_recovered_when_the_next_run_opens(
    tmp_path: Path,
) -> None:
    archive = tmp_path / "archive"
    with local_server.serve() as server:
        await probe(
            archive, [f"{server.origin}/page", f"{server.origin}/same"], CAPTURE_RUN_ID="run1"
        )
        (whole,) = warc_files(archive, "capture_probe")
        data = whole.read_bytes()
        whole.unlink()
        torn = whole.with_name(whole.name + ".open")
        torn.write_bytes(data[:-10])  # as a SIGKILL mid-write would leave it
        crawler, _ = await probe(archive, [f"{server.origin}/page"], CAPTURE_RUN_ID="run2")
    stats = crawler.stats.get_stats()  # type: ignore[union-attr]
    assert stats["snhr/capture/recovered_files"] == 1
    assert stats["snhr/capture/quarantined_bytes"] > 0
    assert stats["snhr/capture/lost_records"] == 1
    names = [path.name for path in warc_files(archive, "capture_probe")]
    assert names == ["run1-00001.warc.gz", "run2-00001.warc.gz"]
    recovered = whole.read_bytes()
    assert data.startswith(recovered)
    assert len(recovered) < len(data)
    assert_warcio_check_passes(*warc_files(archive, "capture_probe"))
    quarantined = list((archive / "quarantine" / "warc" / "capture_probe").iterdir())
    assert len(quarantined) == 1


@deferred_f_from_coro_f
async def test_a_failed_write_stops_the_crawl_with_capture_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(fd: int, data: memoryview) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(writer_module, "_os_write", disk_full)
    with local_server.serve() as server:
        crawler, seen = await probe(tmp_path / "archive", [f"{server.origin}/page"])
    stats = crawler.stats.get_stats()  # type: ignore[union-attr]
    assert stats["finish_reason"] == "capture_error"
    assert stats["snhr/capture/error"] == 1
    assert all(pointer is None for _, _, pointer in seen)


@deferred_f_from_coro_f
async def test_a_run_id_that_cannot_name_a_file_stops_the_crawl(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    with local_server.serve() as server:
        crawler, seen = await probe(archive, [f"{server.origin}/page"], CAPTURE_RUN_ID="../x")
    stats = crawler.stats.get_stats()  # type: ignore[union-attr]
    assert stats["snhr/capture/error"] == 1
    assert stats["finish_reason"] == "capture_error"
    assert all(pointer is None for _, _, pointer in seen)
    assert not list(tmp_path.rglob("*.warc.gz*"))
