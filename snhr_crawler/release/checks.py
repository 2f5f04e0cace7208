"""``verify``'s release checks: does the archive still give what each release holds?

For every release the archive records (``releases/<name>/``, ``release.record``):

* ``datapackage-digest.json`` holds the sha256 of ``datapackage.json``;
* each ``records/`` resource is still bytes ``offset .. offset+bytes`` of its
  data file (data files are append-only: these bytes never change);
* each WARC file listed is still the file released, byte for byte;
* the manifest released is a manifest of the chain, and the chain still
  begins with the bytes released (so the chain cannot be rewritten before a
  release without this saying so: the release anchors it);
* the run report is the one released;
* each timestamp token signs the hash of this ``datapackage.json`` and holds
  (``timestamp.verify_token``): against the roots configured for its authority,
  else only against the certificates it carries (the chain is then reported
  as not checked).

A release makes the archive's history before it checkable from outside: a
timestamped ``datapackage.json`` hashes all of the above.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

from snhr_crawler.archive.chain import CHAIN_NAME, read_chain
from snhr_crawler.release import timestamp
from snhr_crawler.release.record import (
    RELEASES_DIR,
    Recorded,
    iter_recorded,
    read_recorded,
)


class Findings(Protocol):
    """What the checks report into (``archive.verify.Report``)."""

    not_checked: list[str]
    releases: int
    timestamps: int

    def add(self, problem: str) -> None: ...


def check_releases(
    root: Path, report: Findings, authorities: list[timestamp.Authority] | None = None
) -> None:
    """Check every recorded release of the archive at ``root``; see the module docstring."""
    names = iter_recorded(root)
    if not names:
        return
    by_name = {authority.name: authority for authority in authorities or []}
    unconfigured: set[str] = set()
    for name in names:
        where = f"{RELEASES_DIR}/{name}"
        try:
            recorded = read_recorded(root, name)
        except ValueError as exc:
            report.add(f"{where}: {exc}")
            continue
        if recorded is None:
            continue
        report.releases += 1
        for problem in release_problems(root, recorded):
            report.add(f"{where}: {problem}")
        for entry in recorded.timestamps:
            report.timestamps += 1
            check = check_token(recorded, entry, by_name)
            if check is None:
                report.not_checked.append(
                    f"timestamps (needs the release extra: {timestamp.INSTALL_HINT})"
                )
                return
            if check.chain == "embedded":
                unconfigured.add(check.tsa)
            for problem in check.problems:
                report.add(f"{where}: timestamp {check.tsa}: {problem}")
    if unconfigured:
        report.not_checked.append(
            "timestamp chains of "
            + ", ".join(sorted(unconfigured))
            + " (no root configured: --tsa-config; signatures checked with the certificates they carry)"
        )


def check_token(
    recorded: Recorded, entry: dict[str, Any], authorities: dict[str, timestamp.Authority]
) -> timestamp.TokenCheck | None:
    """One stored token checked (None: rfc3161-client, the release extra, is missing)."""
    if not timestamp.available():
        return None
    tsa = str(entry.get("tsa") or "?")
    try:
        response = timestamp.response_of(entry)
    except ValueError as exc:
        check = timestamp.TokenCheck(tsa)
        check.problems.append(f"the stored token is unreadable ({exc})")
        return check
    check = timestamp.verify_token(response, recorded.datapackage, authorities.get(tsa), tsa=tsa)
    beside = recorded.folder / f"{tsa}.tsr"
    if beside.is_file() and beside.read_bytes() != response:
        check.problems.append(f"{beside.name} is not the token datapackage-digest.json holds")
    return check


def release_problems(root: Path, recorded: Recorded) -> Iterator[str]:
    """What no longer holds between the archive and one recorded release."""
    digest = recorded.digest_data.get("hash")
    actual = "sha256:" + hashlib.sha256(recorded.datapackage).hexdigest()
    if digest != actual:
        yield f"datapackage.json hashes to {actual}, not the {digest} its digest file says"
    try:
        package = json.loads(recorded.datapackage)
    except ValueError:
        yield "datapackage.json is not JSON"
        return
    hashes = {
        r.get("path"): r.get("hash") for r in package.get("resources", []) if isinstance(r, dict)
    }
    facts = package.get("snhr") if isinstance(package, dict) else None
    if not isinstance(facts, dict):
        yield "datapackage.json has no snhr section: not a release of this archive"
        return
    for entry in facts.get("records") or []:
        yield from _range_problems(root, entry, hashes.get(entry.get("path")))
    for entry in facts.get("warc") or []:
        got = _file_hash(root / str(entry.get("file")))
        if got != hashes.get(entry.get("path")):
            yield f"{entry.get('file')}: not the WARC file released as {entry.get('path')}" + (
                " (missing)" if got is None else ""
            )
    yield from _manifest_problems(root, recorded, facts, hashes)
    run = facts.get("run") or {}
    released = hashes.get(f"reports/{Path(str(run.get('report'))).name}")
    if _file_hash(root / str(run.get("report"))) != released:
        yield f"{run.get('report')}: not the run report released"


def _range_problems(root: Path, entry: dict[str, Any], released: Any) -> Iterator[str]:
    rel, offset, size = entry.get("file"), entry.get("offset"), entry.get("bytes")
    if not isinstance(offset, int) or not isinstance(size, int):
        yield f"{entry.get('path')}: no byte range"
        return
    try:
        with open(root / str(rel), "rb") as handle:
            handle.seek(offset)
            data = handle.read(size)
    except OSError as exc:
        yield f"{rel}: cannot read ({exc.strerror}); release holds its bytes {offset}..{offset + size}"
        return
    if "sha256:" + hashlib.sha256(data).hexdigest() != released:
        first = entry.get("first_line")
        yield (
            f"{rel}: bytes {offset}..{offset + size} (lines {first}..) are not what the release"
            f" holds ({entry.get('path')}): changed after they were released"
        )


def _manifest_problems(
    root: Path, recorded: Recorded, facts: dict[str, Any], hashes: dict[Any, Any]
) -> Iterator[str]:
    manifest = facts.get("manifest") or {}
    if recorded.manifest is not None:
        released = "sha256:" + hashlib.sha256(recorded.manifest).hexdigest()
        if released != hashes.get("manifest/manifest.json"):
            yield "manifest.json kept with the release is not the one released"
    chain = {int(e.get("sequence") or 0): e.get("sha256") for e in read_chain(root)}
    if chain.get(int(manifest.get("sequence") or 0)) != manifest.get("sha256"):
        yield (
            f"{CHAIN_NAME}: manifest #{manifest.get('sequence')} is no longer the one released"
            " (the chain was rewritten)"
        )
    length = manifest.get("chain_bytes")
    try:
        with open(root / CHAIN_NAME, "rb") as handle:
            data = handle.read(length if isinstance(length, int) else 0)
    except OSError:
        data = b""
    if "sha256:" + hashlib.sha256(data).hexdigest() != hashes.get(f"manifest/{CHAIN_NAME}"):
        yield f"{CHAIN_NAME}: its first {length} bytes are not the chain released (rewritten)"


def _file_hash(path: Path) -> str | None:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
    except OSError:
        return None
    return "sha256:" + digest.hexdigest()
