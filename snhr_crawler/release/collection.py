"""``collection.json``: every release in a folder, as one MultiWACZ-style collection.

Browsertrix and ReplayWeb.page (wabac.js) read a data package whose
``profile`` is ``multi-wacz-package`` and whose resources are WACZ files as
one collection. ``collection.json`` is that package for the releases in an
output folder: per WACZ its path, size and sha256, the run it holds, and the
hash of its ``datapackage.json`` with the times the authorities signed it.
It is rewritten (atomically) by every ``release`` into the folder, from the
WACZ files there, so it always lists what the folder holds.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path
from typing import Any

from snhr_crawler import __version__
from snhr_crawler.release.record import replace_file
from snhr_crawler.release.wacz import Member, encode_json

COLLECTION = "collection.json"
PROFILE = "multi-wacz-package"


def describe_release(path: Path) -> dict[str, Any] | None:
    """The collection's entry for one WACZ, or None when it is not one of our releases."""
    try:
        with zipfile.ZipFile(path) as archive:
            datapackage = archive.read("datapackage.json")
            digest = json.loads(archive.read("datapackage-digest.json"))
        package = json.loads(datapackage)
    except (OSError, KeyError, ValueError, zipfile.BadZipFile):
        return None
    facts = package.get("snhr") if isinstance(package, dict) else None
    if not isinstance(facts, dict) or not isinstance(facts.get("run"), dict):
        return None
    sha = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            sha.update(chunk)
            size += len(chunk)
    entry = Member(path.name, sha.hexdigest(), size).resource()
    entry.update(
        {
            "mediatype": "application/wacz",
            "run": facts["run"].get("id"),
            "kind": facts["run"].get("kind"),
            "created": package.get("created"),
            "datapackage_hash": f"sha256:{hashlib.sha256(datapackage).hexdigest()}",
            "timestamps": [
                {"tsa": stamp.get("tsa"), "gen_time": stamp.get("gen_time")}
                for stamp in digest.get("timestamps") or []
                if isinstance(stamp, dict)
            ],
        }
    )
    return entry


def write_collection(folder: Path) -> tuple[Path, int]:
    """Rewrite ``folder/collection.json`` from the WACZ files in ``folder``; return it and their count."""
    entries = [e for p in sorted(Path(folder).glob("*.wacz")) if (e := describe_release(p))]
    entries.sort(key=lambda entry: (str(entry.get("created")), str(entry["path"])))
    package = {
        "profile": PROFILE,
        "title": "SNHR archive: releases",
        "description": (
            "Every release in this folder: one WACZ per run of snhr-crawler, each with the run's"
            " WARC files, CDXJ index, pages, archived records and the archive's manifest chain."
        ),
        "software": f"snhr-crawler {__version__}",
        "created": max((str(e.get("created")) for e in entries), default=None),
        "resources": entries,
    }
    path = Path(folder) / COLLECTION
    replace_file(path, encode_json(package))
    return path, len(entries)
