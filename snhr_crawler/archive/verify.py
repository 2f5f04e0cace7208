"""``verify``: is this archive whole? Schema, manifest hashes, version chains, index.

Checks, each reported as ``<file>:<line>: <problem>``:

* every line is a complete JSON object valid against the packaged schema, in
  the file of its source (and of its publication month, for articles);
* every data file is in ``manifest.json`` with the same sha256 and line count,
  and every manifest entry exists; the manifest's schema version is ours;
* each article's versions are 1..n exactly once, each ``previous_sha256``
  equal to the content hash of the version before;
* the index has one row per article pointing at its latest version (file,
  line, offset, version, hash), and no row for an article not in the files.

Run it when no crawl is writing the archive: a running crawl has lines on
disk that its index and manifest take in only at the next batch or at close.

``verify(dir)`` returns a ``Report``; the ``verify [--archive DIR]`` subcommand
(``register`` adds it to the CLI) prints a one-line summary and the first
problems, and exits 0 only when everything holds.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sqlite3
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from snhr_crawler.archive.index import ArchiveIndex
from snhr_crawler.archive.paths import (
    INDEX_NAME,
    MANIFEST_NAME,
    QUARANTINE_DIR,
    iter_data_files,
    partition,
    resolve_archive_dir,
)
from snhr_crawler.archive.records import is_tombstone, record_sha256
from snhr_crawler.archive.scan import scan
from snhr_crawler.archive.schema import SCHEMA_VERSION, problems

#: How many problems a report keeps (and the CLI prints); the count is always exact.
MAX_PROBLEMS = 20


@dataclass
class Report:
    """The outcome of ``verify``: counts, the first problems, and ``ok``."""

    archive_dir: str
    files: int = 0
    lines: int = 0
    articles: int = 0
    tombstoned: int = 0
    quarantined: int = 0
    problem_count: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    def add(self, problem: str) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)

    def summary(self) -> str:
        """One line for logs and cron mail."""
        state = "OK" if self.ok else f"FAILED ({self.problem_count} problem(s))"
        extra = f", {self.quarantined} quarantined tail(s)" if self.quarantined else ""
        return (
            f"verify {state}: {self.archive_dir}: {self.files} file(s), {self.lines} line(s), "
            f"{self.articles} article(s), {self.tombstoned} tombstoned{extra}"
        )


@dataclass
class _Version:
    sha: str
    previous: str | None
    file: str
    line: int
    offset: int
    tombstone: bool


def verify(archive_dir: Path | str) -> Report:
    """Check the archive at ``archive_dir``; see the module docstring for what is checked."""
    root = Path(archive_dir)
    report = Report(str(root))
    if not root.is_dir():
        report.add(f"{root}: not a directory")
        return report
    manifest = _load_manifest(root, report)
    listed: dict[str, Any] = dict(manifest.get("files", {})) if manifest else {}
    versions: dict[str, dict[int, _Version]] = {}
    for rel in iter_data_files(root):
        report.files += 1
        _check_file(root, rel, listed.pop(rel, None), manifest is not None, versions, report)
    for rel in sorted(listed):
        report.add(f"{rel}: listed in {MANIFEST_NAME} but missing")
    _check_chains(versions, report)
    _check_index(root, versions, report)
    quarantine = root / QUARANTINE_DIR
    if quarantine.is_dir():
        report.quarantined = sum(1 for p in quarantine.rglob("*.torn") if p.is_file())
    return report


def _load_manifest(root: Path, report: Report) -> dict[str, Any] | None:
    path = root / MANIFEST_NAME
    if not path.exists():
        report.add(f"{MANIFEST_NAME}: missing (the last crawl did not close cleanly?)")
        return None
    try:
        manifest = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        report.add(f"{MANIFEST_NAME}: unreadable: {exc}")
        return None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), dict):
        report.add(f"{MANIFEST_NAME}: not a manifest (no 'files' object)")
        return None
    if manifest.get("schema_version") != SCHEMA_VERSION:
        report.add(
            f"{MANIFEST_NAME}: schema_version {manifest.get('schema_version')!r},"
            f" this verifier knows {SCHEMA_VERSION}"
        )
    return manifest


def _check_file(
    root: Path,
    rel: str,
    entry: dict[str, Any] | None,
    have_manifest: bool,
    versions: dict[str, dict[int, _Version]],
    report: Report,
) -> None:
    source, name = rel.split("/", 1)
    month = name.removesuffix(".jsonl")
    digest = hashlib.sha256()
    lines = 0
    for scanned in scan(root / rel):
        digest.update(scanned.raw)
        where = f"{rel}:{scanned.line}"
        if scanned.torn:
            report.add(f"{where}: torn last line (no newline; quarantined on the next crawl)")
            continue
        lines += 1
        record = scanned.record
        if record is None:
            report.add(f"{where}: not a JSON object")
            continue
        for problem in problems(record):
            report.add(f"{where}: schema: {problem}")
        if record.get("source") != source:
            report.add(f"{where}: source {record.get('source')!r} in the {source}/ directory")
        elif not str(record.get("id", "")).startswith(f"{source}:"):
            report.add(f"{where}: id {record.get('id')!r} is not a {source} key")
        tombstone = is_tombstone(record)
        if not tombstone and partition(record.get("published_at")) != month:
            report.add(f"{where}: published_at {record.get('published_at')!r} in {name}")
        key, version = record.get("id"), record.get("version")
        if not isinstance(key, str) or not isinstance(version, int):
            continue
        seen = versions.setdefault(key, {})
        if version in seen:
            first = seen[version]
            report.add(f"{where}: duplicate version {version} of {key} ({first.file}:{first.line})")
            continue
        seen[version] = _Version(
            record_sha256(record),
            record.get("previous_sha256"),
            rel,
            scanned.line,
            scanned.offset,
            tombstone,
        )
    report.lines += lines
    if not have_manifest:
        return
    if entry is None:
        report.add(f"{rel}: not in {MANIFEST_NAME}")
        return
    if entry.get("sha256") != digest.hexdigest() or entry.get("lines") != lines:
        hint = ""
        if isinstance(entry.get("lines"), int) and lines > entry["lines"]:
            hint = f" ({lines - entry['lines']} line(s) appended after the manifest was written)"
        report.add(f"{rel}: sha256/lines differ from {MANIFEST_NAME}{hint}")


def _check_chains(versions: dict[str, dict[int, _Version]], report: Report) -> None:
    for key, seen in versions.items():
        numbers = sorted(seen)
        latest = seen[numbers[-1]]
        report.articles += 1
        report.tombstoned += latest.tombstone
        if numbers != list(range(1, len(numbers) + 1)):
            report.add(f"{latest.file}:{latest.line}: {key} has versions {numbers}, not 1..n")
            continue
        for number in numbers[1:]:
            this, before = seen[number], seen[number - 1]
            if this.previous != before.sha:
                report.add(
                    f"{this.file}:{this.line}: {key} v{number} previous_sha256 is not"
                    f" the hash of v{number - 1}"
                )


def _check_index(root: Path, versions: dict[str, dict[int, _Version]], report: Report) -> None:
    path = root / INDEX_NAME
    if not path.exists():
        report.add(f"{INDEX_NAME}: missing (the next crawl rebuilds it from the files)")
        return
    try:
        index = ArchiveIndex.open(path, readonly=True)
    except sqlite3.Error as exc:
        report.add(f"{INDEX_NAME}: unreadable: {exc}")
        return
    indexed: set[str] = set()
    try:
        for row in index.rows():
            indexed.add(row.key)
            seen = versions.get(row.key)
            if not seen:
                report.add(f"{INDEX_NAME}: row {row.key} has no line in the files")
                continue
            number = max(seen)
            latest = seen[number]
            expected = (number, latest.file, latest.line, latest.offset, latest.sha)
            actual = (row.version, row.file, row.line, row.offset, row.sha256)
            if actual != expected or row.tombstoned != latest.tombstone:
                report.add(
                    f"{INDEX_NAME}: row {row.key} points at v{row.version} {row.file}:{row.line},"
                    f" the files' latest is v{number} {latest.file}:{latest.line}"
                )
    except sqlite3.Error as exc:
        report.add(f"{INDEX_NAME}: unreadable: {exc}")
    finally:
        index.close()
    for key in sorted(set(versions) - indexed):
        latest = versions[key][max(versions[key])]
        report.add(f"{INDEX_NAME}: no row for {key} ({latest.file}:{latest.line})")


# -- CLI -------------------------------------------------------------------------------
def register(subparsers: Any) -> argparse.ArgumentParser:
    """Add ``verify [--archive DIR]`` to an argparse subparsers object.

    The parser's defaults carry ``func=run``: the CLI calls ``args.func(args)``
    and exits with the returned code.
    """
    parser = subparsers.add_parser(
        "verify",
        help="check an archive: schema, manifest hashes, version chains, index",
        description=__doc__.split("\n\n")[0] if __doc__ else None,
    )
    parser.add_argument(
        "--archive",
        metavar="DIR",
        default=None,
        help="archive directory (default: $SNHR_ARCHIVE_DIR, else ./archive)",
    )
    parser.set_defaults(func=run)
    return parser


def run(args: argparse.Namespace) -> int:
    """Run verify for parsed ``args``; print the summary and first problems; return the exit code."""
    archive = Path(args.archive) if getattr(args, "archive", None) else resolve_archive_dir()
    report = verify(archive)
    print(report.summary())
    for problem in report.problems:
        print(f"  {problem}")
    if report.problem_count > len(report.problems):
        print(f"  ... and {report.problem_count - len(report.problems)} more")
    return 0 if report.ok else 1


def main(argv: list[str] | None = None) -> int:
    """``python -m snhr_crawler.archive.verify [--archive DIR]``."""
    parser = argparse.ArgumentParser(prog="snhr-crawler")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["verify", *(sys.argv[1:] if argv is None else argv)])
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
