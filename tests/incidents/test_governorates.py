"""Every governorate has its ISO code (from pycountry) and the spellings titles use map to it."""

from __future__ import annotations

import pycountry
import pytest

from snhr_crawler.incidents import parse_title
from snhr_crawler.incidents.governorates import SPELLINGS, english_code


def test_the_table_covers_exactly_the_iso_subdivisions_of_syria() -> None:
    assert set(SPELLINGS) == {s.code for s in pycountry.subdivisions.get(country_code="SY")}


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("Deir Ez-Zour", "SY-DY"), ("Deir ez-Zor", "SY-DY"), ("Deir-ez-Zor", "SY-DY"), ("Dayr az Zawr", "SY-DY"),
        ("Deir al-Zour", "SY-DY"), ("Damascus suburbs", "SY-RD"), ("Rif Dimashq", "SY-RD"),
        ("Damascus countryside", "SY-RD"), ("Rural Damascus", "SY-RD"), ("Damascus", "SY-DI"),
        ("Dar'a", "SY-DR"), ("Deraa", "SY-DR"), ("Hasakah", "SY-HA"), ("Al Hasakah", "SY-HA"),
        ("Hims", "SY-HI"), ("Halab", "SY-HL"), ("Hamah", "SY-HM"), ("Idleb", "SY-ID"), ("Lattakia", "SY-LA"),
        ("Al Ladhiqiyah", "SY-LA"), ("Quneitra", "SY-QU"), ("Ar Raqqah", "SY-RA"), ("Sweida", "SY-SU"),
        ("As Suwayda'", "SY-SU"), ("Tartous", "SY-TA"), ("Ţarţūs", "SY-TA"),
    ],
)  # fmt: skip
def test_english_spellings(written: str, code: str) -> None:
    assert english_code(written) == code
    result = parse_title(f"A civilian killed in {written}, May 3, 2024", "2024-05-04", "en")
    assert result is not None
    assert result["governorate"] == code


@pytest.mark.parametrize(
    ("phrase", "code", "direction"),
    [
        ("in Idlib suburbs", "SY-ID", None),
        ("in the eastern suburbs of Damascus", "SY-RD", "E"),
        ("in Damascus city", "SY-DI", None),
        ("in Aleppo's western countryside", "SY-HL", "W"),
        ("in rural Damascus", "SY-RD", None),
        ("east of Hama", "SY-HM", "E"),
        ("near Hama", "SY-HM", None),
        ("in northern rural Idlib", "SY-ID", "N"),
    ],
)  # fmt: skip
def test_english_governorate_phrases(phrase: str, code: str | None, direction: str | None) -> None:
    result = parse_title(f"A civilian killed {phrase}, May 3, 2024", "2024-05-04", "en")
    assert result is not None
    assert (result["governorate"], result["direction"]) == (code, direction)


@pytest.mark.parametrize(
    ("written", "code"),
    [("إدلب", "SY-ID"), ("ادلب", "SY-ID"), ("حماة", "SY-HM"), ("حماه", "SY-HM"), ("دير الزور", "SY-DY"),
     ("الرقة", "SY-RA"), ("الحسكة", "SY-HA"), ("ريف دمشق", "SY-RD"), ("دمشق", "SY-DI"), ("طرطوس", "SY-TA"),
     ("السويداء", "SY-SU"), ("القنيطرة", "SY-QU"), ("اللاذقية", "SY-LA"), ("حمص", "SY-HI"), ("حلب", "SY-HL"),
     ("درعا", "SY-DR")],
)  # fmt: skip
def test_arabic_spellings(written: str, code: str) -> None:
    result = parse_title(f"مقتل مدني في محافظة {written}، 3 أيار 2024", "2024-05-04", "ar")
    assert result is not None
    assert result["governorate"] == code
