"""The export table's values: instants, the site's local day, incident columns, empty values.

Expected values are written by hand from the rule in docs/operations.md ("Times
and days") and from Syria's clock: UTC+02:00 in winter and +03:00 in summer
until October 2022, +03:00 all year since.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from snhr_crawler.ops.export_table import COLUMNS, NAMES, instant, local_day, table_row
from snhr_crawler.ops.exporters import csv_cell, json_value

NEWS = "https://news.snhr.org"


@pytest.mark.parametrize(
    ("value", "url", "day"),
    [
        # a bare day is that day, whatever the URL says
        ("2018-08-18", f"{NEWS}/2018/08/19/x/", date(2018, 8, 18)),
        # SNHR's own offset: the day as written
        ("2024-06-13T01:30:00+03:00", f"{NEWS}/x/", date(2024, 6, 13)),
        ("2020-01-06T00:30:00+03:00", None, date(2020, 1, 6)),
        # written in UTC, the permalink's date (the site's local day) within a day of it
        ("2020-01-05T21:30:00+00:00", f"{NEWS}/2020/01/06/x/", date(2020, 1, 6)),
        ("2020-01-05T21:30:00Z", f"{NEWS}/2020/01/05/x/", date(2020, 1, 5)),
        # written in UTC, no dated permalink: Damascus, +02:00 in the winter of 2020 ...
        ("2020-01-05T21:30:00+00:00", f"{NEWS}/x/", date(2020, 1, 5)),
        ("2020-01-05T22:30:00+00:00", f"{NEWS}/x/", date(2020, 1, 6)),
        # ... +03:00 in its summer, and all year since October 2022
        ("2020-07-05T21:30:00+00:00", None, date(2020, 7, 6)),
        ("2023-01-05T21:30:00+00:00", None, date(2023, 1, 6)),
        # a permalink far from the instant is not this post's date: the zone decides
        ("2023-01-05T21:30:00+00:00", f"{NEWS}/2019/03/01/x/", date(2023, 1, 6)),
        # no offset at all: the site's wall clock
        ("2024-06-13T23:30:00", None, date(2024, 6, 13)),
        (None, f"{NEWS}/2024/06/13/x/", None),
        ("", None, None),
    ],
)
def test_the_local_day(value: str | None, url: str | None, day: date | None) -> None:
    assert local_day(value, url) == day


@pytest.mark.parametrize(
    ("value", "moment"),
    [
        ("2024-06-13T01:30:00+03:00", datetime(2024, 6, 12, 22, 30, tzinfo=UTC)),
        ("2024-06-12T22:30:00+00:00", datetime(2024, 6, 12, 22, 30, tzinfo=UTC)),
        ("2024-06-12T22:30:00Z", datetime(2024, 6, 12, 22, 30, tzinfo=UTC)),
        ("2024-06-12T22:30:00.123456Z", datetime(2024, 6, 12, 22, 30, 0, 123000, tzinfo=UTC)),
        ("2021-01-10T12:00:00", datetime(2021, 1, 10, 10, 0, tzinfo=UTC)),  # Damascus, +02:00
        ("2018-08-18", None),  # only the day is known
        (None, None),
    ],
)
def test_the_utc_instant(value: str | None, moment: datetime | None) -> None:
    assert instant(value) == moment


def archived(**fields: object) -> dict[str, object]:
    line: dict[str, object] = {
        "id": "snhr_news:7",
        "source": "snhr_news",
        "url": f"{NEWS}/2024/06/13/a/",
        "title": "A title",
        "published_at": "2024-06-13T01:30:00+03:00",
        "version": 1,
        "archived_at": "2026-11-25T02:15:00Z",
    }
    line.update(fields)
    return line


INCIDENT = {
    "event": "killed_and_injured", "killed": 1, "injured": 1, "arrested": None,
    "children": None, "women": 1, "perpetrator": "unidentified_gunmen", "governorate": "SY-DR",
    "origin_governorate": None, "direction": "W", "place": None, "facility": None,
    "victim_names": ["Ghazi al-Refa'ie", "Ahmad al-Ali"],
    "spans": {"killed": [0, 3], "victim_names": [[10, 26], [30, 42]]},
}  # fmt: skip


def test_the_incident_becomes_typed_columns() -> None:
    row = table_row(archived(incident=INCIDENT, incident_date="2024-06-12"))
    assert row["incident_event"] == "killed_and_injured"
    assert (row["incident_killed"], row["incident_injured"], row["incident_women"]) == (1, 1, 1)
    assert row["incident_arrested"] is None
    assert row["incident_governorate"] == "SY-DR"
    assert row["incident_victim_names"] == ["Ghazi al-Refa'ie", "Ahmad al-Ali"]
    assert row["incident_spans"] == INCIDENT["spans"]
    assert row["incident_date"] == date(2024, 6, 12)
    assert csv_cell("incident_victim_names", row["incident_victim_names"]) == (
        "Ghazi al-Refa'ie | Ahmad al-Ali"
    )
    assert csv_cell("incident_spans", row["incident_spans"]) == (
        '{"killed":[0,3],"victim_names":[[10,26],[30,42]]}'
    )


POINTER = {
    "warc_file": "warc/snhr_news/20261125T021500Z-00001.warc.gz",
    "record_id": "<urn:uuid:0b6c2f0e-1111-4222-8333-944445555666>",
    "offset": 4711,
    "length": 5120,
    "payload_digest": "sha256:7XKAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    "status": 200,
    "fetched_at": "2026-11-25T02:15:03.123456Z",
}


def test_the_capture_and_the_change_are_carried() -> None:
    import io

    import pyarrow as pa
    import pyarrow.parquet as pq

    from snhr_crawler.ops.exporters import PARQUET_SCHEMA, parquet_values

    row = table_row(archived(capture=POINTER, change="reparse"))
    assert (row["capture"], row["change"]) == (POINTER, "reparse")
    assert json_value(row["capture"]) == POINTER
    assert csv_cell("capture", row["capture"]).startswith('{"warc_file":"warc/snhr_news/')
    buffer = io.BytesIO()
    pq.write_table(pa.Table.from_pylist([parquet_values(row)], schema=PARQUET_SCHEMA), buffer)
    (back,) = pq.read_table(io.BytesIO(buffer.getvalue())).to_pylist()
    assert (back["capture"], back["change"]) == (POINTER, "reparse")
    before = table_row(archived())  # a line archived before either existed
    assert (before["capture"], before["change"]) == (None, None)


def test_no_incident_is_every_incident_column_null() -> None:
    for incident in (None, {}):
        row = table_row(archived(incident=incident))
        assert {row[n] for n in NAMES if n.startswith("incident_")} == {None}


def test_empty_is_null_in_every_column() -> None:
    row = table_row(
        archived(subtitle="  ", tags=[], categories=[], translations={}, attachments=[], images=[])
    )
    assert {row[name] for name in ("subtitle", "tags", "categories", "translations")} == {None}
    assert row["attachments"] is None
    assert row["images"] is None
    assert {csv_cell(name, row[name]) for name in NAMES if row[name] is None} == {""}
    assert row["tombstone"] is False
    assert csv_cell("tombstone", row["tombstone"]) == "false"


def test_times_are_spelled_one_way() -> None:
    row = table_row(archived(crawled_at="2026-11-25T02:15:00+00:00"))
    for name, spelled in (
        ("published_at", "2024-06-12T22:30:00Z"),
        ("crawled_at", "2026-11-25T02:15:00Z"),
        ("archived_at", "2026-11-25T02:15:00Z"),
        ("published_date", "2024-06-13"),
    ):
        assert csv_cell(name, row[name]) == spelled
        assert json_value(row[name]) == spelled


def test_a_value_that_does_not_convert_is_null_with_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    row = table_row(archived(published_at="13/06/2024", post_id="seven"))
    assert row["published_at"] is None
    assert row["published_date"] is None
    assert row["post_id"] is None
    assert row["title"] == "A title"  # the rest of the row is kept
    assert "published_at of snhr_news:7 is not valid ('13/06/2024'); null" in caplog.text
    assert "post_id of snhr_news:7 is not valid ('seven'); null" in caplog.text


@pytest.mark.parametrize(
    ("text", "cell"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1 killed", "'+1 killed"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTab", "'\tTab"),
        ("\rReturn", "'\rReturn"),
        ("Two civilians killed", "Two civilians killed"),
        ("مقتل مدني", "مقتل مدني"),
    ],
)
def test_csv_text_cells_never_start_a_formula(text: str, cell: str) -> None:
    assert csv_cell("title", text) == cell
    assert csv_cell("title", text, raw=True) == text
    assert csv_cell("tags", [text, "b"]) == cell + " | b"


def test_every_column_is_described() -> None:
    for column in COLUMNS:
        described = column.table_schema()
        assert described["description"].strip(), column.name
        assert described["name"] == column.name
