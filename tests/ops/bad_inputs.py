"""Every bad input tried on ``snhr-crawler``: what it must answer (one line) and its exit code.

``tests/ops/test_bad_inputs.py`` runs each case; ``python -m tests.ops.bad_inputs``
runs them all as an archivist would (one ``snhr-crawler`` process each, the
network sealed) and prints the table of what each printed and its exit code.

Arguments may name things ``Scene`` prepares: ``{archive}`` (a small archive),
``{tmp}`` (an empty directory), ``{closed}`` (a loopback origin nobody
listens on), ``{locked}`` (an archive whose run lock is held), and the files
below. A case with ``process=True`` must run in its own process: it starts a
crawl (a reactor), or reads the environment at import.
"""

from __future__ import annotations

import os
import shlex
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Case:
    argv: tuple[str, ...]
    code: int
    says: str  # a part of the one line on stderr
    env: dict[str, str] = field(default_factory=dict)
    process: bool = False


def case(line: str, code: int, says: str, *, process: bool = False, **env: str) -> Case:
    return Case(tuple(shlex.split(line)), code, says, env, process or bool(env))


CASES = [
    # the command itself
    case("", 2, "the following arguments are required: COMMAND"),
    case("bogus", 2, "invalid choice: 'bogus'"),
    case("--bogus", 2, "required: COMMAND"),
    case("crawl --bogus", 2, "unrecognized arguments: --bogus"),
    # crawl: sources, dates, limits
    case("crawl no_such_source", 2, "unknown source 'no_such_source' (known: snhr_news"),
    case("crawl --since 2024-13-01", 2, "--since: not a real date: '2024-13-01'"),
    case("crawl --since 2024-02-30", 2, "--since: not a real date: '2024-02-30'"),
    case("crawl --since yesterday", 2, "--since: expected YYYY-MM-DD"),
    case("crawl --since ''", 2, "--since: empty value"),
    case("crawl --max-pages 0", 2, "--max-pages: expected a positive integer"),
    case("crawl --max-pages -1", 2, "--max-pages: expected a positive integer"),
    case("crawl --max-pages abc", 2, "--max-pages: expected a positive integer"),
    case("crawl --max-pages 1.5", 2, "--max-pages: expected a positive integer"),
    case("crawl --discovery bogus", 2, "argument --discovery: invalid choice: 'bogus'"),
    # crawl: origins
    case("crawl --origin snhr_news", 2, "--origin: expected SOURCE=URL, got 'snhr_news'"),
    case("crawl --origin =http://127.0.0.1:1", 2, "--origin: expected SOURCE=URL"),
    case("crawl --origin snhr_news=ftp://x", 2, "--origin: expected scheme://host"),
    case("crawl --origin snhr_news=notaurl", 2, "--origin: expected scheme://host"),
    case(
        "crawl snhr_news --origin snhr_reports=http://127.0.0.1:1",
        2,
        "--origin: 'snhr_reports' is not a source of this run",
    ),
    case("crawl --origins-file {tmp}/none.txt", 2, "--origins-file: cannot read"),
    case("crawl --origins-file {tmp}", 2, "Is a directory"),
    case("crawl --origins-file {files}/bad.json", 2, "is not valid JSON"),
    case("crawl --origins-file {files}/array.json", 2, "expected a JSON object {source: url}"),
    case("crawl --origins-file {files}/typo.txt", 2, "unknown source 'snhr_nwes' (known:"),
    case("crawl --origins-file {files}/three.txt", 2, "expected 'SOURCE URL', got 'a b c'"),
    case("crawl --origins-file {files}/binary.txt", 2, "is not UTF-8 text"),
    # crawl: settings
    case("crawl --set DOWNLOAD_DELAY", 2, "--set: expected NAME=VALUE, got 'DOWNLOAD_DELAY'"),
    case("crawl --set =5", 2, "--set: expected NAME=VALUE"),
    case("crawl --set DOWNLOAD_DELAY=abc", 2, "--set DOWNLOAD_DELAY='abc' is not a number"),
    case("crawl --set DOWNLOAD_DELAY=inf", 2, "is not a finite number"),
    case("crawl --set DOWNLOAD_DELEY=3", 2, "unknown setting (did you mean DOWNLOAD_DELAY?)"),
    case("crawl --set download_delay=3", 2, "unknown setting (did you mean DOWNLOAD_DELAY?)"),
    case("crawl --set AUTOTHROTTLE_ENABLED=maybe", 2, "expected true or false (1 or 0)"),
    case("crawl --set CONCURRENT_REQUESTS=1.5", 2, "is not a whole number"),
    case("crawl --set LOG_LEVEL=loud", 2, "expected one of CRITICAL, ERROR, WARNING"),
    case("crawl --set OPS_PROGRESS=bar", 2, "expected one of tty, log, off"),
    case("crawl --set OPS_CHECK_MAX_ERROR_RATE=abc", 2, "OPS_CHECK_MAX_ERROR_RATE='abc' is not"),
    case("crawl --set OPS_CHECK_HISTORY=many", 2, "OPS_CHECK_HISTORY='many' is not a number"),
    case("crawl --set OPS_CHECK_MIN_FIELD_COVERAGE={title", 2, "is not a JSON object"),
    case(
        'crawl --set OPS_CHECK_MIN_FIELD_COVERAGE=\'{"title": "x"}\'',
        2,
        "health-check threshold OPS_CHECK_MIN_FIELD_COVERAGE",
    ),
    case("crawl --set LOG_FILE={tmp}/none/x.log", 2, "does not exist"),
    # crawl: politeness towards the live sites
    case("crawl --set DOWNLOAD_DELAY=0", 2, "--set DOWNLOAD_DELAY=0.0: snhr_news is fetched"),
    case("crawl --set AUTOTHROTTLE_ENABLED=0", 2, "gets AUTOTHROTTLE_ENABLED on"),
    case("crawl --set ROBOTSTXT_OBEY=false", 2, "gets ROBOTSTXT_OBEY on"),
    case("crawl --set ROBOTSTXT_CRAWL_DELAY=0", 2, "gets ROBOTSTXT_CRAWL_DELAY on"),
    case("probe --set ROBOTSTXT_CRAWL_DELAY_MAX=1", 2, "at least 60.0 s"),
    case("probe --sample 0", 2, "--sample: expected a positive integer"),
    case("probe nosuch", 2, "unknown source 'nosuch'"),
    case("crawl --set CONCURRENT_REQUESTS_PER_DOMAIN=8", 2, "at most 1"),
    case(
        "crawl snhr_news snhr_reports --origin snhr_news={closed} --set DOWNLOAD_DELAY=0",
        2,
        "snhr_reports is fetched from its live site",
    ),
    # crawl: the environment (read at import: one process each)
    case("crawl", 2, "SNHR_DOWNLOAD_DELAY='abc' is not a number", SNHR_DOWNLOAD_DELAY="abc"),
    case("crawl", 2, "SNHR_MAX_ERROR_RATE='x' is not a number", SNHR_MAX_ERROR_RATE="x"),
    case("crawl", 2, "'2.5' is not a whole number", SNHR_INCREMENTAL_STOP_AFTER="2.5"),
    case("crawl", 2, "DOWNLOAD_DELAY=0.5 (settings.py or the SNHR_*", SNHR_DOWNLOAD_DELAY="0.5"),
    case("crawl", 2, "LOG_LEVEL='loud': expected one of", SNHR_LOG_LEVEL="loud"),
    # crawl: the archive
    case("crawl --archive {files}/bad.json", 1, "cannot use archive"),
    case("crawl --archive {locked}", 75, "is locked by run 20261125T021500Z (pid"),
    # crawl: sites that do not answer (a crawl runs: one process each)
    case("crawl --archive {tmp}/a1", 1, "no site could be reached from here", process=True),
    case(
        "crawl snhr_news --origin snhr_news={closed} --archive {tmp}/a2",
        1,
        ": connection refused); nothing was archived",
        process=True,
    ),
    case(
        "crawl snhr_news --origin snhr_news={closed} --quiet --archive {tmp}/a3",
        1,
        "check site_reachable FAILED",
        process=True,
    ),
    # export
    case("export", 2, "the following arguments are required: --output"),
    case("export -o {tmp}/out.xlsx --archive {archive}", 2, "cannot tell the format of out.xlsx"),
    case("export -o {tmp}/x.csv --format xml", 2, "argument --format: invalid choice: 'xml'"),
    case("export -o {tmp}/x.csv --since 2024-02-30", 2, "--since: not a real date: '2024-02-30'"),
    case("export -o {tmp}/x.csv --archive {tmp}/none", 1, "no archive at"),
    case("export -o {files}/exists.csv --archive {archive}", 2, "exists; give --force"),
    case("export -o /dev/null --archive {archive}", 2, "/dev/null is not a regular file"),
    case("export -o /dev/full --archive {archive} --force", 2, "/dev/full is not a regular file"),
    case("export -o {files}/link.csv --archive {archive} --force", 2, "is a symbolic link"),
    case("export -o {tmp} --format csv --archive {archive}", 2, "is a directory"),
    case("export -o {tmp}/nodir/x.csv --archive {archive}", 2, "(it is not created)"),
    case("export -o {tmp}/x.csv --archive {archive} --source snhr_nwes", 2, "is not in the"),
    case("export -o {tmp}/x.parquet --archive {archive} --excel", 2, "--excel is for CSV only"),
    case("export -o {tmp}/x.jsonl --archive {archive} --raw", 2, "--raw is for CSV only"),
    case(
        "export -o {files}/described.csv --archive {archive}",
        2,
        "described.csv.datapackage.json exists; give --force",
    ),
    # report
    case("report", 2, "the following arguments are required: --output"),
    case("report -o {tmp}/r --archive {tmp}/none", 1, "no archive at"),
    case("report -o {files} --archive {archive}", 2, "is not empty; give --force"),
    case("report -o {files}/exists.csv --archive {archive}", 2, "is not a directory"),
    case("report -o {tmp}/nodir/r --archive {archive}", 2, "(it is not created)"),
    case("report -o {tmp}/r --archive {archive} --source snhr_nwes", 2, "is not in the"),
    # status
    case("status --bogus", 2, "unrecognized arguments: --bogus"),
    case("status --archive {tmp}/none", 1, "no archive at"),
    case("status --archive {files}/exists.csv", 1, "no archive at"),
    case("status --archive {files}/badindex", 1, "cannot read"),
    # verify
    case("verify --bogus", 2, "unrecognized arguments: --bogus"),
    case("verify --archive {tmp}/none", 1, "no archive at"),
    case("verify --archive {locked}", 75, "a crawl is writing"),
    # reparse
    case("reparse --bogus", 2, "unrecognized arguments: --bogus"),
    case("reparse nope --archive {archive}", 2, "unknown source 'nope' (known: snhr_news"),
    case("reparse --since 2024-13-01 --archive {archive}", 2, "--since: not a real date"),
    case("reparse --since yesterday --archive {archive}", 2, "--since: expected YYYY-MM-DD"),
    case(
        "release -o {tmp}/rel --since 2024-13-01 --archive {archive}", 2, "--since: not a real date"
    ),
    case("release -o {files}/exists.csv --archive {archive}", 2, "is not a directory"),
    case("release -o {tmp}/nodir/rel --archive {archive}", 2, "(it is not created)"),
    case("reparse --archive {tmp}/none", 1, "no archive at"),
    case("reparse --archive {locked}", 75, "is locked by run 20261125T021500Z"),
    # audit
    case("audit nope", 2, "unknown source 'nope'"),
    case("audit snhr_news --origin snhr_news=", 2, "--origin: expected SOURCE=URL"),
    case("audit snhr_news --origin snhr_news=ftp://127.0.0.1:1", 2, "http(s) URL"),
    case("audit snhr_news --origin snhr_reports=http://127.0.0.1:1", 2, "not a source of this"),
    case("audit snhr_news -s DOWNLOAD_DELAY=0", 2, "snhr_news is fetched from its live site"),
    case("audit snhr_news -s DOWNLOAD_DELEY=0", 2, "did you mean DOWNLOAD_DELAY?"),
    case("audit snhr_news --origins-file {tmp}/none.txt", 2, "--origins-file: cannot read"),
    case(
        "audit snhr_news --origin snhr_news={closed} --archive {tmp}",
        1,
        "snhr_news: nothing answered",
        process=True,
    ),
    # replica
    case("replica", 2, "the following arguments are required: replica_command"),
    case("replica serve --port 99999", 2, "must be 0..65534"),
    case("replica serve --posts 0", 2, "must be a positive integer"),
    case("replica serve --faults bogus", 2, "unknown fault 'bogus'"),
    case("replica serve --now garbage", 2, "'garbage'"),
    case("replica truth --output {tmp}/none/x.jsonl", 2, "cannot write"),
]


