"""Daily news items (news.snhr.org): one incident told in English and Arabic.

Title grammar follows the era of publication (reference §6.1): 2019–early 2020
"…in X suburbs, on December 7"; 2020–2022 yearless "…, May 4"; 2023 full dates
with long governorate phrasing; 2024+ compact "…in W. Aleppo, November 9, 2024".
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from .clock import AR_LEVANTINE, EN_MONTHS, EN_WEEKDAYS
from .lexicon import (
    CONTROL,
    DIRECTION_CODES,
    DIRECTIONS,
    FACILITIES,
    FACILITY_CODES,
    GOVERNORATE_CODES,
    GOVERNORATES,
    MODES,
    NAMES,
    PERPETRATOR_CODES,
    PERPETRATORS,
    TOWNS,
    VICTIM_COUNTS,
    VICTIMS,
)
from .model import Block, Link, Strong

KINDS = ("casualty", "torture", "attack", "arrest", "daily")


@dataclass(frozen=True)
class Incident:
    kind: str
    day: date
    gov: int
    town: int
    direction: int
    perp: int
    victim: int
    name: int
    facility: int
    mode: int
    control: int
    count: int
    sept_abbrev: bool = False


def pick_incident(r: random.Random, kind: str, day: date) -> Incident:
    return Incident(
        kind=kind, day=day, gov=r.randrange(len(GOVERNORATES)), town=r.randrange(len(TOWNS)),
        direction=r.randrange(len(DIRECTIONS)), perp=r.randrange(len(PERPETRATORS)),
        victim=r.randrange(len(VICTIMS)), name=r.randrange(len(NAMES)),
        facility=r.randrange(len(FACILITIES)), mode=r.randrange(len(MODES)),
        control=r.randrange(len(CONTROL)), count=r.randint(2, 19),
        sept_abbrev=r.random() < 0.3,
    )  # fmt: skip


def era(published: date) -> str:
    """Which title grammar a news item published on ``published`` uses."""
    if published < date(2020, 3, 1):
        return "suburbs"
    if published.year <= 2022:
        return "yearless"
    if published.year == 2023:
        return "long"
    return "compact"


# --- English -------------------------------------------------------------------------------


def _en_day(inc: Incident, style: str) -> str:
    month = EN_MONTHS[inc.day.month - 1]
    if style == "yearless" and inc.day.month == 9 and inc.sept_abbrev:
        month = "Sept"
    if style in ("suburbs", "yearless"):
        return f"{month} {inc.day.day}"
    return f"{month} {inc.day.day}, {inc.day.year}"


#: The keys of an incident as a title states it; None where the title does not say.
INCIDENT_KEYS = (
    "event", "killed", "injured", "arrested", "children", "women", "perpetrator", "governorate",
    "origin_governorate", "direction", "place", "facility", "victim_names",
)  # fmt: skip


def _incident(**facts: Any) -> dict[str, Any]:
    return {**dict.fromkeys(INCIDENT_KEYS), **facts}


def _victims(inc: Incident, field: str) -> dict[str, Any]:
    """How many victims the title's victim phrase counts, and how many of them are children, women."""
    total, children, women = VICTIM_COUNTS[inc.victim]
    return {field: total, "children": children, "women": women}


def _en_place(inc: Incident, style: str) -> tuple[str, dict[str, Any]]:
    """Where, as the title says it, and what that states (governorate, direction or town)."""
    gov = GOVERNORATES[inc.gov][0]
    town, kind, _ = TOWNS[inc.town]
    short, long_, _ = DIRECTIONS[inc.direction]
    code = GOVERNORATE_CODES[inc.gov]
    in_town = (f"in {town} {kind} in {gov} suburbs", {"governorate": code, "place": town})
    by_side = {"governorate": code, "direction": DIRECTION_CODES[inc.direction]}
    if style == "suburbs" or (style == "yearless" and not inc.town % 2):
        return in_town
    if style == "yearless":
        return f"in {short} {gov} governorate", by_side
    if style == "long":
        return f"in {long_} {gov} governorate", by_side
    return f"in {short} {gov}", by_side


def en_title(inc: Incident, style: str) -> str:
    """The English title; its date is the incident date."""
    return en_headline(inc, style)[0]


def en_headline(inc: Incident, style: str) -> tuple[str, dict[str, Any] | None]:
    """The English title and the incident it states (None for a daily toll: no one incident)."""
    title, facts = _en_title(inc, style)
    return title[0].upper() + title[1:], facts


