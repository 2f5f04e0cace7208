"""Every bad input in ``tests/ops/bad_inputs.py``: one line on stderr, the right exit code.

Cases that start a crawl or read the environment at import run in their own
process; the others run in this one (``main``), which is where usage errors
are found anyway: before any lock, crawl or file.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from snhr_crawler.cli import main
from tests.ops.bad_inputs import CASES, Case, expand, run_process, scene

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def places() -> Iterator[dict[str, str]]:
    with scene() as prepared:
        yield prepared


def _id(c: Case) -> str:
    env = " ".join(f"{k}={v}" for k, v in c.env.items())
    return f"{env} {' '.join(c.argv)}".strip() or "(nothing)"


@pytest.mark.parametrize("c", CASES, ids=[_id(c) for c in CASES])
def test_a_bad_input_is_one_line_and_its_exit_code(
    c: Case,
    places: dict[str, str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    if c.process:
        code, _, err = run_process(c, places)
    else:
        monkeypatch.delenv("SNHR_ARCHIVE_DIR", raising=False)
        try:
            code = main(expand(c, places))
        except SystemExit as exc:
            code = int(exc.code or 0)
        _, err = capsys.readouterr()
    assert code == c.code, err
    assert len(err.splitlines()) == 1, err
    assert c.says in err, err
    assert err.startswith("snhr-crawler") or err.startswith("error: environment variable"), err


def test_the_cases_cover_every_command() -> None:
    commands = {c.argv[0] for c in CASES if c.argv and not c.argv[0].startswith("-")}
    assert commands >= {
        "crawl", "export", "report", "status", "verify", "reparse", "audit", "replica"
    }  # fmt: skip
    assert len(CASES) >= 79  # the issue tried 79
