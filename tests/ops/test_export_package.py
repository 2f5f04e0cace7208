"""Every export reads back typed: frictionless through the data package, pyarrow and pandas.

The archive is written through the store with hand-made lines whose expected
export is written out below (``EXPECTED``), from the rules in
docs/operations.md, not from the exporter.
"""

from __future__ import annotations

import hashlib
import json
import warnings
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from frictionless import Package

from snhr_crawler.archive.store import ArchiveStore
from snhr_crawler.cli import main
from snhr_crawler.items import content_sha256
from snhr_crawler.ops.export_package import descriptor_path
from snhr_crawler.ops.export_table import COLUMNS, NAMES
from tests.ops.conftest import build_archive, make_article

pytestmark = pytest.mark.e2e

NEWS = "https://news.snhr.org"
INCIDENT = {
    "event": "killed_and_injured", "killed": 1, "injured": 1, "arrested": None,
    "children": None, "women": 1, "perpetrator": "unidentified_gunmen", "governorate": "SY-DR",
    "origin_governorate": None, "direction": "W", "place": None, "facility": None,
    "victim_names": ["Ghazi al-Refa'ie"],
    "spans": {"killed": [0, 3], "victim_names": [[10, 26]]},
}  # fmt: skip
FORMULA_TITLE = '=HYPERLINK("https://example.org","click")'


def articles() -> list[Any]:
    return [
        make_article(
            1,
            url=f"{NEWS}/2024/06/13/ghazi/",
            title="Man named Ghazi al-Refa'ie killed, his wife injured by unidentified gunmen in W. Daraa, June 12, 2024",
            published_at="2024-06-13T01:30:00+03:00",
            modified_at="2024-06-14T10:00:00+03:00",
            incident_date="2024-06-12",
            incident=INCIDENT,
            attachments=[
                {
                    "url": f"{NEWS}/r.pdf",
                    "title": "PDF",
                    "sha256": "ab" * 32,
                    "size": 1234,
                    "path": "files/news.snhr.org/r.pdf",
                }
            ],
        ),
        make_article(
            2,
            url=f"{NEWS}/2020/01/06/utc/",
            published_at="2020-01-05T21:30:00+00:00",
            language="ar",
            title="مقتل مدني في درعا",
            doc_type="news",
            incident=None,
        ),
        make_article(
            3, url=f"{NEWS}/?p=3", published_at="2020-01-05T21:30:00+00:00", incident_date=None
        ),
        make_article(
            4, url=f"{NEWS}/2018/08/18/day/", published_at="2018-08-18", date_source="url"
        ),
        make_article(
            5,
            url=f"{NEWS}/2023/01/06/s/",
            doc_type="statement",
            title=FORMULA_TITLE,
            published_at="2023-01-06T00:30:00+03:00",
            subtitle="",
            tags=[],
            translations={},
            images=[],
            incident_date=None,
        ),
    ]


#: What the export must hold for each article, by post id.
EXPECTED: dict[int, dict[str, Any]] = {
    1: {
        "published_at": datetime(2024, 6, 12, 22, 30, tzinfo=UTC),
        "published_date": date(2024, 6, 13),
        "modified_at": datetime(2024, 6, 14, 7, 0, tzinfo=UTC),
        "modified_date": date(2024, 6, 14),
        "incident_event": "killed_and_injured",
        "incident_killed": 1,
        "incident_women": 1,
        "incident_arrested": None,
        "incident_governorate": "SY-DR",
        "incident_victim_names": ["Ghazi al-Refa'ie"],
        "incident_spans": {"killed": [0, 3], "victim_names": [[10, 26]]},
        "incident_date": date(2024, 6, 12),
        "tags": ["Idlib"],
    },
    2: {
        "published_at": datetime(2020, 1, 5, 21, 30, tzinfo=UTC),
        "published_date": date(2020, 1, 6),  # the permalink's day
        "incident_event": None,
        "title": "مقتل مدني في درعا",
        "tags": None,
    },
    3: {
        "published_at": datetime(2020, 1, 5, 21, 30, tzinfo=UTC),
        "published_date": date(2020, 1, 5),  # no dated permalink: Damascus, +02:00 that winter
        "incident_date": None,
    },
    4: {"published_at": None, "published_date": date(2018, 8, 18), "date_source": "url"},
    5: {
        "published_at": datetime(2023, 1, 5, 21, 30, tzinfo=UTC),
        "published_date": date(2023, 1, 6),
        "doc_type": "statement",
        "subtitle": None,
        "tags": None,
        "translations": None,
        "images": None,
        "modified_at": None,
    },
}


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("package") / "archive"
    build_archive(root, articles())
    first = articles()[0]
    edited = replace(
        first, body_text="Corrected.", content_sha256=content_sha256(first.title, "Corrected.")
    )
    build_archive(root, [edited])
    gone = articles()[2]
    store = ArchiveStore(root)
    try:
        store.put_removal(
            key=gone.id, source=gone.source, url=gone.url, post_id=gone.post_id, status=410,
            checked_at="2026-11-25T12:00:00Z",
        )  # fmt: skip
    finally:
        store.close()
    return root


