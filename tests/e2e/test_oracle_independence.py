"""A broken crawler fails the truth comparison: the oracle does not lean on the crawler.

Each case breaks one of the crawler's record functions (canonical URLs, ids, doc
types, the content hash) for the length of an in-process crawl, everywhere the
crawler's modules bound it, and checks that comparing the crawl with the
replica's truth reports exactly the fields that function decides. Were the truth
computed with the crawler's own functions, these crawls would pass.
"""

from __future__ import annotations

import hashlib
import importlib
import pkgutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from scrapy.utils.defer import deferred_f_from_coro_f

import snhr_crawler
from snhr_replica import ReplicaServer
from tests.crawling import crawl
from tests.truth_check import compare_with_truth

pytestmark = pytest.mark.e2e


def _no_canonicalisation(url: str, hosts: Any = None) -> str:
    return url.strip()


def _id_from_the_url_always(source: str, post_id: int | None, url: str) -> str:
    return f"{source}:u{hashlib.sha256(url.encode('utf-8')).hexdigest()[:16]}"


def _everything_is_news(site: str, categories: Any) -> str:
    return "news"


def _hash_without_normalising(title: str, body_text: str) -> str:
    return hashlib.sha256((title + body_text).encode("utf-8")).hexdigest()


#: name: (module, function, its broken stand-in, source to crawl, fields the truth must flag)
BREAKAGES: dict[str, tuple[str, str, Callable[..., str], str, set[str]]] = {
    "canonical URLs": (
        "snhr_crawler.urls", "canonical_url", _no_canonicalisation, "snhr_news_ar", {"url"},
    ),
    "ids": ("snhr_crawler.items", "article_id", _id_from_the_url_always, "snhr_news", {"id"}),
    "doc types": (
        "snhr_crawler.doc_types", "doc_type_for", _everything_is_news, "snhr_reports", {"doc_type"},
    ),
    "content hash": (
        "snhr_crawler.items", "content_sha256", _hash_without_normalising, "snhr_news",
        {"content_sha256"},
    ),
}  # fmt: skip


@pytest.fixture(scope="module")
def replica() -> Iterator[ReplicaServer]:
    with ReplicaServer(posts=12, seed=4) as server:
        yield server


def break_everywhere(
    monkeypatch: pytest.MonkeyPatch, module: str, name: str, broken: Callable[..., str]
) -> int:
    """Rebind ``module.name`` in every crawler module that holds it; how many did."""
    for info in pkgutil.walk_packages(snhr_crawler.__path__, "snhr_crawler."):
        if not info.name.endswith("__main__"):  # those run their command
            importlib.import_module(info.name)
    original = getattr(importlib.import_module(module), name)
    holders = [
        loaded
        for key, loaded in list(sys.modules.items())
        if key.split(".")[0] == "snhr_crawler" and getattr(loaded, name, None) is original
    ]
    for holder in holders:
        monkeypatch.setattr(holder, name, broken)
    return len(holders)


@pytest.mark.parametrize("breakage", list(BREAKAGES))
@deferred_f_from_coro_f
async def test_a_broken_crawler_function_is_caught_by_the_truth(
    breakage: str, replica: ReplicaServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    module, name, broken, source, flagged = BREAKAGES[breakage]
    assert break_everywhere(monkeypatch, module, name, broken) >= 1, f"{module}.{name} not found"
    result = await crawl(source, tmp_path / "archive", origin=replica.origins[source])
    report = compare_with_truth(result.items, replica.truth(source))
    assert not report.missing, report.summary()
    assert not report.extra, report.summary()
    assert report.mismatches, f"breaking {name} went unnoticed"
    if breakage == "canonical URLs":  # the url feeds other fields (translations, hrefs)
        assert flagged <= report.fields, report.summary()
    else:  # nothing else is touched: the rest of the record still matches
        assert report.fields == flagged, report.summary()
