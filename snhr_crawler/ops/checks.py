"""Health checks: did this run work, compared with thresholds and with earlier runs?

Each check looks at the run report (``ops.report``) and the reports of
earlier runs, and yields one ``CheckResult`` per source it failed, or one
line for the run. A result is ``ok``, ``FAILED`` or ``not judged``, and its
message states the measured figure against the threshold, so a line never
says more than was measured: a check that had nothing to judge (no source
reached its site, too few records, too short a history) says so instead of
passing. A failed check makes ``snhr-crawler crawl`` exit 1 with a message
naming the check, and every result is recorded in the report's ``checks``.

Only sources that reached their site and finished are judged on errors,
coverage and new articles; the others are named as not judged, since
``site_reachable`` or ``finish_reason`` already fails for them.

``site_reachable`` every source's site answered at all; when none did, one
                   line says so (with the cause) and points to the offline demo.
``finish_reason``  every source closed with ``finished`` (not ``shutdown``,
                   ``closespider_*``, ``archive_error``, ``failed_to_start``, ...),
                   with the cause when one is known.
``error_rate``     errors logged per request sent stay at or under
                   ``OPS_CHECK_MAX_ERROR_RATE``.
``field_coverage`` for the fields in ``OPS_CHECK_MIN_FIELD_COVERAGE``, the
                   share of records with the field non-empty is at least the
                   minimum, and has not fallen by more than
                   ``OPS_CHECK_MAX_COVERAGE_DROP`` below the mean of earlier
                   runs: the signature of a site redesign. Only judged when
                   the run scraped at least ``OPS_CHECK_COVERAGE_MIN_ITEMS``.
``bounds``         no source hit a bound (``snhr_crawler.bounds``): a listing
                   past its own page count, a sitemap index nested too deep,
                   ten million REST pages, a gzip bomb. The run still ended
                   normally with what it archived; the message names the
                   bounds, the log has the URLs.
``new_items``      a source has had new articles within
                   ``OPS_CHECK_MAX_DAYS_WITHOUT_NEW`` days (per-source
                   overrides in ``OPS_CHECK_MAX_DAYS_WITHOUT_NEW_PER_SOURCE``);
                   judged from run reports, so a source that never had a new
                   article is not judged until runs cover that many days.
                   Each report carries ``last_new_at`` and ``watched_since``
                   per source forward, so this does not depend on how many
                   runs ``OPS_CHECK_HISTORY`` keeps.
``layer_shift``    for the fields in ``OPS_CHECK_LAYER_SHIFT_FIELDS``, the share
                   of records served by a lower extraction layer than in
                   earlier runs and the probe's profile has not grown by more
                   than ``OPS_CHECK_MAX_LAYER_SHIFT`` (``ops.layershift``): a
                   redesign, seen before the fields come back empty. Judged
                   on fields with ``OPS_CHECK_LAYER_SHIFT_MIN_ITEMS`` records
                   in the run and in a baseline.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from snhr_crawler.ops.layershift import baselines_for, field_shift
from snhr_crawler.ops.report import INTERRUPTED, NOT_RUN_OUTCOME, source_outcome
from snhr_crawler.ops.runs import parse_iso

Report = Mapping[str, Any]

DEFAULT_LAYER_SHIFT_FIELDS = ("title", "published_at", "categories", "body_text", "post_id")

DEFAULT_MIN_FIELD_COVERAGE: dict[str, float] = {
    "title": 0.99,
    "body_text": 0.95,
    "published_at": 0.9,
    "post_id": 0.8,
    "categories": 0.8,
}

OK = "ok"
FAILED = "failed"
NOT_JUDGED = "not_judged"
_LABELS = {OK: "ok", FAILED: "FAILED", NOT_JUDGED: "not judged"}


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
    max_layer_shift: float = 0.2
    layer_shift_fields: tuple[str, ...] = DEFAULT_LAYER_SHIFT_FIELDS
    layer_shift_min_items: int = 5

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
            max_layer_shift=read(
                "OPS_CHECK_MAX_LAYER_SHIFT", lambda n: settings.getfloat(n, default.max_layer_shift)
            ),
            layer_shift_fields=read(
                "OPS_CHECK_LAYER_SHIFT_FIELDS",
                lambda n: tuple(settings.getlist(n) or default.layer_shift_fields),
            ),
            layer_shift_min_items=read(
                "OPS_CHECK_LAYER_SHIFT_MIN_ITEMS",
                lambda n: settings.getint(n, default.layer_shift_min_items),
            ),
        )

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["min_field_coverage"] = dict(self.min_field_coverage)
        data["max_days_without_new_per_source"] = dict(self.max_days_without_new_per_source)
        data["layer_shift_fields"] = list(self.layer_shift_fields)
        return data


@dataclass(frozen=True)
class CheckResult:
    check: str
    status: str  # OK, FAILED or NOT_JUDGED
    message: str
    source: str | None = None

    @property
    def ok(self) -> bool:
        """The check did not fail: it passed, or had nothing to judge (``status`` says which)."""
        return self.status != FAILED

    @property
    def failed(self) -> bool:
        return self.status == FAILED

    def line(self) -> str:
        """``check error_rate FAILED: snhr_news: ...``: one line for cron mail."""
        return f"check {self.check} {_LABELS[self.status]}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        """The report's entry; ``ok`` is kept for readers of earlier reports."""
        return {
            "check": self.check,
            "status": self.status,
            "ok": self.ok,
            "message": self.message,
            "source": self.source,
        }


