"""Writing a WACZ file: a ZIP whose every member is listed, hashed, in ``datapackage.json``.

``WaczWriter`` adds members one at a time (WARC files streamed and STORED, so
a replay tool can seek into them inside the ZIP; text DEFLATED), hashing each
as it goes, then writes ``datapackage.json`` listing them all and
``datapackage-digest.json`` with that file's hash. Between the two, the
caller may have the digest timestamped: ``finish(package, digest_extra)``
takes the package first and asks ``digest_extra`` for what the digest file
should add once the package's bytes are known (``release.timestamp``).

Bytes are reproducible: every member gets the same modification time (the
run's end) and permissions, members are written in the caller's order, JSON
with sorted keys. The same archive released twice gives the same file.

The layout is WACZ 1.2.0's (``archive/``, ``indexes/``, ``pages/``, ``home``,
a CDXJ index, extra files in folders of their own) with two spellings of
1.1.1 kept on purpose: ``profile`` is ``data-package`` and ``wacz_version``
``1.1.1``. 1.2.0 asks for ``profile: wacz``, which ReplayWeb.page's loader
(wabac.js) refuses as an unknown profile and which Frictionless, through
which py-wacz's ``wacz validate`` checks a package, cannot resolve; and
``wacz validate`` 0.6 checks a package only when ``wacz_version`` is 1.1.1.
Every member sits one folder deep, as ``wacz validate`` expects.
"""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any

#: What ``wacz validate`` (py-wacz 0.6) recognises; see the module docstring.
WACZ_VERSION = "1.1.1"
PROFILE = "data-package"
_CHUNK = 1 << 20
_MODE = 0o644 << 16  # rw-r--r--, the same in every member


@dataclass(frozen=True)
class Member:
    """One file inside the WACZ, as ``datapackage.json`` lists it."""

    path: str
    sha256: str
    bytes: int

    def resource(self, **extra: Any) -> dict[str, Any]:
        # Frictionless resource names: lower case, digits, - . _ / only.
        name = "".join(c if c.isalnum() or c in "-._/" else "-" for c in self.path.lower())
        return {"name": name, "path": self.path, "hash": f"sha256:{self.sha256}",
                "bytes": self.bytes, **extra}  # fmt: skip


def encode_json(value: Any) -> bytes:
    """The one JSON spelling of the package's files: UTF-8, sorted keys, two-space indent."""
    return (json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


class WaczWriter:
    """``with WaczWriter(path, moment) as w: w.add_file(...); ...; w.finish(...)``."""

    def __init__(self, path: Path, moment: datetime) -> None:
        self.path = Path(path)
        self.date_time = moment.timetuple()[:6]
        if self.date_time[0] < 1980:  # ZIP cannot date a member earlier
            self.date_time = (1980, 1, 1, 0, 0, 0)
        self.members: list[Member] = []
        self._zip = zipfile.ZipFile(self.path, "w", allowZip64=True)

    def __enter__(self) -> WaczWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self._zip.close()

    def _info(self, path: str, *, stored: bool) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(path, self.date_time)
        info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
        info.external_attr = _MODE
        info.create_system = 3  # Unix, whatever machine writes it
        return info

    def add_bytes(self, path: str, data: bytes) -> Member:
        """A small text member (DEFLATE)."""
        self._zip.writestr(self._info(path, stored=False), data)
        member = Member(path, hashlib.sha256(data).hexdigest(), len(data))
        self.members.append(member)
        return member

    def add_file(self, path: str, source: Path) -> Member:
        """A WARC file, streamed and STORED (already gzip: compressing again defeats seeking)."""
        digest = hashlib.sha256()
        size = 0
        info = self._info(path, stored=True)
        info.file_size = os.stat(source).st_size
        with open(source, "rb") as handle, self._zip.open(info, "w", force_zip64=True) as out:
            while chunk := handle.read(_CHUNK):
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
        member = Member(path, digest.hexdigest(), size)
        self.members.append(member)
        return member

    def add_lines(self, path: str, lines: Iterable[bytes]) -> Member:
        """A text member built from lines (pages, index)."""
        return self.add_bytes(path, b"".join(lines))

    def finish(
        self,
        package: dict[str, Any],
        digest_extra: Callable[[bytes], dict[str, Any]] | None = None,
    ) -> tuple[bytes, bytes]:
        """Write ``datapackage.json`` and ``datapackage-digest.json``; return both files' bytes."""
        data = encode_json(package)
        digest: dict[str, Any] = {
            "path": "datapackage.json",
            "hash": f"sha256:{hashlib.sha256(data).hexdigest()}",
        }
        if digest_extra is not None:
            digest.update(digest_extra(data))
        digest_bytes = encode_json(digest)
        self._zip.writestr(self._info("datapackage.json", stored=False), data)
        self._zip.writestr(self._info("datapackage-digest.json", stored=False), digest_bytes)
        return data, digest_bytes


def package_of(
    members: list[Member], extra: dict[str, dict[str, Any]], **fields: Any
) -> dict[str, Any]:
    """A ``datapackage.json`` listing ``members`` (``extra``: more properties per path)."""
    return {
        "profile": PROFILE,
        "wacz_version": WACZ_VERSION,
        **fields,
        "resources": [member.resource(**extra.get(member.path, {})) for member in members],
    }


def read_member(path: Path, name: str) -> bytes:
    """One member of a ZIP (``datapackage.json`` of a released WACZ)."""
    with zipfile.ZipFile(path) as archive, archive.open(name) as handle:
        data: bytes = handle.read()
        return data


def copy_stream(source: IO[bytes], target: IO[bytes]) -> None:
    while chunk := source.read(_CHUNK):
        target.write(chunk)
