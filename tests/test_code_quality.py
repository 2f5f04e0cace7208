"""Lint and types are part of the suite, so CI holds them as it holds behaviour."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)


@pytest.mark.e2e  # seconds of CPU: `make lint` and `make test` run it, not test-fast
def test_ruff() -> None:
    pytest.importorskip("ruff")  # the dev extra; `make test` installs it
    result = _run(
        sys.executable, "-m", "ruff", "check", "snhr_crawler", "snhr_replica", "tests", "benchmarks"
    )
    assert result.returncode == 0, result.stdout[-3000:]


@pytest.mark.e2e
def test_mypy() -> None:
    pytest.importorskip("mypy")
    result = _run(sys.executable, "-m", "mypy", "--cache-dir", "/dev/null")
    assert result.returncode == 0, result.stdout[-3000:]


#: The modules allowed to read the system clock: the crawler's one clock, and the
#: replica's (which tests pin through ``ReplicaServer(now=...)``).
CLOCK_READERS = {"snhr_crawler/clock.py", "snhr_replica/clock.py"}
_CLOCK_CALLS = re.compile(r"\b(datetime\.(now|utcnow|today)|date\.today|time\.time)\(")


def test_only_the_clock_module_reads_the_clock() -> None:
    """Time is an input: a ``datetime.now()`` elsewhere is a verdict that changes with the date."""
    offenders = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for package in ("snhr_crawler", "snhr_replica")
        for path in sorted((ROOT / package).rglob("*.py"))
        if str(path.relative_to(ROOT)) not in CLOCK_READERS
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1)
        if _CLOCK_CALLS.search(line)
    ]
    assert not offenders, "\n".join(offenders)
