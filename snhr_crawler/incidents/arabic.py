"""Arabic incident titles: "<what happened> <victims> على يد <party> في <place> بريف <governorate> <side>، <date>".

SNHR's Arabic news titles put what happened first, as a verbal noun ("مقتل",
"إصابة", "اعتقال", "وفاة") or an active verb after the party ("قوات النظام
السوري تقصف مدرسة"), then the victims, the party ("على يد", "برصاص", "إثر
قصف"), the place ("في كفرنبل بريف إدلب الجنوبي", "في مدينة درعا", "شرق دير
الزور") and the incident date ("، 6 آذار", "، 15-11-2024"). The victims follow
what happened to them, so a victim phrase belongs to the trigger before it
(``reading.attach_backward``).

Matching runs on a folded copy (``text.FoldedArabic``: no diacritics, one alef,
ta marbuta as ha); the lexicon is folded the same way at import, and every span
is mapped back to the title as published. A word may carry a one-letter prefix
(و، ب، ل، ف): "وإصابة", "بريف", "بدرعا".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Any

from snhr_crawler.dates import ARABIC_MONTHS
from snhr_crawler.incidents import governorates, lexicon, perpetrators
from snhr_crawler.incidents.reading import Reading, Span, Trigger, Victim, attach_backward
from snhr_crawler.incidents.scan import Choices, Scanner, Words, words
from snhr_crawler.incidents.text import FoldedArabic, fold_arabic_text

_ARABIC_LETTER = re.compile("[\u0621-\u064a]")


def looks_arabic(title: str) -> bool:
    return _ARABIC_LETTER.search(title) is not None


_ARTICLE = re.compile(r"(?<!\w)ال")


def _compile(pattern: str) -> re.Pattern[str]:
    """Every literal in a pattern folded as titles are (so "على" matches the folded "علي")."""
    return re.compile(fold_arabic_text(pattern))


def _fold(pattern: str) -> str:
    """The pattern folded like titles, its articles optional after "ل" ("للنظام" is "ل" + "النظام")."""
    return _ARTICLE.sub("ا?ل", fold_arabic_text(pattern))


def _alternation(entries: Iterable[str]) -> str:
    folded = {fold_arabic_text(entry) for entry in entries}
    return "|".join(re.escape(word) for word in sorted(folded, key=len, reverse=True))


def _words(pattern: str, prefix: str = "") -> str:
    return rf"(?<!\w){prefix}(?:{_fold(pattern)})(?!\w)"


_PREFIX = "[وبلف]?"
_MONTH = _alternation(ARABIC_MONTHS)
_A_DATE = rf"\d{{1,2}}\s+(?:(?:{_MONTH})\s*/\s*)?(?:{_MONTH})(?:\s+\d{{4}})?|\d{{1,2}}[-/.]\d{{1,2}}[-/.]\d{{4}}"
_TRAILING_DATE = _compile(rf"(?:\s*[،,]\s*|\s+)(?:(?:في|بتاريخ|يوم)\s+)?(?:{_A_DATE})\s*\.?\s*$")
_DAY_DATE = _compile(rf"(?<!\d)(?:{_A_DATE})(?!\w)")
_MONTH_AND_YEAR = _compile(
    rf"(?<!\d)(?<!\d )(?<!\w)(?:(?:{_MONTH})\s*/\s*)?(?:{_MONTH})\s+(?:19|20)\d\d(?!\d)"
)

_NOT_AN_INCIDENT = Scanner(_compile(_words(lexicon.AR_NOT_AN_INCIDENT, _PREFIX)))
_PERIOD = Scanner(_compile(_words(lexicon.AR_PERIOD)))
_AGGREGATE = Scanner(_compile(_words(lexicon.AR_AGGREGATE, _PREFIX)))

_TRIGGER = Scanner(
    _compile(
        r"(?<!\w)[وف]?(?:"
        + "|".join(f"(?P<{kind}>{_fold(pattern)})" for kind, pattern in lexicon.AR_TRIGGERS.items())
        + r")(?!\w)"
    )
)
_TORTURE = Scanner(_compile(_words(lexicon.AR_TORTURE, _PREFIX)))
_DETENTION = Scanner(_compile(_words(lexicon.AR_DETENTION, _PREFIX)))
_OTHER = Scanner(_compile(_words(lexicon.AR_OTHER, _PREFIX)))

# --- victims ---
_NOUNS = {
    fold_arabic_text(word): (count, kind) for word, count, kind in reversed(lexicon.AR_VICTIMS)
}
_NUMBERS = {fold_arabic_text(word): number for word, number in lexicon.AR_NUMBERS.items()}
_NUMBERS_AFTER = {
    fold_arabic_text(word): number for word, number in lexicon.AR_NUMBERS_AFTER.items()
}
_VICTIM = Scanner(
    _compile(
        rf"(?<!\w)[وبل]?(?:(?P<number>{_alternation(_NUMBERS)}|\d{{1,4}})\s+)?"
        rf"(?P<noun>{_alternation(_NOUNS)})(?!\w)"
        rf"(?:\s+(?P<after>{_alternation(_NUMBERS_AFTER)})(?!\w))?"
        rf"(?:\s+(?:{_fold(lexicon.AR_VICTIM_TAILS)}|{_alternation(['آخر', 'أخرى'])})(?!\w)){{0,2}}"
    )
)
_SUBSET_BEFORE = _compile(rf"(?:{_fold(lexicon.AR_SUBSET)})\s*$")
_NAME_MARKER = _compile(rf"\s+(?:{_fold(lexicon.AR_NAME_MARKERS)})\s+")
_NAME_STOPS = frozenset(fold_arabic_text(word) for word in lexicon.AR_NAME_STOPS)
_NAME_WORD = _compile(r"[^\s،,.:;()]+")
_TRIGGER_WORD = _compile(rf"[وف]?(?:{'|'.join(_fold(p) for p in lexicon.AR_TRIGGERS.values())})")

# --- facilities ---
_FACILITY = "|".join(
    f"(?P<f_{kind}>{_fold(pattern)})" for kind, pattern in lexicon.AR_FACILITIES.items()
)
_FACILITY_ATTACK = Scanner(
    _compile(
        rf"(?<!\w)[وبل]?(?:{_fold(lexicon.AR_ATTACK)})(?!\w)\s+(?:(?!في(?!\w))\w+\s+){{0,4}}?[وبل]?(?:{_FACILITY})(?!\w)"
    )
)

# --- where ---
_GOVERNORATE = governorates.arabic_alternation()
_SIDES = "شمالي|جنوبي|شرقي|غربي"
_PLACE_TYPES = _fold(lexicon.AR_PLACE_TYPES)
_PLACE_STOPS = _fold(
    "ريف|محافظة|مدينة|بلدة|قرية|حي|مخيم|منطقة|على|يد|إثر|جراء|بسبب|من|في|قرب|داخل|برصاص|بقصف|شمال|جنوب|شرق|غرب"
)


def _governorate_phrase(p: str) -> str:
    """ "بريف إدلب الجنوبي", "في محافظة درعا", "شرق دير الزور", "بدمشق"."""
    return (
        rf"(?:[وبلف]?(?P<{p}pre>ريف|محافظه|مدينه|منطقه)\s+"
        rf"|(?P<{p}dpre>(?:شمال|جنوب|شرق|غرب)ي?)\s+(?:(?P<{p}pre2>ريف|محافظه|مدينه)\s+)?)?"
        rf"[وبلف]?(?P<{p}g>{_GOVERNORATE})(?!\w)"
        rf"(?:\s+(?P<{p}dpost>(?:ال)?(?:{_SIDES})ه?)(?!\w)(?:\s+(?P<{p}dboth>(?:ال)?(?:{_SIDES})ه?)(?!\w))?)?"
    )


def _place_phrase(p: str) -> str:
    word = rf"(?!(?:{_PLACE_STOPS})(?!\w))(?![وبلف]?(?:{_GOVERNORATE})(?!\w))\w+"
    return (
        rf"(?:(?P<{p}a_kind>{_PLACE_TYPES})\s+)?(?P<{p}a_place>{word}(?:\s+{word}){{0,2}}?)"
        rf"(?:\s*،\s*|\s+في\s+|\s+){_governorate_phrase(p + 'a_')}"
        rf"|(?P<{p}b_kind>{_PLACE_TYPES})\s+(?P<{p}b_place>{word}(?:\s+{word}){{0,2}}?)(?=\s*[،,]|\s*$|\s+\D)"
        rf"|{_governorate_phrase(p + 'c_')}"
    )


def _origin_phrase(p: str) -> str:
    """After "من": a governorate, or a place named with its kind ("من قرية سفوهن بريف إدلب")."""
    word = rf"(?!(?:{_PLACE_STOPS})(?!\w))\w+"
    return (
        rf"(?P<{p}a_kind>{_PLACE_TYPES})\s+(?P<{p}a_place>{word}(?:\s+{word}){{0,2}}?)"
        rf"(?:\s*،\s*|\s+في\s+|\s+){_governorate_phrase(p + 'a_')}"
        rf"|(?P<{p}b_kind>{_PLACE_TYPES})\s+(?P<{p}b_place>{word}(?:\s+{word}){{0,2}}?)(?=\s*[،,]|\s*$|\s+\D)"
        rf"|{_governorate_phrase(p + 'c_')}"
    )


_LOCATION = Scanner(
    _compile(
        rf"(?<!\w)(?:(?:في|قرب|بالقرب من|على|ب(?=(?:{_PLACE_TYPES})\s))\s*|(?=(?:شمال|جنوب|شرق|غرب)ي?\s))"
        rf"(?:{_place_phrase('l')})"
    ),
    starts=fold_arabic_text("في|قرب|بالقرب|على|ب|شمال|جنوب|شرق|غرب"),
)
_ORIGIN = Scanner(
    _compile(
        rf"(?<!\w)(?:ينحدر من|تنحدر من|من ابناء|من اهالي|[ول]?مهجر(?:ين|ه|ون)? من|نازح(?:ين|ه|ون)? من|من)\s+"
        rf"(?:{_origin_phrase('o')})"
    ),
    starts=fold_arabic_text("ينحدر|تنحدر|من|مهجر|نازح"),
)

# --- who ---
_PERPETRATOR = Choices(
    r"(?<!\w)[وبلف]?(?:ALTERNATION)(?!\w)",
    [
        f"(?P<t{i}>{fold_arabic_text(_fold(term.pattern))})"
        for i, term in enumerate(perpetrators.ARABIC)
    ],
)


def _victims(text: str, index: Words) -> list[Victim]:
    found: list[Victim] = []
    for match in _VICTIM.finditer(text, index):
        count, kind = _NOUNS[match["noun"]]
        number = match["number"]
        if number:
            count = int(number) if number.isdigit() else _NUMBERS[number]
        elif match["after"]:
            count = _NUMBERS_AFTER[match["after"]]
        start = match.start("number") if number else match.start("noun")
        victim = Victim(
            span=(start, match.end()),
            count=count,
            kind=kind,
            subset=_SUBSET_BEFORE.search(text, 0, start) is not None,
        )
        _name(victim, text, match.end())
        found.append(victim)
    return found


def _name(victim: Victim, text: str, position: int) -> None:
    """ "رجل يدعى مهاجر الجفال على يد ...": up to four words after the marker, to what follows a name."""
    marker = _NAME_MARKER.match(text, position)
    if marker is None:
        return
    start = end = marker.end()
    for index, word in enumerate(_NAME_WORD.finditer(text, start)):
        value = word.group()
        if (
            index == 4
            or text[end : word.start()].strip()
            or value in _NAME_STOPS
            or _TRIGGER_WORD.fullmatch(value)
        ):
            break
        end = word.end()
    if end > start:
        victim.name_span = (start, end)


def _governorate(
    match: re.Match[str], p: str
) -> tuple[str, Span, str | None, Span | None, bool] | None:
    """(code, span, direction, direction span, named as a city) of a governorate phrase."""
    if match[p + "g"] is None:
        return None
    code = governorates.arabic_code(match[p + "g"])
    if code is None:
        return None
    span = match.span(p + "g")
    qualifier = match[p + "pre"] or match[p + "pre2"] or ""
    if "ريف" in qualifier and code in governorates.RURAL:
        code = governorates.RURAL[code]
        span = (match.start(p + "pre") if match[p + "pre"] else match.start(p + "pre2"), span[1])
    city = "مدينه" in qualifier
    if match[p + "dboth"]:  # "الشمالي الشرقي": between two of the four sides
        return code, span, None, None, city
    for group in ("dpre", "dpost"):
        side = match[p + group]
        if side:
            stem = side.removeprefix("ال").removesuffix("ه").removesuffix("ي")
            return code, span, lexicon.AR_DIRECTIONS.get(stem), match.span(p + group), city
    return code, span, None, None, city


def _where(
    match: re.Match[str], p: str
) -> tuple[tuple[str, Span, str | None, Span | None, bool] | None, Span | None]:
    for alternative in ("a_", "b_"):
        place = match[f"{p}{alternative}place"]
        if place is not None:
            governorate = _governorate(match, f"{p}{alternative}") if alternative == "a_" else None
            span = match.span(f"{p}{alternative}place")
            named_after = governorates.arabic_code(place)
            if (
                governorate is None and named_after is not None
            ):  # "مدينة إدلب": the city names its governorate
                governorate = (named_after, span, None, None, True)
            return governorate, span
    governorate = _governorate(match, f"{p}c_")
    if governorate and governorate[4]:  # "في مدينة درعا": the city is the place too
        return governorate, match.span(f"{p}c_g")
    return governorate, None


def _read_places(reading: Reading, folded: FoldedArabic, text: str, index: Words) -> None:
    taken: list[Span] = []
    for match in _ORIGIN.finditer(text, index):
        governorate, _ = _where(match, "o")
        taken.append(match.span())
        if governorate and reading.values["origin_governorate"] is None:
            reading.put("origin_governorate", governorate[0], folded.span(*governorate[1]))
    best_governorate, best_place = None, None
    for match in _LOCATION.finditer(text, index):
        if any(start < match.end() and match.start() < end for start, end in taken):
            continue
        governorate, place = _where(match, "l")
        if governorate:
            best_governorate, best_place = governorate, place or best_place
        elif place:
            best_place = place
    if best_governorate:
        code, span, direction, direction_span, _ = best_governorate
        reading.put("governorate", code, folded.span(*span))
        if direction and direction_span:
            reading.put("direction", direction, folded.span(*direction_span))
    if best_place:
        reading.put("place", None, folded.span(*best_place))  # the value: the title's own words


def _read_perpetrator(
    reading: Reading, folded: FoldedArabic, text: str, index: Words, published: date | None
) -> None:
    for match in _PERPETRATOR.finditer(text, index):
        group = match.lastgroup or "t0"
        term = perpetrators.ARABIC[int(group[1:])]
        if not term.parties:
            continue
        code = term.party(published)
        if code is not None:
            reading.put("perpetrator", code, folded.span(*match.span(group)))
        return


def _facility(text: str, index: Words) -> tuple[str, Span, Span] | None:
    match = _FACILITY_ATTACK.search(text, index)
    if match is None:
        return None
    for name, value in match.groupdict().items():
        if value is not None and name.startswith("f_"):
            return name[2:], match.span(name), match.span()
    return None


def _mapped(folded: FoldedArabic, span: Span | None) -> Span | None:
    return folded.span(*span) if span else None


def parse(title: str, published: date | None) -> dict[str, Any] | None:
    folded = FoldedArabic(title)
    text = folded.text
    closing = _TRAILING_DATE.search(
        text, max(0, len(text) - 40)
    )  # "، 30 تشرين الثاني/نوفمبر 2024" fits
    core = text[: closing.start()] if closing else text
    index = words(core)
    if _NOT_AN_INCIDENT.search(core, index):
        return None
    dated = closing is not None or _DAY_DATE.search(text) is not None
    if not dated and (
        _MONTH_AND_YEAR.search(core)
        or _PERIOD.search(core, index)
        or _AGGREGATE.search(core, index)
    ):
        return None

    reading = Reading()
    _read_places(reading, folded, core, index)
    _read_perpetrator(reading, folded, core, index, published)
    triggers = [
        Trigger(m.lastgroup or "other", m.span(m.lastgroup or 0))
        for m in _TRIGGER.finditer(core, index)
    ]
    victims = _victims(core, index)
    attach_backward(victims, triggers)
    facility = _facility(core, index)
    if facility:
        reading.put("facility", facility[0], folded.span(*facility[1]))
    dead = any(trigger.kind in ("kill", "death", "kill_injure") for trigger in triggers)
    torture = _TORTURE.search(core, index) if dead else None
    detention = _DETENTION.search(core, index) if dead else None
    other = _OTHER.search(core, index) if not triggers and not facility else None
    for trigger in triggers:
        trigger.span = folded.span(*trigger.span)
    for victim in victims:
        victim.span = folded.span(*victim.span)
        victim.name_span = _mapped(folded, victim.name_span)
    reading.count_victims(
        triggers, victims, _mapped(folded, facility[2]) if facility else None,
        _mapped(folded, torture.span() if torture else None),
        _mapped(folded, detention.span() if detention else None),
        _mapped(folded, other.span() if other else None),
    )  # fmt: skip
    if not reading.found_anything():
        return None
    return reading.result(title)
