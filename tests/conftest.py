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
