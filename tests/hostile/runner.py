"""Running one hostile case: timed (CPU and wall seconds), its memory measured, its row kept.

The cases live in ``tests/hostile/cases/``; one test module per group
(``test_<group>.py``) parametrises over its cases, so pytest-xdist spreads the
groups over workers. Each case's peak memory is measured above what the
process held when it began (a worker of a long test session already holds a
few hundred MB). ``tests/conftest.py`` prints the table at the end of the
session, also from xdist workers.
"""

from __future__ import annotations

import time
from pathlib import Path

from tests.hostile import table
from tests.hostile.cases import Case, all_cases
from tests.hostile.lab import Lab, peak_memory_mb, reset_peak_memory

#: The issue's ceilings for one case ("a few seconds, well under 300 MB").
MAX_SECONDS = 5.0
MAX_GROWTH_MB = 150.0


def cases_of(group: str) -> list[Case]:
    return [case for case in all_cases() if case.group == group]


async def run_case(hostile: Case, tmp_path: Path) -> None:
    before = reset_peak_memory()
    cpu, wall = time.process_time(), time.monotonic()
    try:
        seen = await hostile.run(Lab(tmp_path))
    except BaseException as exc:
        table.record(hostile, "FAILED", f"{type(exc).__name__}", time.monotonic() - wall, 0, 0)
        raise
    wall = time.monotonic() - wall
    cpu = time.process_time() - cpu
    growth = peak_memory_mb() - before
    table.record(hostile, seen.outcome, seen.evidence, wall, cpu, growth)
    assert wall < MAX_SECONDS, f"{hostile.name} took {wall:.1f} s"
    assert growth < MAX_GROWTH_MB, f"{hostile.name} took {growth:.0f} MB more memory"
