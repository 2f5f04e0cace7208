"""``manifest.json``: what the archive holds, so a copy can be checked without the index.

Per data file: sha256, bytes, lines, and the first/last ``published_at`` of its
article records; plus the schema version. It is replaced atomically (temp file
in the same directory, fsync, rename, fsync of the directory), so a reader or a
crash never sees half a manifest. Files are append-only, so an entry whose size
did not change since the previous manifest is reused instead of re-hashed;
``verify`` always re-hashes everything.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from snhr_crawler.archive.files import fsync_dir
from snhr_crawler.archive.paths import MANIFEST_NAME, iter_data_files
from snhr_crawler.archive.reader import read_manifest
from snhr_crawler.archive.records import is_tombstone, utc_now
from snhr_crawler.archive.scan import scan
from snhr_crawler.archive.schema import SCHEMA_NAME, SCHEMA_VERSION

FORMAT = "snhr-crawler-archive"


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


def write_manifest(root: Path, manifest: dict[str, Any]) -> Path:
    """Replace ``<root>/manifest.json`` atomically: temp file, fsync, rename, fsync dir."""
    root = Path(root)
    target = root / MANIFEST_NAME
    for stale in root.glob(f".{MANIFEST_NAME}.*.tmp"):  # left by a writer killed mid-replace
        stale.unlink(missing_ok=True)
    temp = root / f".{MANIFEST_NAME}.{os.getpid()}.tmp"
    data = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(temp, target)
    fsync_dir(root)
    return target


def update_manifest(root: Path, changed: Iterable[str] = ()) -> dict[str, Any]:
    """Rebuild the manifest from the previous one and the files, and replace it."""
    manifest = build_manifest(root, read_manifest(root), changed)
    write_manifest(root, manifest)
    return manifest
