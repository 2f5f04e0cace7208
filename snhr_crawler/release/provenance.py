"""One record's provenance: every version, the bytes each was read from, what covers each.

``provenance(archive_dir, key)`` gathers, for every archived line of one
record (versions and tombstones, in order):

* why it was written (``change``: ``new``, ``edit``, ``restore``, ``reparse``,
  ``removal``), when, where (file, line, offset), its content hash and
  whether ``previous_sha256`` is the version before's;
* its capture: the WARC file, record id, offset and length, payload digest,
  status, fetch time, the server's IP address (``WARC-IP-Address``) and, for
  https, the TLS certificate kept beside the response (subject, issuer,
  sha256 fingerprint), and whether the pointer resolves with every digest
  holding (``check_pointer``; a revisit's original is named too);
* the release that holds the line (``releases/<name>/``): the ``records/``
  member and byte range, and whether the archive's bytes still hash to it;
* the timestamps over that release, each checked (``timestamp.verify_token``).

The result is plain data (``as_dict``) for ``show --json``; ``render`` is
the text ``show`` prints.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from snhr_crawler.archive.paths import iter_data_files
from snhr_crawler.archive.records import decode_line
from snhr_crawler.capture.originals import Originals
from snhr_crawler.capture.reader import (
    CaptureReadError,
    check_pointer,
    parse_record,
    read_record,
    warc_path,
)
from snhr_crawler.capture.writer import CERTIFICATE_CONTENT_TYPE
from snhr_crawler.release import timestamp
from snhr_crawler.release.checks import check_token
from snhr_crawler.release.record import Recorded, iter_recorded, read_recorded
from snhr_crawler.release.runs import ReleaseError, pointer_of

#: How many records after a response to look for its certificate (request, metadata).
_FOLLOWERS = 4


@dataclass
class Check:
    name: str
    ok: bool | None  # None: could not be made
    detail: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"check": self.name, "ok": self.ok, "detail": self.detail}


@dataclass
class Version:
    line: dict[str, Any]
    file: str
    number: int
    offset: int
    capture: dict[str, Any] | None = None
    release: dict[str, Any] | None = None
    timestamps: list[dict[str, Any]] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(check.ok is not False for check in self.checks)

    def as_dict(self) -> dict[str, Any]:
        line = self.line
        return {
            "version": line.get("version"),
            "change": line.get("change"),
            "archived_at": line.get("archived_at"),
            "tombstone": bool(line.get("tombstone")),
            "title": line.get("title"),
            "content_sha256": line.get("content_sha256"),
            "previous_sha256": line.get("previous_sha256"),
            "file": self.file,
            "line": self.number,
            "offset": self.offset,
            "capture": self.capture,
            "release": self.release,
            "timestamps": self.timestamps,
            "checks": [check.as_dict() for check in self.checks],
            "ok": self.ok,
        }


@dataclass
class Provenance:
    key: str
    versions: list[Version]

    @property
    def ok(self) -> bool:
        return all(version.ok for version in self.versions)

    def as_dict(self) -> dict[str, Any]:
        latest = self.versions[-1].line if self.versions else {}
        return {
            "id": self.key,
            "url": latest.get("url"),
            "versions": [version.as_dict() for version in self.versions],
            "ok": self.ok,
        }


def find_lines(archive_dir: Path, key: str) -> list[Version]:
    """Every line of record ``key``, in version order (a scan of its source's files)."""
    source = key.split(":", 1)[0]
    prefix = b'{"id":' + json.dumps(key, ensure_ascii=False).encode("utf-8") + b","
    found = []
    for rel in iter_data_files(archive_dir, [source]):
        offset = 0
        with open(Path(archive_dir) / rel, "rb") as handle:
            for number, raw in enumerate(handle, start=1):
                if raw.startswith(prefix) and raw.endswith(b"\n"):
                    # verify names a damaged line; it is no version
                    with contextlib.suppress(ValueError):
                        found.append(Version(decode_line(raw), rel, number, offset))
                offset += len(raw)
    found.sort(key=lambda v: (int(v.line.get("version") or 0), v.line.get("archived_at") or ""))
    return found


def provenance(
    archive_dir: Path, key: str, authorities: list[timestamp.Authority] | None = None
) -> Provenance:
    """See the module docstring; an unknown key gives a ``Provenance`` with no version."""
    root = Path(archive_dir)
    versions = find_lines(root, key)
    releases = _releases(root)
    by_name = {authority.name: authority for authority in authorities or []}
    previous: str | None = None
    originals = Originals(root)
    for version in versions:
        line = version.line
        expected = line.get("previous_sha256")
        if int(line.get("version") or 0) == 1:
            version.checks.append(Check("version chain", expected is None, "first version"))
        else:
            version.checks.append(
                Check(
                    "version chain",
                    expected == previous,
                    f"previous_sha256 {'is' if expected == previous else 'is not'} the content hash of the version before",
                )
            )
        previous = (
            line.get("previous_sha256") if line.get("tombstone") else line.get("content_sha256")
        )
        _capture(root, version, originals)
        _release(root, version, releases, by_name)
    return Provenance(key, versions)


def _capture(root: Path, version: Version, originals: Originals) -> None:
    try:
        pointer = pointer_of(version.line)
    except ReleaseError as exc:
        version.checks.append(Check("capture", False, str(exc)))
        return
    if pointer is None:
        version.checks.append(
            Check("capture", None, "no capture (archived with capture off, or before it)")
        )
        return
    facts: dict[str, Any] = pointer.as_dict()
    problems = check_pointer(root, pointer)
    try:
        record = read_record(root, pointer)
    except CaptureReadError as exc:
        version.capture = facts
        version.checks.append(Check("capture", False, str(exc)))
        return
    facts["record_type"] = record.record_type
    facts["target_uri"] = record.target_uri
    facts["ip"] = record.header("WARC-IP-Address")
    facts["tls"] = _certificate(
        root, pointer.warc_file, pointer.offset + pointer.length, pointer.record_id
    )
    if record.record_type == "revisit":
        try:
            original = originals.response_of(pointer)
            facts["original"] = original.as_dict()
        except CaptureReadError as exc:
            problems.append(str(exc))
    version.capture = facts
    detail = "; ".join(problems) or "the record is there, at that offset, its digests hold"
    version.checks.append(Check("capture", not problems, detail))


def _certificate(root: Path, warc_file: str, offset: int, record_id: str) -> dict[str, Any] | None:
    """The certificate kept beside a response (a ``metadata`` record concurrent to it)."""
    try:
        handle = open(warc_path(root, warc_file), "rb")  # noqa: SIM115 -- closed below
    except OSError:
        return None
    with handle:
        handle.seek(offset)
        data = handle.read(1 << 20)
    for _ in range(_FOLLOWERS):
        if not data:
            return None
        decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16)
        try:
            raw = decompressor.decompress(data)
        except zlib.error:
            return None
        if not decompressor.eof:
            return None
        data = decompressor.unused_data
        try:
            record = parse_record(raw, warc_file)
        except CaptureReadError:
            return None
        if record.record_type in ("response", "revisit"):
            return None  # the next exchange: this one kept no certificate
        if (
            record.record_type == "metadata"
            and record.header("WARC-Concurrent-To") == record_id
            and (record.header("Content-Type") or "").startswith(CERTIFICATE_CONTENT_TYPE)
        ):
            return _describe_pem(record.payload)
    return None


