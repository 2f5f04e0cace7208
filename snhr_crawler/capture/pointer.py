"""The capture pointer: where the bytes an archived record was read from are kept.

Every write of the WARC writer returns one, and the archive puts it on the line
as ``capture``::

    {"warc_file": "warc/snhr_news/20261125T021500Z-00001.warc.gz",
     "record_id": "<urn:uuid:...>", "offset": 4711, "length": 5120,
     "payload_digest": "sha256:...", "status": 200,
     "fetched_at": "2026-11-25T02:15:03.123456Z"}

``warc_file`` is relative to the archive directory and names the file as it is
once closed (while the run writes it, it is ``<name>.open``; the reader looks
for both). ``offset``/``length`` are those of the record's gzip member in that
file, so one seek and one read give the whole record. ``payload_digest`` is
the WARC-Payload-Digest of the body as received, still content-encoded;
``fetched_at`` is the record's WARC-Date.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from warcio.utils import Digester

#: The digest algorithm of every record this project writes (WARC 1.1 allows any;
#: sha1, the usual choice, has known collisions, and these records are evidence).
DIGEST_ALGORITHM = "sha256"

_RECORD_ID = re.compile(r"^<urn:uuid:[0-9a-f-]{36}>$")
_DIGEST = re.compile(r"^[a-z0-9]+:[A-Z2-7=]+$")
_WARC_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$")


def payload_digest(data: bytes) -> str:
    """``sha256:<base32>``, the spelling of WARC-Payload-Digest and WARC-Block-Digest."""
    digester = Digester(DIGEST_ALGORITHM)
    digester.update(data)
    return str(digester)


@dataclass(frozen=True)
class CapturePointer:
    """One WARC record: file, gzip member and what it holds (see the module docstring)."""

    warc_file: str
    record_id: str
    offset: int
    length: int
    payload_digest: str
    status: int
    fetched_at: str

    def as_dict(self) -> dict[str, Any]:
        """The JSON object an archived line carries as ``capture``."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Any) -> CapturePointer:
        """A pointer from an archived line's ``capture``; ``ValueError`` says what is wrong."""
        if not isinstance(data, dict):
            raise ValueError(f"capture must be an object, got {type(data).__name__}")
        missing = [name for name in _FIELDS if name not in data]
        if missing:
            raise ValueError(f"capture lacks {', '.join(missing)}")
        values = {name: data[name] for name in _FIELDS}
        for name in ("offset", "length", "status"):
            value = values[name]
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ValueError(f"capture {name} must be a non-negative integer, got {value!r}")
        for name in ("warc_file", "record_id", "payload_digest", "fetched_at"):
            if not isinstance(values[name], str):
                raise ValueError(f"capture {name} must be a string, got {values[name]!r}")
        if not values["length"]:
            raise ValueError("capture length must be positive")
        if not _RECORD_ID.match(values["record_id"]):
            raise ValueError(f"capture record_id is not a WARC record id: {values['record_id']!r}")
        if not _DIGEST.match(values["payload_digest"]):
            raise ValueError(
                f"capture payload_digest is not a digest: {values['payload_digest']!r}"
            )
        if not _WARC_DATE.match(values["fetched_at"]):
            raise ValueError(f"capture fetched_at is not a WARC date: {values['fetched_at']!r}")
        parts = values["warc_file"].split("/")
        if (
            len(parts) != 3
            or parts[0] != "warc"
            or ".." in parts
            or not parts[2].endswith(".warc.gz")
        ):
            raise ValueError(
                f"capture warc_file must be warc/<source>/<name>.warc.gz, got {values['warc_file']!r}"
            )
        return cls(**values)


_FIELDS = tuple(CapturePointer.__dataclass_fields__)
