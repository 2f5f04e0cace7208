"""Output for people: the progress line and the summary fit an 80-column terminal.

A line wider than the terminal wraps, and then each refresh of the progress
line (``\\r`` + clear + text) adds a row instead of rewriting one. The last
test runs ``snhr-crawler crawl`` in a pseudo-terminal of 80x24 and replays
what it wrote through a small terminal model.
"""

from __future__ import annotations

import fcntl
import os
import pty
import shutil
import struct
import subprocess
import sys
import tempfile
import termios
from pathlib import Path

import pytest

from snhr_crawler.ops.crawl import summary
from snhr_crawler.ops.metrics import Counts
from snhr_crawler.ops.progress import duration, eta_seconds, progress_line
from snhr_replica import ReplicaServer
from tests.ops.conftest import REPO

COLUMNS = 80


def screen(data: str, columns: int = COLUMNS) -> list[tuple[str, int]]:
    """Each line written (after ``\\r`` rewrites) and how many terminal rows it took."""
    lines: list[tuple[str, int]] = []
    text, col, rows, i = "", 0, 1, 0
    while i < len(data):
        if data.startswith("\x1b[K", i):  # clear from the cursor to the end of its row
            text = text[: (rows - 1) * columns + col]
            i += 3
            continue
        ch = data[i]
        i += 1
        if ch == "\r":  # back to the start of the cursor's row: the line's last one
            col = 0
        elif ch == "\n":
            lines.append((text, rows))
            text, col, rows = "", 0, 1
        elif ch >= " ":
            if col == columns:  # the character after the last column wraps
                rows += 1
                col = 0
            pos = (rows - 1) * columns + col
            text = text[:pos].ljust(pos) + ch + text[pos + 1 :]
            col += 1
    if text:
        lines.append((text, rows))
    return lines


def test_the_terminal_model_counts_wraps() -> None:
    assert screen("abc\r\x1b[Kxy\n") == [("xy", 1)]
    assert screen("x" * 81 + "\n") == [("x" * 81, 2)]
    assert screen("x" * 80 + "\r\n") == [("x" * 80, 1)]
    # A line wider than the terminal, refreshed three times, takes four rows.
    assert screen("\r\x1b[K" + "x" * 108 + ("\r\x1b[K" + "y" * 108) * 2 + "\r\n")[0][1] == 4


COUNTS = Counts(pages=12345, requests=13000, new=10000, changed=120, skipped=2300, errors=12)


@pytest.mark.parametrize("width", [40, 60, 80, 100, 120, 200])
def test_the_progress_line_fits_every_width(width: int) -> None:
    line = progress_line(
        "snhr_reports_ar", COUNTS, 3600, position="4/4", eta=250, width=width, end="unreachable"
    )
    assert len(line) < width
    if width >= 80:
        assert line.startswith("4/4 snhr_reports_ar") or line.startswith("[4/4] snhr_reports_ar")
        assert "ETA 4m10s" in line
        assert line.endswith("unreachable")


def test_at_80_columns_the_compact_line_keeps_every_count() -> None:
    line = progress_line("snhr_news", Counts(pages=39, new=30, skipped=7), 45, position="1/4")
    assert len(line) > 100  # the wide form, for logs
    compact = progress_line(
        "snhr_news",
        Counts(pages=39, new=30, skipped=7),
        45,
        position="1/4",
        width=80,
        end="finished",
    )
    assert compact == "1/4 snhr_news pages 39 new 30 chg 0 skip 7 err 0 52/min  finished"


def test_eta_only_when_the_site_says_how_many_posts_it_has() -> None:
    handled = Counts(new=40, skipped=10)  # 50 articles in 100 s
    assert eta_seconds({"snhr/discovery/rest/total": 250}, handled, 100) == 400
    assert eta_seconds({}, handled, 100) is None  # listings alone give no total
    assert eta_seconds({"snhr/discovery/rest/total": 50}, handled, 100) is None  # done
    assert duration(400) == "6m40s"
    assert duration(7500) == "2h05m"


