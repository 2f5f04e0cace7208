"""Health checks: did this run work, compared with thresholds and with earlier runs?

Each check looks at the run report (``ops.report``) and the reports of
earlier runs, and yields one ``CheckResult`` per source it judged (or one
overall pass). A failed check makes ``snhr-crawler crawl`` exit 1 with a
message naming the check, and is recorded in the report's ``checks``.

``site_reachable`` every source's site answered at all; when none did, one
                   line says so and points to the offline demo.
``finish_reason``  every source closed with ``finished`` (not ``shutdown``,
                   ``closespider_*``, ``archive_error``, ``failed_to_start``, ...).
``error_rate``     errors logged per request sent stay at or under
                   ``OPS_CHECK_MAX_ERROR_RATE``.
``field_coverage`` for the fields in ``OPS_CHECK_MIN_FIELD_COVERAGE``, the
                   share of records with the field non-empty is at least the
                   minimum, and has not fallen by more than
                   ``OPS_CHECK_MAX_COVERAGE_DROP`` below the mean of earlier
                   runs: the signature of a site redesign. Only judged when
                   the run scraped at least ``OPS_CHECK_COVERAGE_MIN_ITEMS``.
``new_items``      a source has had new articles within
                   ``OPS_CHECK_MAX_DAYS_WITHOUT_NEW`` days (per-source
                   overrides in ``OPS_CHECK_MAX_DAYS_WITHOUT_NEW_PER_SOURCE``);
                   judged from run reports, so it can only fail once they
                   cover that many days. Each report carries ``last_new_at``
                   and ``watched_since`` per source forward, so this does not
                   depend on how many runs ``OPS_CHECK_HISTORY`` keeps.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from snhr_crawler.ops.runs import parse_iso

Report = Mapping[str, Any]

DEFAULT_MIN_FIELD_COVERAGE: dict[str, float] = {
    "title": 0.99,
    "body_text": 0.95,
    "published_at": 0.9,
    "post_id": 0.8,
    "categories": 0.8,
}


@dataclass(frozen=True)
class Thresholds:
    """The limits the checks apply; ``from_settings`` reads the ``OPS_CHECK_*`` settings."""

    max_error_rate: float = 0.05
    min_field_coverage: Mapping[str, float] = field(
        default_factory=lambda: dict(DEFAULT_MIN_FIELD_COVERAGE)
    )
    max_coverage_drop: float = 0.25
    coverage_min_items: int = 20
    max_days_without_new: float = 7.0
    max_days_without_new_per_source: Mapping[str, float] = field(default_factory=dict)
    history: int = 30

    @classmethod
    def from_settings(cls, settings: Any) -> Thresholds:
        """The ``OPS_CHECK_*`` settings; ``ValueError`` naming the setting if one is malformed."""
        default = cls()

        def read(name: str, convert: Callable[[str], Any]) -> Any:
            try:
                return convert(name)
            except (ValueError, TypeError) as exc:
                raise ValueError(f"{name}={settings.get(name)!r}: {exc}") from None

        def shares(name: str, fallback: Mapping[str, float]) -> dict[str, float]:
            return {str(k): float(v) for k, v in (settings.getdict(name) or fallback).items()}

        return cls(
            max_error_rate=read(
                "OPS_CHECK_MAX_ERROR_RATE", lambda n: settings.getfloat(n, default.max_error_rate)
            ),
            min_field_coverage=read(
                "OPS_CHECK_MIN_FIELD_COVERAGE", lambda n: shares(n, default.min_field_coverage)
            ),
            max_coverage_drop=read(
                "OPS_CHECK_MAX_COVERAGE_DROP",
                lambda n: settings.getfloat(n, default.max_coverage_drop),
            ),
            coverage_min_items=read(
                "OPS_CHECK_COVERAGE_MIN_ITEMS",
                lambda n: settings.getint(n, default.coverage_min_items),
            ),
            max_days_without_new=read(
                "OPS_CHECK_MAX_DAYS_WITHOUT_NEW",
                lambda n: settings.getfloat(n, default.max_days_without_new),
            ),
            max_days_without_new_per_source=read(
                "OPS_CHECK_MAX_DAYS_WITHOUT_NEW_PER_SOURCE", lambda n: shares(n, {})
            ),
            history=read("OPS_CHECK_HISTORY", lambda n: settings.getint(n, default.history)),
        )

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["min_field_coverage"] = dict(self.min_field_coverage)
        data["max_days_without_new_per_source"] = dict(self.max_days_without_new_per_source)
        return data


@dataclass(frozen=True)
class CheckResult:
    check: str
    ok: bool
    message: str
    source: str | None = None

    def line(self) -> str:
        """``check error_rate FAILED: snhr_news: ...``: one line for cron mail."""
        return f"check {self.check} {'ok' if self.ok else 'FAILED'}: {self.message}"


def _pct(share: float) -> str:
    return f"{share * 100:.0f}%"


def _crawled(report: Report) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """(source, section) of the sources that actually crawled in this run."""
    for source, section in report.get("sources", {}).items():
        if section.get("finish_reason") not in ("not_run", "failed_to_start"):
            yield source, section


# -- the checks ------------------------------------------------------------------
def check_site_reachable(
    report: Report, history: Sequence[Report], limits: Thresholds
) -> list[CheckResult]:
    crawled = dict(_crawled(report))
    unreachable = {
        source: s["unreachable"] for source, s in crawled.items() if s.get("unreachable")
    }
    if not unreachable:
        return [CheckResult("site_reachable", True, f"{len(crawled)} source(s) reached their site")]
    if len(unreachable) == len(crawled):
        origins = ", ".join(sorted(set(unreachable.values())))
        return [
            CheckResult(
                "site_reachable",
                False,
                f"no site could be reached from here ({origins}); nothing was archived. "
                "Without network access, run `make demo` to crawl the offline replica",
            )
        ]
    return [
        CheckResult("site_reachable", False, f"{source}: {origin} could not be reached", source)
        for source, origin in unreachable.items()
    ]


def check_finish_reason(
    report: Report, history: Sequence[Report], limits: Thresholds
) -> list[CheckResult]:
    results = [
        CheckResult(
            "finish_reason",
            False,
            f"{source} ended with {section.get('finish_reason')!r}, not 'finished'"
            + (f" ({section['error']})" if section.get("error") else ""),
            source,
        )
        for source, section in report.get("sources", {}).items()
        if section.get("finish_reason") != "finished"
    ]
    return results or [
        CheckResult("finish_reason", True, f"{len(report.get('sources', {}))} source(s) finished")
    ]


def check_error_rate(
    report: Report, history: Sequence[Report], limits: Thresholds
) -> list[CheckResult]:
    results = []
    for source, section in _crawled(report):
        if section.get("unreachable"):
            continue  # site_reachable already says so, in one line
        errors, requests = int(section.get("errors") or 0), int(section.get("requests") or 0)
        rate = float(section.get("error_rate") or 0.0)
        if rate > limits.max_error_rate:
            results.append(
                CheckResult(
                    "error_rate",
                    False,
                    f"{source}: {errors} error(s) for {requests} request(s) = {_pct(rate)},"
                    f" above {_pct(limits.max_error_rate)}",
                    source,
                )
            )
    return results or [
        CheckResult("error_rate", True, f"at or under {_pct(limits.max_error_rate)}")
    ]


def _earlier_coverage(
    history: Sequence[Report], source: str, name: str, min_items: int
) -> float | None:
    values = [
        float(section["field_coverage"][name])
        for past in history
        if (section := past.get("sources", {}).get(source))
        and int(section.get("coverage_items") or 0) >= min_items
        and name in (section.get("field_coverage") or {})
    ]
    return sum(values) / len(values) if values else None


def check_field_coverage(
    report: Report, history: Sequence[Report], limits: Thresholds
) -> list[CheckResult]:
    results = []
    judged = 0
    for source, section in _crawled(report):
        items = int(section.get("coverage_items") or 0)
        if items < limits.coverage_min_items:
            continue
        judged += 1
        coverage = section.get("field_coverage") or {}
        for name, minimum in limits.min_field_coverage.items():
            share = float(coverage.get(name, 0.0))
            if share < minimum:
                results.append(
                    CheckResult(
                        "field_coverage",
                        False,
                        f"{source}: {name} filled in {_pct(share)} of {items} records,"
                        f" below {_pct(minimum)} (a site redesign?)",
                        source,
                    )
                )
                continue
            before = _earlier_coverage(history, source, name, limits.coverage_min_items)
            if before is not None and before - share > limits.max_coverage_drop:
                results.append(
                    CheckResult(
                        "field_coverage",
                        False,
                        f"{source}: {name} filled in {_pct(share)} of {items} records, down from"
                        f" {_pct(before)} in earlier runs (a site redesign?)",
                        source,
                    )
                )
    if results:
        return results
    message = (
        f"{judged} source(s) at or above the minimums"
        if judged
        else f"no source scraped {limits.coverage_min_items}+ records; not judged"
    )
    return [CheckResult("field_coverage", True, message)]


_NOT_CRAWLED = ("not_run", "failed_to_start")


def new_items_since(
    report: Report, history: Sequence[Report], source: str
) -> tuple[str | None, str | None]:
    """(``last_new_at``, ``watched_since``) of ``source``: when a run last archived a new
    article, and when runs first looked at it (None when unknown).

    Each report carries both forward in its source sections (``carry_new_items``),
    so the previous report that has them is enough, however often the crawl runs.
    Earlier reports without them are walked back, newest first.
    """
    since = None
    for past in (report, *history):  # newest first
        section = past.get("sources", {}).get(source)
        if not section:
            continue
        if past is not report and "watched_since" in section:
            return section.get("last_new_at"), section.get("watched_since") or since
        if section.get("finish_reason") in _NOT_CRAWLED:
            continue
        since = past["started_at"]
        if int(section.get("new") or 0) > 0:
            return past["started_at"], since
    return None, since


def carry_new_items(report: dict[str, Any], history: Sequence[Report]) -> None:
    """Record ``last_new_at`` and ``watched_since`` in each source section of ``report``."""
    for source, section in report.get("sources", {}).items():
        section["last_new_at"], section["watched_since"] = new_items_since(report, history, source)


def check_new_items(
    report: Report, history: Sequence[Report], limits: Thresholds
) -> list[CheckResult]:
    now = parse_iso(report["finished_at"])
    results = []
    for source, _section in _crawled(report):
        allowed = float(
            limits.max_days_without_new_per_source.get(source, limits.max_days_without_new)
        )
        last_new, since = new_items_since(report, history, source)
        if last_new is not None:
            days = (now - parse_iso(last_new)).total_seconds() / 86400
            message = f"the last new article {days:.1f} day(s) ago"
        else:
            assert since is not None  # this run crawled the source
            days = (now - parse_iso(since)).total_seconds() / 86400
            message = f"no new article in any run of the last {days:.1f} day(s)"
        if days > allowed:
            results.append(
                CheckResult(
                    "new_items",
                    False,
                    f"{source}: {message}, more than {allowed:g} (site changed or crawl stuck?)",
                    source,
                )
            )
    return results or [
        CheckResult("new_items", True, "every source had new articles within the allowed days")
    ]


CHECKS: tuple[Callable[[Report, Sequence[Report], Thresholds], list[CheckResult]], ...] = (
    check_site_reachable,
    check_finish_reason,
    check_error_rate,
    check_field_coverage,
    check_new_items,
)


def run_checks(report: Report, history: Sequence[Report], limits: Thresholds) -> list[CheckResult]:
    """Every check's results; ``history`` is earlier reports, newest first."""
    return [result for check in CHECKS for result in check(report, history, limits)]
