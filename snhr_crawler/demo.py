"""``make demo``: the whole job, offline, in a minute.

Starts the offline replica of SNHR's four sites on loopback, crawls it with
the real spiders, settings and pipelines into ``./demo-archive`` (politeness
lowered: the only server involved is our own replica on this machine), prints
the archive's status and a few records, verifies the archive, and stops the
replica whatever happens.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from snhr_crawler.archive.reader import latest_records

#: Loopback only: the replica is a local process, so no politeness is owed to it.
LOOPBACK = ("AUTOTHROTTLE_ENABLED=0", "DOWNLOAD_DELAY=0", "CONCURRENT_REQUESTS_PER_DOMAIN=8")
SOURCES = ("snhr_news", "snhr_news_ar", "snhr_reports", "snhr_reports_ar")


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "snhr_crawler.cli", *args]


def start_replica(posts: int, origins_file: Path) -> subprocess.Popen[str]:
    """Start ``replica serve`` and wait until it has printed one origin per site."""
    server = subprocess.Popen(
        _cli("replica", "serve", "--port", "0", "--posts", str(posts)),
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdout is not None
    lines = [server.stdout.readline() for _ in SOURCES]
    if not all(line.strip() for line in lines):
        server.terminate()
        raise SystemExit("error: the replica did not start")
    origins_file.write_text("".join(lines), "utf-8")
    return server


def show(archive: Path, per_source: int = 2) -> None:
    """A few archived records per source, as a researcher would first look at them."""
    for source in SOURCES:
        records = [r for r in latest_records(archive, sources=[source])][-per_source:]
        for record in records:
            print(
                json.dumps(
                    {
                        k: record[k]
                        for k in ("id", "published_at", "incident_date", "doc_type", "title")
                    },
                    ensure_ascii=False,
                )
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m snhr_crawler.demo", description=__doc__)
    parser.add_argument(
        "--archive", default="demo-archive", help="where to archive (default ./demo-archive)"
    )
    parser.add_argument("--posts", type=int, default=40, help="posts per site in the replica")
    args = parser.parse_args(argv)
    archive = Path(args.archive)
    with tempfile.TemporaryDirectory() as scratch:
        origins = Path(scratch) / "origins.txt"
        server = start_replica(args.posts, origins)
        try:
            print(f"Replica of SNHR's four sites running:\n{origins.read_text('utf-8')}")
            quiet = (*LOOPBACK, "LOG_LEVEL=WARNING")  # the progress lines and summary say enough
            settings = [item for value in quiet for item in ("--set", value)]
            crawl = subprocess.run(
                _cli("crawl", "--origins-file", str(origins), "--archive", str(archive), *settings),
                check=False,
            )
        finally:
            server.terminate()
            server.wait(timeout=30)
    print("\nWhat was archived:")
    subprocess.run(_cli("status", "--archive", str(archive)), check=False)
    show(archive)
    verified = subprocess.run(_cli("verify", "--archive", str(archive)), check=False)
    print(f"\nThe archive is in {archive}; the replica has been stopped.")
    return crawl.returncode or verified.returncode


if __name__ == "__main__":
    raise SystemExit(main())
