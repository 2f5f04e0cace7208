"""The report's counting rules on hand-made rows, with the tables worked out by hand."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from snhr_crawler.cli import main
from snhr_crawler.ops.export_table import NAMES
from snhr_crawler.report.figures import Tally, governorate_name, lag_bin


def row(key: str, **fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = dict.fromkeys(NAMES)
    base.update(id=key, source="snhr_news", language="en", doc_type="news", tombstone=False)
    base.update(fields)
    return base


def incident(key: str, **fields: Any) -> dict[str, Any]:
    defaults = {
        "incident_event": "killed",
        "incident_date": date(2024, 6, 12),
        "published_date": date(2024, 6, 13),
    }
    return row(key, **{**defaults, **fields})


ROWS = [
    # one item in two languages: counted once, with the English reading
    incident("snhr_news:1", translation_group="tg:a", incident_killed=2, incident_perpetrator="sdf",
             incident_governorate="SY-DR"),
    incident("snhr_news_ar:9", source="snhr_news_ar", language="ar", translation_group="tg:a",
             incident_killed=3, incident_perpetrator="hts", incident_governorate="SY-ID"),
    # Arabic only: counts
    incident("snhr_news_ar:8", source="snhr_news_ar", language="ar", incident_killed=1,
             incident_governorate="SY-DR", published_date=date(2024, 7, 1),
             incident_date=date(2024, 6, 28)),
    # a killing without a number, published before its (misread) date
    incident("snhr_news:2", incident_date=date(2024, 7, 2), published_date=date(2024, 7, 1)),
    # an arrest without an incident date
    incident("snhr_news:3", incident_event="arrested", incident_arrested=1, incident_date=None),
    # a report: an article, not an incident; and an undated article
    row("snhr_reports:4", source="snhr_reports", doc_type="report", published_date=date(2024, 6, 2)),
    row("snhr_reports:5", source="snhr_reports", doc_type="report"),
]  # fmt: skip


@pytest.fixture
def figures() -> dict[str, Any]:
    tally = Tally()
    for r in ROWS:
        tally.add(r)
    runs = [
        {"run_id": "20260101T000000Z", "sources": {"snhr_news": {"new": 3}, "snhr_reports": {"new": 2}}},
        {"run_id": "20260102T000000Z", "sources": {"snhr_reports": {"changed": 1, "removed": 1}}},
    ]  # fmt: skip
    found = tally.figures(runs, [], {"snhr_news"})
    return {"headline": tally.headline(), **{f.key: f for f in found}}


def test_articles_per_month(figures: dict[str, Any]) -> None:
    assert figures["articles_per_month"].rows == [
        ["2024-06", "snhr_news", "news", 2],
        ["2024-06", "snhr_news_ar", "news", 1],
        ["2024-06", "snhr_reports", "report", 1],
        ["2024-07", "snhr_news", "news", 1],
        ["2024-07", "snhr_news_ar", "news", 1],
    ]
    assert figures["articles_per_month"].summary == {
        "articles": 7,
        "without_publication_day": {"snhr_reports": 1},
    }
    assert figures["headline"]["articles"] == 7


def test_incidents_count_each_document_once_with_the_english_reading(
    figures: dict[str, Any],
) -> None:
    assert figures["incidents_per_month"].rows == [
        ["2024-06", "killed", 2],  # the pair and the Arabic-only item
        ["2024-07", "killed", 1],
    ]
    assert figures["incidents_per_month"].summary == {"incidents": 4, "without_incident_date": 1}
    assert figures["victims_per_month"].rows == [
        ["2024-06", "not stated", 1, 0, 0, 1],
        ["2024-06", "sdf", 2, 0, 0, 1],  # English: sdf and 2, not hts and 3
        ["2024-07", "not stated", 0, 0, 0, 1],
    ]
    assert figures["victims_per_month"].summary == {
        "killed_in_dated_incidents": 3,
        "killings_without_a_number": 1,
    }
    assert figures["incidents_by_governorate"].rows == [
        ["SY-DR", "Daraa", 2, 3],
        ["not stated", "not stated", 2, 0],
    ]
    assert figures["headline"]["incidents"] == 4
    assert figures["headline"]["killed"] == 3


def test_the_lag(figures: dict[str, Any]) -> None:
    assert dict(figures["publication_lag"].rows) == {
        "before the incident": 1, "same day": 0, "1 day": 1, "2 days": 0, "3 days": 1,
        "4-7 days": 0, "8-30 days": 0, "over 30 days": 0,
    }  # fmt: skip
    assert figures["publication_lag"].summary == {"measured": 3, "median_days": 1}
    assert [lag_bin(n) for n in (-3, 0, 7, 8, 30, 31, 400)] == [
        "before the incident", "same day", "4-7 days", "8-30 days", "8-30 days",
        "over 30 days", "over 30 days",
    ]  # fmt: skip


def test_runs_count_the_sources_shown(figures: dict[str, Any]) -> None:
    assert figures["runs"].rows == [["20260101T000000Z", None, None, "snhr_news", 3, 0, 0, 0]]
    assert figures["coverage"].rows == []


def test_governorate_names_come_from_the_incident_readers_table() -> None:
    assert governorate_name("SY-RD") == "Damascus suburbs"
    assert governorate_name("SY-DY") == "Deir Ez-Zour"


def test_without_matplotlib_the_report_says_so_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib raises ImportError
    code = main(["report", "--archive", str(tmp_path), "-o", str(tmp_path / "r")])
    assert code == 2
    assert capsys.readouterr().err == (
        "snhr-crawler report: error: plots need matplotlib, which is not installed:"
        " pip install 'snhr-crawler[report]'\n"
    )
    assert not (tmp_path / "r").exists()


@pytest.mark.parametrize(
    ("output", "message"),
    [
        ("file", "is not a directory; give a directory"),
        ("missing/r", "does not exist (it is not created)"),
    ],
)
def test_an_output_that_cannot_hold_a_report_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], output: str, message: str
) -> None:
    (tmp_path / "file").write_text("x\n", "utf-8")
    code = main(["report", "--archive", str(tmp_path), "-o", str(tmp_path / output)])
    assert code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert message in err
