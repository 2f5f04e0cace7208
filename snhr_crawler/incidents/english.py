"""English incident titles: "<victims> <outcome> by/in a <mode> <party> attack in <where>, <date>".

SNHR's news titles are one clause, or two joined by a comma ("Two civilians
killed, eight others injured by an IED explosion in E. Aleppo, December 24,
2024"), in every era's variant of one grammar:

* an agent and an active verb ("Syrian regime forces bombed two schools",
  "HTS arrested a civilian") or victims and a passive one ("Six civilians
  killed", "Man named X shot dead by I.S.I.S personnel");
* the party as subject, as agent ("by unidentified gunmen"), or as an
  adjective ("a drone SDF attack", "a Syrian regime detention center");
* the place last: "in <Place> <city|town|village> in <Governorate> suburbs",
  "in <W.|western> <Governorate> [governorate]", "near Idlib city";
* then the incident date: ", on December 7", " on June 9", ", May 16, 2023".

Each piece is found by its own pattern, compiled once here, and the pieces are
assembled by position (``reading.attach_forward``), so a title that breaks the
grammar still yields whatever its pieces say.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from snhr_crawler.dates import ENGLISH_MONTHS
from snhr_crawler.incidents import governorates, lexicon, perpetrators
from snhr_crawler.incidents.reading import Reading, Span, Trigger, Victim, attach_forward
from snhr_crawler.incidents.scan import Choices, Scanner, Words, alternatives, trie, words
from snhr_crawler.incidents.text import fold_english


def _words(pattern: str) -> str:
    """A case-insensitive fragment that must stand as whole words."""
    return rf"(?<![\w'])(?i:{pattern})(?![\w'])"


_MONTHS = "|".join(sorted(ENGLISH_MONTHS, key=len, reverse=True))
_WEEKDAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_A_DATE = (
    rf"(?i:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:\s*,?\s*\d{{4}})?"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?i:{_MONTHS})(?:\s*,?\s*\d{{4}})?"
    r"|\d{1,2}[-/.]\d{1,2}[-/.]\d{4}"
)
#: The incident date that closes a title (", on December 7", " on June 9", ", May 16, 2023").
_TRAILING_DATE = re.compile(
    rf"(?:\s*,\s*|\s+)(?:(?i:on)\s+)?(?:(?i:{_WEEKDAYS}),?\s+)?(?:{_A_DATE})\s*[.!]?\s*$"
)
#: The longest closing date (", on Wednesday, September 27, 2023") is shorter than this.
_DATE_REACH = 48
_DAY_DATE = re.compile(
    rf"(?<![\w])(?i:{_MONTHS})\.?\s+\d{{1,2}}(?!\d)|(?<!\d)\d{{1,2}}\s+(?i:{_MONTHS})(?![\w])"
    r"|(?<!\d)\d{1,2}[-/.]\d{1,2}[-/.]\d{4}"
)
_MONTH_AND_YEAR = re.compile(rf"(?<![\w])(?i:{_MONTHS})\.?,?\s+(?:19|20)\d\d(?!\d)")

_NOT_AN_INCIDENT = Scanner(re.compile(_words(lexicon.EN_NOT_AN_INCIDENT)))
_PERIOD = Scanner(re.compile(_words(lexicon.EN_PERIOD)))
_AGGREGATE = Scanner(re.compile(_words(lexicon.EN_AGGREGATE)))
_WORD = re.compile(r"[A-Za-z][\w']*")

#: Each trigger word is its own alternative, named "<kind>__<n>", so only the words that
#: can begin at a title's word are tried there.
_TRIGGER = Choices(
    r"(?<![\w'])(?i:ALTERNATION)(?![\w'])",
    [
        f"(?P<{kind}__{n}>{word})"
        for kind, pattern in lexicon.EN_TRIGGERS.items()
        for n, word in enumerate(alternatives(pattern))
    ],
)
_TORTURE = Scanner(re.compile(_words(lexicon.EN_TORTURE)))
_DETENTION = Scanner(re.compile(_words(lexicon.EN_DETENTION)))
_OTHER = Scanner(re.compile(_words(lexicon.EN_OTHER)))

# --- victims ---
_UNITS = {word: number for number, word in enumerate(lexicon.EN_UNITS)}
_TENS = {word: 10 * number for number, word in enumerate(lexicon.EN_TENS) if word}
#: Count words as one tree: "two", "twenty", "twenty-one", "a", "an"; or digits.
_COUNT = r"\d{1,4}|" + trie(
    sorted(
        {*lexicon.EN_UNITS, "a", "an", *_TENS}
        | {
            f"{ten}{sep}{unit}"
            for ten in _TENS
            for unit in lexicon.EN_UNITS[1:10]
            for sep in (" ", "-")
        }
    )
)
_NOUN_KIND: dict[str, tuple[str, bool]] = {}  # noun -> (kind, plural)
for _singular, _plural, _kind in lexicon.EN_VICTIMS:
    _NOUN_KIND.setdefault(_singular, (_kind, False))
    _NOUN_KIND.setdefault(_plural, (_kind, True))
_AGE = r"\d{1,3}[\s-](?i:years?[\s-]old)"


def _expand(alternative: str) -> set[str] | None:
    """The plain words one simple alternative stands for ("bomb(?:ed|s)?", "airstrikes?"), or None."""
    if re.fullmatch(r"[a-z']+", alternative):
        return {alternative}
    if shape := re.fullmatch(r"([a-z]+)\(\?:([a-z|]+)\)(\??)", alternative):
        return {shape[1] + ending for ending in shape[2].split("|")} | (
            {shape[1]} if shape[3] else set()
        )
    if shape := re.fullmatch(r"([a-z]+)([a-z])\?", alternative):
        return {shape[1], shape[1] + shape[2]}
    return None


def _first_words(fragment: str) -> set[str]:
    """The plain words a lexicon fragment's matches can begin with."""
    found: set[str] = set()
    for alternative in alternatives(fragment):
        found |= _expand(re.split(r"\\s[+*]", alternative, maxsplit=1)[0]) or set()
    return found


