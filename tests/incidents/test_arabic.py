"""Arabic titles: the reference's real ones, read by hand, then the grammar's variants.

Same conventions as the English tests; ``place`` and names are the title's own
words, diacritics included.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.incidents.expect import assert_parses_as

REAL: list[tuple[str, str | None, dict[str, Any]]] = [
    (
        "مقتل عسكري مُنشق من درعا بسبب التعذيب داخل أحد مراكز احتجاز النظام السوري، 6 آذار",
        "2021-03-07",
        # The Arabic twin of "Death of a military defector, from Daraa, due to torture ...".
        {
            "event": "died_in_detention",
            "killed": 1,
            "perpetrator": "syrian_regime",
            "origin_governorate": "SY-DR",
            "span_texts": {
                "killed": "عسكري مُنشق",
                "origin_governorate": "درعا",
                "perpetrator": "النظام السوري",
            },
        },
    ),
    (
        # Only the slug's beginning survives ("إصابة ثلاثة أطفال أشقاء بجراح إثر انفج…").
        "إصابة ثلاثة أطفال أشقاء بجراح إثر انفج",
        "2024-11-16",
        {
            "event": "injured",
            "injured": 3,
            "children": 3,
            "span_texts": {"injured": "ثلاثة أطفال أشقاء"},
        },
    ),
]

GRAMMAR: list[tuple[str, str | None, dict[str, Any]]] = [
    (
        "مقتل مدنيَّين اثنين على يد قوات النظام السوري في كفرنبل بريف إدلب الجنوبي، 30 نيسان 2024",
        "2024-05-01",
        {"event": "killed", "killed": 2, "perpetrator": "syrian_regime", "governorate": "SY-ID", "direction": "S",
         "place": "كفرنبل", "span_texts": {"killed": "مدنيَّين اثنين", "direction": "الجنوبي", "governorate": "إدلب"}},
    ),
    (
        "مقتل رجل يدعى غازي الرفاعي وإصابة زوجته برصاص مسلحين مجهولين في ريف درعا الغربي، 12 حزيران 2024",
        "2024-06-13",
        {"event": "killed_and_injured", "killed": 1, "injured": 1, "women": 1,
         "perpetrator": "unidentified_gunmen", "governorate": "SY-DR", "direction": "W",
         "victim_names": ["غازي الرفاعي"], "span_texts": {"injured": "زوجته"}},
    ),
    (
        "قوات النظام السوري تقصف مدرستين في مدينة الأتارب بريف حلب الغربي، 9-11-2024",
        "2024-11-09",
        {"event": "attack_on_facility", "perpetrator": "syrian_regime", "governorate": "SY-HL", "direction": "W",
         "place": "الأتارب", "facility": "school", "span_texts": {"facility": "مدرستين"}},
    ),
    (
        "قوات سوريا الديمقراطية تعتقل ثلاثة مدنيين في مدينة الرقة، 20 حزيران",
        "2020-06-22",
        {"event": "arrested", "arrested": 3, "perpetrator": "sdf", "governorate": "SY-RA", "place": "الرقة"},
    ),
    (
        "وفاة مدني من أبناء مدينة إدلب بسبب التعذيب في أحد مراكز الاحتجاز التابعة للنظام السوري، 6 كانون الثاني 2023",
        "2023-01-09",
        {"event": "died_in_detention", "killed": 1, "perpetrator": "syrian_regime", "origin_governorate": "SY-ID"},
    ),
    (
        "إصابة طفلة وامرأة بقصف طائرة مسيرة روسية على سوق في مدينة سراقب بريف إدلب الشرقي، 3 أيار 2019",
        "2019-05-04",
        {"event": "injured", "injured": 2, "children": 1, "women": 1, "perpetrator": "russia",
         "governorate": "SY-ID", "direction": "E", "place": "سراقب", "facility": "market"},
    ),
    (
        "مقتل ستة مدنيين بينهم طفلان على يد مسلحين لم نتمكن من تحديد هويتهم شرق دير الزور، 16 نيسان 2023",
        "2023-04-17",
        {"event": "killed", "killed": 6, "children": 2, "perpetrator": "unidentified_gunmen",
         "governorate": "SY-DY", "direction": "E", "span_texts": {"direction": "شرق"}},
    ),
    (
        "مقتل مدني إثر انفجار لغم أرضي مجهول المصدر في ريف حماة الشمالي الشرقي، 5 شباط 2025",
        "2025-02-06",
        # Between two sides ("north-east"): no single direction.
        {"event": "killed", "killed": 1, "perpetrator": "unknown", "governorate": "SY-HM"},
    ),
    (
        "هيئة تحرير الشام تعتقل مدنياً في بلدة أرمناز بريف إدلب، 22 آذار",
        "2021-03-23",
        {"event": "arrested", "arrested": 1, "perpetrator": "hts", "governorate": "SY-ID", "place": "أرمناز"},
    ),
    (
        "اعتقال شابين في جديدة عرطوز بريف دمشق على يد قوات النظام السوري، 25 شباط",
        "2021-03-02",
        {"event": "arrested", "arrested": 2, "perpetrator": "syrian_regime", "governorate": "SY-RD",
         "place": "جديدة عرطوز", "span_texts": {"governorate": "ريف دمشق"}},
    ),
    (
        "مقتل مدني على يد قوات الأمن العام في مدينة حمص، 3 شباط 2025",
        "2025-02-04",
        # After 8 December 2024, General Security is the new authorities' force.
        {"event": "killed", "killed": 1, "perpetrator": "syrian_government", "governorate": "SY-HI", "place": "حمص"},
    ),
    (
        "مقتل مدنيين اثنين وإصابة ثمانية آخرين بانفجار عبوة ناسفة في ريف حلب الشرقي، 24-12-2024",
        "2024-12-25",
        {"event": "killed_and_injured", "killed": 2, "injured": 8, "governorate": "SY-HL", "direction": "E"},
    ),
    (
        "مقتل مدنيين بقصف للقوات الإسرائيلية على ريف القنيطرة، 2 نيسان 2025",
        "2025-04-03",
        # "مدنيين" without a number is dual or plural alike: no count.
        {"event": "killed", "perpetrator": "israel", "governorate": "SY-QU"},
    ),
]  # fmt: skip

# Headlines written in SNHR's Arabic news style (not copied from the site), one shape each.
STYLE: list[tuple[str, str | None, dict[str, Any]]] = [
    (
        "قوات النظام السوري تعتقل مواطنين اثنين في مدينة التل بريف دمشق، 3 آذار",
        "2022-03-04",
        {"event": "arrested", "arrested": 2, "perpetrator": "syrian_regime", "governorate": "SY-RD", "place": "التل"},
    ),
    (
        "قوات سوريا الديمقراطية تختطف طفلة بهدف التجنيد في مدينة القامشلي بريف الحسكة، 9 تموز 2023",
        "2023-07-10",
        {"event": "arrested", "arrested": 1, "children": 1, "perpetrator": "sdf", "governorate": "SY-HA",
         "place": "القامشلي"},
    ),
    (
        "وفاة طفل بسبب البرد في مخيم كفرلوسين بريف إدلب الشمالي، 9 كانون الثاني",
        "2021-01-10",
        # A death from the cold: a death, not in detention; the camp is where, not what was attacked.
        {"event": "killed", "killed": 1, "children": 1, "governorate": "SY-ID", "direction": "N",
         "place": "كفرلوسين"},
    ),
    (
        "العثور على جثة شاب يدعى إبراهيم الصمادي في ريف درعا الشرقي، 12 تشرين الثاني 2024",
        "2024-11-13",
        {"event": "killed", "killed": 1, "governorate": "SY-DR", "direction": "E",
         "victim_names": ["إبراهيم الصمادي"]},
    ),
    (
        "مقتل طفل وإصابة والدته بقصف مدفعي لقوات النظام السوري على قرية البارة بريف إدلب الجنوبي، 26 نيسان 2024",
        "2024-04-27",
        {"event": "killed_and_injured", "killed": 1, "injured": 1, "children": 1, "women": 1,
         "perpetrator": "syrian_regime", "governorate": "SY-ID", "direction": "S", "place": "البارة"},
    ),
    (
        "مقتل خمسة مدنيين بينهم طفلان إثر غارة جوية روسية على مدينة أريحا بريف إدلب، 30 كانون الثاني",
        "2020-01-31",
        {"event": "killed", "killed": 5, "children": 2, "perpetrator": "russia", "governorate": "SY-ID",
         "place": "أريحا"},
    ),
]  # fmt: skip

NOT_INCIDENTS = [
    "الحصيلة اليومية للضحايا المدنيين في سوريا في 15 كانون الأول 2023",
    "مقتل 1264 مدنياً بينهم 242 طفلاً و118 سيدة في سوريا في عام 2024",
    "ما لا يقل عن 213 حالة اعتقال تعسفي في تشرين الأول/أكتوبر 2024",
    "الشبكة السورية لحقوق الإنسان تدين قصف قوات النظام السوري لمدينة إدلب",
    "التقرير السنوي الرابع عشر عن الاختفاء القسري في سوريا",
    "مقتل 503 مدنياً في كانون الأول/ديسمبر 2024",
]


@pytest.mark.parametrize(("title", "published", "expected"), REAL + GRAMMAR + STYLE)
def test_arabic_titles(title: str, published: str | None, expected: dict[str, Any]) -> None:
    assert_parses_as(title, published, "ar", expected)


@pytest.mark.parametrize("title", NOT_INCIDENTS)
def test_arabic_reports_and_tolls_are_not_incidents(title: str) -> None:
    assert_parses_as(title, "2024-01-01", "ar", None)


def test_eastern_digits_and_invisible_marks_are_read_and_spans_keep_them() -> None:
    title = "مقتل \u200fثلاثة مدنيين في بلدة طفس بريف درعا الغربي، ١٢-٠٦-٢٠٢٤"
    assert_parses_as(
        title, "2024-06-13", "ar",
        {"event": "killed", "killed": 3, "governorate": "SY-DR", "direction": "W", "place": "طفس",
         "span_texts": {"killed": "ثلاثة مدنيين", "place": "طفس"}},
    )  # fmt: skip
