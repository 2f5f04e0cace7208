"""``snhr-crawler report`` on a replica crawl: the page's numbers recomputed from the export.

One archive for the module, made as an archivist would: a crawl of the four
replica sites, an audit, an edit and a removal on the site, a full crawl of
the news. Then ``export`` (Parquet) and ``report``. The oracle is pandas over
the export, the run reports and audit files as written, and the replica's
own truth; none of it calls the report's code.
"""

from __future__ import annotations

import json
import re
import struct
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from snhr_crawler.cli import main
from snhr_replica import ReplicaServer
from snhr_replica.process import SOURCES
from tests.ops.conftest import run_cli

pytestmark = pytest.mark.e2e

#: The replica's sites keep UTC+03:00 (snhr_replica/clock.py): its URL dates are in it.
REPLICA_LOCAL = timezone(timedelta(hours=3))
FIGURES = (
    "articles_per_month", "incidents_per_month", "victims_per_month",
    "incidents_by_governorate", "publication_lag", "runs", "coverage",
)  # fmt: skip


@dataclass
class Crawled:
    archive: Path
    export: Path
    report: Path
    truth: list[dict[str, Any]]  # after the edit and the removal
    audited_truth: dict[str, int]  # live posts per source when the audit ran
    edited: str
    removed: str


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Crawled:
    root = tmp_path_factory.mktemp("report")
    archive = root / "archive"
    with ReplicaServer(posts=20, seed=3, log_requests=False) as replica:
        origins = root / "origins.txt"
        origins.write_text("".join(f"{s} {o}\n" for s, o in replica.origins.items()), "utf-8")
        where = ["--origins-file", str(origins), "--archive", str(archive)]
        first = run_cli("crawl", *SOURCES, *where, "--quiet", timeout=120)
        assert first.returncode == 0, first.stderr[-3000:]
        audit = run_cli("audit", *SOURCES, *where, timeout=120)
        assert audit.returncode == 0, audit.stderr[-3000:]
        audited = {s: len(replica.truth(s)) for s in SOURCES}
        live = replica.site.live("snhr_news")
        replica.site.edit("snhr_news", live[2].post_id, "Update: SNHR corrected the figures.")
        replica.site.delete("snhr_news", live[4].post_id, 410)
        again = run_cli("crawl", "snhr_news", "--full", *where, "--quiet", timeout=120)
        assert again.returncode == 0, again.stderr[-3000:]
        truth = replica.truth()
    export = root / "articles.parquet"
    assert main(["export", "--archive", str(archive), "-o", str(export)]) == 0
    report = root / "report"
    assert main(["report", "--archive", str(archive), "-o", str(report)]) == 0
    return Crawled(
        archive, export, report, truth, audited,
        edited=f"snhr_news:{live[2].post_id}", removed=f"snhr_news:{live[4].post_id}",
    )  # fmt: skip


@pytest.fixture(scope="module")
def frame(crawled: Crawled) -> pd.DataFrame:
    return pd.read_parquet(crawled.export, dtype_backend="numpy_nullable")


@pytest.fixture(scope="module")
def numbers(crawled: Crawled) -> dict[str, Any]:
    return json.loads((crawled.report / "report.json").read_text("utf-8"))


def table(numbers: dict[str, Any], key: str) -> list[list[Any]]:
    return numbers["figures"][key]["rows"]


def month(day: Any) -> str:
    return f"{day.year:04d}-{day.month:02d}"


# -- the export against the replica's truth ------------------------------------------------------
def replica_local_day(published: str) -> date:
    if len(published) == 10:
        return date.fromisoformat(published)
    return datetime.fromisoformat(published).astimezone(REPLICA_LOCAL).date()


def test_the_export_holds_the_sites_articles_typed(crawled: Crawled, frame: pd.DataFrame) -> None:
    truth = {record["id"]: record for record in crawled.truth}
    assert set(frame["id"]) == set(truth)
    assert crawled.removed not in set(frame["id"])
    rows = frame.set_index("id")
    assert rows.loc[crawled.edited, "version"] == 2
    for key, record in truth.items():
        row = rows.loc[key]
        assert row["published_date"] == replica_local_day(record["published_at"]), key
        if len(record["published_at"]) > 10:
            assert row["published_at"] == pd.Timestamp(record["published_at"]), key
        else:
            assert pd.isna(row["published_at"]), key
        incident = record["incident"] or {}
        for name in ("event", "killed", "injured", "arrested", "perpetrator", "governorate"):
            value = row[f"incident_{name}"]
            assert (None if pd.isna(value) else value) == incident.get(name), (key, name)
        names = row["incident_victim_names"]
        exported = [] if names is None else list(names)
        assert exported == (incident.get("victim_names") or []), key


