"""Deterministic randomness keyed by strings.

Every choice the replica makes (titles, dates, faults) is derived from the seed
plus a key naming the decision, so the same seed always yields the same sites
and the same fault on the same (url, attempt), independent of call order.
"""

from __future__ import annotations

import hashlib
import random


def unit(seed: int, *keys: object) -> float:
    """A float in [0, 1) fixed by ``seed`` and ``keys``."""
    text = "\x1f".join([str(seed), *map(str, keys)])
    digest = hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


def rng(seed: int, *keys: object) -> random.Random:
    """A private ``random.Random`` for one decision family."""
    return random.Random(int(unit(seed, *keys) * 2**53))
