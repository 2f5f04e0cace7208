"""``ReplicaServer``: the replica on loopback in a background thread, for tests.

The thread owns its event loop; ``__enter__`` returns once both ports listen,
``__exit__`` shuts the loop down. Mutations go through :attr:`site` (a
:class:`World`), which is safe to call from the test's thread.
"""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from typing import Any

from aiohttp import web

from .app import FamilyApp, State, footer_links
from .faults import Faults, parse_faults
from .pages import Pages
from .sites import SITES
from .switches import Switches, parse_switches
from .truth import truth as build_truth
from .world import World


def make_state(
    *,
    posts: int,
    seed: int,
    faults: Faults | str | None,
    switches: Switches | dict[str, Any] | list[str] | None,
    now: datetime | Callable[[], datetime] | None,
    log_requests: bool = True,
) -> State:
    """The shared server state; origins are filled in once ports are bound."""
    if isinstance(faults, str) or faults is None:
        faults = parse_faults(faults)
    if isinstance(switches, dict):
        switches = parse_switches([f"{k}={v}" for k, v in switches.items()])
    elif isinstance(switches, list):
        switches = parse_switches(switches)
    world = World(posts=posts, seed=seed, switches=switches, now=now)
    origins: dict[str, str] = {}
    pages = Pages(world, origins, {})
    return State(world, faults, origins, pages, log_requests)


async def start_runners(state: State, host: str, port: int) -> list[web.BaseRunner]:
    """Bind news on ``port`` and main on ``port + 1`` (0 = any free ports)."""
    runners: list[web.BaseRunner] = []
    for offset, family in enumerate(("news", "main")):
        runner = web.ServerRunner(FamilyApp(state, family).make_server())
        await runner.setup()
        site = web.TCPSite(runner, host, port + offset if port else 0, reuse_address=True)
        await site.start()
        bound = runner.addresses[0][1]
        state.origins[family] = f"http://{host}:{bound}"
        runners.append(runner)
    state.pages.footer.update(footer_links(state.faults, state.origins))
    return runners


def site_origins(state: State) -> dict[str, str]:
    """Spider name → origin, in the order ``serve`` prints them."""
    return {site.source: state.origins[site.family] for site in SITES}


class ReplicaServer:
    """``with ReplicaServer(posts=20, seed=1) as replica: replica.origins[...]``."""

    def __init__(
        self,
        *,
        posts: int = 60,
        seed: int = 1,
        faults: Faults | str | None = None,
        switches: Switches | dict[str, Any] | list[str] | None = None,
        now: datetime | Callable[[], datetime] | None = None,
        port: int = 0,
        log_requests: bool = True,
    ) -> None:
        self.state = make_state(
            posts=posts,
            seed=seed,
            faults=faults,
            switches=switches,
            now=now,
            log_requests=log_requests,
        )
        self.port = port
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runners: list[web.BaseRunner] = []

    @property
    def site(self) -> World:
        """The mutation API: ``add(source, n)``, ``edit(source, id)``, ``delete(source, id, status)``."""
        return self.state.world

    @property
    def origins(self) -> dict[str, str]:
        return site_origins(self.state)

    @property
    def requests(self) -> list[tuple[str, str, int]]:
        """(method, path with query, status) of every request, in order."""
        return self.state.requests

    @property
    def arrivals(self) -> list[tuple[float, str, str]]:
        """(``time.monotonic()``, method, path with query) of every request as it arrived."""
        return self.state.arrivals

    def request_counts(self) -> Counter[str]:
        """Requests per path (with query)."""
        return Counter(path for _, path, _ in self.state.requests)

    def truth(self, source: str | None = None) -> list[dict[str, Any]]:
        """The ground truth (``snhr_replica.truth.truth``)."""
        return build_truth(self.state.world, source)

    def __enter__(self) -> ReplicaServer:
        ready = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            asyncio.set_event_loop(loop)
            try:
                self._runners = loop.run_until_complete(
                    start_runners(self.state, "127.0.0.1", self.port)
                )
            except BaseException as error:  # reported to the caller's thread
                failure.append(error)
                ready.set()
                return
            ready.set()
            loop.run_forever()
            for runner in self._runners:
                loop.run_until_complete(runner.cleanup())
            loop.close()

        self._thread = threading.Thread(target=run, name="snhr-replica", daemon=True)
        self._thread.start()
        ready.wait(30)
        if failure:
            raise failure[0]
        return self

    def __exit__(self, *exc: object) -> None:
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(10)
