"""The manifest chain: each manifest records the hash of the one before it.

``manifest.json`` alone says what the files are now, so anyone who edits a
line and recomputes the manifest (or deletes it) leaves an archive that
verifies. The chain makes that visible. Every manifest a crawl writes
carries ``sequence`` (1, 2, ...) and ``previous_sha256`` (the sha256 of the
``manifest.json`` bytes it replaces), and the same facts go, one JSON line per
manifest, into the append-only ``manifest-chain.jsonl``::

    {"sequence": 7, "generated_at": "...Z", "sha256": "<this manifest.json>",
     "previous_sha256": "<the one it replaced>",
     "files": {"snhr_news/2024-05.jsonl": [81234, "<sha256 of those bytes>"]},
     "lost": [], "breaks": []}

``files`` holds the size and hash of each data file whose entry changed; data
files are append-only, so each such pair must stay the hash of the file's
first ``size`` bytes for ever. ``breaks`` records what the writer found wrong
with its predecessor (``manifest.json`` missing, unreadable, or not the one
the chain's head names: replaced outside a crawl); ``lost`` the data files the
previous manifest listed that were gone from disk.

``verify`` (``ChainCheck``) then reports: a ``manifest.json`` that is not the
chain's head, every recorded break and lost file, and every data file whose
bytes no longer begin with what an earlier manifest hashed. The chain's head
can itself be rewritten by someone with write access; anchoring it outside
the archive (a timestamp) is for a later release.

The chain line is appended (and fsynced) before ``manifest.json`` is
replaced; a crash between the two leaves the old manifest, which the next
writer recognises as the head's ``previous_sha256``, not as a break.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from snhr_crawler import durable

logger = logging.getLogger(__name__)

CHAIN_NAME = "manifest-chain.jsonl"


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_chain(root: Path) -> list[dict[str, Any]]:
    """The chain's entries in order; a torn or unreadable line ends it (logged)."""
    path = Path(root) / CHAIN_NAME
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return []
    entries = []
    for number, line in enumerate(raw.splitlines(keepends=True), start=1):
        try:
            entry = json.loads(line) if line.endswith(b"\n") else None
        except ValueError:
            entry = None
        if not isinstance(entry, dict) or not isinstance(entry.get("sha256"), str):
            logger.warning("%s:%d is not a chain entry; the chain is read up to it", path, number)
            break
        entries.append(entry)
    return entries


def chain_head(root: Path) -> dict[str, Any] | None:
    """``{"sequence", "sha256"}`` of the chain's last manifest, or None (no chain yet).

    Run reports record it when the run ends, so a release knows which
    manifests, and so which bytes of each data file, the run wrote.
    """
    chain = read_chain(root)
    if not chain:
        return None
    head = chain[-1]
    return {"sequence": int(head.get("sequence") or len(chain)), "sha256": head["sha256"]}


