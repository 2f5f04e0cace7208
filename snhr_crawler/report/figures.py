"""The report's numbers: every figure's table, computed from the archive alone.

A ``Tally`` reads the export's typed rows
(``ops.export_table.table_row`` of each article's latest version, removed
articles left out: what ``snhr-crawler export`` writes), the run reports
(``runs/*.json``) and the audit figures (``state/audit-<source>.json``), and
returns one ``Figure`` per plot: its table (``columns`` and ``rows``) and a
few ``summary`` numbers. The plots draw these tables and nothing else, and
the page prints them, so whatever the page shows can be recomputed from an
export with pandas or DuckDB (docs/operations.md shows how).

Counting rules (each stated on the page too):

* **Articles** are counted per archived article, by the month of
  ``published_date`` (the site's local day).
* **Incidents** are news items whose title the incident reader understood
  (``incident_event`` set), counted once per document: the English and
  Arabic versions of one item share a ``translation_group`` and count once,
  with the English version's fields (else the one with the smallest id).
  They are placed in the month of ``incident_date``; those without one are
  counted apart (``without_incident_date``).
* **Victims** are ``incident_killed`` (deaths in detention included), summed
  per month and perpetrator; an incident whose title gives no number adds
  nothing and is counted apart (``killings_without_a_number``).
* **Lag** is ``published_date - incident_date`` in days.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from snhr_crawler.incidents.governorates import SPELLINGS

#: The row label for a value the title did not state.
NOT_STATED = "not stated"
#: (label, first day, last day) of each lag bin; None is open-ended.
LAG_BINS: tuple[tuple[str, int | None, int | None], ...] = (
    ("before the incident", None, -1),
    ("same day", 0, 0),
    ("1 day", 1, 1),
    ("2 days", 2, 2),
    ("3 days", 3, 3),
    ("4-7 days", 4, 7),
    ("8-30 days", 8, 30),
    ("over 30 days", 31, None),
)
#: Events whose victims are killed: an incident of these without a number "has no count".
_KILLING_EVENTS = frozenset({"killed", "killed_and_injured", "died_in_detention"})


@dataclass
class Figure:
    """One plot's data: a table and a few summary numbers."""

    key: str
    title: str
    caption: str
    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Incident:
    """The fields of one counted incident."""

    month: str | None
    event: str
    killed: int | None
    injured: int | None
    arrested: int | None
    perpetrator: str
    governorate: str
    lag: int | None


def month_of(day: date | None) -> str | None:
    return f"{day.year:04d}-{day.month:02d}" if day else None


def governorate_name(code: str) -> str:
    """ "Idlib" for ``SY-ID``: the first English spelling of the incident reader's table."""
    spellings = SPELLINGS.get(code)
    return spellings[0][0] if spellings else code


def lag_bin(days: int) -> str:
    for label, low, high in LAG_BINS:
        if (low is None or days >= low) and (high is None or days <= high):
            return label
    raise AssertionError(days)  # the bins cover every integer