@contextmanager
def refused_origin() -> Iterator[str]:
    """A loopback origin that refuses connections: bound, never listening, held meanwhile.

    Held, so that no server another test starts can be given the same port.
    """
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"


@contextmanager
def scene() -> Iterator[dict[str, str]]:
    """The files and archives the cases name; a held run lock while in use."""
    from snhr_crawler.archive.lock import RunLock
    from tests.ops.conftest import build_archive, make_article

    with tempfile.TemporaryDirectory(prefix="bad-inputs-") as root:
        base = Path(root)
        tmp, files, archive, locked = (base / n for n in ("tmp", "files", "archive", "locked"))
        for folder in (tmp, files, locked):
            folder.mkdir()
        build_archive(archive, (make_article(n) for n in range(1, 4)))
        (files / "bad.json").write_text('{"snhr_news": ', "utf-8")
        (files / "array.json").write_text("[1, 2]\n", "utf-8")
        (files / "three.txt").write_text("a b c\n", "utf-8")
        (files / "typo.txt").write_text("snhr_nwes http://127.0.0.1:8001\n", "utf-8")
        (files / "binary.txt").write_bytes(b"\xff\xfe\x00snhr")
        (files / "exists.csv").write_text("mine\n", "utf-8")
        (files / "described.csv.datapackage.json").write_text("{}\n", "utf-8")
        (files / "link.csv").symlink_to(files / "exists.csv")
        (files / "badindex").mkdir()
        (files / "badindex" / "index.sqlite3").write_bytes(b"not a database, just bytes" * 40)
        with (
            RunLock(locked, "20261125T021500Z", "2026-11-25T02:15:00Z"),
            refused_origin() as closed,
        ):
            yield {
                "tmp": str(tmp),
                "files": str(files),
                "archive": str(archive),
                "locked": str(locked),
                "closed": closed,
            }


