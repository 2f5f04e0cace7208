"""Host groups: the sources of one ``crawl`` run that share no host, crawled at the same time.

Scrapy keeps its politeness (one request at a time per host, the delay,
AutoThrottle, Crawl-delay) per crawler, so two crawlers on one host would
double its load. ``host_groups`` puts sources that share any host in one
group: a site's host, aliases and old hosts (its descriptor), and the host
it is fetched from unless that is on loopback (a local copy, local mode).
SNHR's four sources make two groups: ``news.snhr.org`` (English and Arabic
news) and ``snhr.org`` (English and Arabic reports). A source without a
descriptor could share a host with anything: then there is one group.

``run_groups`` crawls each group in a child process of its own (``fork``),
the group's sources in turn as ``crawl`` always did, so no host ever sees
more than one crawler, while the other group's host is crawled by the other
process: the two cores a run has. It is still one run:

* **the lock**: the parent holds ``crawl.lock`` for the whole run; the
  children inherit its descriptor and check the claim (``ARCHIVE_RUN_LOCK``,
  ``RunLock.held_here`` accepts the parent);
* **the archive**: before the children start, the parent opens the store
  once (recovery of every source, under the lock) and closes it. Each child
  writes only its own sources' files and recovers only them
  (``ARCHIVE_SHARED``); they share the index, whose writes are replayed in a
  short transaction per batch (``archive.staging``), so neither waits for
  the other's batch. The parent writes the manifest once every child is done;
* **the report**: each child sends back its sources' report sections; the
  parent builds the one report (sources in the run's order), runs the checks
  and prints the summary;
* **progress**: in a terminal each child sends its progress lines up a pipe
  and the parent draws one live line per group, leaving each finished
  source's line on screen; elsewhere each child logs them, as before;
* **the log**: every process appends to ``runs/<run-id>.log``;
* **signals**: the children are in a process group of their own, so a
  Ctrl-C reaches only the parent, which passes it (and SIGTERM) on to each
  child once: each stops its crawl gracefully, and the sources not reached
  are ``not_run``. A child that dies makes its sources ``failed``, naming how.
"""

from __future__ import annotations

import contextlib
import json
import logging
import multiprocessing
import os
import selectors
import signal
import sys
import threading
from dataclasses import replace
from typing import TYPE_CHECKING, Any, TextIO

from scrapy.spiderloader import get_spider_loader
from scrapy.utils.log import configure_logging

from snhr_crawler.archive.manifest import update_manifest
from snhr_crawler.archive.store import ArchiveStore
from snhr_crawler.ops.politeness import is_loopback
from snhr_crawler.ops.report import missing_section

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    from snhr_crawler.ops.crawl import Plan

logger = logging.getLogger(__name__)

#: ``finish_reason`` of the sources of a group whose process ended without a report.
PROCESS_DIED = "process_died"
_CLEAR_BELOW = "\x1b[J"


# -- which sources may run together -----------------------------------------------------------
def source_hosts(plan: Plan, source: str) -> set[str] | None:
    """The hosts ``source`` may put load on in this run, or None when they are not known."""
    site = getattr(get_spider_loader(plan.settings).load(source), "site", None)
    if site is None:
        return None
    hosts = {f"site:{host}" for host in site.own_hosts}
    origin = (plan.options.get("origins") or {}).get(source)
    if origin and not is_loopback(origin):
        from urllib.parse import urlsplit

        hosts.add(f"site:{(urlsplit(origin).hostname or '').lower()}")
    return hosts


def host_groups(plan: Plan) -> list[list[str]]:
    """The run's sources in groups that share no host, each in the run's order."""
    hosts: dict[str, set[str]] = {}
    for source in plan.sources:
        found = source_hosts(plan, source)
        if found is None:
            return [list(plan.sources)]  # it may share a host with any of them
        hosts[source] = found
    groups: list[tuple[set[str], list[str]]] = []
    for source in plan.sources:
        touching = [group for group in groups if group[0] & hosts[source]]
        merged: tuple[set[str], list[str]] = (set(hosts[source]), [])
        for group in touching:
            groups.remove(group)
            merged[0].update(group[0])
            merged[1].extend(group[1])
        merged[1].append(source)
        groups.append(merged)
    order = {source: n for n, source in enumerate(plan.sources)}
    return sorted(
        (sorted(members, key=order.__getitem__) for _, members in groups),
        key=lambda members: order[members[0]],
    )


# -- the run ------------------------------------------------------------------------------------
def run_groups(plan: Plan, groups: list[list[str]]) -> dict[str, Any]:
    """Crawl each group in a child process; every source's report section, in the run's order."""
    configure_logging(plan.settings)  # the parent's own lines go to the run's log too
    lost_files = _recover(plan)
    relay = plan.settings.get("OPS_PROGRESS") == "tty"
    context = multiprocessing.get_context("fork")
    children: list[tuple[Any, Connection, list[str]]] = []
    screen = GroupLines(sys.stderr, len(groups)) if relay else None
    for slot, group in enumerate(groups):
        receive, send = context.Pipe(duplex=False)
        progress_fd = screen.open(slot) if screen is not None else None
        child = context.Process(
            target=_group_main,
            args=(plan, group, send, progress_fd),
            name=f"snhr-crawler group {slot + 1}",
        )
        child.start()
        send.close()
        if screen is not None:
            screen.opened(slot)
        children.append((child, receive, group))
    results = _wait(children)
    if screen is not None:
        screen.close()
    sections: dict[str, Any] = {}
    for source in plan.sources:
        sections[source] = results.get(source) or missing_section(
            PROCESS_DIED, "its host group's process ended without a report"
        )
    try:  # once, after every group: nobody appends while it hashes
        update_manifest(plan.archive_dir, lost=lost_files)
    except OSError as exc:
        logger.error("archive manifest %s could not be written: %s", plan.archive_dir, exc)
    return sections


