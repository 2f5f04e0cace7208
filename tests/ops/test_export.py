"""``snhr-crawler export`` of a 10,000-article archive to JSON Lines, CSV and Parquet."""

from __future__ import annotations

import csv
import json
import logging
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import asdict
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from snhr_crawler.archive.paths import INDEX_NAME
from snhr_crawler.archive.reader import index_rows, latest_records
from snhr_crawler.archive.store import ArchiveStore
from snhr_crawler.cli import main
from snhr_crawler.ops.export import write_export
from snhr_crawler.ops.export_table import COLUMNS, NAMES
from snhr_crawler.ops.exporters import PARQUET_SCHEMA
from tests.ops.conftest import build_archive, make_article

pytestmark = pytest.mark.e2e

ARTICLES = 10_000
EDITED = range(1, 11)  # these get a second version
REMOVED = ARTICLES + 1  # archived, then tombstoned


def source_of(n: int) -> str:
    return "snhr_reports" if n % 5 == 0 else "snhr_news"


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("export") / "archive"
    articles = (make_article(n, source=source_of(n)) for n in range(1, REMOVED + 1))
    build_archive(root, articles, schema_every=500)
    edits = (make_article(n, source=source_of(n), body_text=f"Corrected {n}.") for n in EDITED)
    build_archive(root, edits)
    gone = make_article(REMOVED)
    store = ArchiveStore(root)
    try:
        store.put_removal(
            key=gone.id,
            source=gone.source,
            url=gone.url,
            post_id=gone.post_id,
            status=404,
            checked_at="2026-11-25T12:00:00Z",
        )
    finally:
        store.close()
    return root


def export(archive: Path, output: Path, *extra: str) -> Path:
    assert main(["export", "--archive", str(archive), "--output", str(output), *extra]) == 0
    return output


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def sort_keys(dates: list[str | None]) -> list[tuple[bool, str]]:
    return [(d is None, d or "") for d in dates]


def test_jsonl_is_one_row_per_article_latest_version_by_date(archive: Path, tmp_path: Path) -> None:
    rows = read_jsonl(export(archive, tmp_path / "articles.jsonl"))
    assert len(rows) == ARTICLES
    assert len({row["id"] for row in rows}) == ARTICLES
    keys = sort_keys([row["published_at"] for row in rows])
    assert keys == sorted(keys)
    edited = {row["post_id"]: row for row in rows if row["post_id"] in EDITED}
    assert {row["version"] for row in edited.values()} == {2}
    assert edited[3]["body_text"] == "Corrected 3."
    assert REMOVED not in {row["post_id"] for row in rows}
    assert "سطر ثان" in rows[-1]["body_text"]  # Arabic stays readable (no \\u escapes)


