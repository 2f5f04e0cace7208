"""Compare what a crawl produced with the replica's ground truth, field by field.

Records are matched on their WordPress post id (within one source), not on
``id`` or ``url``: those are among the fields being checked, so a crawler that
gets them wrong shows up as a mismatch in that field rather than as every post
missing at once.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

#: Fields a crawl sets that the truth cannot know.
NOT_COMPARED = frozenset({"crawled_at"})


@dataclass
class TruthReport:
    """What differs between a crawl's records and the truth (empty everywhere: a perfect crawl)."""

    missing: list[Any] = field(default_factory=list)  # post ids in the truth, not crawled
    extra: list[Any] = field(default_factory=list)  # post ids crawled, not in the truth
    duplicates: list[Any] = field(default_factory=list)  # post ids crawled more than once
    mismatches: dict[Any, dict[str, tuple[Any, Any]]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not (self.missing or self.extra or self.duplicates or self.mismatches)

    @property
    def fields(self) -> set[str]:
        """Every field that differs on at least one post."""
        return {name for diff in self.mismatches.values() for name in diff}

    def summary(self, limit: int = 4000) -> str:
        """A readable account for an assertion message: (got, want) per differing field."""
        data = {
            "missing": self.missing,
            "extra": self.extra,
            "duplicates": self.duplicates,
            "fields": sorted(self.fields),
            "mismatches": {str(key): diff for key, diff in self.mismatches.items()},
        }
        return json.dumps(data, ensure_ascii=False, indent=1, default=str)[:limit]


def comparable(name: str, record: dict[str, Any]) -> Any:
    """A record's field as the truth states it: ``incident`` without the crawler's spans."""
    value = record.get(name)
    if name == "incident" and isinstance(value, dict):
        return {key: item for key, item in value.items() if key != "spans"}
    return value


def span_problem(record: dict[str, Any]) -> str | None:
    """What is wrong with an incident's spans, or None: each names a filled field, inside the title."""
    incident = record.get("incident")
    if not isinstance(incident, dict):
        return None
    length = len(record.get("title") or "")
    for name, span in (incident.get("spans") or {}).items():
        if incident.get(name) in (None, []):
            return f"a span for the empty field {name}"
        pairs = span if span and isinstance(span[0], list) else [span]
        for start, end in pairs:
            if not 0 <= start < end <= length:
                return f"{name} span {start}:{end} outside a {length}-character title"
    return None


def compare_with_truth(
    records: Iterable[dict[str, Any]],
    truth: Iterable[dict[str, Any]],
    *,
    overrides: dict[str, Any] | None = None,
) -> TruthReport:
    """Match on ``post_id`` and compare every truth field (``overrides`` replace truth values)."""
    got = list(records)
    want = {record["post_id"]: {**record, **(overrides or {})} for record in truth}
    counts = Counter(record.get("post_id") for record in got)
    report = TruthReport(
        missing=sorted(set(want) - set(counts)),
        extra=sorted((key for key in counts if key not in want), key=str),
        duplicates=sorted(key for key, n in counts.items() if n > 1 and key in want),
    )
    for record in got:
        expected = want.get(record.get("post_id"))
        if expected is None:
            continue
        diff = {
            name: (record.get(name), value)
            for name, value in expected.items()
            if name not in NOT_COMPARED and comparable(name, record) != value
        }
        if problem := span_problem(record):
            diff["incident.spans"] = (problem, "every span inside the title, on a filled field")
        if diff:
            report.mismatches[record["post_id"]] = diff
    return report
