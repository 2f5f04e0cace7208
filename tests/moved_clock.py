"""Run the suite with the clock of every process moved: ``python -m tests.moved_clock WHEN [PYTEST ARGS]``.

``WHEN`` is ``+365d`` (a year ahead of the real clock), or an ISO instant
such as ``2027-01-01T00:00:30Z`` (the clock starts there and runs on). ``TZ``
is passed through, so a run can move the time zone too. The
move comes from libfaketime (the ``libfaketime`` package of the test extra),
preloaded into pytest and therefore into every process a test starts; the
monotonic clock is left alone, so timeouts and the reactor behave. Before
pytest starts, a child process proves the clock really moved: a moved-clock
run that silently ran on the real clock would prove nothing.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from datetime import UTC, datetime

import libfaketime

_RELATIVE = re.compile(r"^\+(\d+)d$")
#: How far from the target the child's clock may be (start-up included).
TOLERANCE_S = 120


def offset_seconds(when: str, now: float) -> int:
    """Seconds to add to the real clock for ``when`` (``+Nd`` or an ISO instant)."""
    if match := _RELATIVE.match(when):
        return int(match.group(1)) * 86400
    target = datetime.fromisoformat(when.replace("Z", "+00:00"))
    if target.tzinfo is None:
        raise SystemExit(f"moved_clock: {when!r} needs a time zone (Z or +HH:MM)")
    return round(target.timestamp() - now)


def main(argv: list[str]) -> int:
    if not argv:
        raise SystemExit(__doc__.splitlines()[0])
    when, pytest_args = argv[0], argv[1:]
    real = time.time()
    offset = offset_seconds(when, real)
    _, preload = libfaketime.get_reload_information()
    env = {**os.environ, **preload, "FAKETIME": f"{offset:+d}", "DONT_FAKE_MONOTONIC": "1"}
    probe = subprocess.run(
        [sys.executable, "-c", "import time; print(time.time())"],
        env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    moved = float(probe.stdout) - real
    if abs(moved - offset) > TOLERANCE_S:
        raise SystemExit(
            f"moved_clock: the clock did not move (wanted {offset:+d} s, got {moved:+.0f} s)"
        )
    started = datetime.fromtimestamp(float(probe.stdout), UTC)
    print(f"moved_clock: running the suite with the clock at {started.isoformat(timespec='seconds')}",
          flush=True)  # fmt: skip
    return subprocess.call([sys.executable, "-m", "pytest", *pytest_args], env=env)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
