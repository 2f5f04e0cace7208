"""Arabic incident dates, case by case: month names, pairs, numerals, marks, missing years."""

from __future__ import annotations

import pytest

from snhr_crawler.dates import ARABIC_MONTHS, incident_date, normalize_arabic

LEVANTINE = (
    "كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران",
    "تموز", "آب", "أيلول", "تشرين الأول", "تشرين الثاني", "كانون الأول",
)  # fmt: skip
STANDARD = (
    "يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو",
    "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر",
)  # fmt: skip


@pytest.mark.parametrize("month", range(1, 13))
def test_every_levantine_month(month: int) -> None:
    title = f"مقتل مدني في ريف درعا، 5 {LEVANTINE[month - 1]} 2023"
    assert incident_date(title, "2023-12-31") == f"2023-{month:02d}-05"


@pytest.mark.parametrize("month", range(1, 13))
def test_every_standard_month(month: int) -> None:
    title = f"مقتل مدني في ريف درعا في 5 {STANDARD[month - 1]} 2023"
    assert incident_date(title, "2023-12-31") == f"2023-{month:02d}-05"


@pytest.mark.parametrize("month", range(1, 13))
def test_every_paired_form(month: int) -> None:
    paired = f"{LEVANTINE[month - 1]}/{STANDARD[month - 1]}"
    assert incident_date(f"في 9 {paired} 2024", None) == f"2024-{month:02d}-09"
    assert incident_date(f"في 9 {paired}", "2024-12-31") == f"2024-{month:02d}-09"


@pytest.mark.parametrize(
    ("title", "published", "expected"),
    [
        # Observed: a yearless Levantine title, the year from the URL date.
        (
            "مقتل عسكري مُنشق من درعا بسبب التعذيب داخل أحد مراكز احتجاز النظام السوري، 6 آذار",
            "2021-03-07",
            "2021-03-06",
        ),
        # Observed: numeric dd-mm-yyyy.
        ("أُصيب ثلاثة أطفال أشقاء مهجّرين من قرية سفوهن في 15-11-2024", "2024-11-16", "2024-11-15"),
        ("في 07-12-2019، قصفت قوات النظام السوري", None, "2019-12-07"),
        ("في 7/12/2019", None, "2019-12-07"),
        # A pair with spaces around the slash, and the standard name first.
        ("في 3 كانون الأول / ديسمبر 2024", None, "2024-12-03"),
        ("في 3 ديسمبر/كانون الأول 2024", None, "2024-12-03"),
        # December incident published in January: the year before.
        ("مقتل مدني في ريف إدلب، 31 كانون الأول", "2022-01-02", "2021-12-31"),
        # Arabic-Indic and Persian digits.
        ("في ١٥ تشرين الثاني ٢٠٢٤", None, "2024-11-15"),
        ("في ۱۵ تشرین", None, None),
        ("في ١٥-١١-٢٠٢٤", None, "2024-11-15"),
        # Diacritics and tatweel inside the month name.
        ("في 5 أَيّار 2023", None, "2023-05-05"),
        ("في 5 نيســان 2023", None, "2023-04-05"),
        # Bidi and zero-width marks between day, month and year.
        ("في 6\u200f آذار\u200f 2021", None, "2021-03-06"),
        ("في 6 \u200cآذار 2021", None, "2021-03-06"),
        ("في \u202b6 آذار\u202c 2021", None, "2021-03-06"),
        # Hamza-less spellings.
        ("في 2 اذار 2020", None, "2020-03-02"),
        ("في 2 ايلول 2020", None, "2020-09-02"),
        ("في 2 تشرين الاول 2020", None, "2020-10-02"),
        # The last date in the title wins (titles end with the incident date).
        ("منذ 2 آذار 2019 وحتى 4 نيسان 2019", None, "2019-04-04"),
        # Month only, no day: no incident date.
        ("حصيلة الضحايا في كانون الأول/ديسمبر 2024", "2025-01-02", None),
        # "آب"/"اب" are also word beginnings: no false August.
        ("في 6 آباء قتلوا", "2021-03-07", None),
        ("مقتل 3 ابناء في ريف درعا", "2021-03-07", None),
        # A day that does not exist.
        ("في 31 شباط 2021", None, None),
        # Yearless with no publication date: unknown.
        ("في 6 آذار", None, None),
    ],
)
def test_cases(title: str, published: str | None, expected: str | None) -> None:
    assert incident_date(title, published) == expected


def test_normalisation_is_for_matching_only() -> None:
    text = "الشَّبكة\u200f ١٥ ـ"
    assert normalize_arabic(text) == "الشبكة 15"
    assert text == "الشَّبكة\u200f ١٥ ـ"  # the input is not touched


def test_month_table_covers_both_calendars() -> None:
    for number, (levantine, standard) in enumerate(zip(LEVANTINE, STANDARD, strict=True), 1):
        assert ARABIC_MONTHS[levantine] == ARABIC_MONTHS[standard] == number
