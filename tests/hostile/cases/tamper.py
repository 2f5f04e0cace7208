"""Tampering is detectable: the manifest chain shows a recomputed or deleted manifest."""

from __future__ import annotations

from snhr_crawler.archive.manifest import build_manifest, update_manifest, write_manifest
from tests.hostile.cases import case
from tests.hostile.lab import Lab, Seen
from tests.hostile.server import serve
from tests.hostile.site import honest_site, posts

MONTH = "hostile_news/2024-05.jsonl"


async def _archived(lab: Lab) -> None:
    site = honest_site(posts(4))
    with serve(site):
        await lab.crawl(site)
    assert lab.verify().ok


def _edit_a_line(lab: Lab) -> None:
    """Change one word of an archived record, keeping its length (a quiet falsification)."""
    path = lab.archive / MONTH
    data = path.read_bytes()
    assert b"civilians were injured" in data
    path.write_bytes(data.replace(b"civilians were injured", b"civilians were unhurt!", 1))


@case("a line edited and manifest.json recomputed by hand", "tamper")
async def recomputed(lab: Lab) -> Seen:
    await _archived(lab)
    _edit_a_line(lab)
    write_manifest(lab.archive, build_manifest(lab.archive))  # hashes agree again
    problems = lab.verify().problems
    assert any(
        p.startswith("manifest.json: not manifest #1 the last crawl wrote") for p in problems
    )
    assert any(p.startswith(MONTH) and "changed since manifest #1" in p for p in problems)
    return Seen("verify FAILED: not the chain's head; bytes changed", "verify: manifest chain")


@case("a line edited and the manifest rewritten through the chain", "tamper")
async def rewritten_through_chain(lab: Lab) -> Seen:
    await _archived(lab)
    _edit_a_line(lab)
    update_manifest(lab.archive, changed=[MONTH])  # a new link, hashes agree again
    problems = lab.verify().problems
    assert problems
    assert all(p.startswith(MONTH) and "manifest #1" in p for p in problems), problems
    return Seen(
        "verify FAILED: the file no longer begins as #1 hashed it", "verify: manifest chain"
    )


@case("manifest.json deleted", "tamper")
async def deleted(lab: Lab) -> Seen:
    await _archived(lab)
    (lab.archive / "manifest.json").unlink()
    assert any("manifest.json: missing" in p for p in lab.verify().problems)
    site = honest_site(posts(4))
    with serve(site):
        result = await lab.crawl(site)  # a crawl writes a new manifest: the gap stays on record
    assert result.finished
    problems = lab.verify().problems
    assert problems == [
        "manifest-chain.jsonl: before manifest #2: manifest.json #1 was missing (deleted outside a crawl)"
    ], problems
    return Seen("verify FAILED, also after the next crawl", "verify: chain break recorded")
