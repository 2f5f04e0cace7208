"""The cases: one scenario per finding of the attack, grouped as the issue groups them.

Each case is an async function of a ``Lab`` that builds its hostile site,
crawls it, asserts the outcome (the counter or check, the archive's state,
``verify``) and returns a ``Seen`` for the table the suite prints.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from tests.hostile.lab import Lab, Seen


@dataclass(frozen=True)
class Case:
    name: str
    group: str
    run: Callable[[Lab], Awaitable[Seen]]


CASES: list[Case] = []


def case(
    name: str, group: str
) -> Callable[[Callable[[Lab], Awaitable[Seen]]], Callable[[Lab], Awaitable[Seen]]]:
    def register(run: Callable[[Lab], Awaitable[Seen]]) -> Callable[[Lab], Awaitable[Seen]]:
        CASES.append(Case(name, group, run))
        return run

    return register


def all_cases() -> list[Case]:
    import importlib

    for group in ("lost", "bounded", "offsite", "unsafe", "pages", "identity", "tamper"):
        try:
            importlib.import_module(f"tests.hostile.cases.{group}")
        except ModuleNotFoundError as exc:
            if exc.name != f"tests.hostile.cases.{group}":
                raise

    return CASES
