"""Pointers back to records, responses rebuilt as the spider saw them, pointers checked."""

from __future__ import annotations

import dataclasses
import gzip
import zlib
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse, Response, TextResponse

from snhr_crawler.capture.pointer import CapturePointer
from snhr_crawler.capture.reader import (
    CaptureReadError,
    check_pointer,
    read_record,
    read_warcinfo,
    rebuild_response,
)
from snhr_crawler.capture.writer import RevisitOf
from tests.capture.warc_helpers import WARCINFO, request, response, writer

URL = "https://news.snhr.org/ar/2024/04/22/two-civilians/"
ARABIC = "<html><head><title>مدنيان</title></head><body><p>قتل مدنيان في ريف حلب</p></body></html>"


def encoded(body: bytes, coding: str) -> bytes:
    if coding == "gzip":
        return gzip.compress(body, mtime=0)
    if coding == "deflate":
        return zlib.compress(body)
    if coding == "raw-deflate":
        compressor = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
        return compressor.compress(body) + compressor.flush()
    return body


@pytest.mark.parametrize("coding", ["identity", "gzip", "deflate", "raw-deflate"])
def test_a_response_is_rebuilt_decoded_as_scrapy_would(tmp_path: Path, coding: str) -> None:
    body = ARABIC.encode("utf-8")
    headers = {"Content-Type": "text/html; charset=UTF-8", "Server": "nginx"}
    if coding != "identity":
        headers["Content-Encoding"] = "deflate" if coding == "raw-deflate" else coding
    w = writer(tmp_path)
    pointer = w.write_exchange(
        request(URL), response(URL, encoded(body, coding), headers=headers, cls=Response)
    )
    rebuilt = rebuild_response(tmp_path, pointer)  # while the file is still .open
    w.close()
    assert rebuild_response(tmp_path, pointer).body == rebuilt.body
    assert isinstance(rebuilt, HtmlResponse)
    assert rebuilt.url == URL
    assert rebuilt.status == 200
    assert rebuilt.body == body
    assert rebuilt.text == ARABIC
    assert rebuilt.css("p::text").get() == "قتل مدنيان في ريف حلب"
    assert b"Content-Encoding" not in rebuilt.headers
    assert rebuilt.headers[b"Server"] == b"nginx"
    assert rebuilt.protocol == "HTTP/1.1"
    assert str(rebuilt.ip_address) == "127.0.0.1"
    assert rebuilt.meta == {}  # as a fresh request: nothing of the crawl's state


def test_the_charset_comes_from_the_stored_headers(tmp_path: Path) -> None:
    body = ARABIC.encode("cp1256")
    headers = {"Content-Type": "text/html; charset=windows-1256"}
    w = writer(tmp_path)
    pointer = w.write_exchange(request(URL), response(URL, body, headers=headers, cls=Response))
    rebuilt = rebuild_response(tmp_path, pointer)
    assert isinstance(rebuilt, TextResponse)
    assert rebuilt.encoding == "cp1256"
    assert "قتل مدنيان" in rebuilt.text


def test_pdfs_and_json_get_the_response_class_scrapy_gives_them(tmp_path: Path) -> None:
    pdf_body = (
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\nstream\n\x00\x01\x02"  # binary, as real PDFs are
    )
    w = writer(tmp_path)
    pdf = w.write_exchange(
        request(URL + "report.pdf"),
        response(
            URL + "report.pdf", pdf_body, headers={"Content-Type": "application/pdf"}, cls=Response
        ),
    )
    api = w.write_exchange(
        request(URL + "wp-json/wp/v2/posts"),
        response(URL + "wp-json/wp/v2/posts", b'[{"id": 1}]',
                 headers={"Content-Type": "application/json"}, cls=Response),
    )  # fmt: skip
    rebuilt_pdf = rebuild_response(tmp_path, pdf)
    assert not isinstance(rebuilt_pdf, TextResponse)
    assert rebuilt_pdf.body == pdf_body
    rebuilt_api = rebuild_response(tmp_path, api)
    assert isinstance(rebuilt_api, TextResponse)
    assert rebuilt_api.json() == [{"id": 1}]


def test_an_error_page_keeps_its_status(tmp_path: Path) -> None:
    w = writer(tmp_path)
    pointer = w.write_exchange(request(URL), response(URL, b"<html>gone</html>", status=410))
    rebuilt = rebuild_response(tmp_path, pointer)
    assert rebuilt.status == 410
    assert check_pointer(tmp_path, pointer) == []


