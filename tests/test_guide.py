"""docs/adding-a-spider.md, followed once from step 3 to step 7 on a copy of the project.

A copy, because the guide writes into the checkout (a spider, seeds,
fixtures, a test) and the suite runs in parallel: the copy's package is
imported first in every command (``PYTHONPATH``). Each command run here must
appear in the guide as written, so the guide cannot drift from what works.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from snhr_crawler import scaffold
from snhr_crawler.archive.reader import latest_records
from tests.site import StaticSite, serve

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[1]
GUIDE = (REPO / "docs" / "adding-a-spider.md").read_text("utf-8")
NAME, DOMAIN = "example_news", "news.example.org"


def in_guide(*words: str) -> None:
    """The command ``words`` is in the guide (``.venv/bin/`` or ``python -m`` in front)."""
    assert " ".join(words) in GUIDE, f"the guide no longer says: {' '.join(words)}"


def run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")]),
    }
    return subprocess.run(
        [sys.executable, *args], cwd=root, env=env, capture_output=True, text=True, timeout=300
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "checkout"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for folder in ("snhr_crawler", "tests", "docs"):
        shutil.copytree(REPO / folder, root / folder, ignore=ignore)
    for name in ("pyproject.toml", "scrapy.cfg"):
        shutil.copy2(REPO / name, root / name)
    return root


def test_the_guide_start_to_finish(project: Path, tmp_path: Path) -> None:
    # 3. Generate.
    in_guide("snhr-crawler new-source --base tagdiv", NAME, DOMAIN)
    made = run(project, "-m", "snhr_crawler.cli", "new-source", "--base", "tagdiv", NAME, DOMAIN)
    assert made.returncode == 0, made.stderr
    spider_file = project / "snhr_crawler" / "spiders" / f"{NAME}.py"
    seeds_file = project / "snhr_crawler" / "seeds" / f"{NAME}.txt"
    assert spider_file.exists()
    assert seeds_file.exists()

    # 4. The invariants refuse the TODOs until the site is described.
    checks = ("-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_all_spiders.py",
              f"tests/spiders/test_{NAME}.py")  # fmt: skip
    in_guide("python -m pytest tests/test_all_spiders.py", f"tests/spiders/test_{NAME}.py")
    refused = run(project, *checks)
    assert refused.returncode != 0
    assert "TODO" in refused.stdout
    spider_file.write_text(
        spider_file.read_text("utf-8")
        .replace("TODO publisher and section", "Example News, daily bulletins")
        .replace(
            "TODO what is odd about this site: markup eras, date quirks, hosts it moved from.",
            "Nothing yet: fixture pages only.",
        )
        .replace("site_names=(),", 'site_names=("Example News",),'),
        "utf-8",
    )
    seeds_file.write_text(
        re.sub(r"^# TODO.*\n", "", seeds_file.read_text("utf-8"), flags=re.MULTILINE), "utf-8"
    )
    described = run(project, *checks)
    assert described.returncode == 0, described.stdout + described.stderr

    # 5. Golden files for the new fixtures, then the golden test passes on them.
    in_guide("python -m pytest tests/test_fixtures.py -k", NAME, "--update-golden")
    golden = ("-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_fixtures.py", "-k", NAME)
    assert run(project, *golden, "--update-golden").returncode == 0
    expected = project / "tests" / "fixtures" / NAME / "article" / "expected.jsonl"
    assert '"id": "example_news:4242"' in expected.read_text("utf-8")
    assert run(project, *golden).returncode == 0

    # 7. Try it on a local copy, into a scratch archive (never ./archive).
    fixtures = project / "tests" / "fixtures" / NAME
    site = StaticSite()
    html = {"Content-Type": "text/html; charset=UTF-8"}
    site.pages["/robots.txt"] = (200, {"Content-Type": "text/plain"}, b"User-agent: *\n")
    site.pages["/category/news/"] = (
        200,
        html,
        (fixtures / "listing" / "response.html").read_bytes(),
    )
    site.pages[scaffold.EXAMPLE_PATH] = (
        200,
        html,
        (fixtures / "article" / "response.html").read_bytes(),
    )
    archive = tmp_path / "example-archive"
    in_guide(f"scrapy crawl {NAME} -a origin=http://127.0.0.1:8000 -a max_pages=1 -s ARCHIVE_DIR=")
    in_guide("snhr-crawler verify --archive")
    with serve(site) as served:
        crawled = run(
            project, "-m", "scrapy", "crawl", NAME, "-a", f"origin={served.origin}",
            "-a", "max_pages=1", "-s", f"ARCHIVE_DIR={archive}", "-s", "DOWNLOAD_DELAY=0",
            "-s", "AUTOTHROTTLE_ENABLED=0",
        )  # fmt: skip
    assert crawled.returncode == 0, crawled.stderr[-2000:]
    (record,) = latest_records(archive)
    assert (record["id"], record["url"], record["title"]) == (
        "example_news:4242",
        f"https://{DOMAIN}{scaffold.EXAMPLE_PATH}",
        scaffold.EXAMPLE_TITLE,
    )
    verified = run(project, "-m", "snhr_crawler.cli", "verify", "--archive", str(archive))
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert not (project / "archive").exists()
