"""The WARC writer, checked against warcio's own reader and ``warcio check``."""

from __future__ import annotations

import errno
import gzip
import os
import zlib
from pathlib import Path

import pytest
from scrapy.http import Response, TextResponse
from twisted.internet.ssl import Certificate

from snhr_crawler.capture import writer as writer_module
from snhr_crawler.capture.writer import CaptureWriteError, RevisitOf
from tests.capture.warc_helpers import (
    assert_warcio_check_passes,
    read_warc,
    request,
    response,
    self_signed_certificate,
    sha256_digest,
    writer,
)

URL = "https://news.snhr.org/2024/04/22/two-civilians-injured/"
PAGE = "<html><body><h1>Two civilians injured</h1><p>مدنيان</p></body></html>".encode()


def closed_file(archive: Path, number: int = 1) -> Path:
    return archive / "warc" / "snhr_news" / f"20261125T021500Z-{number:05d}.warc.gz"


def test_an_exchange_is_a_response_and_a_request_record_after_the_warcinfo(tmp_path: Path) -> None:
    w = writer(tmp_path)
    pointer = w.write_exchange(request(URL), response(URL, PAGE))
    w.close()
    seen = read_warc(closed_file(tmp_path))
    assert [s.type for s in seen] == ["warcinfo", "response", "request"]
    info, resp, req = seen
    assert info.headers["WARC-Filename"] == closed_file(tmp_path).name
    assert all(s.headers.get("WARC-Type") for s in seen)
    assert {s.headers["WARC-Record-ID"] for s in seen} == {s.id for s in seen}  # all distinct
    assert len({s.id for s in seen}) == 3
    # The pointer names the response record: warcio finds it at that offset, that long.
    assert (pointer.offset, pointer.length) == (resp.offset, resp.length)
    assert pointer.record_id == resp.id
    assert pointer.warc_file == "warc/snhr_news/20261125T021500Z-00001.warc.gz"
    assert pointer.status == 200
    assert pointer.fetched_at == resp.headers["WARC-Date"] == "2026-11-25T02:15:03.123456Z"
    assert pointer.payload_digest == sha256_digest(PAGE) == resp.headers["WARC-Payload-Digest"]
    assert resp.headers["WARC-Target-URI"] == URL
    assert resp.headers["WARC-IP-Address"] == "127.0.0.1"
    assert resp.http.protocol == "HTTP/1.1"
    assert resp.http.statusline == "200 OK"
    assert resp.payload == PAGE
    assert req.headers["WARC-Concurrent-To"] == resp.id
    assert req.headers["WARC-Date"] == resp.headers["WARC-Date"]
    assert req.http.protocol == "GET"
    assert req.http.statusline == "/2024/04/22/two-civilians-injured/ HTTP/1.1"
    assert req.http.get_header("Host") == "news.snhr.org"
    assert req.http.get_header("Accept-Encoding") == "gzip, deflate"
    assert_warcio_check_passes(closed_file(tmp_path))


def test_every_record_is_its_own_gzip_member(tmp_path: Path) -> None:
    w = writer(tmp_path)
    for n in range(3):
        w.write_exchange(request(f"{URL}?n={n}"), response(f"{URL}?n={n}", PAGE * (n + 1)))
    w.close()
    data = closed_file(tmp_path).read_bytes()
    seen = read_warc(closed_file(tmp_path))
    assert sum(s.length for s in seen) == len(data)
    for s in seen:
        member = data[s.offset : s.offset + s.length]
        decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16)
        raw = decompressor.decompress(member)
        assert decompressor.eof
        assert not decompressor.unused_data
        assert raw.startswith(b"WARC/1.1\r\n")
        assert raw.count(b"WARC/1.1\r\n") == 1


def test_the_body_is_stored_as_received_content_encoded(tmp_path: Path) -> None:
    encoded = gzip.compress(PAGE, mtime=0)
    headers = {
        "Content-Type": "text/html; charset=UTF-8",
        "Content-Encoding": "gzip",
        "Content-Length": str(len(encoded)),
        "Transfer-Encoding": "chunked",  # de-chunked by Twisted: it must not describe the body
        "Vary": "Accept-Encoding",
    }
    w = writer(tmp_path)
    pointer = w.write_exchange(request(URL), response(URL, encoded, headers=headers, cls=Response))
    w.close()
    _, resp, _ = read_warc(closed_file(tmp_path))
    assert resp.payload == encoded
    assert gzip.decompress(resp.payload) == PAGE
    assert resp.http.get_header("Content-Encoding") == "gzip"
    assert resp.http.get_header("Content-Length") == str(len(encoded))
    assert resp.http.get_header("Transfer-Encoding") is None
    assert pointer.payload_digest == sha256_digest(encoded)  # the digest of what was received
    assert_warcio_check_passes(closed_file(tmp_path))


