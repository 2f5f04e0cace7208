"""Incident fields read from an SNHR news title, by auditable rules.

``parse_title(title, published, language)`` returns None when the item is not
one concrete incident (a report, a statement, a daily death toll, a monthly
count), and otherwise a dict with the keys of ``reading.FIELDS`` plus
``spans``: for every value read from the title, the ``[start, end)`` offsets
of the words it was read from (a list of them for ``victim_names``). A title
the rules cannot place gives ``event: "other"`` with whatever they could read;
no input raises. docs/incidents.md describes the fields and the grammar.
"""

from __future__ import annotations

from typing import Any

from snhr_crawler.incidents import arabic, english
from snhr_crawler.incidents.perpetrators import published_day
from snhr_crawler.incidents.reading import FIELDS

__all__ = ["FIELDS", "parse_title"]


def parse_title(title: str, published: str | None, language: str) -> dict[str, Any] | None:
    """The incident a title describes, or None when it describes no single incident.

    ``published`` (``YYYY-MM-DD``, or an ISO 8601 date-time) chooses what a
    party's name meant then (perpetrators.py); ``language`` is ``en`` or ``ar``
    (a region suffix is ignored); any other value is decided by the script.
    """
    if not title or not title.strip():
        return None
    day = published_day(published)
    code = (language or "").split("-")[0].split("_")[0].lower()
    if code not in ("en", "ar"):
        code = "ar" if arabic.looks_arabic(title) else "en"
    return arabic.parse(title, day) if code == "ar" else english.parse(title, day)
