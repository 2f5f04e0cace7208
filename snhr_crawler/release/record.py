"""What the archive keeps of each release: ``releases/<name>/``.

::

    releases/<name>/datapackage.json          the WACZ's, byte for byte
    releases/<name>/datapackage-digest.json   the WACZ's: its hash and the timestamp tokens
    releases/<name>/manifest.json             the manifest the release holds (a later crawl
                                              replaces the archive's own)
    releases/<name>/<tsa>.tsr                 each token as a file, for ``openssl ts -verify``
    releases/<name>/wacz.json                 the WACZ file's name, size and sha256

``<name>`` is the run id (``reparse-<run-id>`` for a re-read). With these and
the archive, the same WACZ can be written again byte for byte, anywhere
(``release`` does when asked for a run released before); ``verify`` and
``show`` check the archive against them without the WACZ. A release is
immutable: written once, completed only by tokens from authorities it did
not have yet. Files are replaced atomically (temporary name, fsync, rename).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from snhr_crawler.archive.files import fsync_dir
from snhr_crawler.release.runs import Run

RELEASES_DIR = "releases"
DATAPACKAGE = "datapackage.json"
DIGEST = "datapackage-digest.json"
MANIFEST_COPY = "manifest.json"
WACZ_FACTS = "wacz.json"


def release_name(run: Run) -> str:
    """The release's name: the run id, ``reparse-<run-id>`` for a re-read (ids may coincide)."""
    return run.run_id if run.kind == "crawl" else f"reparse-{run.run_id}"


@dataclass
class Recorded:
    """A release as the archive keeps it."""

    name: str
    folder: Path
    datapackage: bytes
    digest: bytes
    manifest: bytes | None
    wacz: dict[str, Any]

    @property
    def package(self) -> dict[str, Any]:
        value = json.loads(self.datapackage)
        return value if isinstance(value, dict) else {}

    @property
    def digest_data(self) -> dict[str, Any]:
        value = json.loads(self.digest)
        return value if isinstance(value, dict) else {}

    @property
    def timestamps(self) -> list[dict[str, Any]]:
        entries = self.digest_data.get("timestamps") or []
        return [entry for entry in entries if isinstance(entry, dict)]


def releases_dir(archive_dir: Path) -> Path:
    return Path(archive_dir) / RELEASES_DIR


def read_recorded(archive_dir: Path, name: str) -> Recorded | None:
    """The archive's record of release ``name``, or None; ``ValueError`` when it is damaged."""
    folder = releases_dir(archive_dir) / name
    if not folder.is_dir():
        return None
    try:
        datapackage = (folder / DATAPACKAGE).read_bytes()
        digest = (folder / DIGEST).read_bytes()
        wacz = json.loads((folder / WACZ_FACTS).read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"{folder}: incomplete or unreadable release record: {exc}") from exc
    manifest_path = folder / MANIFEST_COPY
    manifest = manifest_path.read_bytes() if manifest_path.is_file() else None
    return Recorded(
        name, folder, datapackage, digest, manifest, wacz if isinstance(wacz, dict) else {}
    )


def iter_recorded(archive_dir: Path) -> list[str]:
    """Names of every release the archive records, sorted."""
    folder = releases_dir(archive_dir)
    if not folder.is_dir():
        return []
    return sorted(path.name for path in folder.iterdir() if path.is_dir())


def write_recorded(
    archive_dir: Path,
    name: str,
    *,
    datapackage: bytes,
    digest: bytes,
    manifest: bytes,
    wacz: dict[str, Any],
    tokens: dict[str, bytes],
) -> Path:
    """Keep (or complete) the record of release ``name``; return its folder."""
    folder = releases_dir(archive_dir) / name
    created = not folder.exists()
    folder.mkdir(parents=True, exist_ok=True)
    if created:
        fsync_dir(folder.parent)
    files = {
        DATAPACKAGE: datapackage,
        MANIFEST_COPY: manifest,
        **{f"{tsa}.tsr": response for tsa, response in tokens.items()},
        DIGEST: digest,  # after the tokens it lists
        WACZ_FACTS: (json.dumps(wacz, indent=2, sort_keys=True) + "\n").encode("utf-8"),
    }
    for file_name, data in files.items():
        replace_file(folder / file_name, data)
    fsync_dir(folder)
    return folder


def replace_file(target: Path, data: bytes) -> None:
    """Write ``data`` at ``target`` atomically (temporary file, fsync, rename)."""
    temp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(temp, target)