def _describe_pem(pem: bytes) -> dict[str, Any] | None:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    try:
        cert = x509.load_pem_x509_certificate(pem)
    except ValueError:
        return None
    return {
        "subject": cert.subject.rfc4514_string(),
        "issuer": cert.issuer.rfc4514_string(),
        "sha256_fingerprint": cert.fingerprint(hashes.SHA256()).hex(":").upper(),
        "not_before": cert.not_valid_before_utc.isoformat().replace("+00:00", "Z"),
        "not_after": cert.not_valid_after_utc.isoformat().replace("+00:00", "Z"),
    }


def _releases(root: Path) -> list[tuple[Recorded, dict[str, Any]]]:
    found = []
    for name in iter_recorded(root):
        try:
            recorded = read_recorded(root, name)
        except ValueError:
            continue  # verify reports it
        if recorded is not None:
            found.append((recorded, recorded.package))
    return found


def _release(
    root: Path,
    version: Version,
    releases: list[tuple[Recorded, dict[str, Any]]],
    authorities: dict[str, timestamp.Authority],
) -> None:
    for recorded, package in releases:
        facts = package.get("snhr") or {}
        for entry in facts.get("records") or []:
            start, size = entry.get("offset"), entry.get("bytes")
            if (
                entry.get("file") != version.file
                or not isinstance(start, int)
                or not isinstance(size, int)
            ):
                continue
            if not start <= version.offset < start + size:
                continue
            hashes = {r.get("path"): r.get("hash") for r in package.get("resources", [])}
            with open(root / version.file, "rb") as handle:
                handle.seek(start)
                data = handle.read(size)
            holds = "sha256:" + hashlib.sha256(data).hexdigest() == hashes.get(entry.get("path"))
            version.release = {
                "name": recorded.name,
                "run": (facts.get("run") or {}).get("id"),
                "wacz": recorded.wacz.get("name"),
                "member": entry.get("path"),
                "offset_in_member": version.offset - start,
                "datapackage_hash": recorded.digest_data.get("hash"),
            }
            version.checks.append(
                Check(
                    "release",
                    holds,
                    f"the archive's bytes {'are' if holds else 'are not'} the"
                    f" ones {recorded.name} released in {entry.get('path')}",
                )
            )
            _timestamps(version, recorded, authorities)
            return
    version.checks.append(Check("release", None, "in no release yet (snhr-crawler release)"))


