"""Item exporters for ``snhr-crawler export``: one table, three formats.

JSON Lines and CSV use Scrapy's own exporters (``JsonLinesItemExporter``,
``CsvItemExporter``); Parquet gets ``ParquetItemExporter``, a Scrapy
``BaseItemExporter`` too, so it could also serve as a feed exporter
(``FEED_EXPORTERS = {"parquet": "snhr_crawler.ops.exporters.ParquetItemExporter"}``).

Columns (``COLUMNS``): every ``Article`` field, then the archive's
``version``, ``previous_sha256``, ``archived_at``, then ``tombstone``,
``removed_at`` and ``status`` (set only on tombstone rows of
``--all-versions``).

CSV flattening: lists of strings (``categories``, ``tags``) are joined with
``" | "``; lists of objects (``attachments``, ``images``) and mappings
(``translations``) are compact JSON, so nothing is lost.

``PARQUET_SCHEMA`` declares the Parquet types (documented in
docs/operations.md). ``published_at`` and ``modified_at`` stay strings: SNHR
gives them in the site's local time with an offset, sometimes as a bare date,
and a Parquet timestamp would keep neither the offset nor the "date only".
``crawled_at``, ``archived_at`` and ``removed_at`` are always UTC and become
``timestamp[ms, UTC]``; ``incident_date`` is a ``date32``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import date, datetime
from typing import IO, Any

import pyarrow as pa
import pyarrow.parquet as pq
from scrapy.exporters import BaseItemExporter, CsvItemExporter, JsonLinesItemExporter

from snhr_crawler.archive.records import ARTICLE_FIELDS, VERSION_FIELDS

logger = logging.getLogger(__name__)

TOMBSTONE_COLUMNS = ("tombstone", "removed_at", "status")
COLUMNS: tuple[str, ...] = (*ARTICLE_FIELDS, *VERSION_FIELDS, *TOMBSTONE_COLUMNS)
CSV_LIST_SEPARATOR = " | "

_UTC_TIMESTAMP = pa.timestamp("ms", tz="UTC")  # Parquet has no seconds unit
_STRINGS = pa.list_(pa.string())

PARQUET_SCHEMA = pa.schema(
    [
        pa.field("id", pa.string(), nullable=False),
        pa.field("source", pa.string(), nullable=False),
        pa.field("site", pa.string()),
        pa.field("language", pa.string()),
        pa.field("url", pa.string(), nullable=False),
        pa.field("post_id", pa.int64()),
        pa.field("title", pa.string()),
        pa.field("subtitle", pa.string()),
        pa.field("published_at", pa.string()),
        pa.field("modified_at", pa.string()),
        pa.field("date_source", pa.string()),
        pa.field("incident_date", pa.date32()),
        pa.field("categories", _STRINGS),
        pa.field("tags", _STRINGS),
        pa.field("doc_type", pa.string()),
        pa.field("body_text", pa.string()),
        pa.field("body_html", pa.string()),
        pa.field(
            "attachments", pa.list_(pa.struct([("url", pa.string()), ("title", pa.string())]))
        ),
        pa.field("images", pa.list_(pa.struct([("url", pa.string()), ("caption", pa.string())]))),
        pa.field("translations", pa.map_(pa.string(), pa.string())),
        pa.field("translation_group", pa.string()),
        pa.field("discovered_by", pa.string()),
        pa.field("crawled_at", _UTC_TIMESTAMP),
        pa.field("content_sha256", pa.string()),
        pa.field("version", pa.int32(), nullable=False),
        pa.field("previous_sha256", pa.string()),
        pa.field("archived_at", _UTC_TIMESTAMP),
        pa.field("tombstone", pa.bool_(), nullable=False),
        pa.field("removed_at", _UTC_TIMESTAMP),
        pa.field("status", pa.int16()),
    ]
)


def _timestamp(value: Any) -> datetime | None:
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


def _date(value: Any) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


def _objects(keys: tuple[str, ...]) -> Callable[[Any], list[dict[str, Any]]]:
    def convert(value: Any) -> list[dict[str, Any]]:
        return [{key: entry.get(key) for key in keys} for entry in value or []]

    return convert


_PARQUET_CONVERT: dict[str, Callable[[Any], Any]] = {
    "crawled_at": _timestamp,
    "archived_at": _timestamp,
    "removed_at": _timestamp,
    "incident_date": _date,
    "attachments": _objects(("url", "title")),
    "images": _objects(("url", "caption")),
    "categories": lambda value: list(value or []),
    "tags": lambda value: list(value or []),
    "tombstone": bool,
}


def parquet_row(record: dict[str, Any]) -> dict[str, Any]:
    """``record`` with each column converted to its ``PARQUET_SCHEMA`` type.

    A value that does not convert (a malformed timestamp in a hand-edited
    archive) becomes null with a warning naming the record and column,
    rather than stopping an export of a million rows.
    """
    row = {}
    for name in PARQUET_SCHEMA.names:
        value = record.get(name)
        convert = _PARQUET_CONVERT.get(name)
        if convert is not None:
            try:
                value = convert(value)
            except (TypeError, ValueError, AttributeError):
                logger.warning(
                    "export: %s of %s is not valid (%r); null", name, record.get("id"), value
                )
                value = None
        row[name] = value
    return row


def csv_value(value: Any) -> Any:
    """A CSV cell: string lists joined, nested objects as compact JSON."""
    if isinstance(value, list) and all(isinstance(entry, str) for entry in value):
        return CSV_LIST_SEPARATOR.join(value)
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return value


class ParquetItemExporter(BaseItemExporter):
    """Writes items as Parquet row groups of ``batch_size`` rows with ``PARQUET_SCHEMA``.

    Memory holds one batch, whatever the number of items.
    """

    def __init__(self, file: IO[bytes], *, batch_size: int = 5000, **kwargs: Any) -> None:
        super().__init__(dont_fail=True, **kwargs)
        self.file = file
        self.batch_size = batch_size
        self.rows: list[dict[str, Any]] = []
        self.writer: pq.ParquetWriter | None = None

    def start_exporting(self) -> None:
        self.writer = pq.ParquetWriter(self.file, PARQUET_SCHEMA, compression="zstd")

    def export_item(self, item: Any) -> None:
        self.rows.append(parquet_row(dict(item)))
        if len(self.rows) >= self.batch_size:
            self._flush()

    def finish_exporting(self) -> None:
        self._flush()
        if self.writer is not None:
            self.writer.close()
            self.writer = None

    def _flush(self) -> None:
        if self.rows and self.writer is not None:
            self.writer.write_batch(pa.RecordBatch.from_pylist(self.rows, schema=PARQUET_SCHEMA))
            self.rows = []


class FlatCsvItemExporter(CsvItemExporter):
    """Scrapy's CSV exporter with every ``COLUMNS`` column and the flattening above."""

    def __init__(self, file: IO[bytes], **kwargs: Any) -> None:
        kwargs.setdefault("fields_to_export", list(COLUMNS))
        kwargs.setdefault("join_multivalued", CSV_LIST_SEPARATOR)
        kwargs.setdefault("encoding", "utf-8")
        super().__init__(file, **kwargs)  # type: ignore[arg-type]  # any binary file works

    def export_item(self, item: Any) -> None:
        row = {"tombstone": False, **dict(item)}
        super().export_item({name: csv_value(value) for name, value in row.items()})


def exporter_for(fmt: str, file: IO[bytes]) -> BaseItemExporter:
    """The exporter for ``jsonl``, ``csv`` or ``parquet``, writing to a binary file."""
    if fmt == "jsonl":
        return JsonLinesItemExporter(file, encoding="utf-8", ensure_ascii=False)  # type: ignore[arg-type]
    if fmt == "csv":
        return FlatCsvItemExporter(file)
    if fmt == "parquet":
        return ParquetItemExporter(file)
    raise ValueError(f"unknown export format {fmt!r}")


FORMATS = ("jsonl", "csv", "parquet")
