"""Hostile sites and disks, tamper: Tampering is detectable."""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy.utils.defer import deferred_f_from_coro_f

from tests.hostile.cases import Case
from tests.hostile.runner import cases_of, run_case

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(60)]

CASES = cases_of("tamper")


@pytest.mark.parametrize("hostile", CASES, ids=[c.name for c in CASES])
@deferred_f_from_coro_f
async def test_case(hostile: Case, tmp_path: Path) -> None:
    await run_case(hostile, tmp_path)