def append_entry(root: Path, entry: Mapping[str, Any]) -> None:
    """Append one entry to the chain, durably (fsync of the file and, when new, its directory)."""
    data = (json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
    durable.append_file(Path(root) / CHAIN_NAME, data)


@dataclass(frozen=True)
class Predecessor:
    """What the writer of a new manifest knows about the one it replaces."""

    sha256: str | None  # of the manifest.json bytes on disk (None: there were none)
    sequence: int  # the new manifest's sequence is this + 1
    breaks: tuple[str, ...] = ()
    trusted: bool = True  # whether its file entries may be reused without re-hashing


def predecessor(
    chain: list[dict[str, Any]], current: bytes | None, parsed: Mapping[str, Any] | None
) -> Predecessor:
    """Judge the ``manifest.json`` about to be replaced against the chain's head."""
    head = chain[-1] if chain else None
    sha = sha256_bytes(current) if current is not None else None
    if head is None:
        sequence = parsed.get("sequence") if isinstance(parsed, Mapping) else None
        if isinstance(sequence, int) and sequence > 0:
            return Predecessor(
                sha,
                sequence,
                (f"{CHAIN_NAME} is missing, but manifest #{sequence} existed",),
                False,
            )
        if current is not None and parsed is None:
            return Predecessor(
                sha, 0, ("manifest.json was unreadable; rebuilt from the files",), False
            )
        return Predecessor(sha, 0)  # the first manifest of a chain (a new or older archive)
    number = int(head.get("sequence") or len(chain))
    if sha == head["sha256"]:
        return Predecessor(sha, number, (), parsed is not None)
    if sha is not None and sha == head.get("previous_sha256"):
        return Predecessor(sha, number, (), parsed is not None)  # the last write stopped halfway
    if current is None:
        why = f"manifest.json #{number} was missing (deleted outside a crawl)"
    elif parsed is None:
        why = f"manifest.json #{number} was unreadable (damaged or replaced outside a crawl)"
    else:
        why = f"manifest.json was not #{number} of the chain (replaced outside a crawl)"
    return Predecessor(sha, number, (why,), False)


# -- verify ---------------------------------------------------------------------------------
@dataclass
class ChainCheck:
    """What ``verify`` checks against the chain (see the module docstring)."""

    entries: list[dict[str, Any]]
    #: data file -> [(size, sha256, sequence)] recorded since it was last lost.
    prefixes: dict[str, list[tuple[int, str, int]]] = field(default_factory=dict)
    #: A manifest's temp file is still there: its writer stopped before the rename.
    interrupted: bool = False

    @classmethod
    def load(cls, root: Path) -> ChainCheck:
        check = cls(read_chain(root))
        check.interrupted = any(Path(root).glob(".manifest.json.*.tmp"))
        for entry in check.entries:
            number = int(entry.get("sequence") or 0)
            for rel in entry.get("lost") or ():
                check.prefixes.pop(str(rel), None)
            files = entry.get("files")
            for rel, recorded in files.items() if isinstance(files, dict) else ():
                if isinstance(recorded, list) and len(recorded) == 2:
                    size, digest = recorded
                    if isinstance(size, int) and isinstance(digest, str):
                        check.prefixes.setdefault(str(rel), []).append((size, digest, number))
        return check

    def problems(
        self, manifest_bytes: bytes | None, manifest: Mapping[str, Any] | None
    ) -> Iterator[str]:
        """Chain problems not tied to one data file's bytes."""
        if not self.entries:
            sequence = manifest.get("sequence") if isinstance(manifest, Mapping) else None
            if isinstance(sequence, int) and sequence > 0:
                yield f"{CHAIN_NAME}: missing, but manifest.json is #{sequence} of a chain"
            return
        head = self.entries[-1]
        number = head.get("sequence")
        if manifest_bytes is None:
            if not self.interrupted:
                yield f"manifest.json: missing, but the chain says manifest #{number} was written"
        elif sha256_bytes(manifest_bytes) != head["sha256"]:
            yield (
                f"manifest.json: not manifest #{number} the last crawl wrote"
                " (recomputed or replaced outside a crawl)"
            )
        for entry in self.entries:
            for why in entry.get("breaks") or ():
                yield f"{CHAIN_NAME}: before manifest #{entry.get('sequence')}: {why}"
            for rel in entry.get("lost") or ():
                yield f"{rel}: lost from disk before manifest #{entry.get('sequence')} (its history is gone)"

    def expected(self, rel: str) -> dict[int, list[tuple[str, int]]]:
        """size -> [(sha256, sequence)] the file's first ``size`` bytes must hash to."""
        found: dict[int, list[tuple[str, int]]] = {}
        for size, digest, number in self.prefixes.get(rel, ()):
            found.setdefault(size, []).append((digest, number))
        return found

    def missing_files(self, on_disk: set[str]) -> Iterator[str]:
        for rel, recorded in sorted(self.prefixes.items()):
            if rel not in on_disk:
                yield f"{rel}: recorded by manifest #{recorded[-1][2]} but missing from disk"
