"""The Frictionless data package that ``export`` writes beside its file.

``<output>.datapackage.json`` (``articles.csv`` gets
``articles.csv.datapackage.json``: a CSV and a Parquet export of one name can
share a directory) describes the export as a Data Package v2 with one
tabular resource: the file's name, format, encoding, byte count and sha256,
the CSV dialect, and the Table Schema of ``export_table.COLUMNS`` (types,
formats, descriptions, enums, the primary key, the one spelling of a missing
value). ``frictionless validate articles.csv.datapackage.json`` then checks
every row against its declared type and the file against its hash.

Nothing in it depends on when it was written: ``created`` is the latest
``archived_at`` among the rows, so the same archive exports to the same
bytes, descriptor included.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from snhr_crawler import __version__
from snhr_crawler.ops.export_table import COLUMNS, SITE_TIME_ZONE, iso_instant
from snhr_crawler.ops.exporters import FORMULA_STARTS

SUFFIX = ".datapackage.json"
_PROFILES = "https://datapackage.org/profiles/2.0/"
_MEDIA_TYPES = {
    "csv": "text/csv",
    "jsonl": "application/jsonl",
    "parquet": "application/vnd.apache.parquet",
}


def descriptor_path(output: Path) -> Path:
    """Where the descriptor of ``output`` goes: ``<output>.datapackage.json``."""
    return output.with_name(output.name + SUFFIX)


@dataclass
class ExportFacts:
    """What the descriptor states about one export, gathered while it is written."""

    fmt: str
    all_versions: bool = False
    sources: list[str] | None = None
    since: str | None = None
    excel: bool = False
    raw: bool = False
    rows: int = 0
    archived_until: str | None = None
    _latest: datetime | None = field(default=None, repr=False)

    def note(self, row: dict[str, Any]) -> None:
        """Take in one exported row (typed): the latest ``archived_at`` so far."""
        moment = row.get("archived_at")
        if moment is not None and (self._latest is None or moment > self._latest):
            self._latest = moment
            self.archived_until = iso_instant(moment)


def file_digest(path: Path) -> tuple[int, str]:
    """(size in bytes, sha256 hex) of ``path``."""
    with open(path, "rb") as handle:
        digest = hashlib.file_digest(handle, "sha256")
    return path.stat().st_size, digest.hexdigest()


def table_schema(*, all_versions: bool) -> dict[str, Any]:
    return {
        "$schema": _PROFILES + "tableschema.json",
        "fields": [column.table_schema() for column in COLUMNS],
        "missingValues": [""],
        "primaryKey": ["id", "version"] if all_versions else ["id"],
    }


def _selection(facts: ExportFacts) -> str:
    rows = (
        "Every archived version of every article, tombstones (removals) included"
        if facts.all_versions
        else "One row per article: its latest archived version; removed articles left out"
    )
    sources = ", ".join(facts.sources) if facts.sources else "every source"
    since = f", published since {facts.since}" if facts.since else ""
    return f"{rows}; {sources}{since}."


def _format_notes(facts: ExportFacts) -> str:
    if facts.fmt != "csv":
        return ""
    lists = "List columns are joined with ' | '; array and object columns are JSON text."
    if facts.raw:
        return f" {lists} Text cells are as archived (--raw)."
    starts = " ".join(repr(start) for start in FORMULA_STARTS)
    return (
        f" {lists} A text cell starting with {starts} carries a leading ' so that"
        " spreadsheets do not run it as a formula (export with --raw to leave it out)."
    )


def build_descriptor(
    facts: ExportFacts, data_file: Path, *, name: str | None = None
) -> dict[str, Any]:
    """The data package describing ``data_file`` (written in ``facts.fmt``), to be named ``name``.

    ``name``: the file name the resource's ``path`` gives (default
    ``data_file``'s own; the export measures its temporary file before
    putting it in place).
    """
    size, sha256 = file_digest(data_file)
    resource: dict[str, Any] = {
        "$schema": _PROFILES + "dataresource.json",
        "name": "versions" if facts.all_versions else "articles",
        "type": "table",
        "path": name or data_file.name,
        "format": facts.fmt,
        "mediatype": _MEDIA_TYPES[facts.fmt],
    }
    if facts.fmt != "parquet":
        resource["encoding"] = "utf-8"  # with --excel the file starts with a BOM; readers skip it
    resource.update(
        {
            "bytes": size,
            "hash": f"sha256:{sha256}",
            "description": _selection(facts)
            + f" {facts.rows} row(s). Times are UTC; *_date columns are the site's local day."
            + _format_notes(facts),
        }
    )
    if facts.fmt == "csv":
        resource["dialect"] = {
            "$schema": _PROFILES + "tabledialect.json",
            "header": True,
            "delimiter": ",",
            "lineTerminator": "\r\n",
            "quoteChar": '"',
            "doubleQuote": True,
        }
    resource["schema"] = table_schema(all_versions=facts.all_versions)
    package: dict[str, Any] = {
        "$schema": _PROFILES + "datapackage.json",
        "name": "snhr-archive",
        "title": "Syrian Network for Human Rights: archived articles",
        "description": (
            "SNHR's public record (daily incident news, reports and statements, in English"
            " and Arabic) as archived by snhr-crawler. Field meanings: the README's record"
            f" table and docs/incidents.md. Local days are in the site's time ({SITE_TIME_ZONE}"
            " where SNHR wrote a time in UTC)."
        ),
        "sources": [{"title": "Syrian Network for Human Rights", "path": "https://snhr.org"}],
        "contributors": [{"title": f"snhr-crawler {__version__}", "roles": ["producer"]}],
    }
    if facts.archived_until:
        package["created"] = facts.archived_until
    package["resources"] = [resource]
    return package
