"""Any text at all: no exception, exactly the contract's keys, values from their vocabularies, spans inside."""

from __future__ import annotations

from typing import Any

import pycountry
from hypothesis import given, settings
from hypothesis import strategies as st

from snhr_crawler.incidents import FIELDS, parse_title
from snhr_crawler.incidents.perpetrators import CODES
from snhr_crawler.incidents.reading import EVENTS, FACILITY_KINDS
from tests.incidents.expect import assert_spans_read_from_title

GOVERNORATES = {s.code for s in pycountry.subdivisions.get(country_code="SY")}

# Pieces of real titles in both languages, so that generated text reaches deep into the rules.
FRAGMENTS = [
    "Two", "children", "siblings", "injured", "killed", "killed,", "his wife", "named", "Man named", "al-Refa'ie",
    "in", "in a", "drone", "regime", "attack", "by", "unidentified gunmen", "of unidentified source", "W.", "E.",
    "eastern", "Deir Ez-Zour", "Damascus suburbs", "suburbs", "governorate", "city", "village", "Kafranbel", "from",
    "Daraa,", "due to torture", "detention center", "bombed", "two schools", "a school", "on", "December 7",
    ", April 26, 2024", "including", "a child", "and", "Syrian-Russian alliance", "SDF", "HTS", "I.S.I.S", "the",
    "Turkish-backed SNA", "General Security", "report", "2015", "At least", "’", "\u200f", ",", ".", "-", "  ",
    "مقتل", "إصابة", "وإصابة", "مدنيَّين اثنين", "طفلين شقيقين", "على يد", "قوات النظام السوري", "في", "بريف",
    "إدلب", "ريف دمشق", "الجنوبي", "الشمالي الشرقي", "من", "درعا", "بسبب التعذيب", "تقصف", "مدرسة", "يدعى",
    "غازي الرفاعي", "، 6 آذار", "15-11-2024", "بينهم", "ثلاثة", "مدينة", "قرية", "للنظام", "ً", "ّ",
]  # fmt: skip


def _check(title: str, result: dict[str, Any] | None) -> None:
    if result is None:
        return
    assert set(result) == {*FIELDS, "spans"}
    assert result["event"] in EVENTS
    assert result["perpetrator"] is None or result["perpetrator"] in CODES
    for field in ("governorate", "origin_governorate"):
        assert result[field] is None or result[field] in GOVERNORATES
    assert result["direction"] in (None, "N", "S", "E", "W")
    assert result["facility"] is None or result["facility"] in FACILITY_KINDS
    for field in ("killed", "injured", "arrested", "children", "women"):
        assert result[field] is None or (isinstance(result[field], int) and result[field] >= 0)
    assert result["victim_names"] is None or all(
        isinstance(name, str) and name for name in result["victim_names"]
    )
    assert_spans_read_from_title(title, result)


@settings(max_examples=400, deadline=None)
@given(title=st.text(max_size=300), published=st.one_of(st.none(), st.text(max_size=30)),
       language=st.sampled_from(["en", "ar", "en-US", "fr", ""]))  # fmt: skip
def test_arbitrary_text_never_raises(title: str, published: str | None, language: str) -> None:
    _check(title, parse_title(title, published, language))


@settings(max_examples=600, deadline=None)
@given(pieces=st.lists(st.sampled_from(FRAGMENTS), max_size=25), separator=st.sampled_from([" ", "", ", "]),
       published=st.sampled_from([None, "2019-12-07", "2024-12-08", "2025-03-01T10:00:00+00:00", "not a date"]),
       language=st.sampled_from(["en", "ar"]))  # fmt: skip
def test_title_like_text_keeps_the_contract(
    pieces: list[str], separator: str, published: str | None, language: str
) -> None:
    title = separator.join(pieces)
    _check(title, parse_title(title, published, language))


def test_empty_and_blank_titles_are_no_incident() -> None:
    assert parse_title("", None, "en") is None
    assert parse_title("   ", "2024-01-01", "ar") is None


def test_the_language_is_read_from_the_script_when_not_given() -> None:
    english = parse_title("A child killed in E. Aleppo, May 3, 2024", None, "und")
    arabic = parse_title("مقتل طفل في ريف حلب الشرقي، 3 أيار 2024", None, "und")
    assert english is not None
    assert english["killed"] == 1
    assert english["governorate"] == "SY-HL"
    assert arabic is not None
    assert arabic["killed"] == 1
    assert arabic["children"] == 1
    assert arabic["direction"] == "E"
