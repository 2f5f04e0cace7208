"""Extraction on real pages nobody here wrote, through the crawl's own path, beside trafilatura.

    python -m benchmarks.real_pages [FOLDER] [--json PATH] [--strict] [--no-trafilatura]

FOLDER holds pairs ``<name>.html`` (the page, byte for byte) and ``<name>.json``
(hand-written gold: ``title``, ``published``, ``published_at``,
``header_today_date``, ``body_first``/``body_last`` and their ``_alt`` lists,
``must_not_contain``, ``url``); the default is ``../shared/eval/real-pages``
beside the project root. Every page goes through what a crawl does with it:
``HtmlResponse(url=gold url, body=bytes)`` handed to
``TagDivSpider.parse_article`` of a spider set up for the page's host, in
English or, for an Arabic page (``html[lang]``), in Arabic. trafilatura's
``bare_extraction`` reads the same bytes.

Checks per page (each a column of the table):

* title: the whitespace-collapsed title equals the gold's;
* date: the calendar day of ``published_at`` as written equals ``published``
  or the UTC day of the gold ``published_at``;
* header: the date is not the header's "today" widget (when that day is not
  also the right answer);
* first / last: the body starts with ``body_first`` and ends with
  ``body_last`` (or one of the ``_alt`` readings), whitespace collapsed;
* leak: no ``must_not_contain`` string is in the body (case-insensitive,
  all whitespace removed);
* empty: title and body are there and nothing raised.

Beside ours and trafilatura, a third row runs ours with every body container
layer skipped, so the generic main-text layer (``extract/density.py``) is
measured on its own against trafilatura.

Everything runs three times: on the page as published; with its JSON-LD and
date ``<meta>`` tags (``property``/``name``: OpenGraph, ``article:``, Dublin
Core, ``date``) removed, so the fallback layers are measured too (in-body
microdata stays: it is the theme's markup, like ``<time>``); and with the
date microdata removed as well, so the visible date element carries the
date alone. A page whose only date is microdata has none in the third pass,
so ``--strict`` holds to the first two; the failures listed (stderr) are
those of the first two passes too. ``--strict`` exits 1 when any check of ours fails.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import lxml.html
from scrapy.http import HtmlResponse, Request
from scrapy.settings import Settings
from scrapy.utils.reactor import install_reactor
from scrapy.utils.test import get_crawler

from snhr_crawler.base_spiders import TagDivSpider
from snhr_crawler.extract import TagDivArticleParser
from snhr_crawler.items import Article

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_FOLDER = ROOT.parent / "shared" / "eval" / "real-pages"
CHECKS = ("title", "date", "header", "first", "last", "leak", "empty")
PASSES = ("as published", "metadata stripped", "microdata stripped too")
#: The passes ``--strict`` holds to: the third removes what a page may have as its only date.
STRICT_PASSES = PASSES[:2]
#: ``<meta>`` names and properties that carry a publication or update date.
DATE_META = re.compile(r"(published|modified|updated|date|pubdate|created|issued)", re.IGNORECASE)


@dataclass
class Gold:
    name: str
    html: bytes
    truth: dict[str, Any]

    @property
    def url(self) -> str:
        return str(self.truth["url"])


@dataclass
class Guess:
    """What one extractor read off one page."""

    title: str = ""
    published: str = ""
    body: str = ""
    error: str = ""
    layers: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0  # the extraction alone, without setting the spider up


def squash(text: str | None) -> str:
    return " ".join((text or "").split())


def _bare(text: str) -> str:
    return "".join(text.split()).casefold()


# --- pages ----------------------------------------------------------------------------------
def load(folder: Path) -> list[Gold]:
    pages = []
    for gold in sorted(folder.glob("*.json")):
        page = gold.with_suffix(".html")
        if page.exists():
            pages.append(Gold(gold.stem, page.read_bytes(), json.loads(gold.read_text("utf-8"))))
    return pages


def strip_metadata(html: bytes, url: str, microdata: bool = False) -> bytes:
    """The page without JSON-LD and without date ``<meta>`` tags, as UTF-8.

    With ``microdata``, in-body date microdata goes too (``<meta itemprop>``
    removed, ``itemprop`` attributes of visible elements dropped).
    """
    text = HtmlResponse(url=url, body=html).text
    root = lxml.html.document_fromstring(text)
    for script in root.xpath('//script[@type="application/ld+json"]'):
        script.drop_tree()
    for meta in root.xpath("//meta"):
        # Head tags only: in-body microdata (itemprop) is the theme's markup, like <time>.
        key = " ".join(meta.get(name, "") for name in ("property", "name", "http-equiv"))
        if DATE_META.search(key):
            meta.drop_tree()
    if microdata:
        for element in root.xpath("//*[starts-with(@itemprop, 'date')]"):
            if element.tag == "meta":
                element.drop_tree()
            else:
                del element.attrib["itemprop"]
    for meta in root.xpath("//meta[@charset] | //meta[@http-equiv]"):
        meta.drop_tree()  # the bytes written below are UTF-8, whatever the page said
    head = root.find("head")
    if head is not None:
        head.insert(0, lxml.html.Element("meta", charset="utf-8"))
    return lxml.html.tostring(root, encoding="utf-8", doctype="<!DOCTYPE html>")


def page_language(html: bytes, url: str) -> str:
    """``ar`` for an Arabic page, else ``en``: the spiders this project has."""
    lang = HtmlResponse(url=url, body=html).css("html::attr(lang)").get() or ""
    return "ar" if lang.lower().startswith("ar") else "en"


# --- extractors ---------------------------------------------------------------------------------
class GenericOnlyParser(TagDivArticleParser):
    """The parser with every container layer skipped: what the generic layer alone finds."""

    def _containers(self, index: Any, template: str) -> Iterator[tuple[str, Any]]:
        return iter(())


def spider_for(url: str, language: str, generic_only: bool = False) -> TagDivSpider:
    """A TagDivSpider for the page's host, built through ``from_crawler`` like a crawl's."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    attributes: dict[str, Any] = {
        "name": "real_page",
        "allowed_domains": [host],
        "public_origin": f"{parts.scheme}://{parts.netloc}",
        "language": language,
    }
    if generic_only:
        attributes["article_parser"] = lambda self: GenericOnlyParser(
            self.site_origin.to_public, self.language
        )
    spider_cls = type("RealPageSpider", (TagDivSpider,), attributes)
    settings = Settings()
    settings.setmodule("snhr_crawler.settings", priority="project")
    install_reactor(settings["TWISTED_REACTOR"])  # what a crawl process installs first
    crawler = get_crawler(spider_cls, settings_dict=settings.copy_to_dict())
    spider = spider_cls.from_crawler(crawler)
    crawler.spider = spider
    assert isinstance(spider, TagDivSpider)
    return spider


