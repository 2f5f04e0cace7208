"""``snhr-crawler``: the one command archivists run (from a shell, cron or systemd).

Subcommands: ``crawl``, ``status``, ``export`` (``snhr_crawler.ops``),
``report`` (``snhr_crawler.report``), ``verify`` (the archive's),
``reparse`` (``snhr_crawler.reparse``), ``release`` and ``show``
(``snhr_crawler.release``), ``replica`` (the offline replica's), ``audit``
(discovery) and ``probe`` (first contact with a site), the last eight added
by their own modules' ``register(subparsers)``. Each subcommand's
parser sets ``func``; ``main`` calls ``args.func(args)`` and exits with what
it returns.

Errors are one line on stderr: usage errors exit 2 (``OneLineParser``), a
failed run or check exits 1 (``SNHR_DEBUG=1`` shows the traceback of an
unexpected error). When the reader of standard output goes away (``status |
head``) the command ends quietly with 141, as a program killed by SIGPIPE
would. ``scrapy crawl <spider>`` keeps working; this command adds the lock,
the run report, the checks and the summary.
"""

from __future__ import annotations

import os
import platform
import sys
from collections.abc import Sequence

import scrapy

from snhr_crawler import __version__, audit, probe, report, scaffold
from snhr_crawler.archive import verify
from snhr_crawler.ops import crawl, export, status
from snhr_crawler.ops.parser import EXIT_FAILED, EXIT_PIPE, OneLineParser, fail
from snhr_crawler.release import command as release
from snhr_crawler.release import show
from snhr_crawler.reparse import command as reparse
from snhr_replica import cli as replica_cli


def version() -> str:
    """``snhr-crawler 0.1.0 (Scrapy 2.19.0, Python 3.11.7)``."""
    return (
        f"snhr-crawler {__version__} "
        f"(Scrapy {scrapy.__version__}, Python {platform.python_version()})"
    )


def build_parser() -> OneLineParser:
    parser = OneLineParser(
        prog="snhr-crawler",
        description="Archive the Syrian Network for Human Rights' public record, and run it.",
    )
    parser.add_argument("--version", action="version", version=version())
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    crawl.register(subparsers)
    status.register(subparsers)
    export.register(subparsers)
    report.register(subparsers)
    verify.register(subparsers)
    reparse.register(subparsers)
    release.register(subparsers)
    show.register(subparsers)
    replica_cli.register(subparsers)
    audit.register(subparsers)
    probe.register(subparsers)
    scaffold.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse, run the subcommand, return its exit code (the console script exits with it)."""
    parser = build_parser()
    args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    prog = f"snhr-crawler {args.command}"
    try:
        code = int(args.func(args))
        sys.stdout.flush()  # here, not at exit: a closed pipe must be caught below
        return code
    except BrokenPipeError:
        _discard_stdout()
        return EXIT_PIPE
    except KeyboardInterrupt:
        return fail(prog, "interrupted", code=130)
    except Exception as exc:  # one line for cron mail; SNHR_DEBUG=1 shows the traceback
        if os.environ.get("SNHR_DEBUG"):
            raise
        return fail(prog, f"{type(exc).__name__}: {exc}", code=EXIT_FAILED)


def _discard_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush does not fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout already closed or replaced (tests)
        pass
    finally:
        os.close(devnull)


if __name__ == "__main__":
    sys.exit(main())
