"""``verify``: is this archive whole? Schema, manifest hashes, version chains, index.

Checks, each reported as ``<file>:<line>: <problem>``:

* every line is a complete JSON object valid against the packaged schema, in
  the file of its source (and of its publication month, for articles);
* every data file is in ``manifest.json`` with the same sha256 and line count,
  and every manifest entry exists; the manifest's schema version is ours;
* the manifest chain (``archive.chain``): ``manifest.json`` is the one the last
  crawl wrote, no break or lost file was recorded, and every data file still
  begins with the bytes each earlier manifest hashed (so a line edited and
  the manifest recomputed, or the manifest deleted, still shows);
* each article's versions are 1..n exactly once, each ``previous_sha256``
  equal to the content hash of the version before;
* the index has one row per article pointing at its latest version (file,
  line, offset, version, hash), and no row for an article not in the files;
* the captures (``snhr_crawler.capture.verify``): every WARC file is whole,
  its digests right, and every line's ``capture`` names a record there with
  the payload digest, status and date it claims; with ``deep``, each latest
  record's capture re-parses to its ``content_sha256``
  (``snhr_crawler.reparse.verify``).

Three outcomes, not two. **OK**: everything holds. **RESUMABLE**: a run was
stopped (killed, disk full) after writing lines that neither the index nor
the manifest took in yet: whole lines after the last index commit, a torn
last line there, lines after what the manifest records (its prefix still
matching), files the manifest does not list yet, no manifest yet. None of
that was ever counted as archived and the next crawl's recovery takes it in
(or quarantines a torn tail): nothing is lost, so the verdict is not a
failure. **FAILED**: anything else (a damaged committed line, a hash that
differs on what the manifest covers, an index that points where the files
disagree) is corruption.

A copy without ``index.sqlite3`` (a researcher's) is verified from its
files and manifest, and the summary says which checks could not be made.
While a crawl writes the archive its newest lines are in neither the index
nor the manifest, so the command refuses to judge (exit 75) rather than
report problems that are not there: ``running_crawl`` looks for a held run
lock before and after verifying.

``verify(dir)`` returns a ``Report``; the ``verify [--archive DIR]`` subcommand
(``register`` adds it to the CLI) prints a one-line summary and the first
findings, and exits 0 for OK or RESUMABLE, 1 for FAILED, 75 during a crawl.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import hashlib
import json
import os
import sqlite3
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from snhr_crawler.archive.chain import ChainCheck
from snhr_crawler.archive.index import ArchiveIndex, FileState
from snhr_crawler.archive.lock import LOCK_FILE as RUN_LOCK_FILE
from snhr_crawler.archive.lock import LockOwner
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

#: How many problems (and pending findings) a report keeps; the counts are always exact.
MAX_PROBLEMS = 20
EXIT_RUNNING = 75  # EX_TEMPFAIL, as the crawl's own "locked" exit: try again later


@dataclass
class Report:
    """The outcome of ``verify``: counts, the first problems and pending findings."""

    archive_dir: str
    files: int = 0
    lines: int = 0
    articles: int = 0
    tombstoned: int = 0
    quarantined: int = 0
    problem_count: int = 0
    problems: list[str] = field(default_factory=list)
    #: What a stopped run left for the next crawl to take in (nothing lost), and how
    #: many data lines the index or the manifest does not hold yet.
    pending_count: int = 0
    pending: list[str] = field(default_factory=list)
    pending_lines: int = 0
    #: Checks that could not be made, and why ("index (no index.sqlite3)").
    not_checked: list[str] = field(default_factory=list)
    #: Lines whose capture pointer was checked, lines without one, WARC files and
    #: records read, latest records re-parsed (``deep``).
    captures: int = 0
    uncaptured: int = 0
    warc_files: int = 0
    warc_records: int = 0
    reparsed: int = 0
    #: Releases recorded in the archive and timestamp tokens checked (``release.checks``).
    releases: int = 0
    timestamps: int = 0

    @property
    def ok(self) -> bool:
        """Everything holds: no problem and nothing pending."""
        return self.problem_count == 0 and self.pending_count == 0

    @property
    def resumable(self) -> bool:
        """No corruption, but a stopped run left lines the next crawl takes in."""
        return self.problem_count == 0 and self.pending_count > 0

    @property
    def state(self) -> str:
        return "OK" if self.ok else "RESUMABLE" if self.resumable else "FAILED"

    def add(self, problem: str) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)

    def defer(self, finding: str) -> None:
        """Record something a stopped run left, which the next crawl completes."""
        self.pending_count += 1
        if len(self.pending) < MAX_PROBLEMS:
            self.pending.append(finding)

    def summary(self) -> str:
        """One line for logs and cron mail."""
        if self.ok or self.resumable:
            state = self.state
        else:
            state = f"FAILED ({self.problem_count} problem(s))"
        extra = f", {self.quarantined} quarantined tail(s)" if self.quarantined else ""
        line = (
            f"verify {state}: {self.archive_dir}: {self.files} file(s), {self.lines} line(s), "
            f"{self.articles} article(s), {self.tombstoned} tombstoned{extra}"
        )
        line += self._capture_summary()
        if self.releases:
            line += f"; {self.releases} release(s), {self.timestamps} timestamp(s) checked"
        if self.resumable and self.pending_lines:
            line += (
                f"; a stopped run left {self.pending_lines} line(s) that the index or"
                " manifest does not hold yet: nothing lost, the next crawl takes them in"
            )
        elif self.resumable:  # only WARC files a killed run left open
            line += "; a killed run left work for the next crawl (pending, below): nothing lost"
        if self.not_checked:
            line += f"; not checked: {', '.join(self.not_checked)}"
        return line

    def _capture_summary(self) -> str:
        if not (self.warc_files or self.captures):
            return ""
        text = f"; {self.captures} capture(s) resolved in {self.warc_files} WARC file(s)"
        if self.uncaptured:
            text += f", {self.uncaptured} line(s) without one"
        if self.reparsed:
            text += f", {self.reparsed} re-parsed"
        return text


@dataclass
class _Version:
    sha: str
    previous: str | None
    file: str
    line: int
    offset: int
    tombstone: bool
    committed: bool  # within what the index had taken in (its last commit)


def verify(archive_dir: Path | str, *, deep: bool = False, authorities: Any = None) -> Report:
    """Check the archive at ``archive_dir``; see the module docstring for what is checked."""
    root = Path(archive_dir)
    report = Report(str(root))
    if not root.is_dir():
        report.add(f"{root}: not a directory")
        return report
    index = _open_index(root, report)
    try:
        states = index.file_states() if index is not None else None
        manifest = _load_manifest(root, report, have_index=index is not None)
        chain = ChainCheck.load(root)
        manifest_path = root / MANIFEST_NAME
        for problem in chain.problems(
            manifest_path.read_bytes() if manifest_path.is_file() else None, manifest
        ):
            report.add(problem)
        listed: dict[str, Any] = dict(manifest.get("files", {})) if manifest else {}
        versions: dict[str, dict[int, _Version]] = {}
        on_disk = list(iter_data_files(root))
        for rel in on_disk:
            report.files += 1
            entry = listed.pop(rel, None)
            state = states.pop(rel, None) if states is not None else None
            # What counted as archived: the index's commit, else (a copy) the manifest.
            committed = (state.lines if state else 0) if states is not None else None
            _check_file(root, rel, entry, manifest, committed, versions, report, chain)
            if state is not None:
                _check_file_state(rel, state, report)
        for rel in sorted(listed):
            report.add(f"{rel}: listed in {MANIFEST_NAME} but missing")
        for problem in chain.missing_files(set(on_disk) | set(listed)):
            report.add(problem)
        for rel in sorted(states or {}):
            report.add(f"{INDEX_NAME}: records {rel}, which is missing")
        _check_chains(versions, report)
        if index is not None:
            _check_index(index, versions, report)
    except sqlite3.Error as exc:
        report.add(f"{INDEX_NAME}: unreadable: {exc}")
    finally:
        if index is not None:
            index.close()
    quarantine = root / QUARANTINE_DIR
    if quarantine.is_dir():
        report.quarantined = sum(1 for p in quarantine.rglob("*.torn") if p.is_file())
    check_captures(root, report, deep=deep)
    from snhr_crawler.release.checks import check_releases

    check_releases(root, report, authorities)  # the release anchors what came before it
    return report


def check_captures(root: Path, report: Report, *, deep: bool = False) -> None:
    """The WARC files, every line's capture pointer and, with ``deep``, each re-parse."""
    from snhr_crawler.capture.verify import check_line_captures, check_warc_files

    facts = check_warc_files(root, report)
    check_line_captures(root, facts, report)
    if deep:
        from snhr_crawler.reparse.verify import check_reparsed

        check_reparsed(root, report)


