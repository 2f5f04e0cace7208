"""Comparing a parse with a hand-written expectation: unnamed fields must be null."""

from __future__ import annotations

from typing import Any

from snhr_crawler.incidents import FIELDS, parse_title


def parsed(title: str, published: str | None, language: str) -> dict[str, Any] | None:
    result = parse_title(title, published, language)
    if result is not None:
        assert set(result) == {*FIELDS, "spans"}
        assert_spans_read_from_title(title, result)
    return result


def assert_parses_as(
    title: str, published: str | None, language: str, expected: dict[str, Any] | None
) -> None:
    """``expected`` names the filled fields (and ``spans`` texts to check); all others are None."""
    result = parsed(title, published, language)
    if expected is None:
        assert result is None, result
        return
    assert result is not None, f"not read as an incident: {title}"
    span_texts = expected.get("span_texts", {})
    wanted = {field: expected.get(field) for field in FIELDS}
    got = {field: result[field] for field in FIELDS}
    assert got == wanted, _diff(got, wanted)
    for field, text in span_texts.items():
        span = result["spans"][field]
        if field == "victim_names":
            assert [title[start:end] for start, end in span] == text
        else:
            assert title[span[0] : span[1]] == text, (field, title[span[0] : span[1]])


def assert_spans_read_from_title(title: str, result: dict[str, Any]) -> None:
    """Every filled field has a span inside the title; every span belongs to a filled field."""
    spans = result["spans"]
    for field in FIELDS:
        value = result[field]
        if value is None:
            assert field not in spans, field
        elif not (
            field == "event" and value == "other"
        ):  # "other" may be the default, read from nothing
            assert field in spans, f"{field}={value!r} has no span"
    for field, span in spans.items():
        assert result[field] is not None, field
        for start, end in span if field == "victim_names" else [span]:
            assert 0 <= start < end <= len(title), (field, span)
            assert title[start:end].strip(), (field, span)


def _diff(got: dict[str, Any], wanted: dict[str, Any]) -> str:
    return "; ".join(
        f"{k}: got {got[k]!r}, want {wanted[k]!r}" for k in FIELDS if got[k] != wanted[k]
    )
