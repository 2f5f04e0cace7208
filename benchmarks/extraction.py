"""Extraction alone: our layered parser and trafilatura on the same in-memory pages.

Both extractors get the same HTML bytes (fetched once from the replica) and
are timed per page, parsing included: ours builds a ``parsel.Selector`` and
runs ``TagDivArticleParser.parse``; trafilatura runs ``bare_extraction`` with
``with_metadata=True`` (its title and date come from its metadata step). Both
are scored against the replica's ground truth:

* exact title: whitespace-collapsed title equals the truth's (also reported
  with a trailing " - Syrian Network for Human Rights" removed first, since
  trafilatura takes the title from ``<title>``, which carries the site name);
* exact date: the calendar day (``YYYY-MM-DD``) of ``published_at`` equals the
  truth's, because trafilatura only returns a day; our parser's full
  timestamp match is reported as well (``date_timestamp_rate``);
* body F1: token-level F1 of body text against the truth's ``body_text``
  (lower-cased ``\\w+`` tokens, counted as multisets), averaged over pages.

Times: ``ms_per_page`` is the mean of one pass over the pages (wall time, as
in every earlier run); ``ms_median_per_page`` is the median over pages of
each page's fastest of ``TIMING_ROUNDS`` passes, as ``timeit`` takes the
best of its repeats, so that a burst of other work on a shared machine
during one pass does not decide the figure. The passes of the two
extractors alternate (ours, trafilatura, ours, ...), so both meet the same
load; both are timed the same way.

``python -m benchmarks.extraction --posts 400`` runs this section alone on a
fresh replica (no crawls).
"""

from __future__ import annotations

import contextlib
import re
import statistics
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from parsel import Selector

from snhr_crawler.extract import TagDivArticleParser
from snhr_crawler.urls import Origin

_TOKEN = re.compile(r"\w+")
#: Timed passes per page for the median (the first pass also gives the mean and the scores).
TIMING_ROUNDS = 3
#: The site name a page's <title> appends; trafilatura keeps it, the truth's title has none.
_SITE_SUFFIX = re.compile(r"\s+[-|–]\s+Syrian Network for Human Rights$")


#: The figures of an extractor that could not be imported.
NOT_INSTALLED: dict[str, Any] = {
    "error": "not installed (pip install -e '.[bench]')",
    "ms_per_page": None,
    "ms_median_per_page": None,
    "cpu_ms_per_page": None,
    "title_exact_rate": None,
    "title_exact_rate_without_site_suffix": None,
    "date_exact_rate": None,
    "date_timestamp_rate": None,
    "body_f1": None,
}


@dataclass
class Page:
    """One article page: where it came from, its HTML, and what it should say."""

    fetch_url: str
    html: bytes
    truth: dict[str, Any]


@dataclass
class Guess:
    """What an extractor read off a page."""

    title: str | None
    published: str | None
    body: str


def squash(text: str | None) -> str:
    return " ".join((text or "").split())


def tokens(text: str) -> Counter[str]:
    return Counter(_TOKEN.findall(text.lower()))


def token_f1(predicted: str, truth: str) -> float:
    """Token-level F1 (multiset overlap); 1.0 when both are empty."""
    guess, gold = tokens(predicted), tokens(truth)
    if not guess and not gold:
        return 1.0
    overlap = sum((guess & gold).values())
    if overlap == 0:
        return 0.0
    precision = overlap / sum(guess.values())
    recall = overlap / sum(gold.values())
    return 2 * precision * recall / (precision + recall)


def ours(origin: Origin, language: str) -> Callable[[Page], Guess]:
    """Our parser as the crawl runs it (public URLs mapped from the local origin)."""
    parser = TagDivArticleParser(origin.to_public, language)

    def extract(page: Page) -> Guess:
        selector = Selector(text=page.html.decode("utf-8"), type="html")
        fields = parser.parse(selector, page.fetch_url).fields
        return Guess(fields.get("title"), fields.get("published_at"), fields.get("body_text") or "")

    return extract


def trafilatura_extractor() -> Callable[[Page], Guess]:
    """trafilatura's ``bare_extraction`` with metadata, comments off (SNHR pages have none)."""
    from trafilatura import bare_extraction

    def extract(page: Page) -> Guess:
        document = bare_extraction(
            page.html, url=page.fetch_url, with_metadata=True, include_comments=False
        )
        if document is None:
            return Guess(None, None, "")
        if isinstance(document, dict):
            return Guess(document.get("title"), document.get("date"), document.get("text") or "")
        return Guess(document.title, document.date, document.text or "")

    return extract


@dataclass
class Timed:
    """One extractor's first pass (guesses, wall and CPU time) and its fastest time per page."""

    guesses: list[Guess]
    wall: float
    cpu: float
    per_page: list[float]


def _first_pass(extract: Callable[[Page], Guess], pages: list[Page]) -> Timed:
    if pages:
        extract(pages[0])  # an untimed warm-up call
    guesses: list[Guess] = []
    per_page: list[float] = []
    cpu = time.process_time()
    start = time.perf_counter()
    for page in pages:
        began = time.perf_counter()
        guesses.append(extract(page))
        per_page.append(time.perf_counter() - began)
    wall = time.perf_counter() - start
    return Timed(guesses, wall, time.process_time() - cpu, per_page)