def _timestamps(
    version: Version, recorded: Recorded, authorities: dict[str, timestamp.Authority]
) -> None:
    if not recorded.timestamps:
        version.checks.append(Check("timestamp", None, "the release has no timestamp"))
        return
    for entry in recorded.timestamps:
        check = check_token(recorded, entry, authorities)
        if check is None:
            version.checks.append(
                Check("timestamp", None, f"needs the release extra: {timestamp.INSTALL_HINT}")
            )
            return
        version.timestamps.append(check.as_dict())
        if check.ok:
            detail = f"{check.tsa} signed {check.imprint[:23]}... at {check.gen_time}" + (
                " (chain to the configured root)"
                if check.chain == "configured"
                else " (signature only: no root configured for it)"
            )
        else:
            detail = f"{check.tsa}: {'; '.join(check.problems)}"
        version.checks.append(Check(f"timestamp {check.tsa}", check.ok, detail))


def render(found: Provenance) -> str:
    """What ``show`` prints."""
    latest = found.versions[-1].line
    out = [f"{found.key}  {latest.get('url')}"]
    for version in found.versions:
        line = version.line
        title = line.get("title") or ("(removed: HTTP {})".format(line.get("status")))
        out.append("")
        out.append(
            f"v{line.get('version')}  {line.get('change') or '-'}  archived {line.get('archived_at')}"
            f"  {version.file}:{version.number} (offset {version.offset})"
        )
        out.append(f"    {title}")
        if line.get("content_sha256"):
            out.append(f"    content sha256 {line.get('content_sha256')}")
        capture = version.capture
        if capture:
            out.append(
                f"    capture {capture['warc_file']} @{capture['offset']}+{capture['length']}"
                f" {capture['record_id']} ({capture.get('record_type', '?')})"
            )
            out.append(
                f"            {capture['status']} {capture.get('target_uri', '')} fetched"
                f" {capture['fetched_at']} from {capture.get('ip') or 'an unknown address'}"
            )
            out.append(f"            payload {capture['payload_digest']}")
            tls = capture.get("tls")
            if tls:
                out.append(f"            TLS {tls['subject']} (issuer {tls['issuer']})")
                out.append(f"                sha256 {tls['sha256_fingerprint']}")
            else:
                out.append("            TLS none kept (plain http, or no certificate)")
            if capture.get("original"):
                original = capture["original"]
                out.append(
                    f"            revisit of {original['record_id']} in {original['warc_file']}"
                )
        release = version.release
        if release:
            out.append(
                f"    release {release['name']} ({release['wacz']}): {release['member']}"
                f" at byte {release['offset_in_member']}; datapackage {release['datapackage_hash']}"
            )
        for stamp in version.timestamps:
            out.append(
                f"    timestamp {stamp['tsa']} {stamp['gen_time']} serial {stamp['serial']} by {stamp['signer']}"
            )
        for check in version.checks:
            mark = {True: "ok", False: "FAILED", None: "not checked"}[check.ok]
            out.append(f"    [{mark}] {check.name}: {check.detail}")
    verdict = "every check passes" if found.ok else "a check FAILED"
    out.append("")
    out.append(f"{found.key}: {len(found.versions)} version(s); {verdict}")
    return "\n".join(out)