def _as_tree(fragment: str) -> str:
    """A fragment with its simple one-word alternatives made one tree, the rest kept as written."""
    words: set[str] = set()
    rest: list[str] = []
    for alternative in alternatives(fragment):
        expanded = _expand(alternative)
        if expanded is None:
            rest.append(alternative)
        else:
            words |= expanded
    return "|".join([trie(sorted(words)), *rest])


#: Words that are never part of a name or a victim's modifier, even capitalised in a Title
#: Case headline ("Syrian Regime Forces Kill Two Civilians", "Man Named Ghazi al-Refa'ie
#: Killed", "Bomb Two Schools in ..."): counts, prepositions, and the lexicon's words for what
#: happened. One tree of plain words (``scan.trie``), so the check reads each letter once.
_NEVER_A_NAME = sorted(
    {*_UNITS, *_TENS, "a", "an", "near", "found", "confirmed", "documented", "released", "freed"}
    | {"missing", "personnel", "forces"}
    | _first_words(lexicon.EN_VICTIM_STOPS)
    | _first_words(lexicon.EN_ATTACK)
    | _first_words(lexicon.EN_OTHER)
    | {word for pattern in lexicon.EN_TRIGGERS.values() for word in _first_words(pattern)}
    | {word for pattern in lexicon.EN_FACILITIES.values() for word in _first_words(pattern)}
)
_NOT_A_NAME = rf"(?!(?i:{trie(_NEVER_A_NAME)})(?![\w']))"
_NOT_A_MODIFIER = _NOT_A_NAME
#: Words that may stand between a count and its noun: names and the adjectives SNHR uses.
_MODIFIER = (
    rf"(?:{_AGE}|{_NOT_A_MODIFIER}[A-Z][\w'.-]*|(?i:elderly|young|old|displaced|military|civil|council|local"
    r"|female|male|pregnant|disabled|other|more|aid|humanitarian|media|medical|health|relief|education|school"
    r"|police|security|government|municipal|teenage|little|innocent|unarmed|former|retired|defected|detained"
    r"|IDP|returnee|civilian|family|emergency|rescue|defen[cs]e|water|bakery|hospital|camp))"
)
_NAME_WORD = (
    rf"(?:(?i:{lexicon.EN_NAME_PARTICLES})[\s-]+)?{_NOT_A_NAME}[A-Z][\w']*(?:-[A-Za-z][\w']*)*"
)
_PERSON_NAME = rf"{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,5}}"
#: A victim phrase is found from its noun (a dictionary look-up per word), then read
#: backwards (count, possessive, modifiers) and forwards (tail, name) with anchored patterns:
#: trying the whole phrase pattern at every word was most of the parser's time.
_TOKEN = re.compile(r"[A-Za-z0-9][\w'-]*")
_CIVILIAN_ADJECTIVE = re.compile(rf"\s+(?i:{lexicon.EN_CIVILIAN_ADJECTIVE})(?![\w'])")
_BEFORE_NOUN = re.compile(
    rf"(?:(?P<poss>(?i:{lexicon.EN_POSSESSIVES}))\s+)?"
    rf"(?:(?P<count>(?i:{_COUNT}))\s+|(?P<uncounted>(?i:{lexicon.EN_UNCOUNTED}))\s+)?"
    rf"(?P<mods>(?:{_MODIFIER}\s+){{0,4}})"
)
_AFTER_NOUN = re.compile(
    rf"(?:\s+(?P<tail>(?i:{lexicon.EN_VICTIM_TAILS}))(?![\w']))?"
    rf"(?:,?\s+(?i:named(?:\s+as)?|identified\s+as|called)\s+(?:(?P<age2>\d{{1,3}})[\s-](?i:years?[\s-]old)\s+)?"
    rf"(?P<name>{_PERSON_NAME})|\s+(?P<bare>{_PERSON_NAME}))?"
)
#: How many words before its noun a victim phrase may begin ("a number of" + four modifiers),
#: and a window of text sure to hold them.
_REACH = 8
_REACH_CHARS = 160
_IN_WORD = re.compile(r"[\w'-]")
_NOUN = Scanner(
    re.compile(
        r"(?<![\w'-])(?i:"
        + "|".join(re.escape(noun) for noun in sorted(_NOUN_KIND, key=len, reverse=True))
        + r")(?![\w'-])"
    )
)
_AGE_NUMBER = re.compile(r"(\d{1,3})[\s-]years?[\s-]old", re.IGNORECASE)
_SUBSET_BEFORE = re.compile(rf"(?i:{lexicon.EN_SUBSET})\s*$")
_AND = re.compile(r"\s*(?:,\s*)?(?:and\s+)?")
#: Nouns that take a name without "named": "Media worker Hassan al-Ali killed".
_TITLED = frozenset(lexicon.EN_TITLED_NOUNS)

