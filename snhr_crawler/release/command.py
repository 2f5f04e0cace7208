"""``snhr-crawler release --output DIR [--run ID | --since DATE]``: a WACZ per run, and a collection.

For each run chosen (every run by default; ``--run`` one; ``--since`` those
that started on or after a UTC day) that wrote a line or a WARC file, writes
``DIR/<name>.wacz`` (``release.build``), keeps its record in the archive
(``releases/<name>/``, ``release.record``), writes each timestamp token
beside the WACZ as ``DIR/<name>.<tsa>.tsr``, and then ``DIR/collection.json``
over every release in ``DIR``.

A run released before is written again from the archive and that record:
the same bytes, tokens included (its ``datapackage.json`` must come out the
same, or the archive changed since: an error). Authorities configured now
that the release has no token from yet are asked and added. A WACZ already
in ``DIR`` with other bytes is not replaced without ``--force``.

Timestamps are opt-in: ``--tsa-config FILE`` (or ``$SNHR_TSA_CONFIG``) names
the authorities (``release.timestamp``). If one does not answer, nothing of
that run is written (one line, exit 1): run it again later.

The command holds the archive's run lock (exit 75 while a crawl runs) and
needs the ``release`` extra (cdxj-indexer, rfc3161-client): without it, one
line and exit 2.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import os
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

from snhr_crawler.archive.lock import ArchiveLockedError, RunLock
from snhr_crawler.clock import utc_now
from snhr_crawler.ops import runs as run_reports
from snhr_crawler.ops.outputs import OutputRefused, check_output_dir
from snhr_crawler.ops.parser import (
    EXIT_FAILED,
    EXIT_LOCKED,
    EXIT_OK,
    EXIT_USAGE,
    add_archive_option,
    archive_from,
    fail,
    iso_day,
)
from snhr_crawler.release import timestamp
from snhr_crawler.release.build import Contents, read_contents, write_wacz
from snhr_crawler.release.collection import write_collection
from snhr_crawler.release.record import Recorded, read_recorded, release_name, write_recorded
from snhr_crawler.release.runs import ReleaseError, Run, find_run, read_runs

PROG = "snhr-crawler release"
INSTALL_HINT = "pip install 'snhr-crawler[release]'"


def register(subparsers: Any) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "release",
        help="write a WACZ per run (WARC, CDXJ, pages, records), timestamped if configured",
        description=(
            "One WACZ per run: the run's WARC files, their CDXJ index, a page per archived"
            " record, the run's JSON Lines and the manifest chain, listed and hashed in"
            " datapackage.json; optionally an RFC 3161 timestamp over it from the"
            " authorities in --tsa-config; and collection.json over every release in DIR."
        ),
    )
    parser.add_argument("--output", "-o", required=True, metavar="DIR",
                        help="folder for the releases (created if missing; its parent must exist)")  # fmt: skip
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--run", metavar="ID", help="only this run (a run id, as runs/<ID>.json)")
    which.add_argument(
        "--since", type=iso_day, metavar="YYYY-MM-DD", help="runs started on or after this UTC day"
    )
    parser.add_argument("--tsa-config", metavar="FILE",
                        help=f"time-stamping authorities (TOML; default ${timestamp.ENV_VAR}, else none)")  # fmt: skip
    parser.add_argument("--force", action="store_true",
                        help="replace a WACZ in DIR whose bytes differ from this release's")  # fmt: skip
    add_archive_option(parser)
    parser.set_defaults(func=run)
    return parser


def tsa_config_path(args: argparse.Namespace) -> Path | None:
    value = getattr(args, "tsa_config", None) or os.environ.get(timestamp.ENV_VAR)
    return Path(value) if value else None


def run(args: argparse.Namespace) -> int:
    """The ``release`` subcommand; returns the exit code."""
    since = args.since
    if args.run is not None and not re.fullmatch(r"[0-9A-Za-z][0-9A-Za-z_-]*", args.run):
        return fail(PROG, f"--run: not a run id: {args.run!r}", code=EXIT_USAGE)
    output = Path(args.output)
    try:
        check_output_dir(output)
    except OutputRefused as exc:
        return fail(PROG, str(exc), code=EXIT_USAGE)
    authorities: list[timestamp.Authority] = []
    config = tsa_config_path(args)
    try:
        import cdxj_indexer  # noqa: F401  (the release extra)

        if config is not None:
            authorities = timestamp.load_authorities(config)
            import rfc3161_client  # noqa: F401
    except ImportError as exc:
        return fail(
            PROG,
            f"needs the release extra ({exc.name} is missing): {INSTALL_HINT}",
            code=EXIT_USAGE,
        )
    except timestamp.ConfigError as exc:
        return fail(PROG, f"--tsa-config: {exc}", code=EXIT_USAGE)
    archive_dir = archive_from(args)
    if not archive_dir.is_dir():
        return fail(PROG, f"no archive at {archive_dir}")
    started = utc_now()
    lock = RunLock(
        archive_dir, f"release-{run_reports.new_run_id(started)}", run_reports.iso(started)
    )
    try:
        lock.acquire()
    except ArchiveLockedError as exc:
        return fail(PROG, str(exc), code=EXIT_LOCKED)
    try:
        return _release(archive_dir, output, args.run, since, authorities, force=args.force)
    finally:
        lock.release()


def _release(
    archive_dir: Path,
    output: Path,
    run_id: str | None,
    since: str | None,
    authorities: list[timestamp.Authority],
    *,
    force: bool,
) -> int:
    all_runs = read_runs(archive_dir)
    try:
        if run_id is not None:
            chosen = [find_run(all_runs, run_id)]
        else:
            chosen = [r for r in all_runs if since is None or r.started_at[:10] >= since]
    except ReleaseError as exc:
        return fail(PROG, f"--run: {exc}", code=EXIT_USAGE)
    if not chosen:
        return fail(PROG, "no run to release" + (f" since {since}" if since else ""))
    output.mkdir(exist_ok=True)
    released = 0
    for each in chosen:
        try:
            line = release_run(archive_dir, each, output, authorities, force=force)
        except OutputRefused as exc:
            return fail(PROG, str(exc), code=EXIT_USAGE)
        except (ReleaseError, timestamp.TimestampError) as exc:
            return fail(PROG, f"run {each.run_id}: {exc}")
        except OSError as exc:
            return fail(PROG, f"run {each.run_id}: {exc.strerror or exc}: {exc.filename or ''}")
        if line is not None:
            released += 1
            print(line)
    if not released:
        return fail(PROG, "nothing to release: the runs chosen wrote no line and no WARC file")
    path, count = write_collection(output)
    print(f"collection: {path} ({count} release(s))")
    return EXIT_OK


def release_run(
    archive_dir: Path,
    run: Run,
    output: Path,
    authorities: list[timestamp.Authority],
    *,
    force: bool = False,
) -> str | None:
    """Release one run into ``output``; return the line to print (None: nothing to release)."""
    name = release_name(run)
    try:
        recorded = read_recorded(archive_dir, name)
    except ValueError as exc:
        raise ReleaseError(str(exc)) from exc
    contents = read_contents(archive_dir, run, recorded.manifest if recorded else None)
    if contents.empty and recorded is None:
        return None
    target = output / f"{name}.wacz"
    tokens: dict[str, bytes] = {}
    fd, temp_name = tempfile.mkstemp(prefix=f".{name}.", suffix=".wacz.tmp", dir=output)
    os.close(fd)
    temp = Path(temp_name)
    try:
        datapackage, digest = write_wacz(
            archive_dir, contents, temp, _stamper(recorded, authorities, tokens)
        )
        facts = _file_facts(temp, target.name)
        if target.exists() and not force and _sha256(target) != facts["sha256"]:
            raise OutputRefused(f"{target} exists with other bytes; give --force to replace it")
        write_recorded(
            archive_dir,
            name,
            datapackage=datapackage,
            digest=digest,
            manifest=contents.manifest,
            wacz=facts,
            tokens=tokens,
        )
        os.chmod(temp, 0o644)
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)
    recorded = read_recorded(archive_dir, name)
    assert recorded is not None
    for stamp in recorded.timestamps:
        beside = output / f"{name}.{stamp['tsa']}.tsr"
        with contextlib.suppress(ValueError):
            beside.write_bytes(timestamp.response_of(stamp))
    return summary(name, contents, target, facts, recorded)


def _stamper(
    recorded: Recorded | None, authorities: list[timestamp.Authority], tokens: dict[str, bytes]
) -> Any:
    """What ``datapackage-digest.json`` adds: the recorded tokens, and new ones from ``authorities``."""

    def extra(datapackage: bytes) -> dict[str, Any]:
        stamps: list[dict[str, Any]] = []
        if recorded is not None:
            if datapackage != recorded.datapackage:
                raise ReleaseError(_what_changed(recorded.package, datapackage))
            stamps = recorded.timestamps
        have = {stamp.get("tsa") for stamp in stamps}
        for authority in authorities:
            if authority.name in have:
                continue
            response = timestamp.request_token(authority, datapackage)
            tokens[authority.name] = response
            stamps = [*stamps, timestamp.stored(authority, response, datapackage)]
        return {"timestamps": stamps} if stamps else {}

    return extra


def _what_changed(before: dict[str, Any], now: bytes) -> str:
    import json

    after = json.loads(now)
    old = {r["path"]: r.get("hash") for r in before.get("resources", [])}
    new = {r["path"]: r.get("hash") for r in after.get("resources", [])}
    changed = sorted(p for p in old.keys() | new.keys() if old.get(p) != new.get(p))
    which = ", ".join(changed[:3]) or "its description"
    return (
        f"the archive no longer gives the release it recorded ({which} differ):"
        " run `snhr-crawler verify`"
    )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _file_facts(path: Path, name: str) -> dict[str, Any]:
    return {"name": name, "bytes": path.stat().st_size, "sha256": _sha256(path)}


def summary(
    name: str, contents: Contents, target: Path, facts: dict[str, Any], recorded: Recorded
) -> str:
    stamps = "; ".join(f"timestamp {s.get('tsa')} {s.get('gen_time')}" for s in recorded.timestamps)
    line = (
        f"release {name}: {len(contents.lines)} record line(s), {len(contents.pages)} page(s),"
        f" {len(contents.warc_files)} WARC file(s) -> {target} ({facts['bytes']} bytes,"
        f" sha256 {facts['sha256'][:16]}...)"
    )
    return f"{line}; {stamps}" if stamps else f"{line}; no timestamp (no --tsa-config)"


def main(argv: list[str] | None = None) -> int:
    """``python -m snhr_crawler.release.command ...``."""
    from snhr_crawler.ops.parser import OneLineParser

    parser = OneLineParser(prog="snhr-crawler")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["release", *(sys.argv[1:] if argv is None else argv)])
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())

__all__ = ["EXIT_FAILED", "register", "release_run", "run"]