def _en_title(inc: Incident, style: str) -> tuple[str, dict[str, Any] | None]:
    (place, where), when = _en_place(inc, style), _en_day(inc, style)
    perp, perp_adj, _ = PERPETRATORS[inc.perp]
    by_noun, by_adjective, _ = PERPETRATOR_CODES[inc.perp]
    victims = VICTIMS[inc.victim][0]
    name = NAMES[inc.name][0]
    one, two, _ = FACILITIES[inc.facility]
    facility = FACILITY_CODES[inc.facility]
    mode = MODES[inc.mode][0]
    perp_cap = perp[0].upper() + perp[1:]
    if inc.kind == "daily":
        return f"The daily death toll of civilian victims in Syria on {when}", None
    in_detention = {"event": "died_in_detention", "killed": 1, "perpetrator": "syrian_regime"}
    bombed = {"event": "attack_on_facility", "perpetrator": by_noun, "facility": facility, **where}
    arrested = {"event": "arrested", "perpetrator": by_noun, **_victims(inc, "arrested"), **where}
    attack = {"event": "killed", "perpetrator": by_adjective, **_victims(inc, "killed"), **where}
    if style == "suburbs":
        event, facts = {
            "casualty": (
                f"{perp_cap} killed civilians {place}",
                {"event": "killed", "perpetrator": by_noun, **where},
            ),
            "torture": (
                f"A civilian died due to torture in a Syrian Regime's detention center {place}",
                {**in_detention, **where},
            ),
            "attack": (f"{perp_cap} bombed {two} {place}", bombed),
            "arrest": (f"{perp_cap} arrested {victims.lower()} {place}", arrested),
        }[inc.kind]
        return f"{event}, on {when}", _incident(**facts)
    if style == "yearless":
        event, facts = {
            "casualty": (f"{victims} killed in {_a(mode)} {perp_adj} attack {place}", attack),
            "torture": (
                f"Death of a military defector, from {GOVERNORATES[inc.gov][0]}, due to torture"
                " in Syrian regime detention center confirmed",
                {**in_detention, "origin_governorate": GOVERNORATE_CODES[inc.gov]},
            ),
            "attack": (f"{perp_cap} bombed {one} {place}", bombed),
            "arrest": (f"{perp_cap} arrested {victims.lower()} {place}", arrested),
        }[inc.kind]
        joiner = " on " if inc.kind == "arrest" else ", "
        return f"{event}{joiner}{when}", _incident(**facts)
    named = {"victim_names": [name]}
    casualty = (
        (f"{victims} killed in {_a(mode)} {perp_adj} attack {place}", attack)
        if inc.count % 2
        else (
            f"Man named {name} shot dead by {perp} {place}",
            {"event": "killed", "killed": 1, "perpetrator": by_noun, **named, **where},
        )
    )
    torture = (
        ("Civilian dies due to torture in a Syrian regime detention center", in_detention)
        if style == "long"
        else (
            f"Man named {name} dies due to torture in a Syrian regime detention center",
            {**in_detention, **named},
        )
    )
    event, facts = {
        "casualty": casualty,
        "torture": torture,
        "attack": (f"{perp_cap} bomb {two} {place}", bombed),
        "arrest": (
            f"{perp} arrests a civilian {place}",
            {"event": "arrested", "arrested": 1, "perpetrator": by_noun, **where},
        ),
    }[inc.kind]
    return f"{event}, {when}", _incident(**facts)


def _a(word: str) -> str:
    return f"an {word}" if word[0] in "aeiou" else f"a {word}"


def _en_long_date(day: date) -> str:
    return f"{EN_MONTHS[day.month - 1]} {day.day}, {day.year}"


def en_body(inc: Incident, style: str) -> list[Block]:
    """Paragraphs with the boilerplate SNHR's news items carry."""
    when = _en_long_date(inc.day)
    gov = GOVERNORATES[inc.gov][0]
    town, kind, _ = TOWNS[inc.town]
    perp = PERPETRATORS[inc.perp][0]
    control = CONTROL[inc.control][0]
    tag = "h5" if style == "suburbs" else "p"
    lead = "SNHR: " if style == "suburbs" else ""
    if inc.kind == "daily":
        weekday = EN_WEEKDAYS[inc.day.weekday()]
        total = inc.count + 3
        lines = [
            f"SNHR documented the extrajudicial killings of {total} civilians, by the parties to the "
            f"conflict and controlling forces in Syria, on {weekday}, {when}, with the toll of victims "
            "distributed as follows:",
            f"Syrian Regime forces: {inc.count} civilians.",
            "Other parties: 3 civilians.",
        ]
        return [Block(tag, (line,)) for line in lines]
    what = {
        "casualty": f"{perp} killed civilians in {town} {kind} in {gov} governorate",
        "torture": f"a civilian from {town} {kind} in {gov} governorate died due to torture in a "
        "Syrian regime detention center; his family was informed of his death",
        "attack": f"{perp} bombed {FACILITIES[inc.facility][0]} in {town} {kind} in {gov} "
        "governorate, partially destroying the building & putting it out of service",
        "arrest": f"{perp} arrested a civilian in {town} {kind} in {gov} governorate",
    }[inc.kind]
    blocks = [Block(tag, (f"{lead}On {when}, {what}.",))]
    tail = {
        "casualty": "SNHR is still trying to locate eyewitnesses to obtain more details about the incident.",
        "torture": "SNHR has received confirmation that Syrian regime forces failed to hand over his "
        "body to his family.",
        "attack": "These attacks violated UN Security Council resolutions 2139 & 2254, as well as "
        "customary international humanitarian law.",
        "arrest": "The arrests were conducted without any legal arrest warrants, and SNHR fears that "
        "he will be subjected to torture and ultimately classified as forcibly \u2018disappeared\u2019.",
    }[inc.kind]
    blocks.append(Block(tag, (tail,)))
    blocks.append(
        Block(tag, (f"The area is under the control of {control} at the time of the incident.",))
    )
    if style != "suburbs":
        blocks.append(
            Block(
                "p",
                (
                    Strong("SNHR"),
                    " calls on the international community to protect civilians; see ",
                    # Editors paste the other site's public URL, so it stays public locally too.
                    Link("our latest reports", url="https://snhr.org/blog/"),
                    ".",
                ),
            )
        )
    return blocks


