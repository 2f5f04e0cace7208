"""Reading data files line by line, in binary, with byte offsets.

Shared by the reader, recovery, manifest and verify so they agree on what a
line is: bytes up to and including ``\\n``. A last chunk without ``\\n`` is a
torn tail (a write cut short), never a record.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from snhr_crawler.archive.records import decode_line


@dataclass(frozen=True)
class ScannedLine:
    """One line of a data file; ``record`` is None if unparseable, ``torn`` if it lacks ``\\n``."""

    line: int  # 1-based
    offset: int
    raw: bytes
    record: dict[str, Any] | None
    torn: bool = False

    @property
    def end(self) -> int:
        return self.offset + len(self.raw)


def scan(path: Path, *, offset: int = 0, line: int = 0) -> Iterator[ScannedLine]:
    """Lines of ``path`` from byte ``offset`` (a line start, with ``line`` lines before it)."""
    with open(path, "rb") as handle:
        handle.seek(offset)
        for raw in handle:
            line += 1
            if not raw.endswith(b"\n"):
                yield ScannedLine(line, offset, raw, None, torn=True)
                return
            try:
                record: dict[str, Any] | None = decode_line(raw)
            except ValueError:
                record = None
            yield ScannedLine(line, offset, raw, record)
            offset += len(raw)


def read_at(path: Path, offset: int) -> dict[str, Any]:
    """The record on the line starting at byte ``offset``; ``ValueError`` if there is none."""
    with open(path, "rb") as handle:
        handle.seek(offset)
        raw = handle.readline()
    if not raw.endswith(b"\n"):
        raise ValueError(f"{path}: no complete line at offset {offset}")
    return decode_line(raw)