def test_a_good_pointer_has_no_problems_and_its_record_is_there(tmp_path: Path) -> None:
    w = writer(tmp_path)
    pointer = w.write_exchange(request(URL), response(URL, ARABIC.encode()))
    w.close()
    assert check_pointer(tmp_path, pointer) == []
    record = read_record(tmp_path, pointer)
    assert record.record_type == "response"
    assert record.target_uri == URL
    assert record.payload == ARABIC.encode()
    assert record.http_header(b"content-type") == [b"text/html; charset=UTF-8"]


def test_every_way_a_pointer_can_be_wrong_is_named(tmp_path: Path) -> None:
    w = writer(tmp_path)
    first = w.write_exchange(request(URL), response(URL, b"first"))
    pointer = w.write_exchange(request(URL), response(URL, ARABIC.encode()))
    w.close()
    wrong = {
        "offset": dataclasses.replace(pointer, offset=pointer.offset + 1),
        "short": dataclasses.replace(pointer, length=pointer.length - 1),
        "long": dataclasses.replace(pointer, length=pointer.length + 1),
        "id": dataclasses.replace(pointer, record_id=first.record_id),
        "digest": dataclasses.replace(pointer, payload_digest=first.payload_digest),
        "status": dataclasses.replace(pointer, status=404),
        "date": dataclasses.replace(pointer, fetched_at=first.fetched_at),
        "file": dataclasses.replace(pointer, warc_file="warc/snhr_news/missing.warc.gz"),
        "request": dataclasses.replace(pointer, offset=first.offset + first.length),
    }
    problems = {name: check_pointer(tmp_path, bad) for name, bad in wrong.items()}
    assert "not a gzip member" in problems["offset"][0]
    assert "longer than the pointer's length" in problems["short"][0]
    assert "past the gzip member" in problems["long"][0]
    assert "record there is" in problems["id"][0]
    assert any("WARC-Payload-Digest" in p for p in problems["digest"])
    assert problems["status"] == ["HTTP status 200 is not 404"]
    assert any("WARC-Date" in p for p in problems["date"])
    assert "cannot read" in problems["file"][0]
    assert all(problems.values()), problems


def test_bytes_changed_on_disk_are_found(tmp_path: Path) -> None:
    w = writer(tmp_path)
    pointer = w.write_exchange(request(URL), response(URL, ARABIC.encode() * 20))
    w.close()
    path = tmp_path / pointer.warc_file
    data = bytearray(path.read_bytes())
    data[pointer.offset + pointer.length // 2] ^= 0x01
    path.write_bytes(bytes(data))
    problems = check_pointer(tmp_path, pointer)
    assert problems
    assert "gzip" in problems[0]
    with pytest.raises(CaptureReadError):
        rebuild_response(tmp_path, pointer)


def test_a_revisit_pointer_checks_but_is_not_a_response_to_rebuild(tmp_path: Path) -> None:
    w = writer(tmp_path)
    original = w.write_exchange(request(URL), response(URL, b"same"))
    revisit = w.write_exchange(
        request(URL),
        response(URL, b"same"),
        revisit_of=RevisitOf(original.record_id, URL, original.fetched_at, original.payload_digest),
    )
    assert check_pointer(tmp_path, revisit) == []
    with pytest.raises(CaptureReadError, match="revisit of"):
        rebuild_response(tmp_path, revisit)


def test_the_warcinfo_of_a_file(tmp_path: Path) -> None:
    w = writer(tmp_path)
    pointer = w.write_exchange(request(URL), response(URL, b"x"))
    assert read_warcinfo(tmp_path, pointer.warc_file) == WARCINFO


def test_pointers_round_trip_through_json_and_bad_ones_are_refused(tmp_path: Path) -> None:
    w = writer(tmp_path)
    pointer = w.write_exchange(request(URL), response(URL, b"x"))
    assert CapturePointer.from_dict(pointer.as_dict()) == pointer
    assert set(pointer.as_dict()) == {
        "warc_file", "record_id", "offset", "length", "payload_digest", "status", "fetched_at"
    }  # fmt: skip
    good = pointer.as_dict()
    for change, message in [
        ({"offset": -1}, "non-negative"),
        ({"offset": True}, "non-negative"),
        ({"length": 0}, "positive"),
        ({"record_id": "x"}, "record id"),
        ({"payload_digest": "abc"}, "digest"),
        ({"fetched_at": "2026-11-25"}, "WARC date"),
        ({"warc_file": "../../etc/passwd"}, "warc_file"),
        ({"status": "200"}, "status"),
    ]:
        with pytest.raises(ValueError, match=message):
            CapturePointer.from_dict({**good, **change})
    with pytest.raises(ValueError, match="lacks"):
        CapturePointer.from_dict({"warc_file": pointer.warc_file})
    with pytest.raises(ValueError, match="object"):
        CapturePointer.from_dict([1])
