"""Titles in the offline replica's style parse to what the replica meant by them.

The replica builds each news title from an ``Incident`` (its own model), so
the expected fields come from that model through the hand-written tables
below (which party each replica phrase names, which code each governorate
has), never from the parser. Main-site documents must read as no incident.
"""

from __future__ import annotations

import random
from datetime import date
from typing import Any

import pytest

from snhr_replica import news_text, report_text
from snhr_replica.lexicon import NAMES, TOWNS
from tests.incidents.expect import assert_parses_as

#: The replica's GOVERNORATES, in order.
GOVERNORATE_CODES = (
    "SY-ID", "SY-HL", "SY-DR", "SY-DY", "SY-HM", "SY-HI", "SY-RA", "SY-HA", "SY-RD", "SY-LA", "SY-SU", "SY-QU",
)  # fmt: skip
#: The replica's PERPETRATORS as nouns ("Syrian regime forces", ..., "Factions of the Armed Opposition/SNA").
PARTY_NOUN = (
    "syrian_regime",
    "russia",
    "sdf",
    "hts",
    "unidentified_gunmen",
    "isis",
    "turkish_backed_opposition",
)
#: ... as adjectives ("a drone regime attack"); "an unidentified attack" names no gunmen, only an unknown party.
PARTY_ADJECTIVE = (
    "syrian_regime",
    "russia",
    "sdf",
    "hts",
    "unknown",
    "isis",
    "turkish_backed_opposition",
)
#: ... in Arabic: "فصائل في المعارضة المسلحة" says armed opposition factions, without the SNA.
PARTY_ARABIC = (
    "syrian_regime",
    "russia",
    "sdf",
    "hts",
    "unidentified_gunmen",
    "isis",
    "armed_opposition",
)
#: The replica's VICTIMS: (count, children, women), the same in both languages.
VICTIMS = ((1, None, None), (2, None, None), (3, None, None), (2, 2, None), (1, 1, None), (1, None, None),
           (1, None, 1), (4, None, None))  # fmt: skip
FACILITIES = ("school", "hospital", "mosque", "bakery", "market", "water_station")
DIRECTIONS = ("N", "S", "E", "W")
#: A publication day in each era of the title grammar.
ERAS = {
    "suburbs": date(2019, 6, 1),
    "yearless": date(2021, 6, 1),
    "long": date(2023, 6, 1),
    "compact": date(2024, 6, 1),
}


def _incidents(style: str, kind: str, count: int = 40) -> list[news_text.Incident]:
    r = random.Random(f"{style}/{kind}")
    published = ERAS[style]
    return [
        news_text.pick_incident(r, kind, news_text.incident_day(r, published, kind))
        for _ in range(count)
    ]


def _victims(inc: news_text.Incident, field: str) -> dict[str, Any]:
    count, children, women = VICTIMS[inc.victim]
    return {field: count, "children": children, "women": women}


def english_expected(inc: news_text.Incident, style: str) -> dict[str, Any] | None:
    if inc.kind == "daily":
        return None
    gov = GOVERNORATE_CODES[inc.gov]
    where: dict[str, Any] = {"governorate": gov}
    if style == "suburbs" or (style == "yearless" and inc.town % 2 == 0):
        where["place"] = TOWNS[inc.town][0]
    else:
        where["direction"] = DIRECTIONS[inc.direction]
    noun, adjective = PARTY_NOUN[inc.perp], PARTY_ADJECTIVE[inc.perp]
    name = NAMES[inc.name][0]
    if inc.kind == "torture":
        if style == "suburbs":
            return {
                "event": "died_in_detention",
                "killed": 1,
                "perpetrator": "syrian_regime",
                **where,
            }
        if style == "yearless":
            return {
                "event": "died_in_detention",
                "killed": 1,
                "perpetrator": "syrian_regime",
                "origin_governorate": gov,
            }
        named = {"victim_names": [name]} if style == "compact" else {}
        return {"event": "died_in_detention", "killed": 1, "perpetrator": "syrian_regime", **named}
    if inc.kind == "attack":
        return {
            "event": "attack_on_facility",
            "perpetrator": noun,
            "facility": FACILITIES[inc.facility],
            **where,
        }
    if inc.kind == "arrest":
        arrested = {"arrested": 1} if style in ("long", "compact") else _victims(inc, "arrested")
        return {"event": "arrested", "perpetrator": noun, **arrested, **where}
    if style == "suburbs":
        return {"event": "killed", "perpetrator": noun, **where}
    if style == "yearless" or inc.count % 2:
        return {"event": "killed", "perpetrator": adjective, **_victims(inc, "killed"), **where}
    return {"event": "killed", "killed": 1, "perpetrator": noun, "victim_names": [name], **where}


def arabic_expected(inc: news_text.Incident) -> dict[str, Any] | None:
    if inc.kind == "daily":
        return None
    gov = GOVERNORATE_CODES[inc.gov]
    where = {
        "governorate": gov,
        "direction": DIRECTIONS[inc.direction],
        "place": TOWNS[inc.town][2],
    }
    party = PARTY_ARABIC[inc.perp]
    if inc.kind == "torture":
        return {
            "event": "died_in_detention",
            "killed": 1,
            "perpetrator": "syrian_regime",
            "origin_governorate": gov,
        }
    if inc.kind == "attack":
        return {
            "event": "attack_on_facility",
            "perpetrator": party,
            "facility": FACILITIES[inc.facility],
            **where,
        }
    if inc.kind == "arrest":
        return {"event": "arrested", "arrested": 1, "perpetrator": party, **where}
    return {"event": "killed", "perpetrator": party, **_victims(inc, "killed"), **where}


@pytest.mark.parametrize("kind", news_text.KINDS)
@pytest.mark.parametrize("style", list(ERAS))
def test_replica_news_titles_parse_to_the_replica_incident(style: str, kind: str) -> None:
    published = ERAS[style].isoformat()
    for inc in _incidents(style, kind):
        assert_parses_as(
            news_text.en_title(inc, style), published, "en", english_expected(inc, style)
        )
        assert_parses_as(news_text.ar_title(inc, style), published, "ar", arabic_expected(inc))


@pytest.mark.parametrize("category", [key for key, _ in report_text.CATEGORY_WEIGHTS])
def test_replica_main_site_documents_are_not_incidents(category: str) -> None:
    r = random.Random(category)
    for year in (2014, 2016, 2020, 2024):
        for _ in range(12):
            doc = report_text.pick_document(
                r, category, date(year, r.randint(1, 12), r.randint(1, 28))
            )
            for long_title in (False, True):
                doc = report_text.Document(**{**doc.__dict__, "long_title": long_title})
                assert_parses_as(report_text.en_title(doc), f"{year}-12-31", "en", None)
                assert_parses_as(report_text.ar_title(doc), f"{year}-12-31", "ar", None)