# --- facilities ---


def _facilities(prefix: str) -> str:
    return "|".join(
        f"(?P<{prefix}{kind}>{pattern})" for kind, pattern in lexicon.EN_FACILITIES.items()
    )


_FACILITY_WORD = Scanner(
    re.compile(rf"(?<![\w'])(?i:{'|'.join(lexicon.EN_FACILITIES.values())})(?![\w'])")
)
#: The attack verbs as one tree of plain words, then the phrases among them ("set fire to").
_ATTACK = _as_tree(lexicon.EN_ATTACK)
_FACILITY_ATTACK = Scanner(
    re.compile(
        rf"(?<![\w'])(?i:{_ATTACK})(?:\s+(?i:on|of|against|at|to))?\s+"
        r"(?:(?i:the|a|an|its|their|\d+|one|two|three|four|five|six|seven|eight|nine|ten|several)\s+)?"
        rf"(?:(?!(?i:in|near|by|with)\s)[\w'-]+\s+){{0,2}}?(?i:{_facilities('fa_')})(?![\w'])"
        rf"|(?<![\w'])(?i:{_facilities('fp_')})(?:\s+[\w'.-]+){{0,3}}?\s+"
        r"(?i:bombed|shelled|targeted|attacked|hit|struck|damaged|destroyed|burned|burnt|looted|stormed)(?![\w'])"
    )
)

# --- where ---
_GOVERNORATE = governorates.english_alternation()
_RURAL = ("suburb", "countryside", "rural", "outskirts")


