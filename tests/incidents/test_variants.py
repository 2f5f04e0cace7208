"""The same title written another way reads the same: Title Case, another date style, curly quotes.

SNHR's editors have written one grammar in several hands over the years; rules
fitted to one hand would miss unseen titles. Each real title in the reference is
rewritten here, and every field but the spans must stay what the original gave
(the originals are checked against hand-read values in test_english.py).
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from snhr_crawler.incidents import FIELDS, parse_title
from tests.incidents.expect import assert_spans_read_from_title
from tests.incidents.test_arabic import GRAMMAR as ARABIC_GRAMMAR
from tests.incidents.test_arabic import REAL as ARABIC_REAL
from tests.incidents.test_arabic import STYLE as ARABIC_STYLE
from tests.incidents.test_english import NEWS_SITE

_SMALL = frozenset(("a", "an", "the", "in", "on", "of", "by", "and", "or", "for", "to", "at", "from", "with", "due", "near", "as"))  # fmt: skip
_DATE = re.compile(
    r",?\s+(?:on\s+)?(?P<month>[A-Z][a-z]+\.?) (?P<day>\d{1,2})(?:, (?P<year>\d{4}))?$"
)


def _title_case(title: str) -> str:
    words = title.split(" ")
    out = [words[0]]
    for word in words[1:]:
        keep = word.lower() in _SMALL or word.startswith(("al-", "al ", "el-")) or word == "al"
        out.append(word if keep else word[:1].upper() + word[1:])
    return " ".join(out)


def _fields(title: str, published: str | None) -> dict[str, Any] | None:
    result = parse_title(title, published, "en")
    if result is None:
        return None
    assert_spans_read_from_title(title, result)
    return {field: result[field] for field in FIELDS}


def _redated(title: str, style: str) -> str:
    match = _DATE.search(title)
    assert match, title
    month, day, year = match["month"], match["day"], match["year"] or "2022"
    date = {"on": f" on {month} {day}", "comma-on": f", on {month} {day}", "full": f", {month} {day}, {year}",
            "weekday": f", on Friday, {month} {day}, {year}"}[style]  # fmt: skip
    return title[: match.start()] + date


DATED = [(title, published) for title, published, _ in NEWS_SITE if _DATE.search(title)]


@pytest.mark.parametrize(("title", "published"), [(t, p) for t, p, _ in NEWS_SITE])
def test_title_case_reads_the_same(title: str, published: str | None) -> None:
    assert _fields(_title_case(title), published) == _fields(title, published)


@pytest.mark.parametrize("style", ["on", "comma-on", "full", "weekday"])
@pytest.mark.parametrize(("title", "published"), DATED)
def test_any_date_style_reads_the_same(title: str, published: str | None, style: str) -> None:
    assert _fields(_redated(title, style), published) == _fields(title, published)


@pytest.mark.parametrize(("title", "published"), [(t, p) for t, p, _ in NEWS_SITE if "'" in t])
def test_curly_quotes_read_the_same(title: str, published: str | None) -> None:
    curly = title.replace("'", "\u2019")
    original = _fields(title, published)
    assert original is not None
    expected = {
        **original,
        "victim_names": [n.replace("'", "\u2019") for n in original["victim_names"] or []] or None,
    }
    assert _fields(curly, published) == expected


ARABIC = ARABIC_REAL + ARABIC_GRAMMAR + ARABIC_STYLE
_AR_DATE = re.compile(r"،\s*(?P<day>\d{1,2}) (?P<month>[^\d،]+?)(?: (?P<year>\d{4}))?$")
_AR_MONTHS = ("كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول",
              "تشرين الأول", "تشرين الثاني", "كانون الأول")  # fmt: skip


@pytest.mark.parametrize("style", ["numeric", "paired", "fi"])
@pytest.mark.parametrize(
    ("title", "published"), [(t, p) for t, p, _ in ARABIC if _AR_DATE.search(t)]
)
def test_arabic_date_styles_read_the_same(title: str, published: str | None, style: str) -> None:
    match = _AR_DATE.search(title)
    assert match is not None
    day, month, year = (
        int(match["day"]),
        _AR_MONTHS.index(match["month"]) + 1,
        match["year"] or "2021",
    )
    date = {"numeric": f"، {day:02d}-{month:02d}-{year}", "paired": f"، {day} {match['month']}/مارس {year}",
            "fi": f" في {day} {match['month']} {year}"}[style]  # fmt: skip
    rewritten = title[: match.start()] + date
    original, again = parse_title(title, published, "ar"), parse_title(rewritten, published, "ar")
    assert original is not None
    assert again is not None
    assert {f: again[f] for f in FIELDS} == {f: original[f] for f in FIELDS}
