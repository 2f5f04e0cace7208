"""Archive dir resolution, partitions, and the byte form of a line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from archive_factories import as_dict, make_article
from scrapy.settings import Settings

from snhr_crawler.archive.paths import partition, relative_file, resolve_archive_dir
from snhr_crawler.archive.records import (
    ARTICLE_FIELDS,
    article_line,
    decode_line,
    encode_line,
    tombstone_line,
)
from snhr_crawler.items import Article


def test_setting_wins_over_env_and_default() -> None:
    settings = Settings()
    settings.set("ARCHIVE_DIR", "/from/setting", priority="cmdline")
    env = {"SNHR_ARCHIVE_DIR": "/from/env"}
    assert resolve_archive_dir(settings, env) == Path("/from/setting")


def test_env_used_when_setting_not_explicit() -> None:
    assert resolve_archive_dir(Settings(), {"SNHR_ARCHIVE_DIR": "/from/env"}) == Path("/from/env")
    settings = Settings({"ARCHIVE_DIR": "/default/prio"}, priority="default")
    assert resolve_archive_dir(settings, {"SNHR_ARCHIVE_DIR": "/e"}) == Path("/e")


def test_default_is_dot_archive() -> None:
    assert resolve_archive_dir(Settings(), {}) == Path("archive")
    assert resolve_archive_dir(None, {}) == Path("archive")


@pytest.mark.parametrize(
    ("published", "expected"),
    [
        ("2024-01-15T10:00:00+03:00", "2024-01"),
        ("2011-12-01", "2011-12"),
        (None, "undated"),
        ("", "undated"),
        ("2024-13-01", "undated"),
        ("yesterday", "undated"),
    ],
)
def test_partition(published: str | None, expected: str) -> None:
    assert partition(published) == expected


def test_relative_file_refuses_unsafe_sources() -> None:
    assert relative_file("snhr_ar", None) == "snhr_ar/undated.jsonl"
    for bad in ("../x", "a/b", "Snhr", "", "quarantine", "runs", "files", "state"):
        with pytest.raises(ValueError, match="invalid source"):
            relative_file(bad, None)


def test_article_line_keeps_field_order_then_version_fields() -> None:
    record = article_line(
        as_dict(make_article(7)),
        version=1,
        previous_sha256=None,
        archived_at="2026-01-01T00:00:00Z",
    )
    assert tuple(record)[: len(ARTICLE_FIELDS)] == ARTICLE_FIELDS
    assert tuple(record)[-3:] == ("version", "previous_sha256", "archived_at")
    assert list(Article.__dataclass_fields__) == list(ARTICLE_FIELDS)


def test_encoding_keeps_arabic_readable_and_one_line() -> None:
    record = article_line(
        as_dict(make_article(7, body_text="سطر\u2028ثان\u0085ثالث\nرابع")),
        version=1,
        previous_sha256=None,
        archived_at="2026-01-01T00:00:00Z",
    )
    raw = encode_line(record)
    assert raw.endswith(b"\n")
    assert raw.count(b"\n") == 1
    text = raw.decode("utf-8")
    assert "تقرير رقم" in text
    assert "\\u062a" not in text
    assert len(text.splitlines()) == 1  # U+2028/U+0085 escaped for naive readers
    assert decode_line(raw) == json.loads(raw) == record


def test_tombstone_key_order() -> None:
    line = tombstone_line(
        key="snhr_news:1",
        source="snhr_news",
        url="https://news.snhr.org/x/",
        post_id=1,
        removed_at="2026-01-01T00:00:00Z",
        status=410,
        version=2,
        previous_sha256="0" * 64,
        archived_at="2026-01-01T00:00:00Z",
    )
    assert list(line) == [
        "id",
        "source",
        "url",
        "post_id",
        "removed_at",
        "status",
        "version",
        "previous_sha256",
        "archived_at",
        "change",
        "capture",
        "tombstone",
    ]
    assert (line["change"], line["capture"]) == ("removal", None)


@pytest.mark.parametrize(
    "raw",
    [
        b'{"post_id": 123456789012345678901234567890}',  # beyond 64 bits: still an int
        b'{"title": "\\ud800"}',  # an escaped lone surrogate
        b'{"x": NaN}',
        '{"title": "\u0645\u0631\u062d\u0628\u0627", "n": 1.5, "ok": true}'.encode(),
    ],
)
def test_decode_line_reads_as_json_does(raw: bytes) -> None:
    import json

    from snhr_crawler.archive.records import decode_line

    decoded, expected = decode_line(raw), json.loads(raw)
    assert repr(decoded) == repr(expected)  # repr: NaN != NaN, and int vs float shows


def test_decode_line_refuses_what_json_refuses() -> None:
    from snhr_crawler.archive.records import decode_line

    for raw in (b"[1, 2]", b'{"a": ', b'"text"'):
        with pytest.raises(ValueError):  # noqa: PT011 -- json's own errors, whichever they are
            decode_line(raw)
