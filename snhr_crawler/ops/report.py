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
          "extraction_layers": {"published_at": {"json-ld": 38, "meta": 2}, ...}
        }
      },
      "totals": {"pages": ..., "new": ..., ...},
      "checks": [{"check": "error_rate", "ok": true, "message": "..."}],
      "outcome": "ok"
    }

A source that could not start has ``finish_reason`` ``"failed_to_start"``
and an ``error``; one never reached (the run was stopped) is ``"not_run"``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from snhr_crawler.ops.coverage import coverage_from_stats
from snhr_crawler.ops.metrics import Counts, counts, status_counts
from snhr_crawler.ops.runs import iso

LAYER_PREFIX = "snhr/extract/"
NOT_RUN = "not_run"
FAILED_TO_START = "failed_to_start"


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
    return {
        "finish_reason": stats.get("finish_reason") or "unknown",
        # The origin a source could not reach at all (robots.txt and listings failed).
        "unreachable": stats.get("snhr/site_unreachable"),
        "started_at": _time(stats.get("start_time")),
        "finished_at": _time(stats.get("finish_time")),
        "duration_s": round(float(elapsed), 1) if isinstance(elapsed, int | float) else None,
        **counts(stats).as_dict(),
        "http_status": status_counts(stats),
        "coverage_items": coverage_items,
        "field_coverage": coverage,
        "extraction_layers": extraction_layers(stats),
        # What the site says it has (REST totals, sitemap counts) and how articles were found.
        "discovery": {
            key: value
            for key, value in sorted(stats.items())
            if key.startswith(("snhr/discovery/", "snhr/audit/"))
        },
    }


def missing_section(reason: str, error: str | None = None) -> dict[str, Any]:
    """The part of a source that did not crawl (``not_run`` or ``failed_to_start``)."""
    section: dict[str, Any] = {"finish_reason": reason, **Counts().as_dict()}
    if error:
        section["error"] = error
    return section


def totals(sections: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Counts summed over sources, with the overall error rate."""
    summed: dict[str, int] = {}
    for section in sections:
        for name in Counts.__dataclass_fields__:
            summed[name] = summed.get(name, 0) + int(section.get(name) or 0)
    return Counts(**summed).as_dict()
