"""``manifest.json``: what the archive holds, so a copy can be checked without the index.

Per data file: sha256, bytes, lines, and the first/last ``published_at`` of its
article records; plus the schema version. It is replaced atomically (temp file
in the same directory, fsync, rename, fsync of the directory), so a reader or a
crash never sees half a manifest. Files are append-only, so an entry whose size
did not change since the previous manifest is reused instead of re-hashed;
``verify`` always re-hashes everything.

Each manifest is a link of the manifest chain (``archive.chain``): it carries
its ``sequence`` and the ``previous_sha256`` of the one it replaced, and an
entry for it is appended to ``manifest-chain.jsonl`` before it is put in
place. A previous manifest that is missing, unreadable or not the chain's
head is not trusted (every file is re-hashed) and the break is recorded, so
``verify`` keeps reporting it; a damaged manifest never stops a crawl.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from snhr_crawler import durable
from snhr_crawler.archive.chain import append_entry, predecessor, read_chain, sha256_bytes
from snhr_crawler.archive.paths import MANIFEST_NAME, iter_data_files
from snhr_crawler.archive.records import is_tombstone, utc_now
from snhr_crawler.archive.scan import scan
from snhr_crawler.archive.schema import SCHEMA_NAME, SCHEMA_VERSION

FORMAT = "snhr-crawler-archive"

logger = logging.getLogger(__name__)


def describe_file(path: Path) -> dict[str, Any]:
    """Hash, size, line count and publication-date range of one data file."""
    digest = hashlib.sha256()
    lines = 0
    size = 0
    first: str | None = None
    last: str | None = None
    for scanned in scan(path):
        digest.update(scanned.raw)
        size += len(scanned.raw)
        if scanned.torn:
            continue
        lines += 1
        record = scanned.record
        if record is None or is_tombstone(record):
            continue
        published = record.get("published_at")
        if isinstance(published, str) and published:
            first = published if first is None or published < first else first
            last = published if last is None or published > last else last
    return {
        "sha256": digest.hexdigest(),
        "bytes": size,
        "lines": lines,
        "first_published": first,
        "last_published": last,
    }


def build_manifest(
    root: Path, previous: dict[str, Any] | None = None, changed: Iterable[str] = ()
) -> dict[str, Any]:
    """A manifest for ``root``; entries of ``previous`` are reused for unchanged files."""
    root = Path(root)
    old = (previous or {}).get("files", {}) if previous else {}
    changed = set(changed)
    files: dict[str, Any] = {}
    for rel in iter_data_files(root):
        entry = old.get(rel)
        size = (root / rel).stat().st_size
        if entry is None or rel in changed or entry.get("bytes") != size:
            entry = describe_file(root / rel)
        files[rel] = entry
    return {
        "format": FORMAT,
        "schema": SCHEMA_NAME,
        "schema_version": SCHEMA_VERSION,
        "generated_at": utc_now(),
        "totals": {"files": len(files), "lines": sum(e["lines"] for e in files.values())},
        "files": files,
    }


def _encode(manifest: dict[str, Any]) -> bytes:
    return (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def write_manifest(root: Path, manifest: dict[str, Any]) -> Path:
    """Replace ``<root>/manifest.json`` atomically with ``manifest`` (not a link of the chain:
    ``update_manifest`` writes those; a manifest written only through here fails verify)."""
    return _replace(Path(root), _encode(manifest))


def _replace(root: Path, data: bytes) -> Path:
    target = root / MANIFEST_NAME
    durable.replace_file(target, data)
    return target


def _read_current(root: Path) -> tuple[bytes | None, dict[str, Any] | None]:
    """The bytes of ``manifest.json`` (None: none) and their parse (None: not a manifest)."""
    try:
        data = (root / MANIFEST_NAME).read_bytes()
    except FileNotFoundError:
        return None, None
    try:
        parsed = json.loads(data)
    except ValueError:
        return data, None
    if not isinstance(parsed, dict) or not isinstance(parsed.get("files"), dict):
        return data, None
    return data, parsed


def update_manifest(
    root: Path, changed: Iterable[str] = (), *, lost: Iterable[str] = ()
) -> dict[str, Any]:
    """Write the next manifest of the chain from the previous one and the files, and return it.

    ``lost`` names data files that went missing from disk since the previous
    manifest (recovery found them gone), even if a file of that name is back.
    """
    root = Path(root)
    current, parsed = _read_current(root)
    chain = read_chain(root)
    before = predecessor(chain, current, parsed)
    for why in before.breaks:
        logger.warning("archive manifest: %s", why)
    manifest = build_manifest(root, parsed if before.trusted else None, changed)
    manifest["sequence"] = before.sequence + 1
    manifest["previous_sha256"] = before.sha256
    data = _encode(manifest)
    old_files = (parsed or {}).get("files", {}) if parsed else {}
    if not old_files and chain:
        # No usable previous manifest: what the chain last recorded stands in for it.
        old_files = {rel: None for entry in chain for rel in entry.get("files") or {}}
    append_entry(
        root,
        {
            "sequence": manifest["sequence"],
            "generated_at": manifest["generated_at"],
            "sha256": sha256_bytes(data),
            "previous_sha256": before.sha256,
            "files": {
                rel: [entry["bytes"], entry["sha256"]]
                for rel, entry in manifest["files"].items()
                if (old_files.get(rel) or {}).get("sha256") != entry["sha256"]
            },
            "lost": sorted((set(old_files) - set(manifest["files"])) | set(lost)),
            "breaks": list(before.breaks),
        },
    )
    _replace(root, data)
    return manifest