# -- the report's figures against pandas over the export ------------------------------------------
def counted_incidents(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per document: the English version where there is one, else the smallest id."""
    news = frame[frame["incident_event"].notna()].copy()
    news["key"] = news["translation_group"].fillna(news["id"])
    news["not_english"] = news["language"] != "en"
    news = news.sort_values(["not_english", "id"]).drop_duplicates("key", keep="first")
    news["month"] = [
        month(d) if d is not None and not pd.isna(d) else None for d in news["incident_date"]
    ]
    return news


def test_articles_per_month(frame: pd.DataFrame, numbers: dict[str, Any]) -> None:
    months = frame["published_date"].map(month)
    expected = frame.assign(month=months).groupby(["month", "source", "doc_type"]).size()
    got = {(m, s, d): n for m, s, d, n in table(numbers, "articles_per_month")}
    assert got == {key: int(n) for key, n in expected.items()}
    assert numbers["headline"]["articles"] == len(frame)
    assert numbers["headline"]["articles_by_source"] == frame["source"].value_counts().to_dict()


def test_incidents_per_month_count_each_document_once(
    frame: pd.DataFrame, numbers: dict[str, Any]
) -> None:
    incidents = counted_incidents(frame)
    pairs = frame["translation_group"].dropna().value_counts()
    assert (pairs == 2).any(), "the replica has English and Arabic versions of one item"
    expected = incidents[incidents["month"].notna()].groupby(["month", "incident_event"]).size()
    got = {(m, e): n for m, e, n in table(numbers, "incidents_per_month")}
    assert got == {key: int(n) for key, n in expected.items()}
    assert numbers["headline"]["incidents"] == len(incidents)
    assert len(incidents) < frame["incident_event"].notna().sum()


def test_victims_per_month_by_perpetrator(frame: pd.DataFrame, numbers: dict[str, Any]) -> None:
    incidents = counted_incidents(frame)
    dated = incidents[incidents["month"].notna()].copy()
    dated["perpetrator"] = dated["incident_perpetrator"].fillna("not stated")
    sums = dated.groupby(["month", "perpetrator"])[["incident_killed", "incident_injured"]].sum()
    got = {(m, p): (k, i) for m, p, k, i, *_ in table(numbers, "victims_per_month")}
    assert got == {key: (int(k), int(i)) for key, (k, i) in sums.iterrows()}
    assert numbers["headline"]["killed"] == int(incidents["incident_killed"].sum())
    assert numbers["headline"]["killed"] > 0


def test_incidents_by_governorate(frame: pd.DataFrame, numbers: dict[str, Any]) -> None:
    incidents = counted_incidents(frame)
    expected = incidents["incident_governorate"].fillna("not stated").value_counts()
    got = {code: n for code, _, n, _ in table(numbers, "incidents_by_governorate")}
    assert got == {code: int(n) for code, n in expected.items()}
    names = {code: name for code, name, _, _ in table(numbers, "incidents_by_governorate")}
    assert names.get("SY-RD", "Damascus suburbs") == "Damascus suburbs"


def test_the_lag_from_incident_to_publication(frame: pd.DataFrame, numbers: dict[str, Any]) -> None:
    incidents = counted_incidents(frame)
    both = incidents[incidents["incident_date"].notna() & incidents["published_date"].notna()]
    lags = pd.Series(
        [(p - i).days for p, i in zip(both["published_date"], both["incident_date"], strict=True)]
    )
    bins = {
        "before the incident": (lags < 0).sum(), "same day": (lags == 0).sum(),
        "1 day": (lags == 1).sum(), "2 days": (lags == 2).sum(), "3 days": (lags == 3).sum(),
        "4-7 days": lags.between(4, 7).sum(), "8-30 days": lags.between(8, 30).sum(),
        "over 30 days": (lags > 30).sum(),
    }  # fmt: skip
    assert dict(table(numbers, "publication_lag")) == {k: int(v) for k, v in bins.items()}
    summary = numbers["figures"]["publication_lag"]["summary"]
    assert summary["measured"] == len(lags)
    assert summary["median_days"] == lags.median()


def test_runs_as_their_reports_say(crawled: Crawled, numbers: dict[str, Any]) -> None:
    reports = [
        json.loads(p.read_text("utf-8")) for p in sorted((crawled.archive / "runs").glob("*.json"))
    ]
    assert len(reports) == 2
    got = [(r[0], r[4], r[5], r[6]) for r in table(numbers, "runs")]
    expected = [
        (
            r["run_id"],
            sum(s.get("new", 0) for s in r["sources"].values()),
            sum(s.get("changed", 0) for s in r["sources"].values()),
            sum(s.get("removed", 0) for s in r["sources"].values()),
        )
        for r in reports
    ]
    assert got == expected
    assert got[0][1] == sum(crawled.audited_truth.values())  # the first run archived everything
    assert got[1][2:] == (1, 1)  # the full run: one edit, one removal


def test_coverage_as_the_audit_saved_it(crawled: Crawled, numbers: dict[str, Any]) -> None:
    rows = {row[0]: row for row in table(numbers, "coverage")}
    assert sorted(rows) == sorted(SOURCES)
    for source in SOURCES:
        audit = json.loads((crawled.archive / "state" / f"audit-{source}.json").read_text("utf-8"))
        row = rows[source]
        assert row[1] == audit["site_total"] == crawled.audited_truth[source]
        assert row[4] == audit["archived_of_listed"]
        assert row[5] == len(audit["missing"]) == 0


# -- the page ------------------------------------------------------------------------------------
class Page(HTMLParser):
    """The tables (by ``data-figure``), every ``src``/``href``, and the text of the page."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.links: list[str] = []
        self.tags: set[str] = set()
        self._table: str | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        values = dict(attrs)
        self.links += [v for k, v in attrs if k in ("src", "href") and v]
        if tag == "table":
            self._table = values.get("data-figure")
            self.tables[self._table or ""] = []
        elif tag == "tr" and self._table:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell))
            self._cell = None
        elif tag == "tr" and self._row is not None and self._table:
            self.tables[self._table].append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None


