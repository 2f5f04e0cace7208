"""Large archives: one of N articles built through the store API, and what it costs to use.

    python -m benchmarks.scale build --records 100000 --archive /tmp/big   # seconds
    python -m benchmarks.scale time --archive /tmp/big                     # export and verify

``build_archive`` writes N article records of one source through
``ArchiveStore.put_article``, the crawl's own write path (schema check,
index, manifest), without a crawl: each record is a real archived line
(``template``, e.g. one the benchmark's full crawl wrote) given its own post
id, URL, title, publication time and hash, and no ``capture`` (nothing was
fetched for it, so verify's pointer checks cover the crawled lines only). Their URLs are on the public site
under a year no replica post uses (``/2009/``), so a crawl of the replica
does not find them and a full run's re-check of them is answered 404.

``time_commands`` runs ``export`` (JSON Lines, CSV, Parquet) and ``verify``
on an archive, each as a child process, and reports wall time, CPU seconds
and peak RSS.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from snhr_crawler.archive.records import ARTICLE_FIELDS
from snhr_crawler.archive.store import ArchiveStore

ROOT = Path(__file__).resolve().parents[1]
SOURCE = "snhr_news"
SYNTHETIC_YEAR = 2009
#: A line like the ones a crawl of the replica writes, for building without one.
DEFAULT_TEMPLATE: dict[str, Any] = {
    "id": "snhr_news:1",
    "source": SOURCE,
    "site": "news.snhr.org",
    "language": "en",
    "url": "https://news.snhr.org/2009/01/01/x/",
    "post_id": 1,
    "title": "HTS arrests a civilian in W. Deir Ez-Zour, January 13, 2009",
    "subtitle": None,
    "published_at": "2009-01-13T16:55:40+03:00",
    "modified_at": "2009-01-17T04:02:53+00:00",
    "date_source": "meta",
    "incident_date": "2009-01-13",
    "incident": None,
    "categories": ["News", "Arrests"],
    "tags": [],
    "doc_type": "news",
    "body_text": "\n\n".join(
        ["On January 13, 2009, HTS arrested a civilian in al Bara village."] * 8
    ),
    "body_html": "\n".join(
        ["<p>On January 13, 2009, HTS arrested a civilian in al Bara village.</p>"] * 8
    ),
    "attachments": [],
    "images": [{"url": "https://news.snhr.org/wp-content/uploads/x.jpg", "caption": "x"}],
    "translations": {},
    "translation_group": None,
    "discovered_by": "listing",
    "crawled_at": "2026-11-25T02:15:00Z",
    "content_sha256": "0" * 64,
    "truncated": [],
}


def synthetic(template: dict[str, Any], n: int) -> dict[str, Any]:
    """Record ``n``: the template with its own id, URL, title, day and hash."""
    day = datetime(SYNTHETIC_YEAR, 1, 1, 9, tzinfo=UTC) + timedelta(minutes=5 * n)
    post_id = 9_000_000 + n
    title = f"{template['title']} ({n})"
    record = {name: template.get(name) for name in ARTICLE_FIELDS}
    record.update(
        id=f"{SOURCE}:{post_id}",
        source=SOURCE,
        post_id=post_id,
        url=f"https://news.snhr.org/{day:%Y/%m/%d}/archived-post-{n}/",
        title=title,
        published_at=day.isoformat(timespec="seconds"),
        incident_date=day.date().isoformat(),
        translations={},
        translation_group=None,
        content_sha256=hashlib.sha256(title.encode("utf-8")).hexdigest(),
        # No bytes were fetched for it: a template's pointer would name another
        # archive's WARC record, which verify rightly reports as unresolvable.
        capture=None,
    )
    return record


def build_archive(root: Path, records: int, template: dict[str, Any] | None = None) -> float:
    """Write ``records`` synthetic articles into ``root`` through the store; seconds taken."""
    template = template or DEFAULT_TEMPLATE
    started = time.perf_counter()
    store = ArchiveStore(root, fsync_every=5_000)
    try:
        for n in range(records):
            store.put_article(synthetic(template, n))
    finally:
        store.close()
    return time.perf_counter() - started


def template_from(archive: Path) -> dict[str, Any] | None:
    """The first article line of ``SOURCE`` in ``archive`` (a real crawled record), if any."""
    for path in sorted((archive / SOURCE).glob("*.jsonl")):
        with path.open("rb") as handle:
            for raw in handle:
                record = json.loads(raw)
                if not record.get("tombstone"):
                    return record
    return None


@dataclass
class Timed:
    wall_s: float
    cpu_s: float
    peak_rss_mb: float
    returncode: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "wall_s": self.wall_s,
            "cpu_s": self.cpu_s,
            "peak_rss_mb": self.peak_rss_mb,
            "returncode": self.returncode,
        }


def timed(cmd: list[str], cwd: Path = ROOT) -> Timed:
    """Run ``cmd`` and reap it with ``os.wait4``: its own wall, CPU and peak RSS.

    ``ru_maxrss`` is the child's own here: it is started with ``posix_spawn``
    off a small parent (``benchmarks/stats_dump.py`` explains the vfork case).
    """
    start = time.perf_counter()
    process = subprocess.Popen(
        cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, close_fds=True
    )
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if process.stderr is not None:
        process.stderr.close()
    return Timed(
        wall_s=wall,
        cpu_s=usage.ru_utime + usage.ru_stime,
        peak_rss_mb=usage.ru_maxrss / 1024,
        returncode=os.waitstatus_to_exitcode(status),
    )


def time_commands(archive: Path, out: Path) -> dict[str, Any]:
    """``export`` in each format and ``verify`` of ``archive``, each in its own process."""
    cli = [sys.executable, "-m", "snhr_crawler.cli"]
    out.mkdir(parents=True, exist_ok=True)
    figures: dict[str, Any] = {}
    for fmt in ("jsonl", "csv", "parquet"):
        target = out / f"export.{fmt}"
        target.unlink(missing_ok=True)
        Path(f"{target}.datapackage.json").unlink(missing_ok=True)
        figures[f"export_{fmt}"] = timed(
            [*cli, "export", "--archive", str(archive), "--format", fmt, "--output", str(target)]
        ).as_dict()
        figures[f"export_{fmt}"]["bytes"] = target.stat().st_size if target.exists() else None
    figures["verify"] = timed([*cli, "verify", "--archive", str(archive)]).as_dict()
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.scale")
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="an archive of N synthetic articles")
    build.add_argument("--records", type=int, default=100_000)
    build.add_argument("--archive", type=Path, required=True)
    when = sub.add_parser("time", help="export and verify an archive, timed")
    when.add_argument("--archive", type=Path, required=True)
    when.add_argument("--output", type=Path, default=Path("/tmp/snhr-scale-exports"))
    args = parser.parse_args(argv)
    if args.command == "build":
        seconds = build_archive(args.archive, args.records)
        print(f"{args.records} records in {seconds:.1f} s: {args.archive}")
    else:
        print(json.dumps(time_commands(args.archive, args.output), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
