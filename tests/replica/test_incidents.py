"""The incident each news title was written from, in the opt-in richer truth.

Expected values are hand-written from reading the titles, not from the code that
wrote them: each case pins one title grammar branch.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from replica_helpers import fetch

from snhr_replica import World
from snhr_replica.cli import main
from snhr_replica.news_text import INCIDENT_KEYS, Incident, ar_headline, en_headline
from snhr_replica.truth import truth

EVENTS = {"killed", "injured", "killed_and_injured", "arrested", "died_in_detention",
          "attack_on_facility", "other"}  # fmt: skip
PARTIES = {"syrian_regime", "russia", "sdf", "hts", "unidentified_gunmen", "unknown", "isis",
           "turkish_backed_opposition", "armed_opposition"}  # fmt: skip


def _incident(kind: str, day: date, **picks: int) -> Incident:
    values = dict(gov=0, town=0, direction=0, perp=0, victim=0, name=0, facility=0, mode=0,
                  control=0, count=2)  # fmt: skip
    return Incident(kind=kind, day=day, **{**values, **picks})


def _said(**facts: object) -> dict[str, object]:
    return {**dict.fromkeys(INCIDENT_KEYS), **facts}


#: (incident, style, the English title, what it says) — read off the title by hand.
ENGLISH = (
    (_incident("attack", date(2019, 12, 7), perp=0, facility=0, town=0, gov=0), "suburbs",
     "Syrian regime forces bombed two schools in Kafranbel city in Idlib suburbs, on December 7",
     _said(event="attack_on_facility", perpetrator="syrian_regime", facility="school",
           governorate="SY-ID", place="Kafranbel")),
    (_incident("casualty", date(2021, 5, 4), victim=3, mode=1, perp=1, town=1, direction=3, gov=1),
     "yearless",
     "Two children siblings killed in a drone Russian attack in W. Aleppo governorate, May 4",
     _said(event="killed", killed=2, children=2, perpetrator="russia", governorate="SY-HL",
           direction="W")),
    (_incident("torture", date(2021, 5, 4), gov=2), "yearless",
     "Death of a military defector, from Daraa, due to torture in Syrian regime detention center confirmed, May 4",
     _said(event="died_in_detention", killed=1, perpetrator="syrian_regime", origin_governorate="SY-DR")),
    (_incident("arrest", date(2023, 5, 16), perp=2, direction=2, gov=3), "long",
     "SDF arrests a civilian in eastern Deir Ez-Zour governorate, May 16, 2023",
     _said(event="arrested", arrested=1, perpetrator="sdf", governorate="SY-DY", direction="E")),
    (_incident("casualty", date(2024, 4, 25), count=4, name=0, perp=5, direction=2, gov=3), "compact",
     "Man named Muhajer al-Jaffal shot dead by I.S.I.S personnel in E. Deir Ez-Zour, April 25, 2024",
     _said(event="killed", killed=1, perpetrator="isis", victim_names=["Muhajer al-Jaffal"],
           governorate="SY-DY", direction="E")),
    (_incident("casualty", date(2024, 4, 26), count=3, victim=6, mode=0, perp=4, direction=1, gov=0),
     "compact", "A woman killed in a ground unidentified attack in S. Idlib, April 26, 2024",
     _said(event="killed", killed=1, women=1, perpetrator="unknown", governorate="SY-ID", direction="S")),
)  # fmt: skip


@pytest.mark.parametrize(("inc", "style", "title", "said"), ENGLISH)
def test_english_titles_say_what_was_read_off_them(inc, style, title, said) -> None:
    assert en_headline(inc, style) == (title, said)


def test_arabic_title_and_the_armed_opposition() -> None:
    inc = _incident("attack", date(2024, 11, 9), perp=6, facility=1, town=8, gov=1, direction=3)
    title, said = ar_headline(inc, "compact")
    assert (
        title
        == "فصائل في المعارضة المسلحة تقصف مشفى في الأتارب بريف حلب الغربي، 9 تشرين الثاني 2024"
    )
    assert said == _said(event="attack_on_facility", perpetrator="armed_opposition", facility="hospital",
                         governorate="SY-HL", direction="W", place="الأتارب")  # fmt: skip


def test_a_daily_toll_is_no_single_incident() -> None:
    inc = _incident("daily", date(2023, 12, 15))
    assert en_headline(inc, "long") == (
        "The daily death toll of civilian victims in Syria on December 15, 2023",
        None,
    )
    assert ar_headline(inc, "long")[1] is None


def test_every_truth_record_carries_a_well_formed_incident() -> None:
    world = World(posts=60, seed=5)
    records = truth(world)
    news = [r for r in records if r["site"] == "news.snhr.org"]
    for record in records:
        incident = record["incident"]
        if record["site"] != "news.snhr.org" or record["doc_type"] == "daily_death_toll":
            assert incident is None
            continue
        assert tuple(incident) == INCIDENT_KEYS
        assert incident["event"] in EVENTS
        assert incident["perpetrator"] in PARTIES
        if incident["event"] != "died_in_detention":  # "… dies in a detention center" says no place
            assert incident["governorate"]
        for code in (incident["governorate"], incident["origin_governorate"]):
            assert code is None or code.startswith("SY-")
        assert incident["direction"] in (None, "N", "S", "E", "W")
        if incident["place"]:
            assert incident["place"] in record["title"]
        for name in incident["victim_names"] or []:
            assert name in record["title"]
    assert {r["incident"]["event"] for r in news if r["incident"]} == {
        "killed", "arrested", "died_in_detention", "attack_on_facility",
    }  # fmt: skip


def test_governorate_codes_are_iso_3166_2_sy() -> None:
    pycountry = pytest.importorskip("pycountry")
    from snhr_replica.lexicon import GOVERNORATE_CODES

    for code in GOVERNORATE_CODES:
        assert pycountry.subdivisions.get(code=code).country_code == "SY"


def test_cli_and_admin_api_give_the_incident(tmp_path, replica) -> None:
    target = tmp_path / "truth.jsonl"
    assert main(["truth", "--posts", "3", "--output", str(target)]) == 0
    records = [json.loads(line) for line in target.read_text("utf-8").splitlines()]
    assert all("incident" in r for r in records)
    assert any(r["incident"] for r in records)
    origin = replica.origins["snhr_news"]
    lines = fetch(origin + "/__replica/truth?source=snhr_news").text.splitlines()
    assert [json.loads(line) for line in lines] == replica.truth("snhr_news")