def expand(c: Case, places: dict[str, str]) -> list[str]:
    """``c.argv`` with ``{name}`` replaced (not str.format: a case may hold a stray brace)."""
    parts = []
    for part in c.argv:
        for name, value in places.items():
            part = part.replace("{" + name + "}", value)
        parts.append(part)
    return parts


def run_process(c: Case, places: dict[str, str]) -> tuple[int, str, str]:
    """``snhr-crawler ARGS`` as a person runs it (sealed network, no SNHR_ARCHIVE_DIR)."""
    from tests.sealed import network_seal

    env = {k: v for k, v in os.environ.items() if k != "SNHR_ARCHIVE_DIR"}
    network_seal.seal_children(env)
    env.update(c.env)
    proc = subprocess.run(
        [sys.executable, "-m", "snhr_crawler.cli", *expand(c, places)],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    return proc.returncode, proc.stdout, proc.stderr


def main() -> int:
    """Print the table: command, what it printed on stderr, exit code (all as processes)."""
    rows = []
    with scene() as places:
        for c in CASES:
            code, out, err = run_process(c, places)
            shown = " ".join(f"{k}={v}" for k, v in c.env.items())
            command = shlex.join(["snhr-crawler", *c.argv]).replace("|", "\\|")
            said = " / ".join(line for line in err.splitlines()) or out.strip()
            ok = code == c.code and len(err.splitlines()) == 1 and c.says in err
            rows.append((f"{shown} {command}".strip(), said.replace("|", "\\|"), code, ok))
    print("| command | printed (stderr) | exit | as expected |")
    print("|---|---|---:|---|")
    for command, said, code, ok in rows:
        print(f"| `{command}` | {said} | {code} | {'yes' if ok else 'NO'} |")
    failed = [row for row in rows if not row[3]]
    print(f"\n{len(rows)} bad inputs, {len(rows) - len(failed)} as expected")
    return 1 if failed else 0


__all__ = ["CASES", "Case", "asdict", "expand", "run_process", "scene"]

if __name__ == "__main__":
    sys.exit(main())