def _open_index(root: Path, report: Report) -> ArchiveIndex | None:
    path = root / INDEX_NAME
    if not path.exists():
        report.not_checked.append(
            f"index (no {INDEX_NAME}: a copy verifies from files and manifest; a crawl rebuilds it)"
        )
        return None
    try:
        index = ArchiveIndex.open(path, readonly=True)
        index.file_states()  # reads, so a damaged file fails here
    except sqlite3.Error as exc:
        report.add(f"{INDEX_NAME}: unreadable: {exc}")
        return None
    return index


def _load_manifest(root: Path, report: Report, *, have_index: bool) -> dict[str, Any] | None:
    path = root / MANIFEST_NAME
    if not path.exists():
        report.not_checked.append(f"hashes (no {MANIFEST_NAME})")
        if have_index:  # an archive whose first crawl never closed
            report.defer(f"{MANIFEST_NAME}: not written yet (the next crawl writes it)")
        else:
            report.add(f"{MANIFEST_NAME}: missing (nothing to check the files against)")
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


def _manifest_lines(entry: dict[str, Any] | None) -> int:
    lines = entry.get("lines") if entry else None
    return lines if isinstance(lines, int) else 0


def _check_file(
    root: Path,
    rel: str,
    entry: dict[str, Any] | None,
    manifest: dict[str, Any] | None,
    committed: int | None,
    versions: dict[str, dict[int, _Version]],
    report: Report,
    chain: ChainCheck | None = None,
) -> None:
    """One data file, against the index's commit (``committed`` lines) and the manifest.

    A line counted as archived once the index committed it or the manifest
    recorded it; damage there is corruption, and what comes after is what a
    stopped run left. ``committed`` is None when there is no index (a copy):
    then only the manifest counts, and a file it does not list is a problem.
    """
    source, name = rel.split("/", 1)
    month = name.removesuffix(".jsonl")
    digest = hashlib.sha256()
    listed_lines = _manifest_lines(entry)
    counted = max(listed_lines, committed or 0)
    prefix: str | None = digest.hexdigest() if listed_lines == 0 else None
    # Recorded by both the index (when there is one) and the manifest: a line after
    # that is one the next crawl still has to take in.
    recorded = min(listed_lines, committed) if committed is not None else listed_lines
    lines = 0
    uncommitted = 0
    unrecorded = 0
    torn = False
    hashed_before = chain.expected(rel) if chain is not None else {}
    for scanned in scan(root / rel):
        digest.update(scanned.raw)
        for hashed, number in hashed_before.pop(scanned.end, ()):
            if digest.hexdigest() != hashed:
                report.add(
                    f"{rel}: its first {scanned.end} bytes changed since manifest #{number} hashed them"
                )
        where = f"{rel}:{scanned.line}"
        later = scanned.line > counted
        if scanned.torn:
            torn = True
            if later:
                report.defer(f"{where}: torn last line (a write cut short; quarantined next)")
            else:
                report.add(f"{where}: torn last line (no newline; quarantined on the next crawl)")
            continue
        lines += 1
        if lines == listed_lines:
            prefix = digest.hexdigest()
        indexed = committed is not None and scanned.line <= committed
        uncommitted += scanned.line > (listed_lines if committed is None else committed)
        unrecorded += scanned.line > recorded
        record = scanned.record
        if record is None:
            if later:
                report.defer(f"{where}: unreadable line after the last commit (quarantined next)")
            else:
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
            indexed,
        )
    for size, hashed_as in sorted(hashed_before.items()):
        report.add(f"{rel}: no longer holds the {size} bytes manifest #{hashed_as[0][1]} hashed")
    report.lines += lines
    report.pending_lines += unrecorded
    if uncommitted and committed is not None:
        report.defer(f"{rel}: {uncommitted} line(s) after the last index commit (indexed next)")
    if manifest is None:
        return
    if entry is None:
        if committed is not None and uncommitted == lines:
            report.defer(f"{rel}: new since {MANIFEST_NAME} (recorded by the next crawl)")
        else:
            report.add(f"{rel}: not in {MANIFEST_NAME}")
        return
    if entry.get("sha256") == digest.hexdigest() and entry.get("lines") == lines:
        return
    if lines >= listed_lines and prefix is not None and entry.get("sha256") == prefix:
        if lines > listed_lines:  # a torn tail alone was deferred above
            report.defer(
                f"{rel}: {lines - listed_lines} line(s) appended after {MANIFEST_NAME} was"
                " written (recorded by the next crawl)"
            )
        elif not torn:
            report.add(f"{rel}: sha256/lines differ from {MANIFEST_NAME}")
        return
    report.add(f"{rel}: sha256/lines differ from {MANIFEST_NAME}")