def ours(page: Gold, html: bytes, generic_only: bool = False) -> Guess:
    spider = spider_for(page.url, page_language(html, page.url), generic_only)
    response = HtmlResponse(
        url=page.url,
        body=html,
        headers={"Content-Type": "text/html"},
        request=Request(page.url),
    )
    return read_with(spider, response)


def read_with(spider: TagDivSpider, response: HtmlResponse) -> Guess:
    """``parse_article`` on one response, and the extraction layers it counted."""
    start = time.perf_counter()
    try:
        articles = [item for item in spider.parse_article(response) if isinstance(item, Article)]
    except Exception as error:  # a crash is a finding, not the end of the run
        return Guess(error=f"{type(error).__name__}: {error}")
    seconds = time.perf_counter() - start
    stats = spider.crawler.stats.get_stats() if spider.crawler.stats else {}
    layers = {
        key.split("/")[2]: key.split("/")[3]
        for key in stats
        if key.startswith("snhr/extract/") and key.count("/") == 3
    }
    if not articles:
        return Guess(error="no article", layers=layers, seconds=seconds)
    article = articles[0]
    return Guess(
        article.title or "",
        article.published_at or "",
        article.body_text or "",
        layers=layers,
        seconds=seconds,
    )


def trafilatura_extractor() -> Callable[[Gold, bytes], Guess] | None:
    try:
        from trafilatura import bare_extraction
    except ImportError:
        return None

    def extract(page: Gold, html: bytes) -> Guess:
        start = time.perf_counter()
        try:
            document = bare_extraction(
                html, url=page.url, with_metadata=True, include_comments=False
            )
        except Exception as error:
            return Guess(error=f"{type(error).__name__}: {error}")
        seconds = time.perf_counter() - start
        if document is None:
            return Guess(error="nothing extracted", seconds=seconds)
        if isinstance(document, dict):
            document_title, date, text = (document.get(k) for k in ("title", "date", "text"))
        else:
            document_title, date, text = document.title, document.date, document.text
        return Guess(document_title or "", date or "", text or "", seconds=seconds)

    return extract


# --- scoring ----------------------------------------------------------------------------------
def _utc_day(stamp: str | None) -> str | None:
    if not stamp:
        return None
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.astimezone(UTC).date().isoformat() if moment.tzinfo else None


def score(truth: dict[str, Any], guess: Guess) -> dict[str, bool]:
    right_days = {truth.get("published"), _utc_day(truth.get("published_at"))} - {None}
    day = guess.published[:10]
    header = truth.get("header_today_date")
    body = squash(guess.body)
    firsts = [truth["body_first"], *truth.get("body_first_alt", [])]
    lasts = [truth["body_last"], *truth.get("body_last_alt", [])]
    bare_body = _bare(guess.body)
    return {
        "title": squash(guess.title) == squash(truth["title"]),
        "date": day in right_days,
        "header": not (header and day == header and header not in right_days),
        "first": any(body.startswith(squash(text)) for text in firsts),
        "last": any(body.endswith(squash(text)) for text in lasts),
        "leak": not any(_bare(text) in bare_body for text in truth.get("must_not_contain", [])),
        "empty": not guess.error and bool(guess.title.strip()) and bool(body),
    }