def _recover(plan: Plan) -> list[str]:
    """Open the store once under the run's lock: recovery of every source before any child writes."""
    store = ArchiveStore(plan.archive_dir, held_lock=True)
    report = store.take_recovery_report()
    store.close(manifest=False)
    return list(report.lost_files) if report is not None else []


def _wait(children: list[tuple[Any, Connection, list[str]]]) -> dict[str, Any]:
    """Each child's sections; signals to this process are passed on to every child once."""
    forwarded: list[int] = []

    def forward(signum: int, frame: object) -> None:
        forwarded.append(signum)
        for child, _, _ in children:
            if child.is_alive() and child.pid is not None:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(child.pid, signum)

    previous = {sig: signal.signal(sig, forward) for sig in (signal.SIGINT, signal.SIGTERM)}
    results: dict[str, Any] = {}
    try:
        for child, receive, group in children:
            try:
                kind, payload = receive.recv()  # the child's one message, sent as it ends
            except EOFError:
                kind, payload = "died", None
            child.join()
            if kind == "ok":
                results.update(payload)
                continue
            why = payload or f"its process ended with exit code {child.exitcode}"
            logger.error("host group %s: %s", ", ".join(group), why)
            for source in group:
                results.setdefault(source, missing_section(PROCESS_DIED, why))
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return results


def _group_main(plan: Plan, group: list[str], send: Connection, progress_fd: int | None) -> None:
    """In the child: crawl the group's sources in turn, send their sections, end."""
    os.setpgid(0, 0)  # a terminal's Ctrl-C reaches the parent, which passes it on once
    from snhr_crawler.ops.crawl import crawl_sections

    shared: dict[str, Any] = {"ARCHIVE_SHARED": True}
    if progress_fd is not None:
        shared.update(OPS_PROGRESS="relay", OPS_PROGRESS_RELAY_FD=progress_fd)
    for settings in (plan.settings, *(plan.settings_for(source) for source in group)):
        settings.setdict(shared, priority="cmdline")
    try:
        send.send(("ok", crawl_sections(replace(plan, sources=group))))
    except BaseException as exc:
        send.send(("error", " ".join(f"{type(exc).__name__}: {exc}".split())))
        raise
    finally:
        send.close()


# -- progress: one live line per group -----------------------------------------------------------
class GroupLines:
    """Draws the groups' progress lines, relayed by the children, as a block on ``stream``.

    A child writes one JSON object per line to its pipe: ``{"line": ..., "final": bool}``.
    A final line (a source that finished) is printed above the block and stays.
    """

    def __init__(self, stream: TextIO, groups: int) -> None:
        self.stream = stream
        self.live: dict[int, str] = {}
        self.drawn = 0
        self.selector = selectors.DefaultSelector()
        self.write_ends: dict[int, int] = {}
        self.thread = threading.Thread(target=self._read, name="progress", daemon=True)
        self.groups = groups

    def open(self, slot: int) -> int:
        """A pipe for group ``slot``; returns the end the child writes to."""
        read, write = os.pipe()
        os.set_inheritable(write, True)
        self.selector.register(read, selectors.EVENT_READ, (slot, bytearray()))
        self.write_ends[slot] = write
        return write

    def opened(self, slot: int) -> None:
        """The child has its copy of the write end: close ours (its end-of-file is the child's)."""
        os.close(self.write_ends.pop(slot))
        if slot == self.groups - 1:
            self.thread.start()

    def close(self) -> None:
        if self.thread.is_alive():
            self.thread.join(5)
        self._draw()
        self.stream.flush()

    def _read(self) -> None:
        while self.selector.get_map():
            for key, _ in self.selector.select(timeout=1.0):
                slot, buffer = key.data
                chunk = os.read(key.fd, 4096)
                if not chunk:
                    self.selector.unregister(key.fd)
                    os.close(key.fd)
                    continue
                buffer.extend(chunk)
                while b"\n" in buffer:
                    raw, _, rest = bytes(buffer).partition(b"\n")
                    buffer[:] = rest
                    with contextlib.suppress(ValueError):
                        self._show(slot, json.loads(raw))

    def _show(self, slot: int, message: dict[str, Any]) -> None:
        line = str(message.get("line", ""))
        if message.get("final"):
            self.live.pop(slot, None)
            self._draw(above=line)
        else:
            self.live[slot] = line
            self._draw()

    def _draw(self, above: str | None = None) -> None:
        parts = []
        if self.drawn:
            parts.append(f"\x1b[{self.drawn}F")  # back to the block's first line
        parts.append(_CLEAR_BELOW)
        if above is not None:
            parts.append(above + "\n")
        lines = [self.live[slot] for slot in sorted(self.live)]
        parts.extend(line + "\n" for line in lines)
        self.drawn = len(lines)
        self.stream.write("".join(parts))
        self.stream.flush()
