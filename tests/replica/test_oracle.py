"""The ground truth is an oracle: it shares no code with the crawler, and the crawler agrees with it.

The truth restates the record contract's rules (``snhr_replica/truth.py``) from the
replica's own model. These tests hold the two apart (no import of ``snhr_crawler``
anywhere the truth can reach) and then check that the crawler's functions, given
the same inputs, give the same answers, so that a crawl compared with the truth
tests the crawler rather than repeating it.
"""

from __future__ import annotations

import ast
import hashlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

from snhr_crawler.doc_types import doc_type_for
from snhr_crawler.items import article_id, content_sha256, normalize_text, translation_group
from snhr_crawler.urls import canonical_url
from snhr_replica import World
from snhr_replica import truth as oracle

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "snhr_replica"
#: The one module allowed to use the crawler: the command line plugs into its parser.
GLUE = {"cli.py"}


def _imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Call) and node.args:  # importlib.import_module("…"), __import__
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                names.add(first.value)
    return names


def test_no_replica_module_but_the_cli_imports_the_crawler() -> None:
    offenders = {
        path.name: sorted(
            name for name in _imported_modules(path) if name.startswith("snhr_crawler")
        )
        for path in sorted(PACKAGE.glob("*.py"))
        if path.name not in GLUE
    }
    offenders = {name: found for name, found in offenders.items() if found}
    assert not offenders, offenders
    assert any("snhr_crawler" in name for name in _imported_modules(PACKAGE / "cli.py")), (
        "the scan must be able to see an import (the cli's is the control)"
    )


@pytest.mark.e2e
def test_loading_the_whole_replica_loads_nothing_of_the_crawler() -> None:
    code = (
        "import importlib, pkgutil, sys, snhr_replica\n"
        "for info in pkgutil.iter_modules(snhr_replica.__path__):\n"
        f"    if info.name not in ('__main__', {', '.join(repr(n[:-3]) for n in GLUE)}):\n"
        "        importlib.import_module('snhr_replica.' + info.name)\n"
        "from snhr_replica import World, truth\n"
        "truth.truth(World(posts=3, seed=1))\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'snhr_crawler'))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "[]"


# --- the crawler agrees with the oracle's rules --------------------------------------------


@pytest.fixture(scope="module")
def records() -> list[dict]:
    return oracle.truth(World(posts=60, seed=11))


def _spellings(url: str) -> list[str]:
    """How pages and links spell a canonical URL: lower-case escapes, no slash, http, old hosts."""
    lower = re.sub(r"%[0-9A-F]{2}", lambda m: m.group(0).lower(), url)
    old = url.replace("https://news.snhr.org", "http://news.sn4hr.org").replace(
        "https://snhr.org", "https://www.sn4hr.org"
    )
    return [url, lower, lower.rstrip("/"), old, old.rstrip("/") + "?utm_source=x"]


def test_urls_are_what_the_crawler_canonicalises_every_spelling_to(records) -> None:
    arabic = [r for r in records if "%" in r["url"]]
    assert arabic, "the sample must hold percent-encoded (Arabic) slugs"
    for record in records:
        for spelling in _spellings(record["url"]):
            assert canonical_url(spelling) == record["url"], spelling
        for url in [*record["translations"].values(), *(a["url"] for a in record["attachments"])]:
            assert canonical_url(url) == url


def test_ids_hashes_groups_and_doc_types_agree(records) -> None:
    assert {r["doc_type"] for r in records} == {
        "news", "daily_death_toll", "report", "statement", "event", "other",
    }  # fmt: skip
    assert any(r["translation_group"] for r in records)
    for r in records:
        assert article_id(r["source"], r["post_id"], r["url"]) == r["id"]
        assert article_id(r["source"], None, r["url"]) == oracle.record_id(
            r["source"], None, r["url"]
        )
        assert content_sha256(r["title"], r["body_text"]) == r["content_sha256"]
        assert translation_group(r["url"], r["translations"]) == r["translation_group"]
        assert doc_type_for(r["site"], r["categories"]) == r["doc_type"], r["categories"]


#: (title, body as served, the same normalised by hand): what the hash is taken of.
HASH_CASES = (
    ("Title", "One.\n\nTwo.", "Title\n\nOne.\n\nTwo."),
    ("  Two  spaces ", "a \t b  \r\n\r\nc ", "Two spaces\n\na b\n\nc"),
    ("\n\nLead blank lines", "x\n\n\n", "Lead blank lines\n\nx"),
    # Decomposed (NFD) hamza-on-alif and a shadda: NFC recomposes the first.
    ("\u0627\u0654\u0635\u0627\u0628\u0629", "\u0627\u0644\u0634\u0651\u0628\u0643\u0629", "\u0623\u0635\u0627\u0628\u0629\n\n\u0627\u0644\u0634\u0651\u0628\u0643\u0629"),
    ("Line\u2028separator", "no\u00a0break space", "Line\nseparator\n\nno break space"),
)  # fmt: skip


@pytest.mark.parametrize(("title", "body", "payload"), HASH_CASES)
def test_hash_input_normalisation_is_the_written_rule(title: str, body: str, payload: str) -> None:
    expected = hashlib.sha256(payload.encode("utf-8")).hexdigest()
    assert oracle.content_hash(title, body) == expected
    assert content_sha256(title, body) == expected
    assert oracle.normal_text(body) == normalize_text(body)