class Tally:
    """Streams the export's rows once; ``figures()`` gives the tables."""

    def __init__(self) -> None:
        self.articles: Counter[tuple[str, str, str]] = Counter()  # (month, source, doc_type)
        self.undated: Counter[str] = Counter()  # source -> articles without a publication day
        self.by_source: Counter[str] = Counter()
        self.first_day: date | None = None
        self.last_day: date | None = None
        self.archived_until: Any = None
        self.incident_articles = 0
        #: incident key -> ((language is not English, id), Incident): the version that counts
        self.incidents: dict[str, tuple[tuple[bool, str], Incident]] = {}

    def add(self, row: Mapping[str, Any]) -> None:
        source, day = row["source"], row["published_date"]
        self.by_source[source] += 1
        month = month_of(day)
        if month is None:
            self.undated[source] += 1
        else:
            self.articles[(month, source, row["doc_type"] or NOT_STATED)] += 1
            self.first_day = day if self.first_day is None else min(self.first_day, day)
            self.last_day = day if self.last_day is None else max(self.last_day, day)
        archived = row["archived_at"]
        if archived is not None and (self.archived_until is None or archived > self.archived_until):
            self.archived_until = archived
        if row["incident_event"] is not None:
            self.incident_articles += 1
            self._add_incident(row)

    def _add_incident(self, row: Mapping[str, Any]) -> None:
        key = row["translation_group"] or row["id"]
        rank = (row["language"] != "en", row["id"])
        held = self.incidents.get(key)
        if held is not None and held[0] <= rank:
            return
        happened, published = row["incident_date"], row["published_date"]
        lag = (published - happened).days if happened and published else None
        self.incidents[key] = (
            rank,
            Incident(
                month=month_of(happened),
                event=row["incident_event"],
                killed=row["incident_killed"],
                injured=row["incident_injured"],
                arrested=row["incident_arrested"],
                perpetrator=row["incident_perpetrator"] or NOT_STATED,
                governorate=row["incident_governorate"] or NOT_STATED,
                lag=lag,
            ),
        )

    # -- the figures ---------------------------------------------------------------------------
    def figures(
        self,
        runs: Iterable[Mapping[str, Any]],
        audits: Iterable[Mapping[str, Any]],
        sources: set[str] | None = None,
    ) -> list[Figure]:
        """Every figure; ``runs`` count only the ``sources`` given (default: all)."""
        incidents = [incident for _, incident in self.incidents.values()]
        return [
            self._articles(),
            _incidents_per_month(incidents),
            _victims_per_month(incidents),
            _by_governorate(incidents),
            _lag(incidents),
            _runs(runs, sources),
            _coverage(audits),
        ]

    def headline(self) -> dict[str, Any]:
        return {
            "articles": sum(self.by_source.values()),
            "articles_by_source": dict(sorted(self.by_source.items())),
            "first_published": self.first_day.isoformat() if self.first_day else None,
            "last_published": self.last_day.isoformat() if self.last_day else None,
            "incidents": len(self.incidents),
            "killed": sum(i.killed or 0 for _, i in self.incidents.values()),
        }

    def _articles(self) -> Figure:
        return Figure(
            key="articles_per_month",
            title="Articles per month, by source and document type",
            caption=(
                "Each archived article (latest version; removed ones left out) in the month of"
                " its publication day in the site's local time."
            ),
            columns=["month", "source", "doc_type", "articles"],
            rows=[[*key, count] for key, count in sorted(self.articles.items())],
            summary={
                "articles": sum(self.by_source.values()),
                "without_publication_day": dict(sorted(self.undated.items())),
            },
        )


def _incidents_per_month(incidents: list[Incident]) -> Figure:
    counts = Counter((i.month, i.event) for i in incidents if i.month)
    return Figure(
        key="incidents_per_month",
        title="Incidents per month, by event",
        caption=(
            "News items the incident reader understood, once per document (English and Arabic"
            " versions count once), in the month of the incident's date from the title."
        ),
        columns=["month", "event", "incidents"],
        rows=[[*key, count] for key, count in sorted(counts.items())],
        summary={
            "incidents": len(incidents),
            "without_incident_date": sum(1 for i in incidents if not i.month),
        },
    )


def _victims_per_month(incidents: list[Incident]) -> Figure:
    sums: dict[tuple[str, str], list[int]] = {}
    for i in incidents:
        if not i.month:
            continue
        cell = sums.setdefault((i.month, i.perpetrator), [0, 0, 0, 0])
        cell[0] += i.killed or 0
        cell[1] += i.injured or 0
        cell[2] += i.arrested or 0
        cell[3] += 1
    uncounted = sum(1 for i in incidents if i.event in _KILLING_EVENTS and i.killed is None)
    return Figure(
        key="victims_per_month",
        title="Victims killed per month, by perpetrator",
        caption=(
            "incident_killed summed per month of the incident and perpetrator named first"
            " in the title (deaths in detention included); injured and arrested in the table."
            " A killing whose title gives no number adds nothing here."
        ),
        columns=["month", "perpetrator", "killed", "injured", "arrested", "incidents"],
        rows=[[*key, *cell] for key, cell in sorted(sums.items())],
        summary={
            "killed_in_dated_incidents": sum(i.killed or 0 for i in incidents if i.month),
            "killings_without_a_number": uncounted,
        },
    )