def _check_file_state(rel: str, state: FileState, report: Report) -> None:
    """The index must not have taken in more of a file than the file holds."""
    size = 0
    with contextlib.suppress(OSError):
        size = os.stat(Path(report.archive_dir) / rel).st_size
    if state.size > size:
        report.add(
            f"{INDEX_NAME}: has taken in {state.size} bytes ({state.lines} lines) of {rel},"
            f" which holds {size}: committed lines are gone"
        )


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


def _check_index(
    index: ArchiveIndex, versions: dict[str, dict[int, _Version]], report: Report
) -> None:
    """Each row against the latest committed version of its article.

    Versions after the last commit are the next crawl's to take in: an index
    row one version behind them, or no row for an article whose every line
    came after the commit, is what a stopped run leaves (counted in the
    files' pending lines, not listed again per article).
    """
    indexed: set[str] = set()
    for row in index.rows():
        indexed.add(row.key)
        seen = versions.get(row.key)
        if not seen:
            report.add(f"{INDEX_NAME}: row {row.key} has no line in the files")
            continue
        committed = [n for n, v in seen.items() if v.committed]
        if not committed:
            report.add(f"{INDEX_NAME}: row {row.key} points past the last commit")
            continue
        number = max(committed)
        latest = seen[number]
        expected = (number, latest.file, latest.line, latest.offset, latest.sha)
        actual = (row.version, row.file, row.line, row.offset, row.sha256)
        if actual != expected or row.tombstoned != latest.tombstone:
            report.add(
                f"{INDEX_NAME}: row {row.key} points at v{row.version} {row.file}:{row.line},"
                f" the files' latest is v{number} {latest.file}:{latest.line}"
            )
    for key in sorted(set(versions) - indexed):
        seen = versions[key]
        if any(v.committed for v in seen.values()):
            latest = seen[max(seen)]
            report.add(f"{INDEX_NAME}: no row for {key} ({latest.file}:{latest.line})")