def run(pages: list[Gold], with_trafilatura: bool = True) -> dict[str, Any]:
    """Every page, every pass, every extractor: per-page checks and totals."""
    trafilatura = trafilatura_extractor() if with_trafilatura else None
    extractors: dict[str, Callable[[Gold, bytes], Guess]] = {
        "ours": ours,
        "ours, generic layer only": lambda page, html: ours(page, html, generic_only=True),
    }
    if trafilatura is not None:
        extractors["trafilatura"] = trafilatura
    result: dict[str, Any] = {"pages": len(pages), "passes": {}}
    for pass_name in PASSES:
        rows = []
        totals = {name: dict.fromkeys(CHECKS, 0) for name in extractors}
        seconds = dict.fromkeys(extractors, 0.0)
        for page in pages:
            html = (
                page.html
                if pass_name == PASSES[0]
                else strip_metadata(page.html, page.url, microdata=pass_name == PASSES[2])
            )
            row: dict[str, Any] = {"page": page.name, "kind": page.truth.get("kind", "")}
            for name, extract in extractors.items():
                guess = extract(page, html)
                seconds[name] += guess.seconds
                checks = score(page.truth, guess)
                for check, passed in checks.items():
                    totals[name][check] += passed
                row[name] = {
                    "checks": checks,
                    "title": guess.title,
                    "published": guess.published,
                    "body_start": squash(guess.body)[:120],
                    "body_end": squash(guess.body)[-120:],
                    "error": guess.error,
                    "layers": guess.layers,
                }
            rows.append(row)
        result["passes"][pass_name] = {
            "rows": rows,
            "totals": totals,
            "ms_per_page": {n: 1000 * s / max(len(pages), 1) for n, s in seconds.items()},
        }
    return result


# --- output ---------------------------------------------------------------------------------
def _mark(checks: dict[str, bool]) -> str:
    return " ".join("✓" if checks[c] else "✗" for c in CHECKS)


def markdown(result: dict[str, Any]) -> str:
    lines = []
    n = result["pages"]
    for pass_name, data in result["passes"].items():
        names = list(data["totals"])
        lines += [
            f"### {n} real pages, {pass_name}",
            "",
            "Checks in order: " + ", ".join(CHECKS) + ".",
            "",
            "| page | " + " | ".join(names) + " | body layer (ours) |",
            "|---|" + "---|" * len(names) + "---|",
        ]
        for row in data["rows"]:
            marks = " | ".join(_mark(row[name]["checks"]) for name in names)
            layer = row["ours"]["layers"].get("body_text", "")
            lines.append(f"| {row['page']} | {marks} | {layer} |")
        lines += [
            "",
            "| extractor | " + " | ".join(CHECKS) + " | all checks | ms/page (mean) |",
            "|---|" + "---:|" * (len(CHECKS) + 2),
        ]
        for name in names:
            totals = data["totals"][name]
            whole = sum(all(row[name]["checks"].values()) for row in data["rows"])
            cells = " | ".join(f"{totals[c]}/{n}" for c in CHECKS)
            lines.append(f"| {name} | {cells} | {whole}/{n} | {data['ms_per_page'][name]:.1f} |")
        for field_name in ("title", "published_at", "body_text"):
            used = Counter(row["ours"]["layers"].get(field_name, "none") for row in data["rows"])
            listed = ", ".join(f"{layer} {count}" for layer, count in used.most_common())
            lines.append(f"\nLayers of ours, `{field_name}`: {listed}.")
        lines.append("")
    return "\n".join(lines)


def failures(result: dict[str, Any]) -> list[str]:
    """One line per failed check of ours, with what was read instead."""
    lines = []
    for pass_name, data in result["passes"].items():
        if pass_name not in STRICT_PASSES:
            continue
        for row in data["rows"]:
            mine = row["ours"]
            missed = [c for c, ok in mine["checks"].items() if not ok]
            if missed:
                lines.append(
                    f"[{pass_name}] {row['page']}: {', '.join(missed)} | title={mine['title']!r} "
                    f"date={mine['published']!r} start={mine['body_start'][:70]!r} "
                    f"end={mine['body_end'][-70:]!r} {mine['error']}"
                )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.real_pages", description=(__doc__ or "").splitlines()[0]
    )
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument("--json", type=Path, help="also write the full result here")
    parser.add_argument(
        "--strict", action="store_true", help="exit 1 when a check of ours fails (first two passes)"
    )
    parser.add_argument(
        "--no-trafilatura", action="store_true", help="score ours only (the regression test)"
    )
    args = parser.parse_args(argv)
    pages = load(args.folder)
    if not pages:
        parser.error(f"no <name>.html + <name>.json pairs in {args.folder}")
    result = run(pages, with_trafilatura=not args.no_trafilatura)
    print(markdown(result))
    missed = failures(result)
    for line in missed:
        print(line, file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", "utf-8")
    return 1 if args.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())
