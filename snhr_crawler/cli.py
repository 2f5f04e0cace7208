"""``snhr-crawler``: the one command archivists run (from a shell, cron or systemd).

Subcommands: ``crawl``, ``status``, ``export`` (``snhr_crawler.ops``),
``verify`` (the archive's), ``replica`` (the offline replica's) and
``audit`` (discovery), the last three plugged in through their modules'
``register(subparsers)``. Each subcommand's parser sets ``func``; ``main``
calls ``args.func(args)`` and exits with what it returns.

Errors are one line on stderr: usage errors exit 2 (``OneLineParser``), a
failed run or check exits 1 (``SNHR_DEBUG=1`` shows the traceback of an
unexpected error). ``scrapy crawl <spider>`` keeps working; this command adds
the lock, the run report, the checks and the summary.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Sequence
from typing import Any

from snhr_crawler.ops import crawl, export, status
from snhr_crawler.ops.parser import EXIT_FAILED, OneLineParser, fail

#: Subcommands owned by other parts of the project: (module, what it adds).
PLUGGED_IN = (
    ("snhr_crawler.archive.verify", "verify"),
    ("snhr_crawler.replica.cli", "replica"),
    ("snhr_crawler.audit", "audit"),
)


def _register_plugged_in(subparsers: Any) -> list[str]:
    """Register the subcommands whose modules exist; return the names of those missing."""
    missing = []
    for module_name, command in PLUGGED_IN:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name and module_name.startswith(exc.name):
                missing.append(command)
                continue
            raise
        module.register(subparsers)
    return missing


def build_parser() -> OneLineParser:
    parser = OneLineParser(
        prog="snhr-crawler",
        description="Archive the Syrian Network for Human Rights' public record, and run it.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    crawl.register(subparsers)
    status.register(subparsers)
    export.register(subparsers)
    _register_plugged_in(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse, run the subcommand, return its exit code (the console script exits with it)."""
    parser = build_parser()
    args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    prog = f"snhr-crawler {args.command}"
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        return fail(prog, "interrupted", code=130)
    except Exception as exc:  # one line for cron mail; SNHR_DEBUG=1 shows the traceback
        if os.environ.get("SNHR_DEBUG"):
            raise
        return fail(prog, f"{type(exc).__name__}: {exc}", code=EXIT_FAILED)


if __name__ == "__main__":
    sys.exit(main())