def running_crawl(archive_dir: Path | str) -> str | None:
    """Who is writing the archive right now (a held run or store lock), or None.

    The probe takes a shared lock for an instant and lets go: a crawl holds
    its locks exclusively, so only a running one makes the probe fail.
    """
    root = Path(archive_dir)
    for name in (RUN_LOCK_FILE,):
        try:
            fd = os.open(root / name, os.O_RDONLY)
        except OSError:
            continue
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except BlockingIOError:
                owner = LockOwner.from_json(os.pread(fd, 4096, 0).decode("utf-8", "replace"))
                return owner.describe() if owner else "a crawl"
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)
    return None


# -- CLI -------------------------------------------------------------------------------
def register(subparsers: Any) -> argparse.ArgumentParser:
    """Add ``verify [--archive DIR]`` to an argparse subparsers object.

    The parser's defaults carry ``func=run``: the CLI calls ``args.func(args)``
    and exits with the returned code.
    """
    parser = subparsers.add_parser(
        "verify",
        help="check an archive: schema, manifest hashes, version chains, index, captures",
        description=(
            "Check every line against the schema, every file against manifest.json, the"
            " version chains, the index, the WARC files and every line's capture pointer"
            " (--deep: and that each capture re-parses to its record). Exit 0 when the archive is whole (OK) or a"
            " stopped run left only lines the next crawl takes in (RESUMABLE: nothing"
            " lost), 1 when something is damaged, 75 while a crawl is writing it. A copy"
            " without index.sqlite3 is verified from its files and manifest."
        ),
    )
    parser.add_argument(
        "--archive",
        metavar="DIR",
        default=None,
        help="archive directory (default: $SNHR_ARCHIVE_DIR, else ./archive)",
    )
    parser.add_argument(
        "--deep",
        action="store_true",
        help="also re-parse each latest record from its capture: the same content_sha256?",
    )
    parser.add_argument(
        "--tsa-config",
        metavar="FILE",
        help="time-stamping authorities whose roots the releases' tokens must chain to"
        " (TOML; default $SNHR_TSA_CONFIG)",
    )
    parser.set_defaults(func=run)
    return parser