def test_header_bytes_are_kept_exactly(tmp_path: Path) -> None:
    """A raw UTF-8 Location and a Latin-1 byte: warcio alone would percent-encode them."""
    location = "https://news.snhr.org/ar/2024/04/22/مدنيان/".encode()
    headers = [(b"Location", location), (b"X-Latin", b"caf\xe9"), (b"Set-Cookie", b"a=1"),
               (b"Set-Cookie", b"b=2")]  # fmt: skip
    w = writer(tmp_path)
    w.write_exchange(request(URL), response(URL, b"", status=301, headers=headers, cls=Response))
    w.close()
    raw = gzip.decompress(closed_file(tmp_path).read_bytes())
    assert b"\r\nHTTP/1.1 301 Moved Permanently\r\n" in raw
    assert b"\r\nLocation: " + location + b"\r\n" in raw
    assert b"\r\nX-Latin: caf\xe9\r\n" in raw
    assert b"\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n" in raw
    assert_warcio_check_passes(closed_file(tmp_path))


def test_status_lines_without_a_standard_phrase_and_request_bodies(tmp_path: Path) -> None:
    w = writer(tmp_path)
    post = request(URL, method="POST", body=b"q=1")
    w.write_exchange(post, response(URL, b"slow", status=522, cls=TextResponse))
    w.close()
    _, resp, req = read_warc(closed_file(tmp_path))
    assert resp.http.statusline == "522"
    assert req.http.protocol == "POST"
    assert req.http.get_header("Content-Length") == "3"
    assert req.payload == b"q=1"
    assert_warcio_check_passes(closed_file(tmp_path))


def test_https_responses_carry_the_certificate_in_a_metadata_record(tmp_path: Path) -> None:
    pem, _ = self_signed_certificate()
    certificate = Certificate.loadPEM(pem)
    w = writer(tmp_path)
    pointer = w.write_exchange(request(URL), response(URL, PAGE, certificate=certificate))
    w.close()
    seen = read_warc(closed_file(tmp_path))
    assert [s.type for s in seen] == ["warcinfo", "response", "request", "metadata"]
    metadata = seen[3]
    assert metadata.headers["Content-Type"] == "application/x-pem-file"
    assert metadata.headers["WARC-Concurrent-To"] == pointer.record_id
    assert metadata.headers["WARC-Target-URI"] == URL
    assert metadata.payload == pem
    assert_warcio_check_passes(closed_file(tmp_path))


def test_a_body_scrapy_did_not_get_whole_is_marked_truncated(tmp_path: Path) -> None:
    w = writer(tmp_path)
    w.write_exchange(request(URL), response(URL, PAGE[:10], flags=["dataloss"]))
    w.close()
    _, resp, _ = read_warc(closed_file(tmp_path))
    assert resp.headers["WARC-Truncated"] == "disconnect"


def test_a_revisit_refers_to_the_original_by_id_uri_date_and_digest(tmp_path: Path) -> None:
    w = writer(tmp_path)
    original = w.write_exchange(request(URL), response(URL, PAGE))
    again = w.write_exchange(
        request(URL),
        response(URL, PAGE),
        revisit_of=RevisitOf(original.record_id, URL, original.fetched_at, original.payload_digest),
    )
    w.close()
    seen = read_warc(closed_file(tmp_path))
    assert [s.type for s in seen] == ["warcinfo", "response", "request", "revisit", "request"]
    revisit = seen[3]
    assert (again.offset, again.length, again.record_id) == (
        revisit.offset,
        revisit.length,
        revisit.id,
    )
    assert revisit.headers["WARC-Profile"] == (
        "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
    )
    assert revisit.headers["WARC-Refers-To"] == original.record_id
    assert revisit.headers["WARC-Refers-To-Target-URI"] == URL
    assert revisit.headers["WARC-Refers-To-Date"] == original.fetched_at
    assert revisit.headers["WARC-Payload-Digest"] == sha256_digest(PAGE)
    assert revisit.payload == b""  # headers only: the body is the original's
    assert revisit.http.statusline == "200 OK"
    assert again.payload_digest == original.payload_digest
    assert again.fetched_at > original.fetched_at
    assert seen[4].headers["WARC-Concurrent-To"] == revisit.id
    assert_warcio_check_passes(closed_file(tmp_path))


def test_a_revisit_of_a_different_payload_is_refused(tmp_path: Path) -> None:
    w = writer(tmp_path)
    original = w.write_exchange(request(URL), response(URL, PAGE))
    with pytest.raises(ValueError, match="payload digest"):
        w.write_exchange(
            request(URL),
            response(URL, PAGE + b"<!-- edited -->"),
            revisit_of=RevisitOf(
                original.record_id, URL, original.fetched_at, original.payload_digest
            ),
        )


def test_a_file_is_open_until_closed_then_renamed(tmp_path: Path) -> None:
    w = writer(tmp_path)
    w.write_exchange(request(URL), response(URL, PAGE))
    open_path = closed_file(tmp_path).with_name(closed_file(tmp_path).name + ".open")
    assert open_path.exists()
    assert not closed_file(tmp_path).exists()
    w.close()
    assert closed_file(tmp_path).exists()
    assert not open_path.exists()
    w.close()  # a second close is nothing


