"""``verify --deep``: does each latest record's capture still re-parse to that record?

For every live article whose latest version has a ``capture``, the capture
is re-read with today's parser (``engine.Rereader``, as ``reparse`` does)
and its ``content_sha256`` compared with the line's. A difference is a
problem: either the capture does not hold what the record was read from, or
today's parser reads it otherwise (then ``reparse`` versions the record, and
``verify --deep`` passes again). Lines without a capture are not judged.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from snhr_crawler.archive.reader import latest_records
from snhr_crawler.reparse.engine import CHANGED, NO_CAPTURE, SAME, Rereader


class Findings(Protocol):
    reparsed: int

    def add(self, problem: str) -> None: ...


def check_reparsed(archive_dir: Path, report: Findings) -> None:
    """Re-parse each latest capture and compare hashes; see the module docstring."""
    from snhr_crawler.ops.crawl import project_settings

    rereader = Rereader(Path(archive_dir), project_settings())
    for line in latest_records(archive_dir):
        result = rereader.reread(line)
        if result.outcome == NO_CAPTURE:
            continue
        report.reparsed += 1
        where = f"{line.get('id')} v{line.get('version')}"
        if result.outcome not in (CHANGED, SAME) or result.record is None:
            report.add(f"{where}: its capture does not re-parse: {result.reason}")
            continue
        archived, today = line.get("content_sha256"), result.record.get("content_sha256")
        if archived != today:
            report.add(
                f"{where}: its capture re-parses to content_sha256 {str(today)[:12]}...,"
                f" not {str(archived)[:12]}... (if the parser changed, `snhr-crawler reparse`"
                " versions the record)"
            )
