"""The party a name means depends on when the item was published (one table, perpetrators.py)."""

from __future__ import annotations

import re
from datetime import date

import pytest

from snhr_crawler.incidents import parse_title
from snhr_crawler.incidents.perpetrators import (
    ARABIC,
    CODES,
    ENGLISH,
    FALL_OF_THE_REGIME,
    published_day,
)


def _party(title: str, published: str | None, language: str = "en") -> str | None:
    result = parse_title(title, published, language)
    assert result is not None
    return result["perpetrator"]


@pytest.mark.parametrize(
    ("title", "published", "party"),
    [
        # The state's forces: the regime's until 8 December 2024, the new authorities' from then on.
        ("A civilian killed by government forces in Homs, May 3, 2023", "2023-05-04", "syrian_regime"),
        ("A civilian killed by government forces in Homs, March 7, 2025", "2025-03-08", "syrian_government"),
        ("A civilian killed by government forces in Homs, December 7, 2024", "2024-12-07", "syrian_regime"),
        ("A civilian killed by government forces in Homs, December 8, 2024", "2024-12-08", "syrian_government"),
        ("Man arrested by General Security in Latakia, March 7, 2025", "2025-03-07", "syrian_government"),
        ("Man arrested by General Security in Latakia, March 7, 2019", "2019-03-07", "syrian_regime"),
        ("Two civilians killed by security forces in Tartus, March 7, 2025", "2025-03-08", "syrian_government"),
        # The former regime's people after its fall are still the regime.
        ("A civilian killed by remnants of the former regime in Jableh city in Latakia, March 6, 2025",
         "2025-03-07", "syrian_regime"),
        # A 2025 item about a death in one of the regime's prisons still names the regime.
        ("Detainee dies due to torture in a Syrian regime detention center, January 3, 2025", "2025-01-05",
         "syrian_regime"),
        ("A child injured by the Military Operations Command in Hama, December 1, 2024", "2024-12-02",
         "armed_opposition"),
        ("A child injured by the Military Operations Command in Hama, December 20, 2024", "2024-12-21",
         "syrian_government"),
        ("Civilian injured by Israeli forces in Quneitra, June 2, 2025", "2025-06-03", "israel"),
        # Names whose meaning never changed need no date.
        ("A civilian killed by Russian forces in Idlib, May 3", None, "russia"),
        ("Man shot dead by HTS personnel in Idlib, May 3", None, "hts"),
        # Without a date, a name whose meaning changed names nobody.
        ("A civilian killed by government forces in Homs, May 3", None, None),
        ("A civilian killed by government forces in Homs, May 3", "not a date", None),
        # The specific name wins over the general one starting at the same word.
        ("A child killed by Turkish-backed factions in Afrin city in N. Aleppo, May 3, 2023", "2023-05-04",
         "turkish_backed_opposition"),
        ("A child killed by Turkish border guards in W. Idlib, May 3, 2023", "2023-05-04", "turkey"),
        ("Three civilians killed by Syrian-Russian alliance forces in Idlib, May 3, 2019", "2019-05-04",
         "regime_and_russia"),
        ("Two civilians killed by Factions of the Armed Opposition/Syrian National Army in Aleppo, May 3, 2021",
         "2021-05-04", "turkish_backed_opposition"),
        ("Two civilians killed by armed opposition factions in Hama, May 3, 2016", "2016-05-04", "armed_opposition"),
        ("Civilian killed by US-led coalition drone in Idlib, May 3, 2021", "2021-05-04", "us_coalition"),
    ],
)  # fmt: skip
def test_english_party_by_period(title: str, published: str | None, party: str | None) -> None:
    assert _party(title, published) == party


@pytest.mark.parametrize(
    ("title", "published", "party"),
    [
        ("مقتل مدني على يد قوات الأمن العام في حمص، 3 شباط 2025", "2025-02-04", "syrian_government"),
        ("مقتل مدني على يد قوات الأمن في حمص، 3 شباط 2020", "2020-02-04", "syrian_regime"),
        ("مقتل مدني على يد فلول النظام البائد في ريف اللاذقية، 6 آذار 2025", "2025-03-07", "syrian_regime"),
        ("مقتل مدني على يد قوات الأمن في حمص، 3 شباط", None, None),
        ("مقتل طفل بقصف لقوات الحلف السوري الروسي على ريف إدلب، 3 أيار 2019", "2019-05-04", "regime_and_russia"),
        ("اعتقال شاب على يد الجيش الوطني السوري في ريف حلب الشمالي، 3 أيار 2022", "2022-05-04",
         "turkish_backed_opposition"),
    ],
)  # fmt: skip
def test_arabic_party_by_period(title: str, published: str | None, party: str | None) -> None:
    assert _party(title, published, "ar") == party


def test_every_term_names_a_known_party_and_compiles() -> None:
    for term in (*ENGLISH, *ARABIC):
        re.compile(term.pattern)
        assert all(party.code in CODES for party in term.parties)
        # No day is claimed by two readings of one term.
        for first, second in zip(term.parties, term.parties[1:], strict=False):
            assert first.until is not None
            assert second.since is not None
            assert first.until <= second.since


def test_publication_dates_are_read_leniently() -> None:
    assert published_day("2024-12-08T01:00:00+03:00") == FALL_OF_THE_REGIME
    assert published_day("2024-12-08") == date(2024, 12, 8)
    for bad in (None, "", "2024-13-01", "yesterday", "2024-1-1"):
        assert published_day(bad) is None
