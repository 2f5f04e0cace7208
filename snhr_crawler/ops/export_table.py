"""The export table: one typed row per archived line, the same in every format.

``COLUMNS`` declares the table once: each column's name, its Table Schema
type (what ``datapackage.json`` says), its Arrow type (what Parquet stores)
and its description. ``table_row`` turns an archived line into a row of
Python values of those types; the exporters only spell the values
(``exporters.py``), so JSON Lines, CSV and Parquet carry the same table.

What differs from an archived line:

* **Times.** ``published_at`` and ``modified_at`` become UTC instants (SNHR
  writes them in local time with ``+03:00``, in UTC with ``+00:00``, or as a
  bare day when only the URL's date is known); a bare day gives no instant.
  ``published_date`` and ``modified_date`` are the site's local day
  (``local_day``). The archive's own times (``crawled_at``, ``archived_at``,
  ``removed_at``) are UTC already and become instants too.
* **The incident** (``incident``, a nested object) becomes ``incident_*``
  columns, one per field of ``snhr_crawler.incidents.FIELDS``, plus
  ``incident_spans``; all null for an article that reports no incident.
* **Empty is null.** A blank string, an empty list and an empty mapping are
  missing values (null), so every format spells "nothing" one way: JSON
  ``null``, an empty CSV cell, a Parquet null.
* Attachments and images keep a fixed set of keys (``ATTACHMENT_KEYS``,
  ``IMAGE_KEYS``), null where an entry lacks one.
* ``capture`` (where the bytes the line was read from are kept) is an object
  of ``CAPTURE_KEYS`` (a Parquet struct, JSON text in CSV), and ``change``
  says why the version was written; both null on lines archived before them.

A value that does not convert (a malformed time in a hand-edited archive)
becomes null with a warning naming the record and the column, rather than
stopping an export of a million rows.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import pyarrow as pa

from snhr_crawler.archive.records import CHANGES
from snhr_crawler.incidents.governorates import SPELLINGS as GOVERNORATES
from snhr_crawler.incidents.perpetrators import CODES as PERPETRATORS
from snhr_crawler.incidents.reading import EVENTS, FACILITY_KINDS, FIELDS
from snhr_crawler.items import DATE_SOURCES, DISCOVERY_MODES, DOC_TYPES
from snhr_crawler.urls import url_date

logger = logging.getLogger(__name__)

#: The site's time zone, for the local day of a time SNHR wrote in UTC. Syria
#: has kept UTC+03:00 all year since October 2022 and had +02:00 in winter
#: before; the IANA zone knows both. SNHR's own offset wins when it wrote one
#: (``local_day``).
SITE_TIME_ZONE = "Asia/Damascus"
_SITE_ZONE = ZoneInfo(SITE_TIME_ZONE)

#: How list columns are joined in a CSV cell (and split again by data package readers).
LIST_DELIMITER = " | "
ATTACHMENT_KEYS = ("url", "title", "sha256", "size", "path")
IMAGE_KEYS = ("url", "caption")
CAPTURE_KEYS = (
    "warc_file",
    "record_id",
    "offset",
    "length",
    "payload_digest",
    "status",
    "fetched_at",
)
_CAPTURE_TYPES = {"offset": pa.int64(), "length": pa.int64(), "status": pa.int16()}

_BARE_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_UTC_MS = pa.timestamp("ms", tz="UTC")  # Parquet has no seconds unit
_STRINGS = pa.list_(pa.string())


@dataclass(frozen=True)
class Column:
    """One column of the export: its types in Table Schema and Arrow, and what it means."""

    name: str
    type: str  # Table Schema type
    arrow: pa.DataType
    description: str
    required: bool = False
    enum: tuple[str, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)  # format, itemType, delimiter

    def table_schema(self) -> dict[str, Any]:
        """The Table Schema field descriptor."""
        described: dict[str, Any] = {"name": self.name, "type": self.type, **self.extra}
        described["description"] = self.description
        constraints: dict[str, Any] = {}
        if self.required:
            constraints["required"] = True
        if self.enum:
            constraints["enum"] = list(self.enum)
        if constraints:
            described["constraints"] = constraints
        return described


def _string(name: str, description: str, **kwargs: Any) -> Column:
    return Column(name, "string", pa.string(), description, **kwargs)


def _integer(name: str, arrow: pa.DataType, description: str, **kwargs: Any) -> Column:
    return Column(name, "integer", arrow, description, **kwargs)


def _instant(name: str, description: str) -> Column:
    return Column(name, "datetime", _UTC_MS, description)


def _day(name: str, description: str) -> Column:
    return Column(name, "date", pa.date32(), description)


def _list(name: str, description: str) -> Column:
    extra = {"itemType": "string", "delimiter": LIST_DELIMITER}
    return Column(name, "list", _STRINGS, description, extra=extra)


def _struct(keys: tuple[str, ...], types: Mapping[str, pa.DataType]) -> pa.DataType:
    return pa.list_(pa.struct([(key, types.get(key, pa.string())) for key in keys]))


_COUNT = "Number of victims the title says were {}; null when the title gives no number."

COLUMNS: tuple[Column, ...] = (
    _string("id", "Stable key: <source>:<post_id>, or <source>:u<16 hex of sha256(url)>.", required=True),
    _string("source", "Spider name, e.g. snhr_news.", required=True),
    _string("site", "Host, e.g. news.snhr.org."),
    _string("language", "en or ar."),
    Column("url", "string", pa.string(), "Canonical URL of the article.", required=True, extra={"format": "uri"}),
    _integer("post_id", pa.int64(), "WordPress post id, or null."),
    _string("title", "As shown on the page."),
    _string("subtitle", "As shown on the page; null when there is none."),
    _instant("published_at", "Publication time in UTC; null when only the day is known."),
    _day("published_date", f"Publication day in the site's local time (the permalink's date, else the offset SNHR wrote, else {SITE_TIME_ZONE})."),
    _instant("modified_at", "Last modification time in UTC, or null."),
    _day("modified_date", f"Day of the last modification in the site's local time (the offset SNHR wrote, else {SITE_TIME_ZONE}), or null."),
    _string("date_source", "Where published_at came from.", enum=DATE_SOURCES),
    _day("incident_date", "The day the incident happened, from the title, or null."),
    _string("incident_event", "What the title says happened; null when the article reports no single incident (reports, statements, tolls).", enum=tuple(sorted(EVENTS))),
    _integer("incident_killed", pa.int32(), _COUNT.format("killed (deaths in detention included)")),
    _integer("incident_injured", pa.int32(), _COUNT.format("injured")),
    _integer("incident_arrested", pa.int32(), _COUNT.format("arrested or abducted")),
    _integer("incident_children", pa.int32(), "How many of the victims are children, when the title says."),
    _integer("incident_women", pa.int32(), "How many of the victims are women, when the title says."),
    _string("incident_perpetrator", "The party the title names first (docs/incidents.md#perpetrators).", enum=tuple(sorted(PERPETRATORS))),
    _string("incident_governorate", "Where it happened: ISO 3166-2:SY code.", enum=tuple(sorted(GOVERNORATES))),
    _string("incident_origin_governorate", "Where the victim is from: ISO 3166-2:SY code.", enum=tuple(sorted(GOVERNORATES))),
    _string("incident_direction", "Part of the governorate: N, S, E or W.", enum=("E", "N", "S", "W")),
    _string("incident_place", "Town, village, neighbourhood or camp, as written in the title."),
    _string("incident_facility", "Kind of facility attacked.", enum=tuple(sorted(FACILITY_KINDS))),
    _list("incident_victim_names", "Victims' names, as written in the title."),
    Column("incident_spans", "object", pa.string(), "For each incident value, [start, end] offsets of the title's words it was read from (a list of pairs for victim_names); JSON text in Parquet."),
    _list("categories", "Breadcrumb categories, in order."),
    _list("tags", "Post tags."),
    _string("doc_type", "Kind of document.", enum=DOC_TYPES),
    _string("body_text", "The article's paragraphs joined by a blank line."),
    _string("body_html", "The same blocks as sanitised HTML."),
    Column("attachments", "array", _struct(ATTACHMENT_KEYS, {"size": pa.int64()}), "PDFs linked from the body: [{url, title, sha256, size, path}]; sha256, size and path only for PDFs stored in the archive."),
    Column("images", "array", _struct(IMAGE_KEYS, {}), "The featured image: [{url, caption}]."),
    Column("translations", "object", pa.map_(pa.string(), pa.string()), "Language -> canonical URL of the other-language versions."),
    _string("translation_group", "Shared by every language version of one document (tg:<16 hex>), or null."),
    _string("discovered_by", "How the article's URL was found.", enum=DISCOVERY_MODES),
    _instant("crawled_at", "When the page was fetched (UTC)."),
    _string("content_sha256", "sha256 of the normalised title and body text."),
    _list("truncated", "Fields cut to their size bound when archived (BOUND_FIELD_SIZES), or null."),
    _integer("version", pa.int32(), "1-based version of the article in the archive.", required=True),
    _string("previous_sha256", "content_sha256 of the version this one replaces, or null."),
    _instant("archived_at", "When this version was archived (UTC)."),
    _string("change", "Why this version was written: new, edit, restore, reparse (the same captured bytes read by a newer parser) or removal; null on lines archived before it.", enum=CHANGES),
    Column("capture", "object", pa.struct([(key, _CAPTURE_TYPES.get(key, pa.string())) for key in CAPTURE_KEYS]), "Where the bytes this line was read from are kept: {warc_file, record_id, offset, length, payload_digest, status, fetched_at}, a WARC record in the archive (docs/capture.md); null when nothing was captured."),
    Column("tombstone", "boolean", pa.bool_(), "True on the line recording that an archived article was removed (--all-versions only).", required=True),
    _instant("removed_at", "When the article was found removed (UTC); tombstones only."),
    _integer("status", pa.int16(), "HTTP status the removed article answered (404 or 410); tombstones only."),
)  # fmt: skip

NAMES: tuple[str, ...] = tuple(column.name for column in COLUMNS)
BY_NAME: dict[str, Column] = {column.name: column for column in COLUMNS}
INCIDENT_COLUMNS: dict[str, str] = {f"incident_{name}": name for name in FIELDS}
INCIDENT_COLUMNS["incident_spans"] = "spans"


# -- times -----------------------------------------------------------------------------------
# A crawl stamps ``crawled_at`` and ``archived_at`` by the second, so an archive
# holds far fewer distinct times than rows: each is parsed and spelled once
# (the caches are bounded; the values are immutable).
@lru_cache(maxsize=16_384)
def instant(value: Any) -> datetime | None:
    """The UTC instant of an ISO 8601 time, to the millisecond; None for none or a bare day.

    A time without an offset is taken as the site's local time.
    """
    if value is None or value == "" or (isinstance(value, str) and _BARE_DAY.fullmatch(value)):
        return None
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=_SITE_ZONE)
    moment = moment.astimezone(UTC)
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def local_day(value: Any, url: str | None = None) -> date | None:
    """The site's local day of an ISO 8601 time or day, or None.

    In this order: a bare day is that day; the date of the article's
    permalink (``/2024/06/13/``: WordPress writes the post's local date
    there), when it is within a day of the instant; the date as written when
    SNHR wrote a local offset (``+03:00``: its own clock); else the day of the
    instant in ``SITE_TIME_ZONE`` (a time written in UTC, ``+00:00``).
    """
    if value is None or value == "":
        return None
    if _BARE_DAY.fullmatch(value):
        return date.fromisoformat(value)
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        return moment.date()
    permalink = url_date(url) if url else None
    if permalink is not None:
        day = date.fromisoformat(permalink)
        if abs((day - moment.astimezone(UTC).date()).days) <= 1:
            return day
    if moment.utcoffset():
        return moment.date()
    return moment.astimezone(_SITE_ZONE).date()


@lru_cache(maxsize=16_384)
def iso_instant(moment: datetime) -> str:
    """``2024-06-13T06:30:00Z`` (``.123Z`` when there are milliseconds): every format's spelling."""
    text = moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")
    if moment.microsecond:
        text += f".{moment.microsecond // 1000:03d}"
    return text + "Z"