def test_csv_has_every_column_and_flattens_lists(archive: Path, tmp_path: Path) -> None:
    export(archive, out := tmp_path / "articles.csv")
    with open(out, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert tuple(reader.fieldnames or ()) == NAMES
        rows = list(reader)
    assert len(rows) == ARTICLES
    by_id = {row["post_id"]: row for row in rows}
    assert by_id["11"]["categories"] == "News | Casualties"
    assert by_id["11"]["tags"] == "Idlib"
    assert by_id["12"]["tags"] == ""
    assert json.loads(by_id["20"]["attachments"]) == [  # every key, null where not stored
        {
            "url": "https://snhr.org/wp-content/uploads/20.pdf",
            "title": "PDF",
            "sha256": None,
            "size": None,
            "path": None,
        }
    ]
    assert json.loads(by_id["20"]["translations"]) == {"ar": "https://news.snhr.org/ar/post-20/"}
    assert by_id["20"]["tombstone"] == "false"
    assert "\n" in by_id["20"]["body_text"]  # multi-line text survives quoting
    keys = sort_keys([row["published_at"] or None for row in rows])
    assert keys == sorted(keys)


def test_parquet_reads_back_with_the_documented_schema(archive: Path, tmp_path: Path) -> None:
    export(archive, out := tmp_path / "articles.parquet")
    table = pq.read_table(out)
    assert table.schema.equals(PARQUET_SCHEMA)
    assert table.num_rows == ARTICLES
    assert pq.ParquetFile(out).metadata.num_row_groups >= 2  # written in batches
    assert table.schema.field("incident_date").type == pa.date32()
    assert table.schema.field("crawled_at").type == pa.timestamp("ms", tz="UTC")
    assert table.schema.field("translations").type == pa.map_(pa.string(), pa.string())
    first = table.slice(0, 1).to_pylist()[0]
    assert isinstance(first["incident_date"], date)
    assert isinstance(first["archived_at"], datetime)
    assert first["archived_at"].utcoffset().total_seconds() == 0
    assert first["categories"] == ["News", "Casualties"]
    assert first["images"][0]["caption"] is None
    assert first["tombstone"] is False
    dates = table.column("published_at").to_pylist()
    assert sort_keys(dates) == sorted(sort_keys(dates))


def test_source_and_since_filters(archive: Path, tmp_path: Path) -> None:
    export(archive, out := tmp_path / "reports.jsonl", "--source", "snhr_reports")
    rows = read_jsonl(out)
    assert len(rows) == ARTICLES // 5
    assert {row["source"] for row in rows} == {"snhr_reports"}
    export(archive, out := tmp_path / "recent.jsonl", "--since", "2023-06-01")
    rows = read_jsonl(out)
    assert rows
    assert min(row["published_date"] for row in rows) >= "2023-06-01"  # the local day
    every = read_jsonl(export(archive, out, "--since", "2015-01-01", "--force"))
    assert len(every) == ARTICLES


def test_all_versions_keeps_versions_together_with_tombstones(
    archive: Path, tmp_path: Path
) -> None:
    export(archive, out := tmp_path / "all.jsonl", "--all-versions")
    rows = read_jsonl(out)
    assert len(rows) == REMOVED + len(EDITED) + 1  # every article, the edits, one tombstone
    positions: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        positions.setdefault(row["id"], []).append(i)
    for ids in positions.values():
        assert ids == list(range(ids[0], ids[0] + len(ids)))  # versions adjacent
        assert [rows[i]["version"] for i in ids] == list(range(1, len(ids) + 1))
    (tombstone,) = [row for row in rows if row.get("tombstone")]
    assert tombstone["post_id"] == REMOVED
    assert tombstone["status"] == 404
    export(archive, out := tmp_path / "all.parquet", "--all-versions")
    table = pq.read_table(out)
    assert table.num_rows == len(rows)
    assert table.column("tombstone").to_pylist().count(True) == 1


def test_an_archive_without_its_index_exports_the_same(archive: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(archive, copy, ignore=shutil.ignore_patterns(f"{INDEX_NAME}*"))
    export(archive, with_index := tmp_path / "a.jsonl")
    export(copy, without := tmp_path / "b.jsonl")
    assert [r["id"] for r in read_jsonl(with_index)] == [r["id"] for r in read_jsonl(without)]


#: Runs in a fresh interpreter: exports 2,000 rows, then all 10,000, and prints how much
#: the peak resident memory grew in between (KiB).
MEMORY_PROBE = """
import resource, sys
from pathlib import Path
from snhr_crawler.ops.export import export_records, write_export
archive, all_versions, out = Path(sys.argv[1]), sys.argv[2] == "all", Path(sys.argv[3])
write_export(export_records(archive, ["snhr_reports"], None, all_versions), "jsonl", out)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
write_export(export_records(archive, None, None, all_versions), "jsonl", out, force=True)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)
"""


@pytest.mark.parametrize("mode", ["latest", "all"])
def test_memory_does_not_grow_with_the_archive(archive: Path, tmp_path: Path, mode: str) -> None:
    """Five times the rows, (almost) no more memory: 10,000 parsed rows alone are ~40 MB."""
    probe = subprocess.run(
        [sys.executable, "-c", MEMORY_PROBE, str(archive), mode, str(tmp_path / "m.jsonl")],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    grown_kib = int(probe.stdout.split()[-1])
    assert grown_kib < 8 * 1024, probe.stdout


def test_a_failed_export_leaves_no_file(tmp_path: Path) -> None:
    def broken() -> Iterator[dict[str, Any]]:
        yield asdict(make_article(1))
        raise OSError(28, "No space left on device")

    out = tmp_path / "out.csv"
    with pytest.raises(OSError, match="No space"):
        write_export(broken(), "csv", out)
    assert list(tmp_path.iterdir()) == []


def test_export_of_a_missing_archive_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["export", "--archive", str(tmp_path / "nope"), "-o", str(tmp_path / "x.csv")])
    err = capsys.readouterr().err
    assert code == 1
    assert err.count("\n") == 1
    assert "no archive at" in err


def test_the_documented_columns_are_the_declared_ones() -> None:
    docs = (Path(__file__).resolve().parents[2] / "docs" / "operations.md").read_text("utf-8")
    rows = re.findall(
        r"^\| `(\w+)` \| (\w+) \| `([^`]+)` \| (yes|no) \|$", docs, flags=re.MULTILINE
    )
    documented = [(name, kind, arrow, required == "yes") for name, kind, arrow, required in rows]
    declared = [(c.name, c.type, str(c.arrow), c.required) for c in COLUMNS]
    assert documented == declared
    assert [(f.name, str(f.type), not f.nullable) for f in PARQUET_SCHEMA] == [
        (name, arrow, required) for name, _, arrow, required in declared
    ]


def test_an_unknown_source_is_a_usage_error(
    archive: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = [
        "export",
        "--archive",
        str(archive),
        "-o",
        str(tmp_path / "x.csv"),
        "--source",
        "snhr_nwes",
    ]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "'snhr_nwes' is not in the archive (snhr_news, snhr_reports)" in err


def test_an_index_pointing_at_a_bad_line_is_a_warning_not_an_abort(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root = tmp_path / "archive"
    build_archive(root, (make_article(n) for n in range(1, 21)))
    rows = sorted(index_rows(root), key=lambda row: (row.file, row.offset))
    garbled, torn = rows[0], rows[-1]  # torn: the last line of its file
    with open(root / garbled.file, "r+b") as handle:
        handle.seek(garbled.offset)
        length = len(handle.readline())
        handle.seek(garbled.offset)
        handle.write(b"x" * (length - 1))  # newline kept: a line, but not JSON
    with open(root / torn.file, "r+b") as handle:
        handle.truncate(torn.offset + 10)
    with caplog.at_level(logging.WARNING):
        rows_out = read_jsonl(export(root, tmp_path / "out.jsonl"))
    assert len(rows_out) == 18
    assert {garbled.key, torn.key}.isdisjoint(row["id"] for row in rows_out)
    assert f"unreadable line {garbled.file}@{garbled.offset}" in caplog.text
    assert f"missing line {torn.file}@{torn.offset}" in caplog.text


def test_latest_records_by_publication_date_with_or_without_the_index(
    archive: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(archive, copy, ignore=shutil.ignore_patterns(f"{INDEX_NAME}*"))
    for root in (archive, copy):
        rows = list(latest_records(root, ["snhr_reports"], by_published=True, since="2020-01-01"))
        keys = [(row["published_at"], row["id"]) for row in rows]
        assert keys == sorted(keys)
        assert min(key[0] for key in keys) >= "2020-01-01"
        assert {row["source"] for row in rows} == {"snhr_reports"}
    with_index = [r["id"] for r in latest_records(archive, by_published=True, since="2020-01-01")]
    without = [r["id"] for r in latest_records(copy, by_published=True, since="2020-01-01")]
    assert with_index == without