def report_of(outcomes: dict[str, str]) -> dict[str, object]:
    big = {
        "pages": 13037,
        "new": 10000,
        "changed": 120,
        "unchanged": 2300,
        "skipped": 14000,
        "removed": 31,
        "errors": 104,
        "retries": 3000,
    }
    sources = {
        name: {**big, "outcome": outcome, "finish_reason": "finished", "duration_s": 3725.0}
        for name, outcome in outcomes.items()
    }
    return {
        "run_id": "20261125T021500Z",
        "sources": sources,
        "totals": {k: v * len(outcomes) for k, v in big.items()},
        "outcome": "failed",
        "duration_s": 14900.0,
    }


def test_the_summary_table_fits_80_columns_and_says_what_it_left_out() -> None:
    outcomes = {
        "snhr_news": "finished",
        "snhr_news_ar": "unreachable",
        "snhr_reports": "interrupted",
        "snhr_reports_ar": "not run",
    }
    text = summary(report_of(outcomes), [], Path("/srv/a/runs/x.json"), width=COLUMNS)
    table = text.splitlines()[1:8]
    assert max(len(line) for line in table) < COLUMNS, "\n".join(table)
    header = table[0].split()
    assert header == ["source", "outcome", "pages", "new", "changed", "skipped", "errors", "time"]
    assert [row.split()[1] for row in table[2:6]] == [
        "finished",
        "unreachable",
        "interrupted",
        "not",
    ]
    assert table[2].split()[-1] == "1h02m"
    assert text.splitlines()[8] == "also: unchanged 9200, removed 124, retries 12000"
    wide = summary(report_of(outcomes), [], Path("x.json"), width=200)
    assert "unchanged" in wide.splitlines()[1]
    assert "also:" not in wide


@pytest.mark.e2e
def test_a_crawl_in_an_80_column_terminal(tmp_path: Path) -> None:
    short = Path(tempfile.mkdtemp(prefix="t"))  # a short path: the "log in" line fits too
    try:
        with ReplicaServer(
            posts=30, seed=3, faults="slow=1,slow_s=0.15,attempts=100", log_requests=False
        ) as server:
            output = run_in_terminal(
                [
                    sys.executable, "-m", "snhr_crawler.cli", "crawl", "snhr_news",
                    "--origin", f"snhr_news={server.origins['snhr_news']}",
                    "--archive", str(short / "a"),
                ]
            )  # fmt: skip
    finally:
        shutil.rmtree(short)
    lines = screen(output)
    texts = [text for text, _ in lines]
    refreshes = output.count("\r\x1b[K")
    assert refreshes >= 2, output  # rewritten in place at least once
    progress = [(text, rows) for text, rows in lines if text.startswith("1/1 snhr_news")]
    assert len(progress) == 1, texts  # every refresh rewrote the same row
    (text, rows) = progress[0]
    assert rows == 1
    assert text.endswith("  finished")
    assert texts[0] == "local mode: snhr_news on loopback, no delay, no AutoThrottle"
    assert texts[1].startswith("run ")
    assert " log in " in texts[1]
    start = texts.index(next(t for t in texts if t.startswith("source ")))
    table = lines[start : start + 4]
    assert [t.split()[0] for t, _ in table] == ["source", "---------", "snhr_news", "total"]
    assert all(rows == 1 for _, rows in table), table
    assert not any(t.startswith("20") and "[scrapy" in t for t in texts)  # Scrapy's log: a file


def run_in_terminal(argv: list[str], columns: int = COLUMNS, rows: int = 24) -> str:
    """Run ``argv`` with a pseudo-terminal of ``columns`` x ``rows`` as its three streams."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env.pop("SNHR_ARCHIVE_DIR", None)
    proc = subprocess.Popen(
        argv, stdin=slave, stdout=slave, stderr=slave, cwd=REPO, env=env, close_fds=True
    )
    os.close(slave)
    chunks = []
    try:
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        assert proc.wait(timeout=120) == 0, b"".join(chunks).decode(errors="replace")
    finally:
        os.close(master)
        if proc.poll() is None:
            proc.kill()
    return b"".join(chunks).decode("utf-8", "replace")
