"""Replay through a real engine: pywb serves a release on loopback, the article comes back.

Each release is its own pywb collection (named after it), added as pywb's
own ``wb-manager add --unpack-wacz`` does (the WACZ's WARC files and its CDXJ index), served by
pywb's server (``tests/release/pywb_server.py``) in a child process (sealed:
loopback only), and fetched with ``id_`` (the archived response, unrewritten).
One collection per release, as a release is meant to be served: WARC dates
have one-second resolution, and the fixture's two crawls fetch the edited
page within the same second, so one collection of both would leave pywb
choosing between two captures with one timestamp. The expected bytes are the captured payload as warcio reads it from the
archive's WARC file, at the offset the record line points at.
"""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from warcio.archiveiterator import ArchiveIterator

from tests.release.conftest import History, Released

pytestmark = pytest.mark.e2e

EDIT_TEXT = b"Update: SNHR corrected the number of victims."


@pytest.fixture(scope="module")
def pywb(released: Released, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """pywb's base URL; collection ``<release name>`` holds that release."""
    root = tmp_path_factory.mktemp("pywb")
    (root / "config.yaml").write_text("framed_replay: false\n", "utf-8")
    manager = [sys.executable, "-m", "pywb.manager.manager"]
    for wacz in sorted(released.output.glob("2*.wacz")):  # the crawls (the re-read adds no capture)
        name = wacz.stem
        subprocess.run(
            [*manager, "init", name], cwd=root, check=True, capture_output=True, timeout=60
        )
        subprocess.run([*manager, "add", "--unpack-wacz", name, str(wacz)], cwd=root, check=True,
                       capture_output=True, timeout=60)  # fmt: skip
    server = subprocess.Popen(
        [sys.executable, "-m", "tests.release.pywb_server", str(root)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    try:
        assert server.stdout is not None
        port = int(server.stdout.readline())
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def page_of(released: Released, key: str, version: int) -> dict[str, Any]:
    for path in released.output.glob("*.wacz"):
        with zipfile.ZipFile(path) as wacz:
            for line in wacz.read("pages/pages.jsonl").splitlines()[1:]:
                page = json.loads(line)
                if (page["record_id"], page["version"]) == (key, version):
                    return {**page, "collection": path.stem}
    raise AssertionError(f"{key} v{version}: no page")


def captured(archive: Path, key: str, version: int) -> bytes:
    for path in (archive / key.split(":")[0]).glob("*.jsonl"):
        for raw in path.read_bytes().splitlines():
            line = json.loads(raw)
            if (line["id"], line["version"]) == (key, version):
                capture = line["capture"]
                with open(archive / capture["warc_file"], "rb") as handle:
                    handle.seek(capture["offset"])
                    return bytes(next(iter(ArchiveIterator(handle))).content_stream().read())
    raise AssertionError(f"{key} v{version}: no line")


def replay(base: str, page: dict[str, Any]) -> bytes:
    stamp = "".join(c for c in page["ts"] if c.isdigit())[:14]
    with urllib.request.urlopen(
        f"{base}/{page['collection']}/{stamp}id_/{page['url']}", timeout=10
    ) as answer:
        assert answer.status == 200
        return bytes(answer.read())


def test_pywb_replays_both_versions_of_the_edited_article_byte_for_byte(
    history: History, released: Released, pywb: str
) -> None:
    before = replay(pywb, page_of(released, history.edited, 1))
    after = replay(pywb, page_of(released, history.edited, 2))
    assert before == captured(released.archive, history.edited, 1)
    assert after == captured(released.archive, history.edited, 2)
    assert EDIT_TEXT not in before
    assert EDIT_TEXT in after
