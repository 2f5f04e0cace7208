"""The run report: what ``runs/<run-id>.json`` holds, built from each crawler's stats.

Shape (every time is UTC ISO 8601)::

    {
      "run_id": "20261125T021500Z", "started_at": ..., "finished_at": ...,
      "duration_s": 812.4, "host": ..., "pid": ..., "archive": "/srv/snhr/archive",
      "command": ["snhr-crawler", "crawl", ...], "options": {...},
      "sources": {
        "snhr_news": {
          "finish_reason": "finished", "started_at": ..., "finished_at": ...,
          "pages": 120, "requests": 131, "items": 40, "new": 14, "changed": 2,
          "unchanged": 24, "skipped": 30, "removed": 0, "errors": 0,
          "retries": 3, "error_rate": 0.0,
          "http_status": {"200": 118, "503": 3},
          "coverage_items": 40, "field_coverage": {"title": 1.0, ...},
          "extraction_layers": {"published_at": {"json-ld": 38, "meta": 2}, ...},
          "discovery_path": {"mode": "sitemap", "why": "discovery=auto: https://…/sitemap_index.xml answered"},
          "listings": {"categories": 6, "seeds_missing": ["https://…/category/old-slug/"]},
          "bounds": {"listing_past_last": 1},   # bounds hit (snhr_crawler.bounds)
          "pending": 3, "pending_given_up": 0,  # articles named but not archived yet
          "capture": {"records": 262, "bytes": 231004, "revisits": 0, "cpu_s": 0.04, ...}
        }
      },
      "totals": {"pages": ..., "new": ..., ...},
      "checks": [{"check": "error_rate", "ok": true, "message": "..."}],
      "outcome": "ok"
    }

A source that could not start has ``finish_reason`` ``"failed_to_start"``
and an ``error``; one never reached (the run was stopped) is ``"not_run"``.

Each source section also says what happened in one word, ``outcome``
(``source_outcome``): ``finished``, ``unreachable`` (no answer from the site
at all; ``unreachable_cause`` says why, e.g. "DNS lookup failed"),
``interrupted`` (Ctrl-C or SIGTERM), ``failed`` (``error`` names the cause
when one is known, e.g. the disk that filled up) or ``not run``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from snhr_crawler.bounds import bounds_hit
from snhr_crawler.ops.coverage import coverage_from_stats
from snhr_crawler.ops.metrics import Counts, counts, status_counts
from snhr_crawler.ops.runs import iso

LAYER_PREFIX = "snhr/extract/"
CAPTURE_PREFIX = "snhr/capture/"
NOT_RUN = "not_run"
FAILED_TO_START = "failed_to_start"

#: ``outcome`` of a source: what happened, in one word.
FINISHED = "finished"
UNREACHABLE = "unreachable"
INTERRUPTED = "interrupted"
FAILED_OUTCOME = "failed"
NOT_RUN_OUTCOME = "not run"

EXCEPTION_PREFIX = "downloader/exception_type_count/"
#: Why a site did not answer, by the class name of the download exception.
_UNREACHABLE_CAUSES = {
    "CannotResolveHostError": "DNS lookup failed",
    "DNSLookupError": "DNS lookup failed",
    "DownloadConnectionRefusedError": "connection refused",
    "ConnectionRefusedError": "connection refused",
    "DownloadTimeoutError": "timed out",
    "NoRouteError": "no route to host",
    "TCPTimedOutError": "connection timed out",
    "TimeoutError": "timed out",
    "ConnectError": "could not connect",
    "ResponseNeverReceived": "no answer",
    "SSLError": "TLS handshake failed",
}
#: Stats keys holding the cause of a failed crawl (the archive pipeline sets the first).
ERROR_STATS = ("snhr/archive/error_message",)


def source_outcome(section: Mapping[str, Any]) -> str:
    """``finished``, ``unreachable``, ``interrupted``, ``failed`` or ``not run``."""
    if section.get("outcome"):
        return str(section["outcome"])
    reason = section.get("finish_reason")
    if reason == NOT_RUN:
        return NOT_RUN_OUTCOME
    if section.get("unreachable"):
        return UNREACHABLE
    if reason == "finished":
        return FINISHED
    if reason == "shutdown":
        return INTERRUPTED
    return FAILED_OUTCOME


def unreachable_cause(stats: Mapping[str, Any]) -> str | None:
    """The commonest download exception, in words ("DNS lookup failed"), or None."""
    found = {
        key[len(EXCEPTION_PREFIX) :].rsplit(".", 1)[-1]: int(value)
        for key, value in stats.items()
        if key.startswith(EXCEPTION_PREFIX) and isinstance(value, int | float)
    }
    found.pop("IgnoreRequest", None)  # robots.txt refusals: a decision, not the cause
    if not found:
        return None
    name = max(sorted(found), key=lambda n: found[n])
    return _UNREACHABLE_CAUSES.get(name, name)


def extraction_layers(stats: Mapping[str, Any]) -> dict[str, dict[str, int]]:
    """field -> layer -> records, from the spiders' ``snhr/extract/<field>/<layer>`` stats."""
    layers: dict[str, dict[str, int]] = {}
    for key, value in sorted(stats.items()):
        if key.startswith(LAYER_PREFIX) and isinstance(value, int):
            field, _, layer = key[len(LAYER_PREFIX) :].partition("/")
            if layer:
                layers.setdefault(field, {})[layer] = value
    return layers


