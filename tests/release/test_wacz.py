"""A release is a WACZ that ``wacz validate`` (py-wacz) accepts, and holds what it says.

Expected counts come from the archive's own data files (one line per
archived record, read here with ``json``), not from the release code.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.release.conftest import Released

pytestmark = pytest.mark.e2e


def releases(released: Released) -> list[Path]:
    found = sorted(released.output.glob("*.wacz"))
    assert len(found) == 3  # two crawls and a re-read
    return found


def test_wacz_validate_accepts_every_release(released: Released) -> None:
    wacz = Path(sys.executable).with_name("wacz")
    for path in releases(released):
        result = subprocess.run([str(wacz), "validate", "-f", str(path)],
                                capture_output=True, text=True, timeout=60)  # fmt: skip
        assert result.returncode == 0, result.stdout + result.stderr
        assert "Validation succeeded" in result.stdout + result.stderr


def test_pages_are_one_per_archived_line_and_records_are_the_lines(released: Released) -> None:
    all_lines = [
        json.loads(line)
        for path in sorted((released.archive / "snhr_news").glob("*.jsonl"))
        for line in path.read_bytes().splitlines()
    ]
    seen: list[tuple[str, int]] = []
    for path in releases(released):
        with zipfile.ZipFile(path) as wacz:
            header, *pages = [json.loads(x) for x in wacz.read("pages/pages.jsonl").splitlines()]
            assert header["format"] == "json-pages-1.0"
            records = [json.loads(line) for name in wacz.namelist() if name.startswith("records/")
                       for line in wacz.read(name).splitlines()]  # fmt: skip
            assert len(pages) == len(records)  # capture was on: every line has its page
            assert [(p["record_id"], p["version"]) for p in pages] == [
                (r["id"], r["version"]) for r in records
            ]
            for page, record in zip(pages, records, strict=True):
                assert page["ts"] == record["capture"]["fetched_at"]
                assert page["record_url"] == record["url"]
            seen += [(r["id"], r["version"]) for r in records]
    # Together the releases hold every archived line once.
    assert sorted(seen) == sorted((r["id"], r["version"]) for r in all_lines)


def test_datapackage_lists_records_and_manifest_with_their_hashes(released: Released) -> None:
    for path in releases(released):
        with zipfile.ZipFile(path) as wacz:
            package = json.loads(wacz.read("datapackage.json"))
            digest = json.loads(wacz.read("datapackage-digest.json"))
            assert (
                digest["hash"]
                == "sha256:" + hashlib.sha256(wacz.read("datapackage.json")).hexdigest()
            )
            listed = {r["path"]: r for r in package["resources"]}
            members = set(wacz.namelist()) - {"datapackage.json", "datapackage-digest.json"}
            assert set(listed) == members
            assert "manifest/manifest.json" in listed
            assert "manifest/manifest-chain.jsonl" in listed
            assert any(name.startswith("records/") and name.endswith(".jsonl") for name in listed)
            for name, resource in listed.items():
                data = wacz.read(name)
                assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
                assert resource["bytes"] == len(data)
