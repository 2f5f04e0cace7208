"""Daily news items (news.snhr.org): one incident told in English and Arabic.

Title grammar follows the era of publication (reference §6.1): 2019–early 2020
"…in X suburbs, on December 7"; 2020–2022 yearless "…, May 4"; 2023 full dates
with long governorate phrasing; 2024+ compact "…in W. Aleppo, November 9, 2024".
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from .clock import AR_LEVANTINE, EN_MONTHS, EN_WEEKDAYS
from .lexicon import (
    CONTROL,
    DIRECTIONS,
    FACILITIES,
    GOVERNORATES,
    MODES,
    NAMES,
    PERPETRATORS,
    TOWNS,
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


def _en_place(inc: Incident, style: str) -> str:
    gov = GOVERNORATES[inc.gov][0]
    town, kind, _ = TOWNS[inc.town]
    short, long_, _ = DIRECTIONS[inc.direction]
    if style == "suburbs":
        return f"in {town} {kind} in {gov} suburbs"
    if style == "yearless":
        return (
            f"in {short} {gov} governorate"
            if inc.town % 2
            else f"in {town} {kind} in {gov} suburbs"
        )
    if style == "long":
        return f"in {long_} {gov} governorate"
    return f"in {short} {gov}"


def en_title(inc: Incident, style: str) -> str:
    """The English title; its date is the incident date."""
    title = _en_title(inc, style)
    return title[0].upper() + title[1:]


def _en_title(inc: Incident, style: str) -> str:
    place, when = _en_place(inc, style), _en_day(inc, style)
    perp, perp_adj, _ = PERPETRATORS[inc.perp]
    victims = VICTIMS[inc.victim][0]
    name = NAMES[inc.name][0]
    one, two, _ = FACILITIES[inc.facility]
    mode = MODES[inc.mode][0]
    if inc.kind == "daily":
        return f"The daily death toll of civilian victims in Syria on {when}"
    if style == "suburbs":
        event = {
            "casualty": f"{perp[0].upper() + perp[1:]} killed civilians {place}",
            "torture": f"A civilian died due to torture in a Syrian Regime's detention center {place}",
            "attack": f"{perp[0].upper() + perp[1:]} bombed {two} {place}",
            "arrest": f"{perp[0].upper() + perp[1:]} arrested {victims.lower()} {place}",
        }[inc.kind]
        return f"{event}, on {when}"
    if style == "yearless":
        event = {
            "casualty": f"{victims} killed in {_a(mode)} {perp_adj} attack {place}",
            "torture": f"Death of a military defector, from {GOVERNORATES[inc.gov][0]}, due to torture"
            " in Syrian regime detention center confirmed",
            "attack": f"{perp[0].upper() + perp[1:]} bombed {one} {place}",
            "arrest": f"{perp[0].upper() + perp[1:]} arrested {victims.lower()} {place}",
        }[inc.kind]
        joiner = " on " if inc.kind == "arrest" else ", "
        return f"{event}{joiner}{when}"
    event = {
        "casualty": f"{victims} killed in {_a(mode)} {perp_adj} attack {place}"
        if inc.count % 2
        else f"Man named {name} shot dead by {perp} {place}",
        "torture": "Civilian dies due to torture in a Syrian regime detention center"
        if style == "long"
        else f"Man named {name} dies due to torture in a Syrian regime detention center",
        "attack": f"{perp[0].upper() + perp[1:]} bomb {two} {place}",
        "arrest": f"{perp} arrests a civilian {place}",
    }[inc.kind]
    return f"{event}, {when}"


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
    gov = GOVERNORATES[inc.gov][1]
    town = TOWNS[inc.town][2]
    side = DIRECTIONS[inc.direction][2]
    perp = PERPETRATORS[inc.perp][2]
    when = _ar_when(inc, style)
    if inc.kind == "daily":
        return f"الحصيلة اليومية للضحايا المدنيين في سوريا في {when}"
    event = {
        "casualty": f"مقتل {VICTIMS[inc.victim][2]} على يد {perp} في {town} بريف {gov} {side}",
        "torture": f"مقتل عسكري مُنشق من {gov} بسبب التعذيب داخل أحد مراكز احتجاز النظام السوري",
        "attack": f"{perp} تقصف {FACILITIES[inc.facility][2]} في {town} بريف {gov} {side}",
        "arrest": f"{perp} تعتقل مدنياً في {town} بريف {gov} {side}",
    }[inc.kind]
    return f"{event}، {when}"


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
