"""Dates in SNHR pages: publication timestamps and incident dates in titles.

Publication dates come from machine-readable layers (ISO 8601 strings) and
are only validated here. Incident dates are written for people, in English
("April 16, 2023", "on December 7", "Sept 27") or Arabic ("6 آذار",
"كانون الأول/ديسمبر 2024", "15-11-2024"), and often without a year: the year
then comes from the URL's publication date, minus one when the incident month
is later than the publication month (a January post about December).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import dateparser

ENGLISH_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}

#: Levantine (Syriac) and Egyptian/Gulf month names; both are used, often paired.
ARABIC_MONTHS = {
    "كانون الثاني": 1,
    "شباط": 2,
    "آذار": 3,
    "اذار": 3,
    "نيسان": 4,
    "أيار": 5,
    "ايار": 5,
    "حزيران": 6,
    "تموز": 7,
    "آب": 8,
    "اب": 8,
    "أيلول": 9,
    "ايلول": 9,
    "تشرين الأول": 10,
    "تشرين الاول": 10,
    "تشرين الثاني": 11,
    "كانون الأول": 12,
    "كانون الاول": 12,
    "يناير": 1,
    "فبراير": 2,
    "مارس": 3,
    "أبريل": 4,
    "ابريل": 4,
    "إبريل": 4,
    "مايو": 5,
    "يونيو": 6,
    "يوليو": 7,
    "أغسطس": 8,
    "اغسطس": 8,
    "سبتمبر": 9,
    "أكتوبر": 10,
    "اكتوبر": 10,
    "نوفمبر": 11,
    "ديسمبر": 12,
}

_ARABIC_INDIC = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
# Harakat, shadda, sukun, superscript alef and tatweel: ignored when matching names.
_DIACRITICS = re.compile("[\u064b-\u0652\u0670\u0640]")
# Bidi and zero-width marks (ALM, ZWSP, ZWNJ, ZWJ, LRM, RLM, embeddings, isolates, BOM):
# editors scatter them between a day and its month; invisible, so ignored when matching.
_INVISIBLE = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")

_EN_MONTH = "|".join(sorted(ENGLISH_MONTHS, key=len, reverse=True))
_EN_DATE = re.compile(
    rf"\b(?P<month>{_EN_MONTH})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>\d{{4}}))?",
    re.IGNORECASE,
)
_AR_MONTH = "|".join(sorted(map(re.escape, ARABIC_MONTHS), key=len, reverse=True))
# A month name must end at a word boundary: "آب" (August) and "اب" are also
# the first letters of ordinary words ("آباء", "ابناء").
_AR_DATE = re.compile(
    rf"(?<!\d)(?P<day>\d{{1,2}})\s+(?:(?:{_AR_MONTH})\s*/\s*)?(?P<month>{_AR_MONTH})(?!\w)"
    rf"(?:\s+(?P<year>\d{{4}}))?"
)
_NUMERIC_DATE = re.compile(
    r"(?<!\d)(?P<day>\d{1,2})[-/.](?P<month>\d{1,2})[-/.](?P<year>\d{4})(?!\d)"
)


def normalize_arabic(text: str) -> str:
    """Western digits, no diacritics, tatweel or invisible marks, single spaces.

    For matching only, never for storage: stored text keeps every mark.
    """
    text = _INVISIBLE.sub("", _DIACRITICS.sub("", text.translate(_ARABIC_INDIC)))
    return " ".join(text.split())


#: What a record's dates may look like: a day, or a time with seconds optional and an offset.
#: Stricter than ``datetime.fromisoformat`` (which takes "2024-01-05 10:00:00", week dates,
#: naive times): a value outside it falls through to the next extraction layer.
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?")


def is_iso_datetime(value: str) -> bool:
    """True for ``YYYY-MM-DD`` or an ISO 8601 date-time with offset, and a real date."""
    if not _ISO_DATE.fullmatch(value):
        return False
    try:
        if len(value) == 10:
            date.fromisoformat(value)
        else:
            datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


#: SNHR began publishing in 2011: a publication or modification date before it is
#: not one of its posts' (a JSON-LD block copied from elsewhere, a template default).
EARLIEST_PUBLICATION = date(2011, 1, 1)


def is_publication_date(value: str, today: date | None = None) -> bool:
    """True for an ISO date (``is_iso_datetime``) between 2011-01-01 and tomorrow.

    Tomorrow, not today: a post published late in the day in Damascus is dated
    the next day in some time zones. ``today`` defaults to the clock's UTC day
    (``snhr_crawler.clock``). A year-9999 date would otherwise archive into
    ``9999-12.jsonl`` and overflow every date computation made from it.
    """
    if not is_iso_datetime(value):
        return False
    day = date.fromisoformat(value[:10])
    if today is None:
        from snhr_crawler.clock import utc_now

        today = utc_now().date()
    return EARLIEST_PUBLICATION <= day <= today + timedelta(days=1)


def _resolve(day: int, month: int, year: int | None, published: date | None) -> str | None:
    """The incident day; a yearless one is the latest such day not after publication.

    "Not after" allows one day of slack: ``published_at`` is often UTC while
    titles use Syrian local dates, so a post at 01:30 on January 1 in Damascus
    is still December 31 in UTC.
    """
    if year is not None:
        try:
            return date(year, month, day).isoformat()
        except ValueError:
            return None
    if published is None or published >= date.max - timedelta(days=1):
        return None
    latest = published + timedelta(days=1)
    for candidate_year in (published.year + 1, published.year, published.year - 1):
        try:
            candidate = date(candidate_year, month, day)
        except ValueError:  # February 29 in a common year
            continue
        if candidate <= latest:
            return candidate.isoformat()
    return None


def incident_date(title: str, published: str | None) -> str | None:
    """The day an incident happened, from a news title; None without a day-level date.

    ``published`` is the publication date (``YYYY-MM-DD``...) that supplies a
    missing year. The last date in the title wins: titles end with it.
    """
    pub = (
        date.fromisoformat(published[:10])
        if published and is_iso_datetime(published[:10])
        else None
    )
    text = normalize_arabic(title)
    found: list[tuple[int, str | None]] = []
    for match in _EN_DATE.finditer(text):
        month = ENGLISH_MONTHS[match["month"].lower()]
        year = int(match["year"]) if match["year"] else None
        found.append((match.start(), _resolve(int(match["day"]), month, year, pub)))
    for match in _AR_DATE.finditer(text):
        month = ARABIC_MONTHS[normalize_arabic(match["month"])]
        year = int(match["year"]) if match["year"] else None
        found.append((match.start(), _resolve(int(match["day"]), month, year, pub)))
    for match in _NUMERIC_DATE.finditer(text):
        found.append(
            (
                match.start(),
                _resolve(int(match["day"]), int(match["month"]), int(match["year"]), pub),
            )
        )
    dated = [value for _, value in sorted(found) if value]
    return dated[-1] if dated else None


def human_date(text: str, language: str) -> str | None:
    """``YYYY-MM-DD`` from a date written for people ("December 7, 2019"), via dateparser."""
    parsed = dateparser.parse(
        normalize_arabic(text),
        languages=[language],
        settings={"STRICT_PARSING": True, "REQUIRE_PARTS": ["day", "month", "year"]},
    )
    return parsed.date().isoformat() if parsed else None
