"""Lint and types are part of the suite, so CI holds them as it holds behaviour."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)


def test_ruff() -> None:
    pytest.importorskip("ruff")  # the dev extra; `make test` installs it
    result = _run(sys.executable, "-m", "ruff", "check", "snhr_crawler", "tests", "benchmarks")
    assert result.returncode == 0, result.stdout[-3000:]


def test_mypy() -> None:
    pytest.importorskip("mypy")
    result = _run(sys.executable, "-m", "mypy", "--cache-dir", "/dev/null")
    assert result.returncode == 0, result.stdout[-3000:]
