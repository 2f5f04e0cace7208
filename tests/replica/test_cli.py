"""The ``replica`` command: serve prints origins and stops on SIGTERM; truth writes JSON Lines."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import urllib.request

import pytest

from snhr_replica.cli import main

pytestmark = pytest.mark.e2e

COMMAND = [sys.executable, "-m", "snhr_replica"]


def test_serve_prints_one_line_per_site_and_stops_on_sigterm():
    server = subprocess.Popen(
        [*COMMAND, "serve", "--port", "0", "--posts", "3", "--switch", "rest=403", "sitemap=core"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        lines = [server.stdout.readline().split() for _ in range(4)]
        assert [name for name, _ in lines] == [
            "snhr_news",
            "snhr_news_ar",
            "snhr_reports",
            "snhr_reports_ar",
        ]
        assert lines[0][1] == lines[1][1] != lines[2][1] == lines[3][1]
        with urllib.request.urlopen(lines[2][1] + "/robots.txt") as reply:
            assert "wp-sitemap.xml" in reply.read().decode()
    finally:
        server.send_signal(signal.SIGTERM)
        assert server.wait(10) == 0


def test_truth_writes_every_site(tmp_path, capsys):
    target = tmp_path / "truth.jsonl"
    assert main(["truth", "--posts", "4", "--seed", "2", "--output", str(target)]) == 0
    records = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 16
    assert {r["source"] for r in records} == {
        "snhr_news",
        "snhr_news_ar",
        "snhr_reports",
        "snhr_reports_ar",
    }
    assert main(["truth", "--posts", "4", "--seed", "2"]) == 0
    assert capsys.readouterr().out == target.read_text(encoding="utf-8")


def test_bad_arguments_exit_2_with_one_line():
    for args in (
        ["serve", "--posts", "0"],
        ["serve", "--switch", "nope=1"],
        ["serve", "--faults", "x"],
    ):
        result = subprocess.run([*COMMAND, *args], capture_output=True, text=True, timeout=30)
        assert result.returncode == 2
        assert len(result.stderr.strip().splitlines()) == 1
