"""What a title says, collected field by field with the span each value came from.

Both languages find the same things (triggers, victim phrases, a party, a
place) and hand them here; the rules that turn them into counts and an event
are the same in English and Arabic, so they live once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

FIELDS = (
    "event", "killed", "injured", "arrested", "children", "women", "perpetrator", "governorate",
    "origin_governorate", "direction", "place", "facility", "victim_names",
)  # fmt: skip

EVENTS = frozenset(
    {
        "killed",
        "injured",
        "killed_and_injured",
        "arrested",
        "died_in_detention",
        "attack_on_facility",
        "other",
    }
)
FACILITY_KINDS = frozenset(
    {
        "school",
        "hospital",
        "medical",
        "mosque",
        "market",
        "bakery",
        "water_station",
        "camp",
        "other",
    }
)

Span = tuple[int, int]


@dataclass(slots=True)
class Trigger:
    """A word saying what happened: kind is a key of the lexicon's trigger tables."""

    kind: str
    span: Span


@dataclass(slots=True)
class Victim:
    """One victim phrase ("Two children siblings", "his wife", "Man named X")."""

    span: Span
    count: int | None
    kind: str  # "person", "child" or "woman"
    subset: bool = False  # "including two children": already counted in the phrase before
    name_span: Span | None = None
    trigger: Trigger | None = None


def _union(spans: list[Span]) -> Span:
    return min(start for start, _ in spans), max(end for _, end in spans)


def _total(victims: list[Victim]) -> int | None:
    if not victims or any(victim.count is None for victim in victims):
        return None
    return sum(victim.count for victim in victims if victim.count is not None)


class Reading:
    """The fields read so far; ``result()`` gives the contract's dict."""

    __slots__ = ("spans", "values")

    def __init__(self) -> None:
        self.values: dict[str, Any] = dict.fromkeys(FIELDS)
        self.spans: dict[str, Any] = {}

    def put(self, field: str, value: Any, span: Span) -> None:
        self.values[field] = value
        self.spans[field] = [span[0], span[1]]

    def found_anything(self) -> bool:
        return bool(self.spans) or any(value is not None for value in self.values.values())

    def result(self, title: str) -> dict[str, Any]:
        """The contract's dict; place and names are the title's own words at their spans."""
        out = dict(self.values)
        if "place" in self.spans:
            start, end = self.spans["place"]
            out["place"] = title[start:end]
        if "victim_names" in self.spans:
            out["victim_names"] = [title[start:end] for start, end in self.spans["victim_names"]]
        if out["event"] is None:
            out["event"] = "other"  # something was read, but no word said what happened
        out["spans"] = self.spans
        return out

    def count_victims(
        self,
        triggers: list[Trigger],
        victims: list[Victim],
        facility_attack: Span | None,
        torture: Span | None,
        detention: Span | None,
        other: Span | None,
    ) -> None:
        """The event and its counts, from triggers and the victims attached to them."""
        kinds = {trigger.kind for trigger in triggers}
        dead = kinds & {"kill", "death", "kill_injure"}
        event: str | None
        if dead and (torture or detention):
            event = "died_in_detention"
        elif "kill_injure" in kinds or ({"kill", "death"} & kinds and "injure" in kinds):
            event = "killed_and_injured"
        elif dead:
            event = "killed"
        elif "injure" in kinds:
            event = "injured"
        elif "arrest" in kinds:
            event = "arrested"
        elif facility_attack is not None:
            event = "attack_on_facility"
        elif other is not None or triggers:
            event = "other"
        else:
            event = None
        if event is None:
            return
        if (
            event == "died_in_detention"
        ):  # the death and where it happened, not the arrest before it
            event_spans = [t.span for t in triggers if t.kind in dead]
            event_spans += [span for span in (torture, detention) if span]
        else:
            event_spans = [t.span for t in triggers if self._relevant(event, t.kind)]
        if event == "attack_on_facility" and facility_attack:
            event_spans.append(facility_attack)
        if event == "other" and not event_spans and other:
            event_spans.append(other)
        if event_spans:
            self.put("event", event, _union(event_spans))
        else:
            self.values["event"] = event

        counted = [
            v for v in victims if v.trigger is not None and self._relevant(event, v.trigger.kind)
        ]
        whole = [v for v in counted if not v.subset]
        by_field = {
            "killed": [v for v in whole if v.trigger and v.trigger.kind in ("kill", "death")],
            "injured": [v for v in whole if v.trigger and v.trigger.kind == "injure"],
            "arrested": [v for v in whole if v.trigger and v.trigger.kind == "arrest"],
        }
        if event == "died_in_detention":
            by_field = {"killed": whole}  # the detainee who was arrested is the one who died
        elif event in ("killed", "injured", "arrested"):
            by_field = {event: by_field[event]}
        elif event == "killed_and_injured":
            if "kill_injure" in kinds:  # "Three civilians killed and injured": no split
                by_field = {}
            else:
                by_field = {"killed": by_field["killed"], "injured": by_field["injured"]}
        else:
            by_field = {}
        for field, group in by_field.items():
            total = _total(group)
            if total is not None:
                self.put(field, total, _union([v.span for v in group]))
        for field, kind in (("children", "child"), ("women", "woman")):
            group = [v for v in counted if v.kind == kind]
            total = _total(group)
            if total is not None:
                self.put(field, total, _union([v.span for v in group]))
        names = [v.name_span for v in victims if v.name_span]
        if names:
            self.spans["victim_names"] = [[start, end] for start, end in names]

    @staticmethod
    def _relevant(event: str, kind: str) -> bool:
        if event == "died_in_detention":
            return kind in ("kill", "death", "kill_injure", "arrest")
        if event == "killed_and_injured":
            return kind in ("kill", "death", "injure", "kill_injure")
        if event == "killed":
            return kind in ("kill", "death")
        if event == "injured":
            return kind == "injure"
        if event == "arrested":
            return kind == "arrest"
        return False


def attach_forward(victims: list[Victim], triggers: list[Trigger], title: str) -> None:
    """English: an object follows its verb ("arrested two civilians"); a subject precedes it.

    A victim right after a trigger (only spaces between) is that trigger's object;
    otherwise it is the subject of the next trigger ("Two civilians killed"),
    or, with none after it, the object of the last one before it.
    """
    for victim in victims:
        before = [t for t in triggers if t.span[1] <= victim.span[0]]
        after = [t for t in triggers if t.span[0] >= victim.span[1]]
        if before and not title[before[-1].span[1] : victim.span[0]].strip():
            victim.trigger = before[-1]
        elif after:
            victim.trigger = after[0]
        elif before:
            victim.trigger = before[-1]


def attach_backward(victims: list[Victim], triggers: list[Trigger]) -> None:
    """Arabic: the victim follows what happened to it ("مقتل مدني", "تعتقل مدنياً")."""
    for victim in victims:
        before = [t for t in triggers if t.span[1] <= victim.span[0]]
        after = [t for t in triggers if t.span[0] >= victim.span[1]]
        if before:
            victim.trigger = before[-1]
        elif after:
            victim.trigger = after[0]
