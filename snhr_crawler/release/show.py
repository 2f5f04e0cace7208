"""``snhr-crawler show ID``: one record's history, from each version back to its bytes.

Prints every version of the record (why it was written, when, where), each
version's capture (WARC file, record id, offset, payload digest, fetch time,
IP address, TLS certificate), the release and the timestamps that cover it,
and whether each check passes (``release.provenance``). ``--json`` prints
the same as one JSON object. Exit 0 when every check that could be made
passes, 1 when one fails, 2 for an id the archive does not have.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from snhr_crawler.ops.parser import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    add_archive_option,
    archive_from,
    fail,
)
from snhr_crawler.release import timestamp
from snhr_crawler.release.command import tsa_config_path
from snhr_crawler.release.provenance import provenance, render

PROG = "snhr-crawler show"


def register(subparsers: Any) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "show",
        help="one record's history: versions, captures, release and timestamps, each checked",
        description=(
            "Every version of the record with id ID (new, edit, reparse, removal...), the capture"
            " each was read from (WARC file, record id, offset, digest, fetch time, IP, TLS"
            " certificate), the release and timestamps that cover it, and whether each check"
            " passes."
        ),
    )
    parser.add_argument("id", metavar="ID", help="a record id, e.g. snhr_news:67577")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--tsa-config", metavar="FILE",
                        help=f"authorities whose roots the timestamps must chain to (default ${timestamp.ENV_VAR})")  # fmt: skip
    add_archive_option(parser)
    parser.set_defaults(func=run)
    return parser


def run(args: argparse.Namespace) -> int:
    key = args.id.strip()
    if ":" not in key or not key.split(":", 1)[1]:
        return fail(PROG, f"expected an id like snhr_news:67577, got {args.id!r}", code=EXIT_USAGE)
    config = tsa_config_path(args)
    try:
        authorities = timestamp.load_authorities(config) if config is not None else None
    except timestamp.ConfigError as exc:
        return fail(PROG, f"--tsa-config: {exc}", code=EXIT_USAGE)
    archive_dir = archive_from(args)
    if not archive_dir.is_dir():
        return fail(PROG, f"no archive at {archive_dir}")
    found = provenance(archive_dir, key, authorities)
    if not found.versions:
        return fail(PROG, f"no record {key!r} in {archive_dir}", code=EXIT_USAGE)
    if args.json:
        print(json.dumps(found.as_dict(), ensure_ascii=False, indent=2))
    else:
        print(render(found))
    return EXIT_OK if found.ok else EXIT_FAILED
