from __future__ import annotations

import pytest

from tests.sealed import network_seal


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite tests/fixtures/*/*/expected.jsonl from the current output (review the diff!)",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def pytest_configure(config: pytest.Config) -> None:
    """Seal the network for this process and every process a test starts.

    No test may resolve a name or connect beyond 127.0.0.0/8 (or ::1): a
    spider that forgot its ``origin`` fails loudly instead of reaching SNHR's
    real servers, in-process or in a ``scrapy crawl`` child (see
    ``tests/sealed/network_seal.py``).
    """
    network_seal.install()
    network_seal.seal_children()


# -- the hostile suite's table (tests/hostile): printed at the end, also under xdist -----------
_HOSTILE_ROWS: list = []


def pytest_sessionfinish(session: pytest.Session) -> None:
    from tests.hostile import table

    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # an xdist worker: hand the rows to the controller
        workeroutput["hostile_rows"] = list(table.ROWS)
    else:
        _HOSTILE_ROWS.extend(table.ROWS)


def pytest_testnodedown(node: object, error: object) -> None:
    _HOSTILE_ROWS.extend(getattr(node, "workeroutput", {}).get("hostile_rows", []))


def pytest_terminal_summary(terminalreporter: object) -> None:
    from tests.hostile import table

    lines = table.render(_HOSTILE_ROWS)
    if lines:
        terminalreporter.section("hostile sites and disks")  # type: ignore[attr-defined]
        for line in lines:
            terminalreporter.write_line(line)  # type: ignore[attr-defined]
