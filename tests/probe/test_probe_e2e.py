"""``snhr-crawler probe`` against the replica, as an archivist types it (a subprocess each).

Done means: on the replica in its default state every source comes out
``ok`` with a full table and a profile, within the request budget and
read-only; with ``category_slugs=renamed`` the command exits 1 naming each
seed that answers 404; a Crawl-delay is reported and honoured. Expected
figures come from the replica's model (``tests.seed_truth``, its truth).
"""

from __future__ import annotations

import json
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from snhr_replica import ReplicaServer
from tests.ops.conftest import LOOPBACK, run_cli
from tests.seed_truth import shipped_seeds, site_listings, wrong_seeds

pytestmark = pytest.mark.e2e

SOURCES = ("snhr_news", "snhr_news_ar", "snhr_reports", "snhr_reports_ar")
POSTS, SEED = 24, 5
BUDGET = 20


def probe(server: ReplicaServer, archive: Path, *sources: str) -> Any:
    origins = [f"--origin={s}={server.origins[s]}" for s in sources or SOURCES]
    return run_cli("probe", *sources, "--archive", str(archive), *origins, *LOOPBACK)


def profile(archive: Path, source: str) -> dict[str, Any]:
    return json.loads((archive / "state" / f"profile-{source}.json").read_text("utf-8"))


def test_the_default_replica_probes_ok_with_a_full_table(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    with ReplicaServer(posts=POSTS, seed=SEED) as server:
        result = probe(server, archive)
        truth = {source: len(server.truth(source)) for source in SOURCES}
        listings = {source: site_listings(server, source) for source in SOURCES}
        methods = {method for method, _, _ in server.requests}
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout
    assert out.splitlines()[0] == "local mode: 4 sources on loopback, no delay, no AutoThrottle"
    header = out.splitlines()[1].split()
    assert header[:3] == ["source", "robots", "crawl-delay"]
    for source in SOURCES:
        (row,) = [line for line in out.splitlines() if line.startswith(source + " ")]
        assert row.split()[-1] == "ok", row
        found = profile(archive, source)
        assert found["ok"]
        assert found["problems"] == []
        assert found["requests"] <= BUDGET + 1  # robots.txt once more, for Scrapy to obey
        assert found["sitemaps"]["urls"] == truth[source]
        assert found["rest"]["total"] == truth[source]
        assert {c["url"] for c in found["categories"]} == listings[source]
        assert [s["state"] for s in found["seeds"]] == ["confirmed"] * len(shipped_seeds(source))
        assert found["auto"]["first_run"] == "sitemap"
        assert len(found["articles"]) == 5
        assert {a["today_widget"] for a in found["articles"]} == {"recognised"}
        assert {a["language"] for a in found["articles"]} == {
            source[-2:] if source.endswith("_ar") else "en"
        }
        assert set(found["extraction_layers"]) >= {
            "title",
            "published_at",
            "body_text",
            "categories",
        }
        assert found["theme"]["home"] == "tagdiv-cloud"
        assert f"{source}: https://" in out  # each source's block
    assert "extraction layers on 5 sampled article(s)" in out
    assert methods == {"GET"}  # read-only


def test_wrong_slugs_exit_1_naming_each_missing_seed(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    with ReplicaServer(posts=POSTS, seed=SEED, switches={"category_slugs": "renamed"}) as server:
        result = probe(server, archive)
        missing = {source: wrong_seeds(server, source) for source in SOURCES}
    assert result.returncode == 1, result.stderr[-3000:]
    errors = result.stderr.strip().splitlines()
    for source in SOURCES:
        assert missing[source]
        (line,) = [e for e in errors if e.startswith(f"snhr-crawler probe: error: {source}: ")]
        for seed in missing[source]:
            assert f"seed {seed} answers 404" in line
        found = profile(archive, source)
        states = {s["url"]: s["state"] for s in found["seeds"]}
        assert sorted(url for url, state in states.items() if state == "missing") == sorted(
            missing[source]
        )
        assert found["auto"]["first_run"] == "sitemap"  # the default crawl is not misled
    # The English sites' renamed categories kept their names: the probe names the new listing.
    assert (
        "seed https://snhr.org/blog/category/statements-by-snhr/ answers 404; the category named"
        " 'Statements by SNHR' is now https://snhr.org/blog/category/statements/"
    ) in result.stderr
    assert "2 problem(s)" in result.stdout


def test_a_crawl_delay_is_reported_and_honoured(tmp_path: Path) -> None:
    archive, delay = tmp_path / "archive", 0.1
    with ReplicaServer(posts=8, seed=SEED, switches={"crawl_delay": str(delay)}) as server:
        result = probe(server, archive, "snhr_reports_ar")
        moments = [moment for moment, _, _ in server.arrivals]
    assert result.returncode == 0, result.stderr[-3000:]
    assert profile(archive, "snhr_reports_ar")["robots"]["crawl_delay"] == delay
    (row,) = [line for line in result.stdout.splitlines() if line.startswith("snhr_reports_ar ")]
    assert " 0.1 s " in row
    gaps = [b - a for a, b in pairwise(moments)]
    # Our robots.txt copy and Scrapy's may both come before the rules are known.
    assert min(gaps[2:]) >= delay - 0.03, gaps