def run(args: argparse.Namespace) -> int:
    """Run verify for parsed ``args``; print the summary and first findings; return the exit code."""
    archive = Path(args.archive) if getattr(args, "archive", None) else resolve_archive_dir()
    prog = "snhr-crawler verify"
    if not archive.is_dir():
        print(f"{prog}: error: no archive at {archive}", file=sys.stderr)
        return 1
    from snhr_crawler.release import timestamp
    from snhr_crawler.release.command import tsa_config_path

    config = tsa_config_path(args)
    try:
        authorities = timestamp.load_authorities(config) if config is not None else None
    except timestamp.ConfigError as exc:
        print(f"{prog}: error: --tsa-config: {' '.join(str(exc).split())}", file=sys.stderr)
        return 2
    writer = running_crawl(archive)
    if writer is None:
        report = verify(archive, deep=getattr(args, "deep", False), authorities=authorities)
        writer = running_crawl(archive)  # one may have started meanwhile
    if writer is not None:
        print(
            f"{prog}: error: a crawl is writing {archive} ({writer}); its newest lines reach"
            " the index and manifest only when it ends: verify after it",
            file=sys.stderr,
        )
        return EXIT_RUNNING
    print(report.summary())
    for problem in report.problems:
        print(f"  {problem}")
    if report.problem_count > len(report.problems):
        print(f"  ... and {report.problem_count - len(report.problems)} more")
    if not report.problem_count:
        for finding in report.pending:
            print(f"  pending: {finding}")
        if report.pending_count > len(report.pending):
            print(f"  ... and {report.pending_count - len(report.pending)} more")
    return 0 if report.ok or report.resumable else 1


def main(argv: list[str] | None = None) -> int:
    """``python -m snhr_crawler.archive.verify [--archive DIR]``."""
    parser = argparse.ArgumentParser(prog="snhr-crawler")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["verify", *(sys.argv[1:] if argv is None else argv)])
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
