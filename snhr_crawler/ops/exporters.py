"""Item exporters for ``snhr-crawler export``: one table (``export_table``), three spellings.

Each exporter writes rows typed by ``export_table.table_row``
(``export_row``; ``export_item`` converts an archived line first), and
spells them:

* **JSON Lines** (Scrapy's ``JsonLinesItemExporter``): one object per row
  with every column; instants as ``2024-06-13T06:30:00Z``, days as
  ``2024-06-13``, lists as arrays, objects as objects, missing as ``null``.
* **CSV** (Scrapy's ``CsvItemExporter``, RFC 4180 quoting, CRLF): a header
  row, then one cell per column: ``list`` columns joined with ``" | "``,
  ``array`` and ``object`` columns as compact JSON, booleans ``true`` /
  ``false``, missing as an empty cell. A text cell that a spreadsheet would
  run as a formula (it starts with ``= + - @``, a tab or a carriage return)
  gets a leading ``'`` unless ``raw``; ``excel`` starts the file with a
  UTF-8 byte order mark, so spreadsheet programs read Arabic right.
* **Parquet** (``ParquetItemExporter``, zstd, row groups of 5,000): the Arrow
  types of ``export_table.COLUMNS`` (``PARQUET_SCHEMA``); ``incident_spans``
  as JSON text.

They are Scrapy item exporters, but they export the archive's lines: a
spider's items carry no ``version`` yet, which the table requires.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import IO, Any

import orjson
import pyarrow as pa
import pyarrow.parquet as pq
from itemadapter import ItemAdapter
from scrapy.exporters import BaseItemExporter, CsvItemExporter, JsonLinesItemExporter

from snhr_crawler.ops.export_table import (
    COLUMNS,
    LIST_DELIMITER,
    NAMES,
    iso_instant,
    table_row,
)

FORMATS = ("jsonl", "csv", "parquet")
PARQUET_SCHEMA = pa.schema(
    [pa.field(column.name, column.arrow, nullable=not column.required) for column in COLUMNS]
)
#: What a spreadsheet reads as the start of a formula (OWASP's list for CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_JSON_TEXT = {column.name for column in COLUMNS if column.type in ("array", "object")}
_JOINED = {column.name for column in COLUMNS if column.type == "list"}
_TIMES = tuple(column.name for column in COLUMNS if column.type in ("date", "datetime"))


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def json_value(value: Any) -> Any:
    """A row value as JSON Lines writes it."""
    if isinstance(value, datetime):
        return iso_instant(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def csv_cell(name: str, value: Any, *, raw: bool = False) -> str:
    """The CSV cell of column ``name`` (see the module docstring)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return iso_instant(value)
    if isinstance(value, date):
        return value.isoformat()
    if name in _JSON_TEXT:
        return _compact(value)
    text = LIST_DELIMITER.join(value) if name in _JOINED else str(value)
    if not raw and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def parquet_values(row: dict[str, Any]) -> dict[str, Any]:
    """A typed row as Python values that fit ``PARQUET_SCHEMA`` (spans as JSON text)."""
    if row["incident_spans"] is None:
        return row
    return {**row, "incident_spans": _compact(row["incident_spans"])}


class TableExporter(BaseItemExporter):
    """A Scrapy item exporter that also takes rows already typed by ``table_row``.

    ``export_item`` converts an archived line and hands it to ``export_row``; ``snhr-crawler export`` converts each archived line
    once and calls ``export_row`` itself. The row is already serialised, so
    the subclasses write it without Scrapy's per-field serialiser hook, which
    cost half the export's time at 47 columns.
    """

    def export_item(self, item: Any) -> None:
        self.export_row(table_row(ItemAdapter(item).asdict()))

    def export_row(self, row: dict[str, Any]) -> None:
        raise NotImplementedError


class ParquetItemExporter(TableExporter):
    """Writes rows as Parquet row groups of ``batch_size`` rows with ``PARQUET_SCHEMA``.

    Memory holds one batch, whatever the number of rows.
    """

    def __init__(self, file: IO[bytes], *, batch_size: int = 5000, **kwargs: Any) -> None:
        super().__init__(dont_fail=True, **kwargs)
        self.file = file
        self.batch_size = batch_size
        self.rows: list[dict[str, Any]] = []
        self.writer: pq.ParquetWriter | None = None

    def start_exporting(self) -> None:
        self.writer = pq.ParquetWriter(self.file, PARQUET_SCHEMA, compression="zstd")

    def export_row(self, row: dict[str, Any]) -> None:
        self.rows.append(parquet_values(row))
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


class TableCsvItemExporter(CsvItemExporter, TableExporter):
    """Scrapy's CSV exporter writing every column of the table, spelled by ``csv_cell``."""

    def __init__(
        self, file: IO[bytes], *, raw: bool = False, excel: bool = False, **kwargs: Any
    ) -> None:
        kwargs.setdefault("fields_to_export", list(NAMES))
        kwargs.setdefault("encoding", "utf-8-sig" if excel else "utf-8")
        kwargs["include_headers_line"] = False  # written by start_exporting, even for no rows
        super().__init__(file, **kwargs)  # type: ignore[arg-type]  # any binary file works
        self.raw = raw

    def start_exporting(self) -> None:
        super().start_exporting()
        self.csv_writer.writerow(NAMES)

    def export_item(self, item: Any) -> None:
        TableExporter.export_item(self, item)

    def export_row(self, row: dict[str, Any]) -> None:
        self.csv_writer.writerow([csv_cell(name, row[name], raw=self.raw) for name in NAMES])


class TableJsonLinesItemExporter(JsonLinesItemExporter, TableExporter):
    """Scrapy's JSON Lines exporter writing every column of the table (Arabic unescaped)."""

    def __init__(self, file: IO[bytes], **kwargs: Any) -> None:
        kwargs.setdefault("encoding", "utf-8")
        kwargs.setdefault("ensure_ascii", False)
        super().__init__(file, **kwargs)  # type: ignore[arg-type]

    def export_item(self, item: Any) -> None:
        TableExporter.export_item(self, item)

    def export_row(self, row: dict[str, Any]) -> None:
        values = dict(row)
        for name in _TIMES:  # the only values JSON cannot hold as they are
            if values[name] is not None:
                values[name] = json_value(values[name])
        # orjson: compact UTF-8 (Arabic as is), a quarter of json's time per row.
        self.file.write(orjson.dumps(values, option=orjson.OPT_APPEND_NEWLINE))


def exporter_for(
    fmt: str, file: IO[bytes], *, raw: bool = False, excel: bool = False
) -> TableExporter:
    """The exporter for ``jsonl``, ``csv`` or ``parquet``, writing to a binary file.

    ``raw`` and ``excel`` are CSV options (see the module docstring).
    """
    if fmt == "jsonl":
        return TableJsonLinesItemExporter(file)
    if fmt == "csv":
        return TableCsvItemExporter(file, raw=raw, excel=excel)
    if fmt == "parquet":
        return ParquetItemExporter(file)
    raise ValueError(f"unknown export format {fmt!r}")
