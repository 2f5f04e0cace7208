"""``replica serve`` and ``replica truth``: the replica from the command line.

``register(subparsers)`` plugs the ``replica`` command into any argparse parser
(``snhr-crawler`` uses it); ``python -m snhr_replica`` runs it alone.

``serve`` needs aiohttp, which only the ``replica`` extra installs: without it
``serve`` says so in one line and exits 2. ``truth`` needs nothing extra. The
HTTP modules are therefore imported inside ``serve``, never at the top.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import sys
from typing import TYPE_CHECKING, TextIO

from snhr_crawler.ops.parser import EXIT_USAGE, OneLineParser, fail

from .clock import parse_now
from .faults import parse_faults
from .switches import parse_switches
from .truth import truth
from .world import World

if TYPE_CHECKING:
    from .app import State

PROG = "snhr-crawler replica"
#: What to tell someone whose environment lacks the server's dependency.
MISSING_EXTRA = (
    "the replica's server needs aiohttp, which the 'replica' extra installs: "
    "pip install 'snhr-crawler[replica]' (make setup does)"
)


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be a positive integer")
    return value


def _port(text: str) -> int:
    value = int(text)
    if not 0 <= value <= 65534:
        raise argparse.ArgumentTypeError("must be 0..65534")
    return value


_positive.__name__ = "positive integer"
_port.__name__ = "port"


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--posts", type=_positive, default=60, help="posts per site (default 60)")
    parser.add_argument("--seed", type=int, default=1, help="generation seed (default 1)")
    parser.add_argument(
        "--switch", action="extend", nargs="+", default=[], metavar="K=V", help="site switches"
    )


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``replica`` command (with ``serve`` and ``truth``) to ``subparsers``."""
    replica = subparsers.add_parser("replica", help="offline replica of the SNHR sites")
    actions = replica.add_subparsers(
        dest="replica_command", required=True, parser_class=OneLineParser
    )
    serve = actions.add_parser("serve", help="serve the four sites on loopback")
    serve.add_argument(
        "--port", type=_port, default=0, help="news on P, main site on P+1 (0: free)"
    )
    _common(serve)
    serve.add_argument("--faults", default="", help="fault spec, e.g. 500=0.1,429=0.05,trap")
    serve.add_argument("--now", default=None, help="fixed clock (ISO 8601), default: real clock")
    serve.set_defaults(func=_serve)
    dump = actions.add_parser("truth", help="write the ground truth of every site as JSON Lines")
    _common(dump)
    dump.add_argument("--output", default="-", help="file path or - for stdout")
    dump.set_defaults(func=_truth)


def _serve(args: argparse.Namespace) -> int:
    try:
        switches = parse_switches(args.switch)
        faults = parse_faults(args.faults)
        now = parse_now(args.now) if args.now else None
    except ValueError as error:
        return fail(PROG, str(error), EXIT_USAGE)
    try:
        from .handle import make_state
    except ModuleNotFoundError as error:
        if (error.name or "").split(".")[0] != "aiohttp":
            raise  # another missing module is a real bug, not a missing extra
        return fail(PROG, MISSING_EXTRA, EXIT_USAGE)
    state = make_state(
        posts=args.posts,
        seed=args.seed,
        faults=faults,
        switches=switches,
        now=now,
        log_requests=False,
    )
    try:
        asyncio.run(_run(state, args.port))
    except OSError as error:
        return fail(PROG, f"cannot listen: {error}", EXIT_USAGE)
    return 0


async def _run(state: State, port: int) -> None:
    from .handle import site_origins, start_runners

    runners = await start_runners(state, "127.0.0.1", port)
    for source, origin in site_origins(state).items():
        print(f"{source} {origin}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    for runner in runners:
        await runner.cleanup()


def _truth(args: argparse.Namespace) -> int:
    try:
        switches = parse_switches(args.switch)
    except ValueError as error:
        return fail(PROG, str(error), EXIT_USAGE)
    world = World(posts=args.posts, seed=args.seed, switches=switches)
    records = truth(world)
    out: TextIO
    if args.output == "-":
        _write(sys.stdout, records)
    else:
        try:
            with open(args.output, "w", encoding="utf-8") as out:
                _write(out, records)
        except OSError as error:
            return fail(PROG, f"cannot write {args.output}: {error}", EXIT_USAGE)
    return 0


def _write(out: TextIO, records: list[dict[str, object]]) -> None:
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
    out.flush()


def main(argv: list[str] | None = None) -> int:
    """Stand-alone entry point: ``python -m snhr_replica serve …``."""
    parser = OneLineParser(prog="snhr-crawler")
    subparsers = parser.add_subparsers(dest="command", required=True)
    register(subparsers)
    args = parser.parse_args(["replica", *(sys.argv[1:] if argv is None else argv)])
    return int(args.func(args))