def entry_failed(entry: Mapping[str, Any]) -> bool:
    """Whether a report's ``checks`` entry failed (reports before ``status`` had only ``ok``)."""
    if "status" in entry:
        return entry["status"] == FAILED
    return not entry.get("ok", False)


def _pct(share: float) -> str:
    """``0.5%``, ``5%``, ``99.5%``: up to two decimals, so 0.6 % is not shown as 0 %."""
    return f"{share * 100:.2f}".rstrip("0").rstrip(".") + "%"


def _crawled(report: Report) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """(source, section) of the sources that actually crawled in this run."""
    for source, section in report.get("sources", {}).items():
        if section.get("finish_reason") not in ("not_run", "failed_to_start"):
            yield source, section


def _judged(report: Report) -> tuple[dict[str, Mapping[str, Any]], dict[str, str]]:
    """Sources that reached their site and finished, and why each other one is not judged."""
    judged: dict[str, Mapping[str, Any]] = {}
    skipped: dict[str, str] = {}
    for source, section in report.get("sources", {}).items():
        outcome = source_outcome(section)
        if outcome == "finished":
            judged[source] = section
        else:
            skipped[source] = outcome
    return judged, skipped


def _not_judged(skipped: Mapping[str, str]) -> str:
    return ", ".join(f"{source} ({why})" for source, why in skipped.items())


def _with_skipped(message: str, skipped: Mapping[str, str]) -> str:
    return f"{message}; not judged: {_not_judged(skipped)}" if skipped else message


def _nothing_to_judge(check: str, skipped: Mapping[str, str]) -> list[CheckResult]:
    why = _not_judged(skipped) if skipped else "no source in this run"
    return [CheckResult(check, NOT_JUDGED, f"no source reached its site and finished: {why}")]


# -- the checks ------------------------------------------------------------------
def check_site_reachable(
    report: Report, history: Sequence[Report], limits: Thresholds
) -> list[CheckResult]:
    crawled = dict(_crawled(report))
    if not crawled:
        return [CheckResult("site_reachable", NOT_JUDGED, "no source crawled (see finish_reason)")]
    unreachable = {source: s for source, s in crawled.items() if s.get("unreachable")}
    if not unreachable:
        pages = sum(int(s.get("pages") or 0) for s in crawled.values())
        return [
            CheckResult(
                "site_reachable",
                OK,
                f"{len(crawled)} of {len(crawled)} source(s) reached their site ({pages} page(s))",
            )
        ]
    if len(unreachable) == len(crawled):
        by_cause: dict[str, set[str]] = {}
        for s in unreachable.values():
            by_cause.setdefault(s.get("unreachable_cause") or "", set()).add(str(s["unreachable"]))
        where = [
            ", ".join(sorted(origins)) + (f": {cause}" if cause else "")
            for cause, origins in sorted(by_cause.items())
        ]
        return [
            CheckResult(
                "site_reachable",
                FAILED,
                f"no site could be reached from here ({'; '.join(where)}); nothing was archived."
                " Without network access, run `make demo` to crawl the offline replica",
            )
        ]
    return [
        CheckResult("site_reachable", FAILED, f"{source}: {_where(s)}", source)
        for source, s in unreachable.items()
    ]