def _time(value: Any) -> str | None:
    return iso(value) if isinstance(value, datetime) else None


def source_section(stats: Mapping[str, Any]) -> dict[str, Any]:
    """One source's part of the report, from its crawler's final stats."""
    coverage_items, coverage = coverage_from_stats(dict(stats))
    elapsed = stats.get("elapsed_time_seconds")
    unreachable = stats.get("snhr/site_unreachable")
    section: dict[str, Any] = {
        "finish_reason": stats.get("finish_reason") or "unknown",
        # The origin a source could not reach at all (robots.txt and listings failed).
        "unreachable": unreachable,
        "unreachable_cause": unreachable_cause(stats) if unreachable else None,
        "started_at": _time(stats.get("start_time")),
        "finished_at": _time(stats.get("finish_time")),
        "duration_s": round(float(elapsed), 1) if isinstance(elapsed, int | float) else None,
        **counts(stats).as_dict(),
        "http_status": status_counts(stats),
        "coverage_items": coverage_items,
        "field_coverage": coverage,
        "extraction_layers": extraction_layers(stats),
        # Which path found the articles, and why that one (what answered, what did not).
        "discovery_path": {
            "mode": stats.get("snhr/discovery/mode"),
            "why": stats.get("snhr/discovery/why"),
        },
        # Where the listing walk started: the site's categories, the seeds that answered 404.
        "listings": {
            "categories": stats.get("snhr/listing/categories/total"),
            "seeds_missing": list(stats.get("snhr/listing/seeds_missing_urls") or []),
        },
        "bounds": bounds_hit(stats),
        # Named by the site but not archived: retried by later runs (archive.pending).
        "pending": int(stats.get("snhr/pending/waiting") or 0),
        "pending_given_up": int(stats.get("snhr/pending/given_up_total") or 0),
        # What the site says it has (REST totals, sitemap counts) and how articles were found.
        "discovery": {
            key: value
            for key, value in sorted(stats.items())
            if key.startswith(("snhr/discovery/", "snhr/audit/"))
        },
        # What the WARC capture wrote: records, bytes, revisits, CPU seconds, recoveries.
        "capture": {
            key.removeprefix(CAPTURE_PREFIX): value
            for key, value in sorted(stats.items())
            if key.startswith(CAPTURE_PREFIX)
        },
    }
    error = next((str(stats[key]) for key in ERROR_STATS if stats.get(key)), None)
    if error:
        section["error"] = error
    section["outcome"] = source_outcome(section)
    return section


def missing_section(reason: str, error: str | None = None) -> dict[str, Any]:
    """The part of a source that did not crawl (``not_run`` or ``failed_to_start``)."""
    section: dict[str, Any] = {"finish_reason": reason, **Counts().as_dict()}
    if error:
        section["error"] = error
    section["outcome"] = source_outcome(section)
    return section


def totals(sections: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Counts summed over sources, with the overall error rate."""
    summed: dict[str, int] = {}
    for section in sections:
        for name in Counts.__dataclass_fields__:
            summed[name] = summed.get(name, 0) + int(section.get(name) or 0)
    return Counts(**summed).as_dict()