def _by_governorate(incidents: list[Incident]) -> Figure:
    counts = Counter(i.governorate for i in incidents)
    killed = Counter({code: 0 for code in counts})
    for i in incidents:
        killed[i.governorate] += i.killed or 0
    ordered = sorted(counts, key=lambda code: (-counts[code], code))
    return Figure(
        key="incidents_by_governorate",
        title="Incidents by governorate",
        caption="Where the title says the incident happened (ISO 3166-2:SY), once per document.",
        columns=["governorate", "name", "incidents", "killed"],
        rows=[
            [
                code,
                NOT_STATED if code == NOT_STATED else governorate_name(code),
                counts[code],
                killed[code],
            ]
            for code in ordered
        ],
        summary={"governorates": sum(1 for code in counts if code != NOT_STATED)},
    )


def _lag(incidents: list[Incident]) -> Figure:
    lags = sorted(i.lag for i in incidents if i.lag is not None)
    bins = Counter(lag_bin(lag) for lag in lags)
    middle = len(lags) // 2
    median = None
    if lags:
        median = lags[middle] if len(lags) % 2 else (lags[middle - 1] + lags[middle]) / 2
    return Figure(
        key="publication_lag",
        title="Lag from incident to publication",
        caption=(
            "Days from the incident's date (from the title) to the publication day, for"
            " incidents with both; 'before the incident' points at a misread date."
        ),
        columns=["lag", "incidents"],
        rows=[[label, bins[label]] for label, _, _ in LAG_BINS],
        summary={"measured": len(lags), "median_days": median},
    )


def _runs(runs: Iterable[Mapping[str, Any]], sources: set[str] | None) -> Figure:
    rows = []
    for report in runs:
        sections = {
            name: section
            for name, section in (report.get("sources") or {}).items()
            if isinstance(section, Mapping) and (sources is None or name in sources)
        }
        if not sections:
            continue
        counts = [
            sum(int(section.get(key) or 0) for section in sections.values())
            for key in ("new", "changed", "removed", "pages")
        ]
        row = [report.get("run_id"), report.get("started_at"), report.get("outcome")]
        rows.append([*row, ", ".join(sorted(sections)), *counts])
    rows.sort(key=lambda row: str(row[0]))
    return Figure(
        key="runs",
        title="What each run added, changed and removed",
        caption=(
            "From the run reports (runs/*.json), summed over the sources shown: articles"
            " archived for the first time (new), as a new version (changed), and found"
            " removed (tombstones)."
        ),
        columns=[
            "run_id",
            "started_at",
            "outcome",
            "sources",
            "new",
            "changed",
            "removed",
            "pages",
        ],
        rows=rows,
        summary={
            "runs": len(rows),
            "new": sum(row[4] for row in rows),
            "changed": sum(row[5] for row in rows),
            "removed": sum(row[6] for row in rows),
        },
    )


def _coverage(audits: Iterable[Mapping[str, Any]]) -> Figure:
    rows = []
    for audit in audits:
        rows.append(
            [
                audit.get("source"),
                audit.get("site_total"),
                audit.get("site_total_via"),
                audit.get("site_listed"),
                audit.get("archived_of_listed"),
                len(audit.get("missing") or []),
                audit.get("archived"),
                len(audit.get("extra") or []),
            ]
        )
    rows.sort(key=lambda row: str(row[0]))
    return Figure(
        key="coverage",
        title="The archive against the site's own counts",
        caption=(
            "From the last `snhr-crawler audit` of each source (state/audit-<source>.json):"
            " what the site says it has, how many of the posts its indexes name are archived,"
            " and how many are missing."
        ),
        columns=[
            "source",
            "site_total",
            "site_total_via",
            "site_listed",
            "archived_of_listed",
            "missing",
            "archived",
            "archived_not_listed",
        ],
        rows=rows,
        summary={"sources_audited": len(rows), "missing": sum(row[5] for row in rows)},
    )
