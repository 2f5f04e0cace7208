"""The real-pages benchmark holds: every check of ours passes on the development pages.

The pages are third-party markup kept outside the project (``../shared/eval/
real-pages``, see its README); the test is skipped where that folder is not
beside the checkout. The benchmark's own scoring decides, so the expected
values are the hand-written gold files there, not anything computed here.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.real_pages import DEFAULT_FOLDER

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.e2e


@pytest.mark.skipif(not DEFAULT_FOLDER.is_dir(), reason="no real pages beside the checkout")
def test_every_check_passes_on_the_development_pages() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks.real_pages", "--strict", "--no-trafilatura"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=110,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "| ours | " in proc.stdout
