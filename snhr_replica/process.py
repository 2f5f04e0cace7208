"""``replica serve`` as a child process, for the demo and the benchmark.

``start_replica_process(args, timeout)`` starts ``python -m snhr_replica
serve <args>`` and waits, at most ``timeout`` seconds, for its ``<spider> <origin>``
line per site. The lines are read by a thread so the wait is bounded even when the
child hangs before printing. On any failure (early exit, a malformed line, the
timeout) the child is stopped before ``ReplicaStartError`` is raised, so nothing is
left running.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

#: The four sites, in the order ``replica serve`` prints them.
SOURCES = ("snhr_news", "snhr_news_ar", "snhr_reports", "snhr_reports_ar")


class ReplicaStartError(RuntimeError):
    """The replica did not print one origin per site in time; the child has been stopped."""


def start_replica_process(
    args: Sequence[str],
    timeout: float,
    *,
    cwd: str | Path | None = None,
    command: Sequence[str] | None = None,
) -> tuple[subprocess.Popen[str], dict[str, str]]:
    """Start ``replica serve <args>``; return the child and ``{spider: origin}``.

    ``command`` replaces ``[python, -m, snhr_replica, serve]`` (tests use it
    to stand in a child that hangs or fails). Stop the child with ``stop_process``.
    """
    argv = [*(command or (sys.executable, "-m", "snhr_replica", "serve")), *args]
    process = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.PIPE, text=True)
    origins: dict[str, str] = {}
    problem: list[str] = []
    reader = threading.Thread(
        target=_read_origins, args=(process, origins, problem), name="replica-origins", daemon=True
    )
    try:
        reader.start()
        reader.join(timeout)
        if reader.is_alive():
            problem.append(f"no origin for every site within {timeout:g} s")
        elif problem and problem[0] == "":  # end of output: say how the child ended
            try:
                problem[0] = f"exited with status {process.wait(5)}"
            except subprocess.TimeoutExpired:
                problem[0] = "closed its output"
        if problem:
            raise ReplicaStartError(f"the replica did not start: {problem[0]} (got {origins})")
    except BaseException:
        stop_process(process, close=False)
        if reader.ident is not None:
            reader.join(2)  # the child is gone: its readline sees the end of the pipe
        if not reader.is_alive() and process.stdout is not None:
            process.stdout.close()  # never under a blocked readline, which would wait for it
        raise
    return process, origins


def _read_origins(
    process: subprocess.Popen[str], origins: dict[str, str], problem: list[str]
) -> None:
    """One ``<spider> <origin>`` line per site into ``origins``; else the bad line into ``problem``."""
    stdout = process.stdout
    assert stdout is not None
    for _ in SOURCES:
        line = stdout.readline()
        fields = line.split()
        if not line:
            problem.append("")
            return
        if len(fields) != 2 or fields[0] not in SOURCES or fields[0] in origins:
            problem.append(f"expected '<spider> <origin>', got {line.strip()!r}")
            return
        origins[fields[0]] = fields[1]


def stop_process(
    process: subprocess.Popen[str], grace: float = 30.0, *, close: bool = True
) -> None:
    """SIGTERM, wait ``grace`` seconds, then SIGKILL; then close its stdout (``close``)."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)
    if close and process.stdout is not None:
        process.stdout.close()
