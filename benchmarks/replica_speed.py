"""How many article pages per second one replica process serves.

Starts ``python -m snhr_replica serve`` as a child process (the server
under test), then drives it from this process with keep-alive HTTP/1.1
connections on loopback, bounded by request count and wall time.

    python benchmarks/replica_speed.py --posts 500 --seconds 10
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import time
from urllib.parse import urlsplit

from snhr_replica.truth import truth
from snhr_replica.world import World

PUBLIC = {"https://news.snhr.org": "news", "https://snhr.org": "main"}


def article_paths(posts: int, seed: int) -> list[tuple[str, str]]:
    """(family, path) of every article, from the same generator the server uses."""
    out = []
    for record in truth(World(posts=posts, seed=seed)):
        parts = urlsplit(record["url"])
        out.append((PUBLIC[f"https://{parts.hostname}"], parts.path))
    return out


async def worker(
    host: str, ports: dict[str, int], paths: list[tuple[str, str]], offset: int, deadline: float,
    budget: list[int], stats: list[int],
) -> None:  # fmt: skip
    conns: dict[str, tuple[asyncio.StreamReader, asyncio.StreamWriter]] = {}
    i = offset
    while budget[0] > 0 and time.perf_counter() < deadline:
        budget[0] -= 1
        family, path = paths[i % len(paths)]
        i += 7
        if family not in conns:
            conns[family] = await asyncio.open_connection(host, ports[family])
        reader, writer = conns[family]
        writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
        head = await reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        length = 0
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        await reader.readexactly(length)
        stats[0 if status == 200 else 1] += 1
        stats[2] += length
    for _, writer in conns.values():
        writer.close()


async def drive(
    origins: dict[str, str], paths: list[tuple[str, str]], args: argparse.Namespace
) -> None:
    ports = {family: int(origin.rsplit(":", 1)[1]) for family, origin in origins.items()}
    stats = [0, 0, 0]
    budget = [args.warmup]
    await asyncio.gather(
        *(
            worker("127.0.0.1", ports, paths, n, time.perf_counter() + 30, budget, stats)
            for n in range(8)
        )
    )
    stats[:] = [0, 0, 0]
    budget = [args.max_requests]
    start = time.perf_counter()
    deadline = start + args.seconds
    await asyncio.gather(
        *(
            worker("127.0.0.1", ports, paths, n * 13, deadline, budget, stats)
            for n in range(args.connections)
        )
    )
    elapsed = time.perf_counter() - start
    print(
        f"{stats[0] / elapsed:,.0f} article pages/s  ({stats[0]} ok, {stats[1]} not ok, "
        f"{stats[2] / elapsed / 1e6:.1f} MB/s, {elapsed:.1f} s, {args.connections} connections)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=500, help="posts per site")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--seconds", type=float, default=10.0, help="time bound of the measured run"
    )
    parser.add_argument("--max-requests", type=int, default=100_000, help="count bound")
    parser.add_argument(
        "--warmup", type=int, default=0, help="requests before measuring (default: all pages once)"
    )
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    paths = article_paths(args.posts, args.seed)
    args.warmup = args.warmup or len(paths)
    server = subprocess.Popen(
        [sys.executable, "-m", "snhr_replica", "serve", "--port", "0",
         "--posts", str(args.posts), "--seed", str(args.seed)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert server.stdout is not None
        lines = [server.stdout.readline().split() for _ in range(4)]
        origins = {"news": lines[0][1], "main": lines[2][1]}
        asyncio.run(drive(origins, paths, args))
    finally:
        server.terminate()
        server.wait(10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
