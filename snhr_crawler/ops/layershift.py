"""The shift alarm: a field whose extraction fell to a lower layer, the signature of a redesign.

Each field of a record is read layer by layer (``snhr_crawler.extract``), and
the run report counts which layer served it (``extraction_layers``). When a
site changes its markup the records still come out, often still filled, but
from a fallback: the body from WordPress's generic ``entry-content`` instead
of the theme's block, the date from the URL instead of the metadata.
``field_coverage`` cannot see that; this can.

Layers are ranked in tiers, best first (a layer's tier is what it says about
the page, not its place in one parser's order, so the tagDiv and classic
templates of one site, or the two platforms' theme layers, rank alike and an
archive of both eras never looks like a shift):

=====  ===================  ==============================================================
tier   what                 layers
=====  ===================  ==============================================================
0      the theme's markup   ``site:tdb``, ``site:classic``, ``site:wp``, ``site``,
                            ``site:label``, ``shortlink`` (WordPress's own link)
1      WordPress at large   ``site:content``, ``wordpress``, ``wordpress:cat-links``,
                            ``heading``, ``body-class``, ``article-id``, ``site:classic-category``
2      page metadata        ``json-ld``, ``meta``, ``time-element``, and any layer not named here
3      last resorts         ``generic``, ``title-tag``, ``url``
4      nothing              ``none``
=====  ===================  ==============================================================

For each watched field the check compares this run's share of records at or
below each tier with the same share in the baseline: the mean over earlier
runs (each run counts once, whatever its size) and the ``probe``'s profile of
the site, each taken only when it has at least ``min_items`` records for the
field. The largest increase is the share of records that moved down; above
the threshold the check fails, naming the field, the layer it left and the
layer it fell to.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

LAYER_TIERS: dict[str, int] = {
    **dict.fromkeys(("site:tdb", "site:classic", "site:wp", "site", "site:label", "shortlink"), 0),
    **dict.fromkeys(
        (
            "site:content",
            "wordpress",
            "wordpress:cat-links",
            "heading",
            "body-class",
            "article-id",
            "site:classic-category",
        ),
        1,
    ),
    **dict.fromkeys(("json-ld", "meta", "time-element"), 2),
    **dict.fromkeys(("generic", "title-tag", "url"), 3),
    "none": 4,
}
#: A layer this table does not know (a parser grew one) ranks with the metadata.
UNKNOWN_TIER = 2
#: The tier of the last resorts: a field served only from here or below is barely read.
LAST_RESORT_TIER = 3
MAX_TIER = 4

Layers = Mapping[str, int]  # layer -> records


def tier(layer: str) -> int:
    return LAYER_TIERS.get(layer, UNKNOWN_TIER)


def _at_or_below(counts: Layers, level: int) -> float:
    total = sum(counts.values())
    return sum(n for layer, n in counts.items() if tier(layer) >= level) / total if total else 0.0


@dataclass(frozen=True)
class Shift:
    """How far one field fell: ``share`` of records moved to tier ``level`` or below."""

    field: str
    share: float  # increase of the share at or below ``level``, against the baseline
    now: float  # this run's share at or below ``level``
    before: float  # the baseline's
    level: int
    left: str  # the baseline's commonest layer above ``level``
    fell_to: str  # this run's commonest layer at or below ``level``
    records: int
    baselines: int


def field_shift(field: str, current: Layers, baselines: Sequence[Layers]) -> Shift | None:
    """The largest downward move of ``field`` from ``baselines`` to ``current``; None without one."""
    if not baselines or not current:
        return None
    best: Shift | None = None
    for level in range(1, MAX_TIER + 1):
        now = _at_or_below(current, level)
        before = sum(_at_or_below(base, level) for base in baselines) / len(baselines)
        if now - before <= 0 or (best is not None and now - before <= best.share):
            continue
        above: dict[str, int] = {}
        for base in baselines:
            for layer, n in base.items():
                if tier(layer) < level:
                    above[layer] = above.get(layer, 0) + n
        below = {layer: n for layer, n in current.items() if tier(layer) >= level}
        best = Shift(
            field=field,
            share=now - before,
            now=now,
            before=before,
            level=level,
            left=max(above, key=lambda layer: above[layer]) if above else "?",
            fell_to=max(below, key=lambda layer: below[layer]),
            records=sum(current.values()),
            baselines=len(baselines),
        )
    return best


def baselines_for(
    source: str,
    field: str,
    section: Mapping[str, Any],
    history: Sequence[Mapping[str, Any]],
    min_items: int,
) -> list[Layers]:
    """The earlier runs' layers of ``field`` (and the probe's), each with ``min_items``+ records."""
    found = []
    for past in history:
        layers = ((past.get("sources") or {}).get(source) or {}).get("extraction_layers") or {}
        if sum((layers.get(field) or {}).values()) >= min_items:
            found.append(layers[field])
    probed = ((section.get("probe_profile") or {}).get("extraction_layers") or {}).get(field)
    if probed and sum(probed.values()) >= min_items:
        found.append(probed)
    return found


# --- the probe's profile as a baseline ---------------------------------------------------


def profile_path(archive_dir: Path | str, source: str) -> Path:
    """Where ``snhr-crawler probe`` keeps a source's first-contact profile."""
    return Path(archive_dir) / "state" / f"profile-{source}.json"


def attach_probe_profiles(report: dict[str, Any], archive_dir: Path | str) -> None:
    """Copy each source's probed layers (``state/profile-<source>.json``) into its section.

    The report then says what the shift alarm compared with; a missing or
    unreadable profile is simply no baseline.
    """
    for source, section in (report.get("sources") or {}).items():
        path = profile_path(archive_dir, source)
        try:
            profile = json.loads(path.read_text("utf-8"))
        except FileNotFoundError:
            continue
        except (OSError, ValueError) as exc:
            logger.warning("Ignoring the probe profile %s: %s", path, exc)
            continue
        layers = profile.get("extraction_layers") if isinstance(profile, dict) else None
        if isinstance(layers, dict):
            section["probe_profile"] = {
                "probed_at": profile.get("probed_at"),
                "extraction_layers": layers,
            }