def _governorate_phrase(p: str) -> str:
    """ "W. Aleppo", "eastern Daraa governorate", "the western suburbs of Damascus", "Idlib suburbs"."""
    return (
        rf"(?:(?P<{p}da>[NSEW]\.)\s*"
        rf"|(?P<{p}dw>(?i:(?:north|south|east|west)(?:ern)?))\s+(?:(?i:rural)\s+)?"
        rf"(?:(?P<{p}rs0>(?i:suburbs|countryside|rural\s+areas?|parts?|outskirts))\s+(?i:of)\s+(?:(?i:the)\s+)?"
        rf"|(?i:of)\s+(?:(?i:the)\s+)?)?"
        rf"|(?P<{p}rp>(?i:rural|(?:the\s+)?(?:suburbs|countryside|outskirts)\s+of))\s+)?"
        rf"(?:(?i:al|ar|as|el|ad)[\s-]+)?(?P<{p}g>(?i:{_GOVERNORATE}))(?![\w])"
        rf"(?:'s?\s+(?:(?P<{p}dw2>(?i:(?:north|south|east|west)(?:ern)?))\s+)?(?P<{p}rs>(?i:suburbs|countryside|outskirts)))?"
        rf"(?:\s+(?P<{p}sfx>(?i:suburbs|countryside|rural|governorate|province))(?![\w]))?"
    )


_AFTER_IN = (
    "(?:"
    + "|".join(f"(?<={word} )" for w in ("in", "near", "at", "from") for word in (w, w.title()))
    + ")"
)


def _place_phrase(p: str) -> str:
    """ "Kafranbel city in Idlib suburbs", "the town of Jasem", "Ariha, Idlib", "W. Aleppo"."""
    place = rf"(?P<{p}PLACE>{_NAME_WORD}(?:[\s-]+{_NAME_WORD}){{0,3}})"
    kind = rf"(?P<{p}KIND>(?i:{lexicon.EN_PLACE_TYPES}))(?![\w])"
    then = r"(?:\s*,\s*|\s+(?i:in|of|near)\s+)(?:(?i:the)\s+)?"
    return (
        rf"{place.replace('PLACE', 'a_place')}\s+{kind.replace('KIND', 'a_kind')}"
        rf"(?:{then}{_governorate_phrase(p + 'a_')})?"
        rf"|(?:(?i:the)\s+)?{kind.replace('KIND', 'd_kind')}\s+(?i:of)\s+{place.replace('PLACE', 'd_place')}"
        rf"(?:{then}{_governorate_phrase(p + 'd_')})?"
        # A name without a kind word is a place only right after "in", "near" or "at" ("in Ariha,
        # Idlib"): after "of" it is as often a party ("a landmine of Unidentified Source in ...").
        rf"|{_AFTER_IN}{place.replace('PLACE', 'b_place')}{then}{_governorate_phrase(p + 'b_')}"
        rf"|{_governorate_phrase(p + 'c_')}"
    )


_LOCATION = Scanner(
    re.compile(
        # A place follows a preposition or an attack ("shelled Ariha city"); after it, a name (capitalised, or "al ..."), a direction or a kind of place:
        # "in a drone attack" is turned away at once.
        rf"(?<![\w'])(?:(?i:{lexicon.EN_LOCATION_PREPOSITIONS}|{lexicon.EN_ATTACK})\s+(?:(?i:the)\s+)?"
        r"(?=(?![a-z])\w|(?i:(?:north|south|east|west)(?:ern)?|rural|suburbs|countryside|outskirts|al|ar|as|el|ad)[\s-]"
        rf"|(?i:{lexicon.EN_PLACE_TYPES})\s)"
        r"|(?=(?i:(?:north|south|east|west)(?:ern)?\s+(?:of|suburbs|countryside)\s)))"  # "east of Hama"
        rf"(?:{_place_phrase('l')})"
    ),
    starts=rf"{lexicon.EN_LOCATION_PREPOSITIONS}|{lexicon.EN_ATTACK}|north|south|east|west",
)
_ORIGIN = Scanner(
    re.compile(
        rf"(?<![\w'])(?i:from|hails\s+from|native\s+of|originally\s+from)\s+(?:(?i:the)\s+)?(?:{_place_phrase('o')})"
    ),
    starts="from|hails|native|originally",
)

# --- who ---
_PERPETRATOR = Choices(
    r"(?<![\w])(?:ALTERNATION)(?![\w])",
    [
        f"(?P<t{i}>{term.pattern if term.exact_case else f'(?i:{term.pattern})'})"
        for i, term in enumerate(perpetrators.ENGLISH)
    ],
)


