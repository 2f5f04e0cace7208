"""Golden files: every fixture case's callback output, compared line by line.

Each ``fixtures/<spider>/<case>/`` holds ``response.html``, ``meta.json``
(``url``, ``callback``, optional ``cb_kwargs``, ``frozen_time``) and
``expected.jsonl``. ``pytest --update-golden`` rewrites the expected files;
read the diff before committing it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from freezegun import freeze_time
from scrapy.spiderloader import get_spider_loader
from scrapy.utils.project import get_project_settings

from tests.helpers import FIXTURES, fixture_meta, fixture_response, make_spider, serialise

CASES = sorted(
    (path.parent.parent.name, path.parent.name) for path in FIXTURES.glob("*/*/meta.json")
)


def run_case(spider_name: str, case: str) -> list[str]:
    meta = fixture_meta(spider_name, case)
    spider_cls = get_spider_loader(get_project_settings()).load(spider_name)
    spider = make_spider(spider_cls)
    with freeze_time(meta["frozen_time"]):
        callback = getattr(spider, meta["callback"])
        results = callback(fixture_response(spider_name, case), **meta.get("cb_kwargs", {}))
        return [serialise(result) for result in results or []]


@pytest.mark.parametrize(("spider_name", "case"), CASES, ids=[f"{s}/{c}" for s, c in CASES])
def test_golden(spider_name: str, case: str, update_golden: bool) -> None:
    expected_path: Path = FIXTURES / spider_name / case / "expected.jsonl"
    lines = run_case(spider_name, case)
    if update_golden:
        expected_path.write_text("".join(line + "\n" for line in lines), "utf-8")
    assert expected_path.exists(), (
        f"no golden file; run pytest --update-golden and review {expected_path}"
    )
    assert lines == expected_path.read_text("utf-8").splitlines()
