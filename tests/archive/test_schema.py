"""The packaged JSON Schema: in step with ``Article``, and the fast path agrees with it."""

from __future__ import annotations

from typing import Any

import pytest
from archive_factories import as_dict, make_article

from snhr_crawler.archive.records import (
    ADDED_FIELDS,
    ARTICLE_FIELDS,
    CHANGES,
    VERSION_FIELDS,
    article_line,
    tombstone_line,
)
from snhr_crawler.archive.schema import SCHEMA_VERSION, load_schema, problems, validator
from snhr_crawler.items import DATE_SOURCES, DISCOVERY_MODES, DOC_TYPES


def test_schema_matches_the_article_contract() -> None:
    schema = load_schema()
    article = schema["$defs"]["article"]
    assert schema["x-schema-version"] == SCHEMA_VERSION
    required = [name for name in ARTICLE_FIELDS if name not in ADDED_FIELDS]
    assert article["required"] == [*required, *VERSION_FIELDS]
    assert set(article["properties"]) == {*ARTICLE_FIELDS, *VERSION_FIELDS, "change"}
    props = article["properties"]
    assert props["change"]["enum"] == [c for c in CHANGES if c != "removal"]
    tombstone = schema["$defs"]["tombstone"]["properties"]
    assert tombstone["change"]["const"] == "removal"
    assert props["doc_type"]["enum"] == list(DOC_TYPES)
    assert props["discovered_by"]["enum"] == list(DISCOVERY_MODES)
    assert props["date_source"]["enum"] == [*DATE_SOURCES, None]


def _samples() -> list[Any]:
    good = article_line(
        as_dict(make_article(1)),
        version=1,
        previous_sha256=None,
        archived_at="2026-01-01T00:00:00Z",
    )
    tomb = tombstone_line(
        key="snhr_news:1",
        source="snhr_news",
        url="https://news.snhr.org/x/",
        post_id=1,
        removed_at="2026-01-02T00:00:00Z",
        status=404,
        version=2,
        previous_sha256="a" * 64,
        archived_at="2026-01-02T00:00:00Z",
    )
    return [
        good,
        tomb,
        {**good, "version": 2},  # v2 needs a previous hash
        {**good, "version": 2, "previous_sha256": "b" * 64},
        {**good, "previous_sha256": "b" * 64},  # v1 must not have one
        {**good, "tombstone": False},
        {**good, "extra_field_added_later": 1},
        {**good, "title": " "},
        {**good, "id": "snhr_news:abc"},
        {**tomb, "status": 500},
        {**tomb, "body_text": "x"},
        {**tomb, "tombstone": "yes"},
        [],
        "line",
        # Where a compiled validator and the reference could part ways:
        {**good, "published_at": "\u0662\u0660\u0662\u0664-01-15"},  # Arabic-Indic digits
        {**good, "content_sha256": "A" * 64},
        {**good, "version": 1.0},
        {**good, "version": True},
        {**good, "post_id": 2**70},
        {**good, "title": "\ud800"},  # a lone surrogate
    ]


@pytest.mark.parametrize("record", _samples())
def test_fast_validation_agrees_with_the_published_schema(record: Any) -> None:
    assert (not problems(record)) == validator().is_valid(record)


def test_problem_messages_name_the_field() -> None:
    record = {**_samples()[0], "doc_type": "rumour"}
    assert problems(record)[0].startswith("doc_type: 'rumour' is not one of")


def test_a_line_archived_before_the_incident_field_is_still_valid() -> None:
    line = article_line(
        as_dict(make_article(2)),
        version=1,
        previous_sha256=None,
        archived_at="2026-01-02T03:04:05Z",
    )
    line.pop("incident", None)
    assert problems(line) == []
    bad = {**line, "incident": {"event": "massacre"}}
    assert problems(bad)
