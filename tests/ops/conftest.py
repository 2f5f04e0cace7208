"""Fixtures for the operations tests: archives built through the archive's writer, CLI runs."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pytest

from snhr_crawler.archive import store as store_module
from snhr_crawler.archive.store import ArchiveStore
from snhr_crawler.items import Article, article_id, content_sha256

REPO = Path(__file__).resolve().parents[2]
#: Politeness lowered for the loopback replica only.
LOOPBACK = [
    "--set",
    "AUTOTHROTTLE_ENABLED=0",
    "--set",
    "DOWNLOAD_DELAY=0",
    "--set",
    "CONCURRENT_REQUESTS_PER_DOMAIN=8",
]


def make_article(n: int, *, source: str = "snhr_news", **overrides: Any) -> Article:
    """Article ``n`` of ``source``, published on a day that depends on ``n`` (not in order)."""
    day = (n * 7919) % 3650  # scatter over ten years so files and dates interleave
    year, rest = 2015 + day // 365, day % 365
    month, dom = 1 + rest // 31 % 12, 1 + rest % 28
    published = f"{year}-{month:02d}-{dom:02d}T{n % 24:02d}:00:00+03:00"
    url = f"https://news.snhr.org/{year}/{month:02d}/{dom:02d}/post-{n}/"
    title = overrides.pop("title", f"Incident report number {n}")
    body = overrides.pop("body_text", f"Body of post {n}.\nسطر ثان.")
    fields: dict[str, Any] = {
        "id": article_id(source, n, url),
        "source": source,
        "site": "news.snhr.org",
        "language": "en",
        "url": url,
        "post_id": n,
        "title": title,
        "published_at": published,
        "date_source": "json-ld",
        "incident_date": published[:10],
        "categories": ["News", "Casualties"],
        "tags": ["Idlib"] if n % 2 else [],
        "doc_type": "news",
        "body_text": body,
        "body_html": f"<p>{body}</p>",
        "attachments": [{"url": f"https://snhr.org/wp-content/uploads/{n}.pdf", "title": "PDF"}]
        if n % 10 == 0
        else [],
        "images": [{"url": f"https://news.snhr.org/img/{n}.jpg", "caption": None}],
        "translations": {"ar": f"https://news.snhr.org/ar/post-{n}/"},
        "crawled_at": "2026-11-25T12:00:00+00:00",
        "content_sha256": content_sha256(title, body),
    }
    fields.update(overrides)
    return Article(**fields)


def build_archive(root: Path, articles: Iterable[Article], *, schema_every: int = 1) -> None:
    """Write ``articles`` through the archive's own store (index, manifest and all).

    The store validates each line against the JSON Schema (about 1 ms a line);
    ``schema_every=N`` validates every Nth line only, so a 10,000-article
    archive builds in seconds. The factory's lines are all alike, so a sample
    still proves they are valid.
    """
    seen = 0

    def sampled(record: dict[str, Any]) -> list[str]:
        nonlocal seen
        seen += 1
        return validate(record) if seen % schema_every == 1 or schema_every == 1 else []

    validate = store_module.problems
    store_module.problems = sampled  # type: ignore[assignment]
    store = ArchiveStore(root, fsync_every=100_000)
    try:
        for article in articles:
            store.put_article(asdict(article))
    finally:
        store.close()
        store_module.problems = validate  # type: ignore[assignment]


@dataclass
class CliResult:
    returncode: int
    stdout: str
    stderr: str


def run_cli(*args: str, cwd: Path | None = None, timeout: float = 60) -> CliResult:
    """``snhr-crawler ARGS`` in a subprocess (a crawl installs a reactor: one per process)."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("SNHR_ARCHIVE_DIR", None)
    proc = subprocess.run(
        [sys.executable, "-m", "snhr_crawler.cli", *args],
        cwd=cwd or REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    return CliResult(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture
def archive_dir(tmp_path: Path) -> Path:
    path = tmp_path / "archive"
    path.mkdir()
    return path
