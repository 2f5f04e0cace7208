"""Argument parsing whose errors fit on one line.

argparse prints the whole usage block before the error; in cron mail or a
systemd journal that buries the one line that matters. ``OneLineParser``
prints ``snhr-crawler crawl: error: <what>`` and exits 2, the usual code for a
usage error. Subparsers inherit the class (argparse's ``add_subparsers`` uses
``type(self)``), so subcommands registered by other modules behave the same,
help formatter included: descriptions taken from docstrings lose their reST
markup (``name`` is shown as name) in ``--help``.
"""

from __future__ import annotations

import argparse
import re
import sys
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

from snhr_crawler.archive.paths import resolve_archive_dir

#: Exit codes shared by every subcommand (documented in docs/operations.md).
EXIT_OK = 0
EXIT_FAILED = 1  # a health check failed, or the command could not do its job
EXIT_USAGE = 2  # bad command line
EXIT_LOCKED = 75  # EX_TEMPFAIL: another run holds the archive; try again later
EXIT_PIPE = 141  # 128 + SIGPIPE: the reader of standard output went away, as `head` does

#: reST inline markup in docstrings: ``literal`` and :role:`target`.
_REST_LITERAL = re.compile(r"``([^`]+)``")
_REST_ROLE = re.compile(r":[a-z]+:`~?([^`]+)`")


def plain(text: str) -> str:
    """``text`` without reST inline markup, for a terminal."""
    return _REST_LITERAL.sub(r"\1", _REST_ROLE.sub(r"\1", text))


class PlainHelpFormatter(argparse.HelpFormatter):
    """argparse's formatter, printing reST literals and roles as plain words."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return super()._fill_text(plain(text), width, indent)

    def _split_lines(self, text: str, width: int) -> list[str]:
        return super()._split_lines(plain(text), width)


class OneLineParser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose ``error`` is a single line on stderr and exit code 2."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", PlainHelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        first = " ".join(message.split())
        self.exit(EXIT_USAGE, f"{self.prog}: error: {first} (see --help)\n")


def fail(prog: str, message: str, code: int = EXIT_FAILED) -> int:
    """Print a one-line runtime error and return ``code`` for ``sys.exit``."""
    print(f"{prog}: error: {' '.join(str(message).split())}", file=sys.stderr)
    return code


def add_archive_option(parser: argparse.ArgumentParser) -> None:
    """``--archive DIR``, located the same way by every subcommand."""
    parser.add_argument(
        "--archive",
        metavar="DIR",
        help="archive directory (default: $SNHR_ARCHIVE_DIR, else ./archive)",
    )


def iso_day(text: str) -> str:
    """An argparse ``type``: a real calendar day written ``YYYY-MM-DD``, returned as written."""
    day = text.strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", day):
        raise argparse.ArgumentTypeError(f"expected YYYY-MM-DD, got {text!r}")
    try:
        date.fromisoformat(day)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a real date: {text!r}") from None
    return day


def archive_from(args: argparse.Namespace) -> Path:
    """``--archive``, else ``$SNHR_ARCHIVE_DIR``, else ``./archive``."""
    return Path(args.archive) if args.archive else resolve_archive_dir()