# -- values ----------------------------------------------------------------------------------
def _text(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError(f"expected text, got {type(value).__name__}")
    return value if value.strip() else None


def _whole(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"expected a whole number, got {value!r}")
    return value


def _day_of(value: Any) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


def _strings(value: Any) -> list[str] | None:
    if not value:
        return None
    if not isinstance(value, list):
        raise TypeError(f"expected a list, got {type(value).__name__}")
    items = [str(item) for item in value if item is not None and str(item).strip()]
    return items or None


def _entries(keys: tuple[str, ...]) -> Callable[[Any], list[dict[str, Any]] | None]:
    def convert(value: Any) -> list[dict[str, Any]] | None:
        if not value:
            return None
        return [{key: entry.get(key) for key in keys} for entry in value]

    return convert


def _keys(keys: tuple[str, ...]) -> Callable[[Any], dict[str, Any] | None]:
    def convert(value: Any) -> dict[str, Any] | None:
        return {key: value.get(key) for key in keys} if isinstance(value, dict) else None

    return convert


def _mapping(value: Any) -> dict[str, Any] | None:
    if not value:
        return None
    if not isinstance(value, dict):
        raise TypeError(f"expected an object, got {type(value).__name__}")
    return dict(value)


_CONVERT: dict[str, Callable[[Any], Any]] = {
    "post_id": _whole,
    "published_at": instant,
    "modified_at": instant,
    "modified_date": local_day,
    "incident_date": _day_of,
    "incident_victim_names": _strings,
    "incident_spans": _mapping,
    "categories": _strings,
    "tags": _strings,
    "truncated": _strings,
    "attachments": _entries(ATTACHMENT_KEYS),
    "images": _entries(IMAGE_KEYS),
    "translations": _mapping,
    "capture": _keys(CAPTURE_KEYS),
    "crawled_at": instant,
    "version": _whole,
    "archived_at": instant,
    "removed_at": instant,
    "status": _whole,
    **{name: _whole for name in INCIDENT_COLUMNS if BY_NAME[name].type == "integer"},
}


_NO_INCIDENT: dict[str, Any] = {}
#: Per column: (name, the archived field it comes from, read from ``incident``?, converter).
_PLAN: tuple[tuple[str, str, bool, Callable[[Any], Any]], ...] = tuple(
    (
        name,
        INCIDENT_COLUMNS.get(name) or {"published_date": "published_at"}.get(name)
        or {"modified_date": "modified_at"}.get(name, name),
        name in INCIDENT_COLUMNS,
        _CONVERT.get(name, _text),
    )
    for name in NAMES
    if name not in ("published_date", "tombstone")  # these two need more than their value
)  # fmt: skip


def table_row(record: Mapping[str, Any]) -> dict[str, Any]:
    """``record`` (an archived line) as a row of ``COLUMNS``, each value of its column's type."""
    incident = record.get("incident")
    if not isinstance(incident, dict):
        incident = _NO_INCIDENT
    row: dict[str, Any] = dict.fromkeys(NAMES)
    for name, key, in_incident, convert in _PLAN:
        value = incident.get(key) if in_incident else record.get(key)
        if value is None:
            continue
        try:
            row[name] = convert(value)
        except (TypeError, ValueError, AttributeError):
            _invalid(record, name, value)
    published = record.get("published_at")
    try:
        row["published_date"] = local_day(published, record.get("url"))
    except (TypeError, ValueError, AttributeError):
        _invalid(record, "published_date", published)
    row["tombstone"] = record.get("tombstone") is True
    return row


def _invalid(record: Mapping[str, Any], name: str, value: Any) -> None:
    logger.warning("export: %s of %s is not valid (%r); null", name, record.get("id"), value)
