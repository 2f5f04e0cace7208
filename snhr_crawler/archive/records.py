"""The shape and bytes of an archived line.

Article lines are every ``Article`` field (in dataclass order, then any field a
later ``Article`` adds), then ``version``, ``previous_sha256``,
``archived_at`` and ``change`` (why this version exists, ``CHANGES``).
Tombstone lines mark an archived article that now answers 404/410; they carry
``previous_sha256`` = the content hash of the version they retire, so the
chain of versions stays verifiable, and the ``capture`` of the 404/410.

``capture`` (on article lines, an ``Article`` field) points at the WARC
record the line was read from (``snhr_crawler.capture.CapturePointer``), or
is null when the crawl captured nothing.

Lines are UTF-8 JSON with Arabic left readable (``ensure_ascii=False``). The
three characters Python's ``str.splitlines`` treats as line breaks but JSON
does not escape (U+0085, U+2028, U+2029) are escaped, so a researcher splitting
the file the naive way still gets one record per line.
"""

from __future__ import annotations

import json
from dataclasses import fields
from typing import Any

import orjson
from scrapy.utils.serialize import ScrapyJSONEncoder

from snhr_crawler import clock
from snhr_crawler.items import Article

ARTICLE_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Article))
#: Fields the record gained after schema v1 was first written: the schema lists
#: them but does not require them, so lines archived before them stay valid.
ADDED_FIELDS: tuple[str, ...] = ("incident", "truncated", "capture", "change")
VERSION_FIELDS: tuple[str, ...] = ("version", "previous_sha256", "archived_at")
#: Why a line was written: a first version, an edit found by crawling, an article
#: back after a tombstone, today's parser reading the same capture differently,
#: a tombstone. Lines archived before ``change`` existed lack it.
CHANGES: tuple[str, ...] = ("new", "edit", "restore", "reparse", "removal")
TOMBSTONE_FIELDS: tuple[str, ...] = (
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
)

_ENCODER = ScrapyJSONEncoder(ensure_ascii=False, separators=(",", ":"))
_LINE_BREAK_ESCAPES = {"\u0085": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def utc_now() -> str:
    """Now, as the ``...Z`` UTC ISO 8601 string used for ``archived_at`` (``clock.utc_stamp``)."""
    return clock.utc_stamp()


def article_line(
    article: dict[str, Any],
    *,
    version: int,
    previous_sha256: str | None,
    archived_at: str,
    change: str | None = None,
) -> dict[str, Any]:
    """The archived record for ``article`` (``items.record_fields``), keys in stable order."""
    record: dict[str, Any] = {name: article.get(name) for name in ARTICLE_FIELDS}
    own = {*ARTICLE_FIELDS, *VERSION_FIELDS, "change", "tombstone"}
    for name in sorted(set(article) - own):
        record[name] = article[name]
    record["version"] = version
    record["previous_sha256"] = previous_sha256
    record["archived_at"] = archived_at
    if change is not None:
        record["change"] = change
    return record


def tombstone_line(
    *,
    key: str,
    source: str,
    url: str,
    post_id: int | None,
    removed_at: str,
    status: int,
    version: int,
    previous_sha256: str,
    archived_at: str,
    capture: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The tombstone record for an archived article that now answers ``status``."""
    return {
        "id": key,
        "source": source,
        "url": url,
        "post_id": post_id,
        "removed_at": removed_at,
        "status": status,
        "version": version,
        "previous_sha256": previous_sha256,
        "archived_at": archived_at,
        "change": "removal",
        "capture": capture,
        "tombstone": True,
    }


def is_tombstone(record: dict[str, Any]) -> bool:
    return record.get("tombstone") is True


def record_sha256(record: dict[str, Any]) -> str:
    """The content hash an index row keeps for a line (a tombstone keeps the retired one)."""
    if is_tombstone(record):
        return str(record.get("previous_sha256") or "")
    return str(record.get("content_sha256") or "")


def encode_line(record: dict[str, Any]) -> bytes:
    """One JSON Lines line, newline included."""
    text = _ENCODER.encode(record)
    for char, escape in _LINE_BREAK_ESCAPES.items():
        if char in text:
            text = text.replace(char, escape)
    return text.encode("utf-8") + b"\n"


#: Twenty digits in a row may be an integer orjson would read as a float (it holds
#: integers to 64 bits; json keeps any int). Found by mapping every digit to "0",
#: ten times faster than a regular expression.
_DIGITS_AS_ZEROS = bytes.maketrans(b"123456789", b"000000000")
_LONG_NUMBER = b"0" * 20


def decode_line(raw: bytes) -> dict[str, Any]:
    """Parse one line; raises ``ValueError`` for anything that is not a JSON object.

    orjson reads a line in a third of json's time (export and verify read
    every line); json reads what orjson refuses or would read otherwise (NaN,
    an escaped lone surrogate, an integer beyond 64 bits), so the result is
    always json's.
    """
    try:
        long_number = _LONG_NUMBER in raw.translate(_DIGITS_AS_ZEROS)
        value = json.loads(raw) if long_number else orjson.loads(raw)
    except orjson.JSONDecodeError:
        value = json.loads(raw)
    if not isinstance(value, dict):
        raise ValueError("line is not a JSON object")
    return value


#: Fields without which a record is not archived, and the reason each gives.
REQUIRED = (("title", "missing_title"), ("body_text", "missing_body"), ("url", "missing_url"),
            ("id", "missing_id"), ("content_sha256", "missing_sha256"))  # fmt: skip


def missing_required(record: dict[str, Any]) -> str | None:
    """The reason a record must not be archived for lack of a field, or None.

    One rule for the validate pipeline (which drops and counts early) and the
    store (which refuses whatever reaches it by another path).
    """
    for name, reason in REQUIRED:
        value = record.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            return reason
    return None
