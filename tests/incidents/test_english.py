"""English titles: every real title in the reference, each read by hand, then the grammar's variants.

Expected values were written by reading each title, never by running the
parser. The reading conventions (docs/incidents.md): a count only where the
title states or clearly implies it ("civilians" gives none, "Man named X" one);
``place`` is the name without its "city"/"village" word; a death in detention
counts in ``killed``; a body found is a killing; an abduction is an arrest.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.incidents.expect import assert_parses_as

# (title, publication date from the URL, expected); published None where only a Related News block had it.
NEWS_SITE: list[tuple[str, str | None, dict[str, Any]]] = [
    (
        "Syrian regime forces bombed two vital facilities in Kafranbel city in Idlib suburbs, on December 7",
        "2019-12-07",
        {"event": "attack_on_facility", "perpetrator": "syrian_regime", "governorate": "SY-ID",
         "place": "Kafranbel", "facility": "other",
         "span_texts": {"facility": "vital facilities", "perpetrator": "Syrian regime", "governorate": "Idlib"}},
    ),
    (
        "Russian forces killed civilians in Mardikh village in Idlib suburbs, on December 19",
        "2019-12-20",
        {"event": "killed", "perpetrator": "russia", "governorate": "SY-ID", "place": "Mardikh",
         "span_texts": {"event": "killed", "place": "Mardikh"}},
    ),
    (
        "Russian forces killed civilians in Saraqeb city in Idlib, on February 28",
        "2020-02-29",
        {"event": "killed", "perpetrator": "russia", "governorate": "SY-ID", "place": "Saraqeb"},
    ),
    (
        "Children killed in explosion of remnants of previous bombing near Idlib city on June 9",
        "2020-06-09",
        # "Children": victims are children, but how many is not said.
        {"event": "killed", "governorate": "SY-ID", "place": "Idlib"},
    ),
    (
        "SDF arrested a Raqqa civil council employee in Raqqa city on June 20",
        "2020-06-22",
        {"event": "arrested", "arrested": 1, "perpetrator": "sdf", "governorate": "SY-RA", "place": "Raqqa",
         "span_texts": {"arrested": "a Raqqa civil council employee", "place": "Raqqa"}},
    ),
    (
        "SDF backed by US-led coalition helicopter arrested two civilians in al Sabha village in Deir Ez-Zour, Sept 27",
        "2020-09-28",
        # The SDF arrested; the coalition's helicopter backed them.
        {"event": "arrested", "arrested": 2, "perpetrator": "sdf", "governorate": "SY-DY", "place": "al Sabha"},
    ),
    (
        "Syrian regime arrested two civilians in al Ghariya town in Daraa suburbs on November 26",
        "2020-11-28",
        {"event": "arrested", "arrested": 2, "perpetrator": "syrian_regime", "governorate": "SY-DR",
         "place": "al Ghariya"},
    ),
    (
        "Syrian regime forces arrested a civilian in Jdaidet Artouz town in Damascus suburbs on February 25",
        "2021-03-02",
        {"event": "arrested", "arrested": 1, "perpetrator": "syrian_regime", "governorate": "SY-RD",
         "place": "Jdaidet Artouz", "span_texts": {"governorate": "Damascus suburbs"}},
    ),
    (
        "HTS arrested a Syria Immunization Group employee in Armanaz town in Idlib suburbs on March 22",
        "2021-03-23",
        {"event": "arrested", "arrested": 1, "perpetrator": "hts", "governorate": "SY-ID", "place": "Armanaz"},
    ),
    (
        "Death of a military defector, from Daraa, due to torture in Syrian regime detention center confirmed, May 4",
        "2021-05-05",
        # From Daraa; where he died (a detention centre) is not placed in a governorate.
        {"event": "died_in_detention", "killed": 1, "perpetrator": "syrian_regime", "origin_governorate": "SY-DR",
         "span_texts": {"origin_governorate": "Daraa", "killed": "a military defector"}},
    ),
    (
        "Syrian regime forces arrested a reporter in Damascus city on June 24",
        "2021-06-26",
        {"event": "arrested", "arrested": 1, "perpetrator": "syrian_regime", "governorate": "SY-DI",
         "place": "Damascus"},
    ),
    (
        "Syrian regime forces bombed a school in W. Aleppo governorate on November 24",
        "2021-11-24",
        {"event": "attack_on_facility", "perpetrator": "syrian_regime", "governorate": "SY-HL", "direction": "W",
         "facility": "school", "span_texts": {"direction": "W.", "facility": "school"}},
    ),
    (
        "HTS arrested a civilian in W. Idlib governorate on December 13",
        "2021-12-15",
        {"event": "arrested", "arrested": 1, "perpetrator": "hts", "governorate": "SY-ID", "direction": "W"},
    ),
    (
        "Gunmen killed a civilian in eastern Daraa governorate on May 9",
        "2022-05-11",
        {"event": "killed", "killed": 1, "perpetrator": "unidentified_gunmen", "governorate": "SY-DR",
         "direction": "E", "span_texts": {"direction": "eastern", "perpetrator": "Gunmen"}},
    ),
    (
        "Civilian dies due to torture in a Syrian regime detention center, January 6, 2023",
        "2023-01-09",
        {"event": "died_in_detention", "killed": 1, "perpetrator": "syrian_regime"},
    ),
    (
        "Six civilians killed in a massacre by unidentified gunmen in eastern Deir Ez-Zour governorate, April 16, 2023",
        "2023-04-17",
        {"event": "killed", "killed": 6, "perpetrator": "unidentified_gunmen", "governorate": "SY-DY",
         "direction": "E", "span_texts": {"killed": "Six civilians", "governorate": "Deir Ez-Zour"}},
    ),
    (
        "SDF, backed by the International Coalition, arrests a civilian in Deir Ez-Zour governorate, May 16, 2023",
        "2023-05-16",
        {"event": "arrested", "arrested": 1, "perpetrator": "sdf", "governorate": "SY-DY"},
    ),
    (
        "Man named Ghazi al-Refa'ie killed, his wife injured by unidentified gunmen in W. Daraa, June 12, 2024",
        "2024-06-13",
        {"event": "killed_and_injured", "killed": 1, "injured": 1, "women": 1,
         "perpetrator": "unidentified_gunmen", "governorate": "SY-DR", "direction": "W",
         "victim_names": ["Ghazi al-Refa'ie"],
         "span_texts": {"injured": "his wife", "women": "his wife", "victim_names": ["Ghazi al-Refa'ie"]}},
    ),
    (
        "Syrian regime forces bomb two schools in W. Aleppo, November 9, 2024",
        "2024-11-09",
        {"event": "attack_on_facility", "perpetrator": "syrian_regime", "governorate": "SY-HL", "direction": "W",
         "facility": "school"},
    ),
    (
        "Two civilians injured in a drone regime attack on a car in W. Aleppo, April 22, 2024",
        "2024-04-22",  # slug-derived title (breadcrumb table); a car is not a facility
        {"event": "injured", "injured": 2, "perpetrator": "syrian_regime", "governorate": "SY-HL", "direction": "W"},
    ),
    # Titles seen in Related News blocks.
    (
        "Two children siblings injured in a ground regime attack in S. Idlib, April 26, 2024",
        None,
        {"event": "injured", "injured": 2, "children": 2, "perpetrator": "syrian_regime", "governorate": "SY-ID",
         "direction": "S", "span_texts": {"perpetrator": "regime"}},
    ),
    (
        "Man named Muhajer al-Jaffal shot dead by I.S.I.S personnel in E. Deir Ez-Zour, April 25, 2024",
        None,
        {"event": "killed", "killed": 1, "perpetrator": "isis", "governorate": "SY-DY", "direction": "E",
         "victim_names": ["Muhajer al-Jaffal"], "span_texts": {"event": "shot dead", "perpetrator": "I.S.I.S"}},
    ),
    (
        "A man named Adnan al-Refa'ie shot dead by unidentified gunmen in W. Daraa, March 26, 2024",
        None,
        {"event": "killed", "killed": 1, "perpetrator": "unidentified_gunmen", "governorate": "SY-DR",
         "direction": "W", "victim_names": ["Adnan al-Refa'ie"]},
    ),
    (
        "Body of man named Ibrahim al-Smadi found in E. Daraa, November 12, 2024",
        None,
        {"event": "killed", "killed": 1, "governorate": "SY-DR", "direction": "E",
         "victim_names": ["Ibrahim al-Smadi"]},
    ),
    (
        "Elderly man injured in a drone regime attack on a car in W. Aleppo, November 16, 2024",
        None,
        {"event": "injured", "injured": 1, "perpetrator": "syrian_regime", "governorate": "SY-HL", "direction": "W"},
    ),
    (
        "Boy named Hanan Hassan abducted by SDF in Aleppo, November 22, 2024",
        None,
        {"event": "arrested", "arrested": 1, "children": 1, "perpetrator": "sdf", "governorate": "SY-HL",
         "victim_names": ["Hanan Hassan"]},
    ),
    (
        "Girl named Nada Mahmoud killed in a ground SDF attack in N. Raqqa, November 23, 2024",
        None,
        {"event": "killed", "killed": 1, "children": 1, "perpetrator": "sdf", "governorate": "SY-RA",
         "direction": "N", "victim_names": ["Nada Mahmoud"]},
    ),
    (
        "Man named Abdul Razzaq al-Ma'rouf killed by a landmine of unidentified source in S. Idlib, December 1, 2024",
        None,
        {"event": "killed", "killed": 1, "perpetrator": "unknown", "governorate": "SY-ID", "direction": "S",
         "victim_names": ["Abdul Razzaq al-Ma'rouf"], "span_texts": {"perpetrator": "of unidentified source"}},
    ),
    (
        "Two civilians killed, eight others injured by an IED explosion in E. Aleppo, December 24, 2024",
        None,
        # An IED names no party.
        {"event": "killed_and_injured", "killed": 2, "injured": 8, "governorate": "SY-HL", "direction": "E",
         "span_texts": {"killed": "Two civilians", "injured": "eight others"}},
    ),
    (
        "Four civilians injured in a drone SDF attack in E. Aleppo, January 21, 2025",
        None,
        {"event": "injured", "injured": 4, "perpetrator": "sdf", "governorate": "SY-HL", "direction": "E"},
    ),
    # Quoted as grammar examples (reference §6.1).
    (
        "A civilian died due to torture in a Syrian Regime's detention center, August 29",
        None,
        {"event": "died_in_detention", "killed": 1, "perpetrator": "syrian_regime"},
    ),
]  # fmt: skip

#: Only the beginnings of titles survive in these slugs (breadcrumb table); what they say is still read.
SLUG_FRAGMENTS: list[tuple[str, str | None, dict[str, Any]]] = [
    ("Civilian killed in shelling by a drone", "2021-05-06", {"event": "killed", "killed": 1}),
    (
        "A civilian from Idlib died due to torture",
        "2022-05-28",
        {"event": "died_in_detention", "killed": 1, "origin_governorate": "SY-ID"},
    ),
]

#: Reports, statements, tolls and campaigns: no single incident.
NOT_INCIDENTS = [
    "The daily death toll of civilian victims in Syria on December 15, 2023",
    "Most Prominent massacres committed by government forces against civilians in 2013",
    "The Death Toll for May 2014",
    "237 died under torture during November 2014",
    "At Least 57 Vital Facilities Were Targeted in February, 2015",
    "In the Memory of the Syria's Fallen Victims",
    "The Death of 108 victims under torture in April 2015",
    "The Killing of 21179 individuals in 2015",
    "The Killing of 45 Individuals under Torture, 42 amongst which were killed by Government Forces",
    "Death under Torture Is More than It was before the Ceasefire Agreement",
    "France Must Deliver on its Commitment to the Syrian People",
    "The Syrian Network for Human Rights Documentation of Violations Was a Long and Tiresome Journey over the Past Decade",
    "Attacks Escalated after the Sixth Annual Report on Violations by Russian Forces and the Announcement of SNHR's Holding a High-Level Event",
    "568 Civilians, Including 115 Children, 53 Women, and 101 Victims Who Died Due to Torture, Were Documented Killed in Syria in the First Half of 2022",
    "SNHR Holds a Forum Cosponsored by Multiple World States on the 12th Anniversary of the Popular Uprising in Syria",
    "At Least 221 Arbitrary Arrests/Detentions Documented in November 2023, Including of 19 Children and 14 Women",
    "At least 212 Cases of Arbitrary Detention Cases Recorded in April 2024, Including of 12 Children and Seven Women",
    "At least 1,236 Arbitrary Detentions, Including of 56 Children and 30 Women, Documented in Syria in the First Half of 2024, with 217 Recorded in June",
    "SNHR Holds an Event Sponsored by Seven World States on the Sidelines of the 79TH Session of the UNGA",
    "SNHR Nominates Siblings Ahmed and Sena Zeer for the 2024 International Children's Peace Prize",
    "At least 213 Arbitrary Detentions Recorded in October 2024",
    "1,264 Civilian Deaths, Including 242 Children and 118 Women, as well as 86 Deaths due to Torture, Documented in Syria in 2024",
    "On the International Day in Support of Victims of Torture, New Information Reveals the Deaths of Thousands of Forcibly Disappeared Persons in the Detention Centers of the Former Syrian Regime",
    "Syria Is Among the World's Worst Countries for the Number of Mines Planted Since 2011, Despite Prohibition of Their Use in International Law",
    "About 16 Million Syrian Citizens are Suffering as a Result of the Syrian Regime's Control Over Official Documents",
    "Patchwork justice for Syria?",
    "Mines Have Killed at Least 2,601 Civilians in Syria Since 2011",
    "At Least 23 Attacks on Vital Facilities in April 2014",
]


@pytest.mark.parametrize(("title", "published", "expected"), NEWS_SITE + SLUG_FRAGMENTS)
def test_real_news_titles(title: str, published: str | None, expected: dict[str, Any]) -> None:
    assert_parses_as(title, published, "en", expected)


@pytest.mark.parametrize("title", NOT_INCIDENTS)
def test_reports_statements_and_tolls_are_not_incidents(title: str) -> None:
    assert_parses_as(title, "2024-01-01", "en", None)


def test_a_main_site_item_about_one_attack_is_still_an_incident() -> None:
    # 2012, main site: one convoy, one governorate; the title names no kind of event we count.
    assert_parses_as(
        "International Observers Convey Targeted in Daraa", "2012-05-09", "en",
        {"event": "other", "governorate": "SY-DR", "span_texts": {"event": "Targeted"}},
    )  # fmt: skip


# Variants of the grammar that the real titles above do not show, one rule each.
GRAMMAR: list[tuple[str, str | None, dict[str, Any]]] = [
    (
        "Three civilians, including a child and a woman, killed in Russian airstrikes on a market in Ariha city in S. Idlib, May 3, 2019",
        "2019-05-04",
        {"event": "killed", "killed": 3, "children": 1, "women": 1, "perpetrator": "russia", "governorate": "SY-ID",
         "direction": "S", "place": "Ariha", "facility": "market"},
    ),
    (
        "Russian forces killed two civilians and injured five others in Maarat al-Numan city in Idlib, on January 5",
        "2020-01-06",
        {"event": "killed_and_injured", "killed": 2, "injured": 5, "perpetrator": "russia", "governorate": "SY-ID",
         "place": "Maarat al-Numan"},
    ),
    (
        "Five civilians killed and injured in Syrian regime shelling on Jisr al-Shughour city in W. Idlib, June 2, 2023",
        "2023-06-02",
        # "killed and injured" together: how many of each is not said.
        {"event": "killed_and_injured", "perpetrator": "syrian_regime", "governorate": "SY-ID", "direction": "W",
         "place": "Jisr al-Shughour"},
    ),
    (
        "A woman and her two children killed by Syrian-Russian alliance warplanes in the town of Kafr Nabl in Idlib suburbs, on May 2",
        "2019-05-03",
        {"event": "killed", "killed": 3, "children": 2, "women": 1, "perpetrator": "regime_and_russia",
         "governorate": "SY-ID", "place": "Kafr Nabl"},
    ),
    (
        "A 16-year-old boy shot dead by Turkish border guards in W. Idlib, March 3, 2024",
        "2024-03-04",
        {"event": "killed", "killed": 1, "children": 1, "perpetrator": "turkey", "governorate": "SY-ID",
         "direction": "W"},
    ),
    (
        "Media worker Hadi al-Abdullah injured in a Turkish-backed SNA attack in al-Bab city in E. Aleppo, May 7, 2024",
        "2024-05-07",
        {"event": "injured", "injured": 1, "perpetrator": "turkish_backed_opposition", "governorate": "SY-HL",
         "direction": "E", "place": "al-Bab", "victim_names": ["Hadi al-Abdullah"]},
    ),
    (
        "Two civilians injured in an Israeli airstrike on the western suburbs of Damascus, February 21, 2024",
        "2024-02-21",
        {"event": "injured", "injured": 2, "perpetrator": "israel", "governorate": "SY-RD", "direction": "W"},
    ),
    (
        "A child killed by a war remnant explosion in rural Hama, March 1, 2025",
        "2025-03-02",
        {"event": "killed", "killed": 1, "children": 1, "governorate": "SY-HM"},
    ),
    (
        "Syrian regime forces bombed a medical center in Atareb city in W. Aleppo, November 20, 2024",
        "2024-11-20",
        {"event": "attack_on_facility", "perpetrator": "syrian_regime", "governorate": "SY-HL", "direction": "W",
         "place": "Atareb", "facility": "medical"},
    ),
    (
        "Russian warplanes bombed a water station in Idlib suburbs, on October 3",
        "2019-10-04",
        {"event": "attack_on_facility", "perpetrator": "russia", "governorate": "SY-ID", "facility": "water_station"},
    ),
    (
        "A displaced man from Homs killed by unidentified gunmen in al-Hol camp in E. Hasaka, July 7, 2023",
        "2023-07-08",
        {"event": "killed", "killed": 1, "perpetrator": "unidentified_gunmen", "governorate": "SY-HA",
         "origin_governorate": "SY-HI", "direction": "E", "place": "al-Hol"},
    ),
    (
        "Detainee from Daraa dies in a Syrian regime prison, March 5, 2022",
        "2022-03-06",
        {"event": "died_in_detention", "killed": 1, "perpetrator": "syrian_regime", "origin_governorate": "SY-DR"},
    ),
    (
        "Civilian arrested by Syrian regime forces in Dayr az Zawr city, August 3, 2021",
        "2021-08-04",
        {"event": "arrested", "arrested": 1, "perpetrator": "syrian_regime", "governorate": "SY-DY",
         "place": "Dayr az Zawr"},
    ),
    (
        "Two women kidnapped by HTS in Harem town in N. Idlib, September 9, 2022",
        "2022-09-10",
        {"event": "arrested", "arrested": 2, "women": 2, "perpetrator": "hts", "governorate": "SY-ID",
         "direction": "N", "place": "Harem"},
    ),
    (
        "A civilian killed by gunmen affiliated with the SDF in Raqqa, May 3, 2022",
        "2022-05-04",
        {"event": "killed", "killed": 1, "perpetrator": "sdf", "governorate": "SY-RA"},
    ),
    (
        "Explosion in Azaz city in N. Aleppo, October 12, 2023",
        "2023-10-12",
        {"event": "other", "governorate": "SY-HL", "direction": "N", "place": "Azaz"},
    ),
    (
        "Twenty-one civilians killed in an ISIS attack in E. Homs, January 3, 2019",
        "2019-01-04",
        {"event": "killed", "killed": 21, "perpetrator": "isis", "governorate": "SY-HI", "direction": "E"},
    ),
    (
        "A child dies of his injuries sustained in Syrian regime bombardment of Sarmin town in E. Idlib, March 3",
        "2022-03-04",
        # Dying of one's injuries is a death, not an injury besides it.
        {"event": "killed", "killed": 1, "children": 1, "perpetrator": "syrian_regime", "governorate": "SY-ID",
         "direction": "E", "place": "Sarmin"},
    ),
    (
        "SDF kidnap a child for forced conscription in al-Hasaka city, July 9, 2023",
        "2023-07-10",
        {"event": "arrested", "arrested": 1, "children": 1, "perpetrator": "sdf", "governorate": "SY-HA",
         "place": "al-Hasaka"},
    ),
    (
        "Woman killed, her child injured in Russian airstrike on Idlib suburbs, March 3",
        "2022-03-04",
        {"event": "killed_and_injured", "killed": 1, "injured": 1, "children": 1, "women": 1,
         "perpetrator": "russia", "governorate": "SY-ID"},
    ),
    (
        "Four members of one family killed in an earthquake in Jinderes town in N. Aleppo, February 6, 2023",
        "2023-02-07",
        {"event": "killed", "killed": 4, "governorate": "SY-HL", "direction": "N", "place": "Jinderes"},
    ),
    (
        "Man named Ali Hassan shot dead by gunmen loyal to the former regime in Tartus countryside, March 9, 2025",
        "2025-03-10",
        {"event": "killed", "killed": 1, "perpetrator": "syrian_regime", "governorate": "SY-TA",
         "victim_names": ["Ali Hassan"], "span_texts": {"perpetrator": "former regime"}},
    ),
    (
        "A civilian was killed and two others were injured by unidentified gunmen in Tafas city in W. Daraa on January 9",
        "2021-01-10",
        {"event": "killed_and_injured", "killed": 1, "injured": 2, "perpetrator": "unidentified_gunmen",
         "governorate": "SY-DR", "direction": "W", "place": "Tafas"},
    ),
    (
        "A civilian car hit by a landmine of unknown origin in Quneitra, April 2, 2024",
        "2024-04-02",
        # "a civilian car": no victim; a mine of unknown origin.
        {"event": "other", "perpetrator": "unknown", "governorate": "SY-QU"},
    ),
]  # fmt: skip


@pytest.mark.parametrize(("title", "published", "expected"), GRAMMAR)
def test_grammar_variants(title: str, published: str | None, expected: dict[str, Any]) -> None:
    assert_parses_as(title, published, "en", expected)


def test_curly_apostrophes_keep_the_names_as_written() -> None:
    title = "Man named Adnan al-Refa\u2019ie shot dead by unidentified gunmen in W. Daraa, March 26, 2024"
    assert_parses_as(
        title, "2024-03-27", "en",
        {"event": "killed", "killed": 1, "perpetrator": "unidentified_gunmen", "governorate": "SY-DR",
         "direction": "W", "victim_names": ["Adnan al-Refa\u2019ie"]},
    )  # fmt: skip


# SNHR also writes headlines in Title Case; capitals must not turn verbs or counts into modifiers.
TITLE_CASE: list[tuple[str, str | None, dict[str, Any]]] = [
    (
        "Syrian Regime Forces Kill Two Civilians in Kafranbel City in Idlib Suburbs, on May 3",
        "2020-05-04",
        {"event": "killed", "killed": 2, "perpetrator": "syrian_regime", "governorate": "SY-ID",
         "place": "Kafranbel", "span_texts": {"killed": "Two Civilians"}},
    ),
    (
        "HTS Arrests a Media Activist in Idlib City, on March 2",
        "2021-03-03",
        {"event": "arrested", "arrested": 1, "perpetrator": "hts", "governorate": "SY-ID", "place": "Idlib"},
    ),
    (
        "Russian Forces' Airstrike Kills Five Civilians, Including Two Children, in Ariha City in Idlib Suburbs, on January 30",
        "2020-01-31",
        {"event": "killed", "killed": 5, "children": 2, "perpetrator": "russia", "governorate": "SY-ID",
         "place": "Ariha"},
    ),
    (
        "A 16-Year-Old Civilian Shot Dead by Turkish Border Guards in Idlib Suburbs, on June 4",
        "2021-06-05",
        {"event": "killed", "killed": 1, "children": 1, "perpetrator": "turkey", "governorate": "SY-ID"},
    ),
    (
        "Syrian Regime Forces' Artillery Shelled Ariha City in Idlib Suburbs, Injuring a Child, on March 18",
        "2021-03-19",
        {"event": "injured", "injured": 1, "children": 1, "perpetrator": "syrian_regime", "governorate": "SY-ID",
         "place": "Ariha"},
    ),
    (
        "A Child Killed by a Landmine Explosion in Daraa Governorate, on May 3",
        "2021-05-04",
        {"event": "killed", "killed": 1, "children": 1, "governorate": "SY-DR"},
    ),
]  # fmt: skip


@pytest.mark.parametrize(("title", "published", "expected"), TITLE_CASE)
def test_title_case_headlines(title: str, published: str | None, expected: dict[str, Any]) -> None:
    assert_parses_as(title, published, "en", expected)
