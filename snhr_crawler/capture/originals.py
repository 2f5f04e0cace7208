"""The response behind a pointer: the record it names, or the original a revisit refers to.

A ``--full`` run that re-fetches a page whose bytes have not changed keeps a
``revisit`` record (headers only) instead of a second copy. When the record
read from it still differs from the archived one (today's parser is not the
one of the first fetch), the archived line points at that revisit, and
re-parsing it means re-parsing the original. A revisit names its original by
record id only (``WARC-Refers-To``), so ``Originals`` keeps the pointers it
was told about (``note``: every line's capture, whose originals they are)
and otherwise reads the WARC files of the pointer's source once, whole.
"""

from __future__ import annotations

from pathlib import Path

from snhr_crawler.capture.pointer import CapturePointer
from snhr_crawler.capture.reader import CaptureReadError, read_record
from snhr_crawler.capture.scan import scan_file, warc_files


class Originals:
    """Resolves pointers to the response records that hold their bytes."""

    def __init__(self, archive_dir: Path) -> None:
        self.archive_dir = Path(archive_dir)
        self._known: dict[str, CapturePointer] = {}
        self._scanned: set[str] = set()

    def note(self, pointer: CapturePointer) -> None:
        """A pointer to a record some line names (perhaps a response a revisit refers to)."""
        self._known.setdefault(pointer.record_id, pointer)

    def response_of(self, pointer: CapturePointer) -> CapturePointer:
        """The pointer itself for a response; for a revisit, its original's. Raises ``CaptureReadError``."""
        record = read_record(self.archive_dir, pointer)
        if record.record_type == "response":
            return pointer
        if record.record_type != "revisit":
            raise CaptureReadError(pointer, f"a {record.record_type} record, not a response")
        target = record.header("WARC-Refers-To")
        if not target:
            raise CaptureReadError(pointer, "a revisit without WARC-Refers-To")
        original = self._known.get(target) or self._find(pointer, target)
        if original is None:
            raise CaptureReadError(
                pointer, f"the record it revisits, {target}, is not in the WARC files"
            )
        if original.payload_digest != pointer.payload_digest:
            raise CaptureReadError(
                pointer, f"it revisits {target}, whose payload digest is {original.payload_digest}"
            )
        return original

    def _find(self, pointer: CapturePointer, record_id: str) -> CapturePointer | None:
        source = pointer.warc_file.split("/")[1]
        if source not in self._scanned:
            self._scanned.add(source)
            for path in warc_files(self.archive_dir, source):
                for facts in scan_file(self.archive_dir, path).records:
                    if facts.record_type == "response" and facts.sound:
                        self.note(facts.pointer())
        return self._known.get(record_id)