def test_files_rotate_by_size_each_with_its_warcinfo(tmp_path: Path) -> None:
    w = writer(tmp_path, rotate_bytes=1)  # every exchange fills a file
    pointers = [
        w.write_exchange(request(f"{URL}?n={n}"), response(f"{URL}?n={n}", PAGE)) for n in range(3)
    ]
    w.close()
    assert [p.warc_file for p in pointers] == [
        f"warc/snhr_news/20261125T021500Z-{n:05d}.warc.gz" for n in (1, 2, 3)
    ]
    assert w.files == [p.warc_file for p in pointers]
    for n, pointer in enumerate(pointers, 1):
        seen = read_warc(closed_file(tmp_path, n))
        assert [s.type for s in seen] == ["warcinfo", "response", "request"]
        assert seen[0].headers["WARC-Filename"] == closed_file(tmp_path, n).name
        assert seen[1].id == pointer.record_id
    assert not list(tmp_path.rglob("*.open"))


def test_a_file_rotates_only_after_it_reaches_the_size(tmp_path: Path) -> None:
    w = writer(tmp_path, rotate_bytes=10_000)
    pointers = [w.write_exchange(request(f"{URL}?n={n}"), response(f"{URL}?n={n}", os.urandom(3000)))
                for n in range(6)]  # fmt: skip
    w.close()
    sizes = {p.warc_file: (tmp_path / p.warc_file).stat().st_size for p in pointers}
    assert len(sizes) > 1
    for name, size in list(sizes.items())[:-1]:
        assert size >= 10_000, name
        # One exchange less would have been below the limit: rotation is not early.
        last = max((p for p in pointers if p.warc_file == name), key=lambda p: p.offset)
        assert last.offset < 10_000


def test_names_taken_by_another_run_or_a_killed_one_are_skipped(tmp_path: Path) -> None:
    directory = tmp_path / "warc" / "snhr_news"
    directory.mkdir(parents=True)
    (directory / "20261125T021500Z-00001.warc.gz").write_bytes(b"someone else's")
    (directory / "20261125T021500Z-00002.warc.gz.open").write_bytes(b"a killed run's")
    w = writer(tmp_path)
    pointer = w.write_exchange(request(URL), response(URL, PAGE))
    w.close()
    assert pointer.warc_file.endswith("-00003.warc.gz")
    assert (directory / "20261125T021500Z-00001.warc.gz").read_bytes() == b"someone else's"


def test_flush_fsyncs_the_file_and_its_entry_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(writer_module, "_os_fsync", lambda fd: (synced.append(fd), real_fsync(fd)))
    w = writer(tmp_path)
    w.flush()
    assert synced == []  # nothing written yet
    w.write_exchange(request(URL), response(URL, PAGE))
    synced.clear()
    w.flush()
    assert len(synced) == 2  # the file, then its directory
    w.flush()
    assert len(synced) == 2  # nothing new: no fsync
    w.write_exchange(request(URL), response(URL, PAGE))
    w.flush()
    assert len(synced) == 3  # the entry is already durable


def test_a_failed_write_is_cut_back_to_the_last_whole_exchange(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = writer(tmp_path)
    w.write_exchange(request(URL), response(URL, PAGE))
    path = closed_file(tmp_path).with_name(closed_file(tmp_path).name + ".open")
    size = path.stat().st_size

    def half_then_full(fd: int, data: memoryview) -> int:
        if half_then_full.calls:  # type: ignore[attr-defined]
            raise OSError(errno.ENOSPC, "No space left on device")
        half_then_full.calls += 1  # type: ignore[attr-defined]
        return os.write(fd, data[: len(data) // 2])

    half_then_full.calls = 0  # type: ignore[attr-defined]
    monkeypatch.setattr(writer_module, "_os_write", half_then_full)
    with pytest.raises(CaptureWriteError) as raised:
        w.write_exchange(request(URL), response(URL, PAGE * 50))
    assert raised.value.errno == errno.ENOSPC
    assert "ENOSPC" in raised.value.summary()
    assert path.stat().st_size == size
    monkeypatch.undo()
    w.close()
    assert [s.type for s in read_warc(closed_file(tmp_path))] == ["warcinfo", "response", "request"]


def test_bad_names_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="source"):
        writer(tmp_path, source="../etc")
    with pytest.raises(ValueError, match="run id"):
        writer_module.WarcWriter(tmp_path, "snhr_news", "../x", warcinfo={})


def test_the_request_line_is_the_path_params_and_query_and_host_has_its_port(
    tmp_path: Path,
) -> None:
    url = "http://127.0.0.1:8001/wp-json/wp/v2/posts;v=2?per_page=100&page=3#top"
    w = writer(tmp_path)
    w.write_exchange(request(url), response(url.split("#")[0], b"[]", cls=TextResponse))
    w.close()
    _, _, req = read_warc(closed_file(tmp_path))
    assert req.http.statusline == "/wp-json/wp/v2/posts;v=2?per_page=100&page=3 HTTP/1.1"
    assert req.http.get_header("Host") == "127.0.0.1:8001"