# --- Arabic --------------------------------------------------------------------------------


def _ar_when(inc: Incident, style: str) -> str:
    month = AR_LEVANTINE[inc.day.month - 1]
    if style in ("suburbs", "yearless"):
        return f"{inc.day.day} {month}"
    if inc.count % 3 == 0:
        return f"{inc.day.day:02d}-{inc.day.month:02d}-{inc.day.year}"
    return f"{inc.day.day} {month} {inc.day.year}"


def ar_title(inc: Incident, style: str) -> str:
    return ar_headline(inc, style)[0]


def ar_headline(inc: Incident, style: str) -> tuple[str, dict[str, Any] | None]:
    """The Arabic title and the incident it states (None for a daily toll)."""
    gov = GOVERNORATES[inc.gov][1]
    town = TOWNS[inc.town][2]
    side = DIRECTIONS[inc.direction][2]
    perp = PERPETRATORS[inc.perp][2]
    by = PERPETRATOR_CODES[inc.perp][2]
    when = _ar_when(inc, style)
    if inc.kind == "daily":
        return f"الحصيلة اليومية للضحايا المدنيين في سوريا في {when}", None
    where = {
        "governorate": GOVERNORATE_CODES[inc.gov],
        "direction": DIRECTION_CODES[inc.direction],
        "place": town,
    }
    choices: dict[str, tuple[str, dict[str, Any]]] = {
        "casualty": (
            f"مقتل {VICTIMS[inc.victim][2]} على يد {perp} في {town} بريف {gov} {side}",
            {"event": "killed", "perpetrator": by, **_victims(inc, "killed"), **where},
        ),
        "torture": (
            f"مقتل عسكري مُنشق من {gov} بسبب التعذيب داخل أحد مراكز احتجاز النظام السوري",
            {"event": "died_in_detention", "killed": 1, "perpetrator": "syrian_regime",
             "origin_governorate": GOVERNORATE_CODES[inc.gov]},
        ),
        "attack": (
            f"{perp} تقصف {FACILITIES[inc.facility][2]} في {town} بريف {gov} {side}",
            {"event": "attack_on_facility", "perpetrator": by,
             "facility": FACILITY_CODES[inc.facility], **where},
        ),
        "arrest": (
            f"{perp} تعتقل مدنياً في {town} بريف {gov} {side}",
            {"event": "arrested", "arrested": 1, "perpetrator": by, **where},
        ),
    }  # fmt: skip
    event, facts = choices[inc.kind]
    return f"{event}، {when}", _incident(**facts)


def ar_body(inc: Incident, style: str) -> list[Block]:
    gov = GOVERNORATES[inc.gov][1]
    town = TOWNS[inc.town][2]
    perp = PERPETRATORS[inc.perp][2]
    control = CONTROL[inc.control][1]
    tag = "h5" if style == "suburbs" else "p"
    if inc.count % 2:
        when = f"{inc.day.day:02d}-{inc.day.month:02d}-{inc.day.year}"
    else:
        when = f"{inc.day.day} {AR_LEVANTINE[inc.day.month - 1]} {inc.day.year}"
    if inc.kind == "daily":
        return [
            Block(
                tag,
                (
                    f"وثقت الشَّبكة السورية لحقوق الإنسان مقتل {inc.count + 3} مدنياً في سوريا في {when}.",
                ),
            ),
            Block(tag, (f"قوات النظام السوري: {inc.count} مدنياً.",)),
        ]
    what = {
        "casualty": f"قُتل مدنيون في {town} بريف {gov} على يد {perp}",
        "torture": f"تلقت عائلة أحد أبناء {town} بريف {gov} نبأ وفاته بسبب التعذيب",
        "attack": f"قصفت {perp} منشأة حيوية في {town} بريف {gov}",
        "arrest": f"اعتقلت {perp} مدنياً في {town} بريف {gov}",
    }[inc.kind]
    return [
        Block(tag, (f"في {when}، {what}.",)),
        Block(tag, ("ما زالت الشَّبكة السورية لحقوق الإنسان تحاول التواصل مع شهود عيان.",)),
        Block(tag, (f"تخضع المنطقة لسيطرة {control} وقت الحادثة.",)),
    ]


def incident_day(r: random.Random, published: date, kind: str) -> date:
    """The incident precedes publication by 0–2 days (arrests: up to 4)."""
    lag = r.randint(0, 4 if kind == "arrest" else 2)
    return published - timedelta(days=lag)
