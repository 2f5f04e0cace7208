"""Run ids and the ``runs/`` folder of an archive.

Each run leaves ``<archive>/runs/<run-id>.json`` (the report, see
``ops.report``) and, when started from a terminal, ``<run-id>.log``. Run ids
are the UTC start time, ``20261125T021500Z``, so file names sort in run
order and a person can read them; a second report for the same second gets
``-2``, ``-3``... (``write_report`` never replaces a report). Reports are
written to a temporary file and linked into place, so ``status`` and the next
run's checks never read half a report.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from snhr_crawler.archive.chain import chain_head
from snhr_crawler.clock import utc_now

logger = logging.getLogger(__name__)

RUNS_DIR = "runs"
REPORT_SUFFIX = ".json"


def new_run_id(now: datetime | None = None) -> str:
    return (now or utc_now()).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def iso(moment: datetime) -> str:
    """UTC ISO 8601 with ``Z``, seconds precision: what every time in a report looks like."""
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def runs_dir(archive_dir: Path) -> Path:
    return Path(archive_dir) / RUNS_DIR


def report_path(archive_dir: Path, run_id: str) -> Path:
    return runs_dir(archive_dir) / f"{run_id}{REPORT_SUFFIX}"


def log_path(archive_dir: Path, run_id: str) -> Path:
    return runs_dir(archive_dir) / f"{run_id}.log"


def write_report(archive_dir: Path, report: dict[str, Any], *, folder: Path | None = None) -> Path:
    """Write ``report`` as ``runs/<run_id>.json``, atomically, never over another; return the path.

    Two runs that started in the same second would share an id: the later
    one becomes ``<run_id>-2`` (and so on), in ``report["run_id"]`` too.
    ``folder`` puts it elsewhere (``reparse`` reports: ``runs/reparse/``).
    """
    base = report["run_id"]
    # The chain's head when the run ended: the last manifest it wrote (releases use it).
    report.setdefault("manifest", chain_head(archive_dir))
    folder = folder or runs_dir(archive_dir)
    folder.mkdir(parents=True, exist_ok=True)
    for attempt in range(1, 1000):
        run_id = base if attempt == 1 else f"{base}-{attempt}"
        path = folder / f"{run_id}{REPORT_SUFFIX}"
        if path.exists():
            continue
        report["run_id"] = run_id
        tmp = folder / f".{run_id}.{os.getpid()}.json.tmp"
        with open(tmp, "w", encoding="utf-8") as handle:
            json.dump(report, handle, ensure_ascii=False, indent=2, sort_keys=False)
            handle.write("\n")
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(tmp, path)  # fails if another run took the name meanwhile
        except FileExistsError:
            continue
        finally:
            tmp.unlink(missing_ok=True)
        return path
    raise OSError(f"no free run id for {base} in {folder}")


def iter_reports(archive_dir: Path, *, newest_first: bool = True) -> Iterator[dict[str, Any]]:
    """Every readable run report, by run id; an unreadable one is skipped with a warning."""
    folder = runs_dir(archive_dir)
    if not folder.is_dir():
        return
    # By run id, not file name: "<id>-2.json" sorts before "<id>.json", the run after it.
    paths = sorted(
        folder.glob(f"*{REPORT_SUFFIX}"),
        key=lambda path: path.name.removesuffix(REPORT_SUFFIX),
        reverse=newest_first,
    )
    for path in paths:
        try:
            report = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError) as exc:
            logger.warning("skipping unreadable run report %s: %s", path, exc)
            continue
        if isinstance(report, dict) and "run_id" in report:
            yield report


def previous_reports(archive_dir: Path, run_id: str, limit: int) -> list[dict[str, Any]]:
    """Up to ``limit`` reports of runs before ``run_id``, newest first."""
    found = []
    for report in iter_reports(archive_dir):
        if report["run_id"] < run_id:
            found.append(report)
            if len(found) >= limit:
                break
    return found