def export(archive: Path, out: Path, *extra: str) -> Path:
    assert main(["export", "--archive", str(archive), "-o", str(out), *extra]) == 0
    return out


def frictionless_rows(out: Path) -> list[dict[str, Any]]:
    """The export read through its data package, failing on any error or warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        package = Package(str(descriptor_path(out)))
        report = package.validate()
        assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
        assert report.warnings == []
        assert all(task.warnings == [] for task in report.tasks)
        (resource,) = package.resources
        return [dict(row) for row in resource.read_rows()]


def plain(value: Any) -> Any:
    """A value from any reader, in one comparable form (UTC datetimes, dates, lists, dicts)."""
    if isinstance(value, float) and pd.isna(value):
        return None
    if value is pd.NaT:
        return None
    if isinstance(value, datetime):
        return datetime(*value.astimezone(UTC).timetuple()[:6], value.microsecond, tzinfo=UTC)
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    return value


def parquet_rows(out: Path) -> list[dict[str, Any]]:
    rows = pq.read_table(out).to_pylist()
    for row in rows:
        row["translations"] = dict(row["translations"]) if row["translations"] else None
        if row["incident_spans"] is not None:
            row["incident_spans"] = json.loads(row["incident_spans"])  # JSON text in Parquet
    return rows


@pytest.mark.parametrize("all_versions", [False, True], ids=["latest", "all-versions"])
def test_every_format_reads_back_to_the_same_typed_rows(
    archive: Path, tmp_path: Path, all_versions: bool
) -> None:
    extra = ["--all-versions"] if all_versions else []
    csv_rows = frictionless_rows(export(archive, tmp_path / "t.csv", "--raw", *extra))
    jsonl_rows = frictionless_rows(export(archive, tmp_path / "t.jsonl", *extra))
    parquet = parquet_rows(export(archive, tmp_path / "t.parquet", *extra))
    assert len(csv_rows) == (5 + 1 + 1 if all_versions else 4)  # 5 + an edit + a tombstone
    for rows in (csv_rows, jsonl_rows, parquet):
        assert [list(row) for row in rows] == [list(NAMES)] * len(rows)
    as_csv = [{k: plain(v) for k, v in row.items()} for row in csv_rows]
    assert [{k: plain(v) for k, v in row.items()} for row in jsonl_rows] == as_csv
    assert [{k: plain(v) for k, v in row.items()} for row in parquet] == as_csv


def test_the_rows_hold_the_expected_values(archive: Path, tmp_path: Path) -> None:
    rows = {row["post_id"]: row for row in frictionless_rows(export(archive, tmp_path / "t.csv"))}
    assert sorted(rows) == [1, 2, 4, 5]  # 3 was removed
    for post_id, expected in EXPECTED.items():
        if post_id == 3:
            continue
        got = {name: plain(rows[post_id][name]) for name in expected}
        assert got == expected, post_id
    assert rows[1]["version"] == 2
    assert rows[1]["attachments"] == [
        {"url": f"{NEWS}/r.pdf", "title": "PDF", "sha256": "ab" * 32, "size": 1234,
         "path": "files/news.snhr.org/r.pdf"}
    ]  # fmt: skip
    assert rows[5]["title"] == "'" + FORMULA_TITLE  # neutralised for spreadsheets


def test_the_removed_articles_row_in_all_versions(archive: Path, tmp_path: Path) -> None:
    rows = frictionless_rows(export(archive, tmp_path / "all.jsonl", "--all-versions"))
    by_key = {(row["post_id"], row["version"]): row for row in rows}
    kept = {name: plain(by_key[(3, 1)][name]) for name in EXPECTED[3]}
    assert kept == EXPECTED[3]
    tombstone = by_key[(3, 2)]
    assert tombstone["tombstone"] is True
    assert tombstone["status"] == 410
    assert plain(tombstone["removed_at"]) == datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    assert tombstone["title"] is None


def test_parquet_reads_typed_in_pandas_and_matches_the_data_package(
    archive: Path, tmp_path: Path
) -> None:
    out = export(archive, tmp_path / "t.parquet")
    frame = pd.read_parquet(out, dtype_backend="numpy_nullable")
    assert str(frame["published_at"].dtype) == "datetime64[ms, UTC]"
    assert str(frame["incident_killed"].dtype) == "Int32"
    assert str(frame["tombstone"].dtype) == "boolean"
    # Nothing left to parse: the complaint was that pd.to_datetime raised on these strings.
    assert frame["published_at"].max() == pd.Timestamp("2024-06-12T22:30:00Z")
    descriptor = json.loads(descriptor_path(out).read_text("utf-8"))
    (resource,) = descriptor["resources"]
    arrow_of = {"datetime": "timestamp[ms, tz=UTC]", "date": "date32[day]", "boolean": "bool"}
    schema = pq.read_schema(out)
    for field in resource["schema"]["fields"]:
        kind = schema.field(field["name"]).type
        if field["type"] in arrow_of:
            assert str(kind) == arrow_of[field["type"]], field["name"]
        elif field["type"] == "integer":
            assert pa.types.is_integer(kind), field["name"]
        elif field["type"] == "list":
            assert kind == pa.list_(pa.string()), field["name"]
        elif field["type"] == "array":
            assert pa.types.is_list(kind), field["name"]
        elif field["type"] == "object":
            # translations a map, capture a struct, spans JSON text
            assert pa.types.is_map(kind) or pa.types.is_struct(kind) or kind == pa.string(), field[
                "name"
            ]
        else:
            assert kind == pa.string(), field["name"]
    # The package validates as a descriptor (frictionless reads Parquet through pandas,
    # which loses nested types, so the rows are checked through pyarrow above).
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        report = Package.validate_descriptor(str(descriptor_path(out)))
    assert report.valid, report.flatten(["type", "note"])
    assert report.warnings == []


def test_the_descriptor_states_the_file_and_its_hash(archive: Path, tmp_path: Path) -> None:
    out = export(archive, tmp_path / "articles.csv")
    descriptor = json.loads(descriptor_path(out).read_text("utf-8"))
    (resource,) = descriptor["resources"]
    data = out.read_bytes()
    assert resource["path"] == "articles.csv"
    assert resource["bytes"] == len(data)
    assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
    assert resource["schema"]["primaryKey"] == ["id"]
    assert resource["schema"]["missingValues"] == [""]
    assert [f["name"] for f in resource["schema"]["fields"]] == [c.name for c in COLUMNS]
    assert descriptor["created"] == max(
        json.loads(line)["archived_at"]
        for line in export(archive, tmp_path / "a.jsonl").read_text("utf-8").splitlines()
    )
    out.write_bytes(data.replace(b"Daraa", b"Dar3a", 1))  # a changed copy fails its check
    report = Package(str(descriptor_path(out))).validate()
    assert not report.valid
    assert {error.type for error in report.tasks[0].errors} >= {"hash-count"}


def test_the_same_archive_exports_to_the_same_bytes(archive: Path, tmp_path: Path) -> None:
    for suffix in ("csv", "jsonl", "parquet"):
        first = export(archive, tmp_path / f"a.{suffix}")
        second = export(archive, tmp_path / f"b.{suffix}")
        assert first.read_bytes() == second.read_bytes(), suffix
        one = json.loads(descriptor_path(first).read_text("utf-8"))
        two = json.loads(descriptor_path(second).read_text("utf-8"))
        one["resources"][0].pop("path")
        two["resources"][0].pop("path")
        assert one == two


def test_excel_csv_starts_with_a_bom_and_reads_back(archive: Path, tmp_path: Path) -> None:
    out = export(archive, tmp_path / "excel.csv", "--excel")
    assert out.read_bytes().startswith(b"\xef\xbb\xbfid,source,")
    rows = frictionless_rows(out)
    assert rows[0]["id"].startswith("snhr_news:")  # no BOM glued to the first header
    frame = pd.read_csv(out, encoding="utf-8-sig")
    assert "مقتل مدني في درعا" in set(frame["title"])


def test_the_descriptor_is_never_overwritten_by_surprise(
    archive: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "x.csv"
    package = descriptor_path(out)
    package.write_text("mine\n", "utf-8")
    assert main(["export", "--archive", str(archive), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"--output: {package} exists; give --force to replace it" in err
    assert not out.exists()
    assert package.read_text("utf-8") == "mine\n"
    assert main(["export", "--archive", str(archive), "-o", str(out), "--force"]) == 0
    assert json.loads(package.read_text("utf-8"))["resources"][0]["path"] == "x.csv"


@pytest.mark.parametrize("option", ["--excel", "--raw"])
def test_csv_options_on_another_format_are_a_usage_error(
    archive: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], option: str
) -> None:
    assert (
        main(["export", "--archive", str(archive), "-o", str(tmp_path / "x.parquet"), option]) == 2
    )
    assert f"{option} is for CSV only (this export is parquet)" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_standard_output_gets_no_descriptor(
    archive: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    monkeypatch.chdir(tmp_path)
    assert main(["export", "--archive", str(archive), "-o", "-", "--format", "csv"]) == 0
    assert capsys.readouterr().out.startswith("id,source,")
    assert list(tmp_path.iterdir()) == []