def _another_pass(extract: Callable[[Page], Guess], pages: list[Page], timed: Timed) -> None:
    for index, page in enumerate(pages):
        began = time.perf_counter()
        extract(page)
        timed.per_page[index] = min(timed.per_page[index], time.perf_counter() - began)


def score(name: str, timed: Timed, pages: list[Page], rounds: int) -> dict[str, Any]:
    """The figures of one extractor from its timed passes and its first pass's guesses."""
    n = max(len(pages), 1)
    titles = bare_titles = dates = stamps = 0
    f1 = 0.0
    for page, guess in zip(pages, timed.guesses, strict=True):
        truth = page.truth
        titles += squash(guess.title) == squash(truth["title"])
        bare_titles += _SITE_SUFFIX.sub("", squash(guess.title)) == squash(truth["title"])
        gold_date = str(truth.get("published_at") or "")
        dates += bool(guess.published) and str(guess.published)[:10] == gold_date[:10]
        stamps += (guess.published or "") == gold_date
        f1 += token_f1(guess.body, truth.get("body_text") or "")
    return {
        "extractor": name,
        "pages": len(pages),
        "ms_per_page": 1000 * timed.wall / n,
        "ms_median_per_page": 1000 * statistics.median(timed.per_page) if timed.per_page else None,
        "timing_rounds": rounds,
        "cpu_ms_per_page": 1000 * timed.cpu / n,
        "title_exact_rate": titles / n,
        "title_exact_rate_without_site_suffix": bare_titles / n,
        "date_exact_rate": dates / n,
        "date_timestamp_rate": stamps / n,
        "body_f1": f1 / n,
    }


def measure(
    name: str, extract: Callable[[Page], Guess], pages: list[Page], rounds: int = TIMING_ROUNDS
) -> dict[str, Any]:
    """Time ``extract`` over ``pages`` (``rounds`` passes, back to back) and score it."""
    timed = _first_pass(extract, pages)
    for _ in range(rounds - 1):
        _another_pass(extract, pages, timed)
    return score(name, timed, pages, rounds)


def run_extraction(
    pages: list[Page], origin: Origin, language: str, rounds: int = TIMING_ROUNDS
) -> list[dict[str, Any]]:
    """Both extractors on the same pages, their passes alternating: ours, trafilatura, ours, ..."""
    extractors: dict[str, Callable[[Page], Guess]] = {
        "snhr_crawler TagDivArticleParser": ours(origin, language)
    }
    # `make test` installs no bench extra; the smoke test still runs the rest.
    with contextlib.suppress(ImportError):
        extractors["trafilatura bare_extraction"] = trafilatura_extractor()
    timed = {name: _first_pass(extract, pages) for name, extract in extractors.items()}
    for _ in range(rounds - 1):
        for name, extract in extractors.items():
            _another_pass(extract, pages, timed[name])
    results = [score(name, timed[name], pages, rounds) for name in extractors]
    if len(results) == 1:
        results.append({"extractor": "trafilatura bare_extraction", "pages": 0, **NOT_INSTALLED})
    return results


def main(argv: list[str] | None = None) -> int:
    """The extraction section alone, on a replica of ``--posts`` posts (no crawls)."""
    import argparse
    import json

    from benchmarks.run import PUBLIC_ORIGIN, SOURCE, Http, Replica, warm_and_fetch

    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.extraction", description=(__doc__ or "").splitlines()[0]
    )
    parser.add_argument("--posts", type=int, default=400, help="posts per replica site")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    replica = Replica(args.posts, args.seed)
    try:
        origin = replica.origins[SOURCE]
        client = Http(origin)
        status, body = client.request("GET", f"/__replica/truth?source={SOURCE}")
        client.close()
        if status != 200:
            raise RuntimeError(f"truth: HTTP {status}")
        truth = [json.loads(line) for line in body.decode("utf-8").splitlines() if line]
        pages, _ = warm_and_fetch(origin, truth, set(range(len(truth))))
    finally:
        replica.stop()
    results = run_extraction(pages, Origin(public=PUBLIC_ORIGIN, fetch=origin), "en")
    print(f"{len(pages)} replica article pages ({SOURCE}, {args.posts} posts, seed {args.seed})")
    print(
        "| extractor | ms/page mean (one pass) | ms/page median (best of "
        f"{TIMING_ROUNDS} per page) | exact title | exact date | body F1 |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    for row in results:
        if row.get("error"):
            print(f"| {row['extractor']} | {row['error']} | | | | |")
            continue
        print(
            f"| {row['extractor']} | {row['ms_per_page']:.2f} | {row['ms_median_per_page']:.2f} | "
            f"{100 * row['title_exact_rate']:.1f} % | {100 * row['date_exact_rate']:.1f} % | "
            f"{row['body_f1']:.3f} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
