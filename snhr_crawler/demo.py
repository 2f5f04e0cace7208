"""``make demo``: the whole job, offline, in a minute.

Starts the offline replica of SNHR's four sites on loopback, crawls it with
the real spiders, settings and pipelines into ``./demo-archive`` (in local
mode, as ``crawl`` runs any loopback origin: the only server involved is our
own replica on this machine), prints the archive's status and a few records,
verifies the archive, and stops the replica whatever happens.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from snhr_crawler.archive.reader import latest_records
from snhr_replica.process import (
    SOURCES,
    ReplicaStartError,
    start_replica_process,
    stop_process,
)

#: Bound on the replica printing its origins (it renders nothing up front: seconds).
REPLICA_START_S = 120.0


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "snhr_crawler.cli", *args]


def start_replica(
    posts: int, origins_file: Path, timeout: float = REPLICA_START_S
) -> subprocess.Popen[str]:
    """Start ``replica serve``, wait (at most ``timeout`` s) for one origin per site.

    Writes them to ``origins_file`` as ``<spider> <origin>`` lines; on failure the
    replica is stopped and the demo exits with a one-line error.
    """
    try:
        server, origins = start_replica_process(
            ["--port", "0", "--posts", str(posts)], timeout, command=_cli("replica", "serve")
        )
    except ReplicaStartError as error:
        raise SystemExit(f"error: {error}") from None
    origins_file.write_text("".join(f"{s} {origins[s]}\n" for s in SOURCES), "utf-8")
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
            # Loopback origins: crawl runs them in local mode by itself, and says so.
            crawl = subprocess.run(
                # Only the sources the replica serves: another spider would crawl its real host.
                _cli("crawl", *SOURCES, "--origins-file", str(origins), "--archive", str(archive)),
                check=False,
            )
        finally:
            stop_process(server)
    print("\nWhat was archived:")
    subprocess.run(_cli("status", "--archive", str(archive)), check=False)
    show(archive)
    verified = subprocess.run(_cli("verify", "--archive", str(archive)), check=False)
    print(f"\nThe archive is in {archive}; the replica has been stopped.")
    return crawl.returncode or verified.returncode


if __name__ == "__main__":
    raise SystemExit(main())
