"""An offline, deterministic replica of SNHR's four WordPress sites.

``ReplicaServer`` runs it on loopback for tests; ``python -m snhr_replica``
(or ``snhr-crawler replica``) serves it and writes its ground truth.

The HTTP server needs ``aiohttp`` (the ``replica`` extra); everything else
(the model, the ground truth, the command line's parser) does not, so the
names that need it are imported on first use rather than here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .faults import Faults, parse_faults
from .switches import Switches, parse_switches
from .world import World

if TYPE_CHECKING:
    from .handle import ReplicaServer

__all__ = ["Faults", "ReplicaServer", "Switches", "World", "parse_faults", "parse_switches"]


def __getattr__(name: str) -> Any:
    if name == "ReplicaServer":
        from .handle import ReplicaServer

        return ReplicaServer
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