def parsed(report: Path) -> Page:
    page = Page()
    page.feed((report / "index.html").read_text("utf-8"))
    return page


def test_the_pages_tables_are_the_numbers(crawled: Crawled, numbers: dict[str, Any]) -> None:
    page = parsed(crawled.report)
    assert sorted(page.tables) == sorted(FIGURES)
    for key in FIGURES:
        figure = numbers["figures"][key]
        header, *rows = page.tables[key]
        assert header == figure["columns"]
        assert rows == [["" if v is None else str(v) for v in row] for row in figure["rows"]], key
    text = (crawled.report / "index.html").read_text("utf-8")
    head = numbers["headline"]
    assert f"<strong>{head['articles']:,}</strong> articles" in text
    assert f"<strong>{head['incidents']:,}</strong> incidents" in text


def png_text_chunks(data: bytes) -> list[bytes]:
    chunks, at = [], 8
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at : at + 8])
        if kind in (b"tEXt", b"iTXt", b"zTXt"):
            chunks.append(data[at + 8 : at + 8 + length])
        at += 12 + length
    return chunks


def test_the_page_works_offline(crawled: Crawled) -> None:
    page = parsed(crawled.report)
    images = [link for link in page.links if not link.startswith("#")]
    assert sorted(images) == sorted(f"{key}.png" for key in FIGURES)
    assert "script" not in page.tags
    assert "link" not in page.tags
    for path in crawled.report.iterdir():
        data = path.read_bytes()
        if path.suffix == ".png":  # compressed pixels; only a text chunk could name an address
            assert data.startswith(b"\x89PNG\r\n\x1a\n")
            assert png_text_chunks(data) == []  # no "Software: matplotlib <address>" stamp
        else:
            text = data.decode("utf-8")
            assert not re.search(r"(?i)https?:|//[a-z0-9.-]+\.[a-z]{2,}|url\(|@import", text), path
    assert sorted(p.name for p in crawled.report.iterdir()) == sorted(
        ["index.html", "report.json", *(f"{key}.png" for key in FIGURES)]
    )


def test_the_same_archive_gives_the_same_report(crawled: Crawled, tmp_path: Path) -> None:
    again = tmp_path / "again"
    assert main(["report", "--archive", str(crawled.archive), "-o", str(again)]) == 0
    for path in sorted(crawled.report.iterdir()):
        assert (again / path.name).read_bytes() == path.read_bytes(), path.name


def test_an_existing_report_is_replaced_only_with_force(
    crawled: Crawled, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "r"
    out.mkdir()
    (out / "notes.txt").write_text("mine\n", "utf-8")
    argv = ["report", "--archive", str(crawled.archive), "-o", str(out)]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err == (
        f"snhr-crawler report: error: --output: {out} is not empty;"
        " give --force to replace the report in it\n"
    )
    assert main([*argv, "--force"]) == 0
    assert (out / "notes.txt").read_text("utf-8") == "mine\n"
    assert (out / "index.html").exists()
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no temporary file left


def test_one_source(crawled: Crawled, frame: pd.DataFrame, tmp_path: Path) -> None:
    out = tmp_path / "news"
    argv = ["report", "--archive", str(crawled.archive), "-o", str(out), "--source", "snhr_news"]
    assert main(argv) == 0
    numbers = json.loads((out / "report.json").read_text("utf-8"))
    assert numbers["headline"]["articles"] == int((frame["source"] == "snhr_news").sum())
    assert [row[0] for row in table(numbers, "coverage")] == ["snhr_news"]