def _count(word: str | None, plural: bool) -> int | None:
    """The number a count word gives its noun: "a civilian" 1, "Six civilians" 6, "civilians" None."""
    if word is None or word.lower() in ("a", "an"):
        return None if plural else 1
    word = word.lower()
    if word.isdigit():
        return int(word)
    if word in _UNITS:
        return _UNITS[word]
    tens, _, unit = re.sub(r"[\s-]+", " ", word).partition(" ")
    return _TENS[tens] + _UNITS.get(unit, 0) if tens in _TENS else None


def _age(text: str | None) -> int | None:
    match = _AGE_NUMBER.search(text) if text else None
    return int(match.group(1)) if match else None


def _victims(text: str, index: Words) -> list[Victim]:
    found: list[Victim] = []
    floor = 0  # a phrase never reaches back into the one before it
    for noun_match in _NOUN.finditer(text, index):
        noun, at = noun_match.group().lower(), noun_match.start()
        if at < floor or (noun == "civilian" and _CIVILIAN_ADJECTIVE.match(text, noun_match.end())):
            continue  # inside the last phrase, or "a civilian car"
        reach = max(floor, at - _REACH_CHARS)
        starts = [token.start() for token in _TOKEN.finditer(text, reach, at)]
        if starts and reach > 0 and _IN_WORD.match(text, reach - 1):
            starts.pop(0)  # the window began inside a word
        before = _BEFORE_NOUN.fullmatch(text, at, at)  # the bare noun
        misses = 0
        # Reach back word by word for the longest prefix; a unit spans at most three
        # words ("a number of"), so three misses in a row end the search.
        for begin in reversed(starts[-_REACH:]):
            if misses == 3:
                break
            longer = _BEFORE_NOUN.fullmatch(text, begin, at)
            if longer:
                before, misses = longer, 0
            else:
                misses += 1
        if before is None:  # the empty prefix always matches; kept for the type checker
            continue
        after = _AFTER_NOUN.match(text, noun_match.end())
        victim = _victim(text, noun, before, after, found)
        found.append(victim)
        floor = victim.name_span[1] if victim.name_span else victim.span[1]
    return found


def _victim(
    text: str, noun: str, before: re.Match[str], after: re.Match[str] | None, found: list[Victim]
) -> Victim:
    kind, plural = _NOUN_KIND[noun]
    count = None if before["uncounted"] else _count(before["count"], plural)
    if before["poss"] and before["count"] is None and not plural:
        count = 1
    ages = [
        age
        for age in (_age(before["mods"]), int(after["age2"]) if after and after["age2"] else None)
        if age is not None
    ]
    if any(age < 18 for age in ages):  # SNHR counts everyone under 18 as a child
        kind = "child"
    start, end = (
        before.start(),
        (after.end("tail") if after and after["tail"] else before.end() + len(noun)),
    )
    subset = _SUBSET_BEFORE.search(text, 0, start) is not None or bool(
        # "including a child and a woman": the second is in the subset too
        found and found[-1].subset and _AND.fullmatch(text, found[-1].span[1], start)
    )
    victim = Victim(span=(start, end), count=count, kind=kind, subset=subset)
    if after and after["name"]:
        victim.name_span = after.span("name")
    elif after and after["bare"] and not plural and noun in _TITLED:
        victim.name_span = after.span("bare")
    return victim


def _governorate(match: re.Match[str], p: str) -> tuple[str, Span, str | None, Span | None] | None:
    """(code, span, direction, direction span) from one governorate phrase's groups."""
    if match[p + "g"] is None:
        return None
    code = governorates.english_code(match[p + "g"])
    if code is None:
        return None
    span = match.span(p + "g")
    rural_groups = [g for g in ("rs0", "rp", "rs", "sfx") if match[p + g] and _rural(match[p + g])]
    if rural_groups and code in governorates.RURAL:
        code = governorates.RURAL[code]
        spans = [span, *(match.span(p + g) for g in rural_groups)]
        span = (min(s for s, _ in spans), max(e for _, e in spans))
    for group in ("da", "dw", "dw2"):
        if match[p + group]:
            word = match[p + group].lower().removesuffix(".").removesuffix("ern")
            direction = lexicon.EN_DIRECTIONS.get(word, word.upper())
            return code, span, direction, match.span(p + group)
    return code, span, None, None


def _rural(word: str) -> bool:
    lowered = word.lower()
    return any(marker in lowered for marker in _RURAL)