def _where(section: Mapping[str, Any]) -> str:
    """``https://snhr.org could not be reached (connection refused)``."""
    cause = section.get("unreachable_cause")
    return f"{section['unreachable']} could not be reached" + (f" ({cause})" if cause else "")


def check_finish_reason(
    report: Report, history: Sequence[Report], limits: Thresholds
) -> list[CheckResult]:
    sources = report.get("sources", {})
    results = []
    unreachable = []
    for source, section in sources.items():
        outcome = source_outcome(section)
        if outcome == "unreachable":
            unreachable.append(source)
            continue
        if outcome == "finished":
            continue
        results.append(CheckResult("finish_reason", FAILED, _ended(source, section), source))
    if results:
        return results
    finished = len(sources) - len(unreachable)
    if not finished:
        return _nothing_to_judge("finish_reason", dict.fromkeys(unreachable, "unreachable"))
    message = f"{finished} of {finished} source(s) that reached their site finished"
    skipped = dict.fromkeys(unreachable, "unreachable")
    return [CheckResult("finish_reason", OK, _with_skipped(message, skipped))]


def _ended(source: str, section: Mapping[str, Any]) -> str:
    """``snhr_news failed: <cause> (finish_reason 'archive_error')``."""
    outcome = source_outcome(section)
    reason = section.get("finish_reason")
    what = {
        INTERRUPTED: "was interrupted (Ctrl-C or SIGTERM) before the end",
        NOT_RUN_OUTCOME: "was not crawled: the run stopped before it",
    }.get(outcome, outcome)
    cause = f": {section['error']}" if section.get("error") else ""
    return f"{source} {what}{cause} (finish_reason {reason!r})"


def check_error_rate(
    report: Report, history: Sequence[Report], limits: Thresholds
) -> list[CheckResult]:
    judged, skipped = _judged(report)
    if not judged:
        return _nothing_to_judge("error_rate", skipped)
    results = []
    rates = {}
    for source, section in judged.items():
        errors, requests = int(section.get("errors") or 0), int(section.get("requests") or 0)
        rate = float(section.get("error_rate") or 0.0)
        rates[source] = (rate, errors, requests)
        if rate > limits.max_error_rate:
            results.append(
                CheckResult(
                    "error_rate",
                    FAILED,
                    f"{source}: {errors} error(s) for {requests} request(s) = {_pct(rate)},"
                    f" above {_pct(limits.max_error_rate)}",
                    source,
                )
            )
    if results:
        return results
    worst = max(rates, key=lambda source: rates[source][0])
    rate, errors, requests = rates[worst]
    message = (
        f"highest {_pct(rate)} ({worst}: {errors} error(s) for {requests} request(s)),"
        f" at or under {_pct(limits.max_error_rate)}"
    )
    return [CheckResult("error_rate", OK, _with_skipped(message, skipped))]


