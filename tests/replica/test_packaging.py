"""The replica is its own package: the crawler runs without aiohttp, the replica says what it lacks."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

#: Runs the rest of ``-c`` as if aiohttp were not installed (``import aiohttp`` raises
#: ModuleNotFoundError, as it does in an environment without the replica extra).
WITHOUT_AIOHTTP = "import sys; sys.modules['aiohttp'] = None; "


def _python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", WITHOUT_AIOHTTP + code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_aiohttp_is_an_extra_not_a_dependency() -> None:
    """Declared for the replica only (Scrapy >= 2.19 happens to require it too, for its own reasons)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    assert not any(dep.startswith("aiohttp") for dep in project["dependencies"])
    extras = project["optional-dependencies"]
    assert any(dep.startswith("aiohttp") for dep in extras["replica"])
    assert any(dep.startswith("aiohttp") for dep in extras["test"])  # the e2e tests serve it


@pytest.mark.e2e
def test_every_crawler_module_imports_without_aiohttp() -> None:
    result = _python(
        "import importlib, pkgutil, snhr_crawler\n"
        "for info in pkgutil.walk_packages(snhr_crawler.__path__, 'snhr_crawler.'):\n"
        "    if not info.name.endswith('__main__'):  # those run their command\n"
        "        importlib.import_module(info.name)\n"
        "print('ok')"
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "ok"


@pytest.mark.e2e
def test_serve_without_the_extra_is_one_line_and_exit_2() -> None:
    result = _python(
        "from snhr_crawler.cli import main; sys.exit(main(['replica', 'serve', '--posts', '2']))"
    )
    assert result.returncode == 2, result.stderr[-2000:]
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("snhr-crawler replica: error:")
    assert "snhr-crawler[replica]" in line


@pytest.mark.e2e
def test_truth_needs_no_extra() -> None:
    result = _python(
        "from snhr_crawler.cli import main; sys.exit(main(['replica', 'truth', '--posts', '2']))"
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert len(result.stdout.splitlines()) == 4 * 2