def _where(
    match: re.Match[str], p: str
) -> tuple[tuple[str, Span, str | None, Span | None] | None, tuple[str, Span] | None]:
    """The governorate reading and the place (name, span) of a location or origin match."""
    for alternative in ("a_", "d_", "b_", "c_"):
        if alternative != "c_" and match[f"{p}{alternative}place"] is None:
            continue
        governorate = _governorate(match, f"{p}{alternative}")
        if alternative == "c_":
            return governorate, None
        place_group = f"{p}{alternative}place"
        place, place_span = match[place_group], match.span(place_group)
        named_after = governorates.english_code(place)
        if named_after is not None:  # "Idlib city": the governorate's capital
            kind = match[f"{p}{alternative}kind"] if alternative in ("a_", "d_") else None
            if kind is None or kind.lower() != "city":
                return governorate or (named_after, place_span, None, None), None
            governorate = governorate or (named_after, place_span, None, None)
        return governorate, (place, place_span)
    return None, None


def _read_places(reading: Reading, text: str, index: Words) -> None:
    taken: list[Span] = []
    for match in _ORIGIN.finditer(text, index):
        governorate, _ = _where(match, "o")
        taken.append(match.span())
        if governorate and reading.values["origin_governorate"] is None:
            reading.put("origin_governorate", governorate[0], governorate[1])
    best_governorate = best_place = None
    for match in _LOCATION.finditer(text, index):
        if any(start < match.end() and match.start() < end for start, end in taken):
            continue
        governorate, place = _where(match, "l")
        if governorate:
            best_governorate, best_place = governorate, place or best_place
        elif place:
            best_place = place
    if best_governorate:
        code, span, direction, direction_span = best_governorate
        reading.put("governorate", code, span)
        if direction and direction_span:
            reading.put("direction", direction, direction_span)
    if best_place:
        reading.put("place", best_place[0], best_place[1])


def _read_perpetrator(reading: Reading, text: str, index: Words, published: date | None) -> None:
    for match in _PERPETRATOR.finditer(text, index):
        term = perpetrators.ENGLISH[int((match.lastgroup or "t0")[1:])]
        if not term.parties:  # "gunmen affiliated with ...": the name that follows says who
            continue
        code = term.party(published)
        if code is not None:
            reading.put("perpetrator", code, match.span())
        return


def _facility(text: str, index: Words) -> tuple[str, Span, Span] | None:
    """(kind, span of the facility noun, span of the whole attack phrase)."""
    match = _FACILITY_ATTACK.search(text, index)
    if match is None:
        return None
    for name, value in match.groupdict().items():
        if value is not None and name.startswith(("fa_", "fp_")):
            return name[3:], match.span(name), match.span()
    return None


def _title_case(text: str) -> bool:
    """Report headlines capitalise function words ("Death under Torture Is More than It was")."""
    later = _WORD.findall(text)[1:]
    capitals = sum(
        1 for word in later if word[0].isupper() and word.lower() in lexicon.EN_FUNCTION_WORDS
    )
    return capitals >= 2


def parse(title: str, published: date | None) -> dict[str, Any] | None:
    text = fold_english(title)
    closing = _TRAILING_DATE.search(text, max(0, len(text) - _DATE_REACH))
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
    _read_places(reading, core, index)
    _read_perpetrator(reading, core, index, published)
    triggers = [
        Trigger((match.lastgroup or "other").partition("__")[0], match.span())
        for match in _TRIGGER.finditer(core, index)
    ]
    victims = _victims(core, index)
    attach_forward(victims, triggers, core)
    facility = _facility(core, index) if _FACILITY_WORD.search(core, index) else None
    if facility:
        reading.put("facility", facility[0], facility[1])
    # Torture and detention only matter for a death; a vaguer word only when nothing else says what happened.
    dead = any(trigger.kind in ("kill", "death", "kill_injure") for trigger in triggers)
    torture = _TORTURE.search(core, index) if dead else None
    detention = _DETENTION.search(core, index) if dead else None
    other = _OTHER.search(core, index) if not triggers and not facility else None
    reading.count_victims(
        triggers, victims, facility[2] if facility else None,
        torture.span() if torture else None, detention.span() if detention else None,
        other.span() if other else None,
    )  # fmt: skip

    located = reading.values["governorate"] or reading.values["place"]
    if not dated and not located and _title_case(core):
        return None
    if not reading.found_anything():
        return None
    return reading.result(title)