def check_bounds(
    report: Report, history: Sequence[Report], limits: Thresholds
) -> list[CheckResult]:
    judged, skipped = _judged(report)
    if not judged:
        return _nothing_to_judge("bounds", skipped)
    results = []
    for source, section in judged.items():
        hit = section.get("bounds") or {}
        if hit:
            named = ", ".join(f"{name} ({count}×)" for name, count in sorted(hit.items()))
            results.append(
                CheckResult(
                    "bounds",
                    FAILED,
                    f"{source}: stopped at bound(s) {named}; the site answered past what it"
                    " says it has (the log names the URLs)",
                    source,
                )
            )
    message = f"no bound hit in {len(judged)} source(s)"
    return results or [CheckResult("bounds", OK, _with_skipped(message, skipped))]


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
    judged, skipped = _judged(report)
    results = []
    lowest: tuple[float, float, str, str] | None = None  # share - minimum, share, field, source
    small = {}
    for source, section in judged.items():
        items = int(section.get("coverage_items") or 0)
        if items < limits.coverage_min_items:
            small[source] = items
            continue
        coverage = section.get("field_coverage") or {}
        for name, minimum in limits.min_field_coverage.items():
            share = float(coverage.get(name, 0.0))
            if lowest is None or share - minimum < lowest[0]:
                lowest = (share - minimum, share, name, source)
            if share < minimum:
                results.append(
                    CheckResult(
                        "field_coverage",
                        FAILED,
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
                        FAILED,
                        f"{source}: {name} filled in {_pct(share)} of {items} records, down from"
                        f" {_pct(before)} in earlier runs, more than"
                        f" {_pct(limits.max_coverage_drop)} (a site redesign?)",
                        source,
                    )
                )
    if results:
        return results
    skipped = {
        **skipped,
        **{s: f"{n} record(s), fewer than {limits.coverage_min_items}" for s, n in small.items()},
    }
    if lowest is None:
        if not small:
            return _nothing_to_judge("field_coverage", skipped)
        return [
            CheckResult(
                "field_coverage",
                NOT_JUDGED,
                f"no source scraped {limits.coverage_min_items}+ records: {_not_judged(skipped)}",
            )
        ]
    _, share, name, source = lowest
    minimum = limits.min_field_coverage[name]
    message = f"closest to its minimum: {source} {name} {_pct(share)}, at or above {_pct(minimum)}"
    return [CheckResult("field_coverage", OK, _with_skipped(message, skipped))]


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
    judged, skipped = _judged(report)
    if not judged:
        return _nothing_to_judge("new_items", skipped)
    results = []
    oldest: tuple[float, str, float] | None = None  # days, source, allowed
    for source in judged:
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
                    FAILED,
                    f"{source}: {message}, more than {allowed:g} (site changed or crawl stuck?)",
                    source,
                )
            )
        elif last_new is None:
            skipped[source] = (
                f"no new article yet in {days:.1f} day(s) of runs; fails after {allowed:g}"
            )
        elif oldest is None or days / allowed > oldest[0] / oldest[2]:
            oldest = (days, source, allowed)
    if results:
        return results
    if oldest is None:
        return [CheckResult("new_items", NOT_JUDGED, _not_judged(skipped))]
    days, source, allowed = oldest
    message = f"longest without a new article: {source}, {days:.1f} day(s), within {allowed:g}"
    return [CheckResult("new_items", OK, _with_skipped(message, skipped))]


def check_layer_shift(
    report: Report, history: Sequence[Report], limits: Thresholds
) -> list[CheckResult]:
    judged, skipped = _judged(report)
    if not judged:
        return _nothing_to_judge("layer_shift", skipped)
    results = []
    largest: tuple[float, str, str] | None = None  # shift, source, field
    compared = 0
    for source, section in judged.items():
        layers = section.get("extraction_layers") or {}
        for name in limits.layer_shift_fields:
            current = layers.get(name) or {}
            if sum(current.values()) < limits.layer_shift_min_items:
                continue
            baselines = baselines_for(source, name, section, history, limits.layer_shift_min_items)
            if not baselines:
                continue
            compared += 1
            shift = field_shift(name, current, baselines)
            share = shift.share if shift is not None else 0.0
            if largest is None or share > largest[0]:
                largest = (share, source, name)
            if shift is not None and share > limits.max_layer_shift:
                results.append(
                    CheckResult(
                        "layer_shift",
                        FAILED,
                        f"{source}: {name} fell from {shift.left} to {shift.fell_to}:"
                        f" {_pct(shift.now)} of {shift.records} records at that layer or lower,"
                        f" against {_pct(shift.before)} in {shift.baselines} baseline(s)"
                        f" (earlier runs, the probe), a shift of {_pct(share)}, more than"
                        f" {_pct(limits.max_layer_shift)} (a site redesign?)",
                        source,
                    )
                )
    if results:
        return results
    if largest is None:
        return [
            CheckResult(
                "layer_shift",
                NOT_JUDGED,
                _with_skipped(
                    f"no field with {limits.layer_shift_min_items}+ records in this run and in an"
                    " earlier run or the probe's profile",
                    skipped,
                ),
            )
        ]
    share, source, name = largest
    message = (
        f"largest fall to a lower layer: {source} {name} {_pct(share)}"
        f" ({compared} field(s) compared), at or under {_pct(limits.max_layer_shift)}"
    )
    return [CheckResult("layer_shift", OK, _with_skipped(message, skipped))]


CHECKS: tuple[Callable[[Report, Sequence[Report], Thresholds], list[CheckResult]], ...] = (
    check_site_reachable,
    check_finish_reason,
    check_error_rate,
    check_bounds,
    check_field_coverage,
    check_new_items,
    check_layer_shift,
)


def run_checks(report: Report, history: Sequence[Report], limits: Thresholds) -> list[CheckResult]:
    """Every check's results; ``history`` is earlier reports, newest first."""
    return [result for check in CHECKS for result in check(report, history, limits)]
