"""``snhr-crawler show ID``: one record's chain, end to end, on the released history.

What each record must show comes from how the fixture made it: which post
was edited (and with what words), which was deleted (410), which posts the
changed parser re-reads (*Arrests* news, by the replica's truth), and the
replica's loopback address; the capture's bytes are read back with warcio,
not through the code under test.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from warcio.archiveiterator import ArchiveIterator

from snhr_crawler.cli import main
from tests.release.conftest import History, Released
from tests.reparse.changed_spiders import PREFIX

pytestmark = pytest.mark.e2e

EDIT_TEXT = "Update: SNHR corrected the number of victims."


def show_json(
    released: Released, key: str, capsys: pytest.CaptureFixture[str]
) -> tuple[int, dict[str, Any]]:
    code = main(["show", key, "--json", "--archive", str(released.archive),
                 "--tsa-config", str(released.tsa_config)])  # fmt: skip
    return code, json.loads(capsys.readouterr().out)


def payload_at(archive: Path, capture: dict[str, Any]) -> tuple[str, bytes]:
    """(record id, HTTP payload) of the WARC record at the pointer's offset, as warcio reads it."""
    with open(archive / capture["warc_file"], "rb") as handle:
        handle.seek(capture["offset"])
        record = next(iter(ArchiveIterator(handle)))
        return record.rec_headers.get_header("WARC-Record-ID"), record.content_stream().read()


def test_an_edited_record_shows_both_versions_their_captures_release_and_timestamp(
    history: History, released: Released, capsys: pytest.CaptureFixture[str]
) -> None:
    code, shown = show_json(released, history.edited, capsys)
    assert code == 0
    assert shown["ok"] is True
    versions = shown["versions"]
    assert [v["change"] for v in versions] == ["new", "edit"]
    assert versions[1]["previous_sha256"] == versions[0]["content_sha256"]
    first, second = (v["capture"] for v in versions)
    for capture in (first, second):
        record_id, _ = payload_at(released.archive, capture)
        assert capture["record_id"] == record_id
        assert capture["ip"] == "127.0.0.1"  # the replica, on loopback
        assert capture["status"] == 200
        assert capture["tls"] is None  # plain http: no certificate to keep
    assert EDIT_TEXT.encode() not in payload_at(released.archive, first)[1]
    assert EDIT_TEXT.encode() in payload_at(released.archive, second)[1]
    assert first["fetched_at"] < second["fetched_at"]
    # Each version is in the release of the run that wrote it, timestamped, the chain checked.
    assert versions[0]["release"]["name"] != versions[1]["release"]["name"]
    for version in versions:
        (stamp,) = version["timestamps"]
        assert stamp["tsa"] == "local"
        assert stamp["ok"]
        assert stamp["chain"] == "configured"
        assert stamp["imprint"] == version["release"]["datapackage_hash"]
        assert all(check["ok"] for check in version["checks"])


def test_a_removed_record_shows_the_410_that_removed_it(
    history: History, released: Released, capsys: pytest.CaptureFixture[str]
) -> None:
    code, shown = show_json(released, history.removed, capsys)
    assert code == 0
    new, removal = shown["versions"]
    assert (new["change"], removal["change"]) == ("new", "removal")
    assert removal["tombstone"] is True
    assert new["tombstone"] is False
    assert removal["capture"]["status"] == 410
    assert removal["release"] is not None


def test_a_reread_record_points_at_the_capture_it_was_read_from(
    history: History, released: Released, capsys: pytest.CaptureFixture[str]
) -> None:
    arrests = [r for r in history.truth if "Arrests" in r["categories"]]
    key = f"snhr_news:{arrests[0]['post_id']}"
    assert key not in (history.edited, history.removed)
    code, shown = show_json(released, key, capsys)
    assert code == 0
    new, reread = shown["versions"]
    assert (new["change"], reread["change"]) == ("new", "reparse")
    assert reread["title"] == PREFIX + new["title"]
    # Read again offline: the same bytes the first version was read from.
    assert reread["capture"]["record_id"] == new["capture"]["record_id"]
    assert reread["release"]["name"].startswith("reparse-")


def test_text_output_names_every_part_of_the_chain(
    history: History, released: Released, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["show", history.edited, "--archive", str(released.archive)])
    out = capsys.readouterr().out
    assert code == 0
    assert "v1  new" in out
    assert "v2  edit" in out
    assert "from 127.0.0.1" in out
    assert "payload sha256:" in out
    assert out.count("[ok] timestamp local") == 2
    assert out.rstrip().endswith("2 version(s); every check passes")


def test_a_changed_byte_fails_the_release_check(
    history: History, released: Released, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import shutil

    archive = tmp_path / "archive"
    shutil.copytree(released.archive, archive)
    code, shown = show_json(
        Released(archive, released.output, released.tsa_config), history.edited, capsys
    )
    line = shown["versions"][0]
    path = archive / line["file"]
    data = bytearray(path.read_bytes())
    at = line["offset"] + data[line["offset"] :].index(b'"title":"') + len(b'"title":"')
    data[at] = ord("X") if data[at] != ord("X") else ord("Y")
    path.write_bytes(bytes(data))
    code = main(["show", history.edited, "--archive", str(archive)])
    out = capsys.readouterr().out
    assert code == 1
    assert "[FAILED] release: the archive's bytes are not the ones" in out


def test_an_unknown_id_is_one_line_and_a_failure(
    released: Released, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["show", "snhr_news:1", "--archive", str(released.archive)])
    err = capsys.readouterr().err
    assert code != 0
    assert err.count("\n") == 1
    assert "no record 'snhr_news:1'" in err
