"""``verify``'s capture checks: the WARC files are whole, and every line's pointer holds.

* ``check_warc_files``: every file under ``warc/`` is read whole
  (``scan.scan_file``): each gzip member a WARC record, block and payload
  digests right, ``warcinfo`` first, nothing after the last whole record. A
  ``.open`` file (no crawl runs while verify judges) is one a killed run
  left: its torn tail held no record any line points at (lines are written
  only after their WARC bytes were fsynced), and the next crawl of that
  source cuts the tail into ``quarantine/`` and closes the file, so it is
  pending, not damage. Returns every record's facts by id.
* ``check_line_captures``: every line's ``capture`` (record versions and
  tombstones) names a record that is there, at that offset and length, of
  that status, date and payload digest, with sound bytes; a revisit's
  original must be there too, with the same payload digest.

Both need only the files (a copy without its index verifies the same way).
Each finding goes to the report (``add``: a problem; ``defer``: what a
stopped run left for the next crawl).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from snhr_crawler.archive.paths import iter_data_files
from snhr_crawler.archive.scan import scan
from snhr_crawler.capture.pointer import CapturePointer
from snhr_crawler.capture.scan import RecordFacts, scan_file, warc_files


class Findings(Protocol):
    """What these checks write into (``archive.verify.Report``)."""

    captures: int
    uncaptured: int
    warc_files: int
    warc_records: int

    def add(self, problem: str) -> None: ...

    def defer(self, finding: str) -> None: ...


def check_warc_files(archive_dir: Path, report: Findings) -> dict[str, RecordFacts]:
    """Read every WARC file whole; see the module docstring."""
    facts: dict[str, RecordFacts] = {}
    for path in warc_files(archive_dir):
        scanned = scan_file(archive_dir, path)
        report.warc_files += 1
        report.warc_records += len(scanned.records)
        for problem in scanned.problems:
            report.add(problem)
        source = scanned.warc_file.split("/")[1]
        left_open = f"{path.name}: left open by a killed run"
        if scanned.end < scanned.size:
            tail = (
                f"{scanned.size - scanned.end} byte(s) after the last whole record"
                f" (offset {scanned.end})"
            )
            if scanned.is_open:
                report.defer(
                    f"{left_open}, with a torn tail of {tail}: the next crawl of {source}"
                    " cuts it off into quarantine/ and closes the file"
                )
            else:
                report.add(f"{scanned.warc_file}: {tail}, torn or damaged")
        elif scanned.is_open:
            report.defer(f"{left_open}: the next crawl of {source} closes it")
        for record in scanned.records:
            if record.record_id in facts:
                earlier = facts[record.record_id]
                report.add(
                    f"{record.warc_file}@{record.offset}: record id {record.record_id} is also"
                    f" {earlier.warc_file}@{earlier.offset}"
                )
                continue
            facts[record.record_id] = record
    return facts


def check_line_captures(archive_dir: Path, facts: dict[str, RecordFacts], report: Findings) -> None:
    """Every line's ``capture`` against the WARC files' facts; see the module docstring."""
    root = Path(archive_dir)
    for rel in iter_data_files(root):
        for scanned in scan(root / rel):
            record = scanned.record
            if record is None:
                continue  # the line checks report it
            where = f"{rel}:{scanned.line}"
            capture = record.get("capture")
            if capture is None:
                report.uncaptured += 1
                continue
            try:
                pointer = CapturePointer.from_dict(capture)
            except ValueError as exc:
                report.add(f"{where}: {exc}")
                continue
            report.captures += 1
            for problem in pointer_problems(pointer, facts):
                report.add(f"{where}: capture {pointer.warc_file}@{pointer.offset}: {problem}")


def pointer_problems(pointer: CapturePointer, facts: dict[str, RecordFacts]) -> list[str]:
    """Why ``pointer`` does not name the bytes it claims (empty: it does)."""
    found = facts.get(pointer.record_id)
    if found is None:
        return [f"no record {pointer.record_id} in the WARC files"]
    claimed: dict[str, Any] = {
        "warc_file": pointer.warc_file,
        "offset": pointer.offset,
        "length": pointer.length,
        "status": pointer.status,
        "fetched_at": pointer.fetched_at,
        "payload_digest": pointer.payload_digest,
    }
    problems = [
        f"{name} is {getattr(found, name)!r} in the WARC, not {value!r}"
        for name, value in claimed.items()
        if getattr(found, name) != value
    ]
    if found.record_type not in ("response", "revisit"):
        problems.append(f"a {found.record_type} record, not a response")
    if not found.sound:
        problems.append("its bytes do not match its digests")
    if found.record_type == "revisit":
        original = facts.get(found.refers_to or "")
        if original is None:
            problems.append(f"the record it revisits, {found.refers_to}, is not in the WARC files")
        elif original.payload_digest != pointer.payload_digest or not original.sound:
            problems.append(
                f"the record it revisits, {found.refers_to}, does not hold the same payload"
            )
    return problems
