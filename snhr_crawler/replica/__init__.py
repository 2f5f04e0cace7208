"""An offline, deterministic replica of SNHR's four WordPress sites.

``ReplicaServer`` runs it on loopback for tests; ``python -m snhr_crawler.replica``
(or ``snhr-crawler replica``) serves it and writes its ground truth.
"""

from __future__ import annotations

from .faults import Faults, parse_faults
from .handle import ReplicaServer
from .switches import Switches, parse_switches
from .world import World

__all__ = ["Faults", "ReplicaServer", "Switches", "World", "parse_faults", "parse_switches"]
