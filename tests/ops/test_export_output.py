"""``export --output``: nothing the user did not name is written, created or replaced."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from snhr_crawler.cli import main
from snhr_crawler.ops.export import OutputRefused, _put_in_place
from tests.ops.conftest import REPO, build_archive, make_article

pytestmark = pytest.mark.e2e

ARTICLES = 120  # about 180 KB of JSON Lines: more than a pipe holds


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("export-output") / "archive"
    build_archive(root, (make_article(n) for n in range(1, ARTICLES + 1)))
    return root


def export(archive: Path, *args: str) -> int:
    return main(["export", "--archive", str(archive), *args])


def one_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    return err.strip()


def test_an_existing_file_is_kept_unless_force(
    archive: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "mine.csv"
    out.write_text("a file of my own\n", "utf-8")
    assert export(archive, "-o", str(out)) == 2
    assert one_line(capsys) == (
        f"snhr-crawler export: error: --output: {out} exists; give --force to replace it"
    )
    assert out.read_text("utf-8") == "a file of my own\n"
    assert export(archive, "-o", str(out), "--force") == 0
    assert out.read_text("utf-8").startswith("id,source,")
    # No temporary file left; the data package beside the file.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.csv", "mine.csv.datapackage.json"]


@pytest.mark.parametrize("kind", ["fifo", "symlink", "directory", "device"])
def test_anything_but_a_regular_file_is_never_replaced(
    kind: str, archive: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "target.jsonl"
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "symlink":
        (tmp_path / "real.jsonl").write_text("kept\n", "utf-8")
        target.symlink_to(tmp_path / "real.jsonl")
    elif kind == "directory":
        target.mkdir()
    else:
        target = Path(os.devnull)  # only looked at (lstat): refused before any write
    before = target.lstat()
    assert export(archive, "-o", str(target), "--format", "jsonl", "--force") == 2
    line = one_line(capsys)
    assert line.startswith(f"snhr-crawler export: error: --output: {target} is ")
    expected = {
        "fifo": "not a regular file; it is never replaced (-o - writes to standard output)",
        "symlink": "a symbolic link; it is never replaced (-o - writes to standard output)",
        "directory": "a directory; give a file name",
        "device": "not a regular file; it is never replaced (-o - writes to standard output)",
    }[kind]
    assert line.endswith(expected)
    after = target.lstat()
    assert (after.st_ino, after.st_mode) == (before.st_ino, before.st_mode)
    if kind == "symlink":
        assert (tmp_path / "real.jsonl").read_text("utf-8") == "kept\n"


def test_a_missing_directory_is_not_created(
    archive: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "exprots" / "articles.csv"
    assert export(archive, "-o", str(out)) == 2
    assert one_line(capsys).endswith(
        f"--output: directory {out.parent} does not exist (it is not created)"
    )
    assert not out.parent.exists()


def test_dash_streams_to_standard_output(
    archive: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    assert export(archive, "-o", "-") == 0
    out, err = capsys.readouterr()
    rows = [json.loads(line) for line in out.splitlines()]
    assert len(rows) == ARTICLES  # jsonl by default
    assert err == f"exported {ARTICLES} article(s) from {archive} to standard output (jsonl)\n"
    assert list(tmp_path.iterdir()) == []  # no file named "-"


def test_an_output_that_appears_meanwhile_is_not_replaced(tmp_path: Path) -> None:
    partial = tmp_path / ".out.csv.x.partial"
    partial.write_text("new\n", "utf-8")
    out = tmp_path / "out.csv"
    out.write_text("someone else's\n", "utf-8")  # created after the first check
    with pytest.raises(OutputRefused, match="appeared during the export"):
        _put_in_place(partial, out, force=False)
    assert out.read_text("utf-8") == "someone else's\n"


def test_a_closed_pipe_ends_quietly(archive: Path) -> None:
    """``export -o - | head -1``: the reader goes away; no traceback, exit 141 like SIGPIPE."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "snhr_crawler.cli", "export", "--archive", str(archive), "-o", "-"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    assert proc.stdout is not None
    assert proc.stderr is not None
    proc.stdout.close()  # before the first row is written
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 141
    assert err == ""
