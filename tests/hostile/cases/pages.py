"""One bad page or file is a counted skip, never a dead callback or a dead run."""

from __future__ import annotations

import importlib
import json
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import pytest

from snhr_crawler.archive.lock import RunLock
from snhr_crawler.bounds import Bounds
from snhr_crawler.exceptions import SettingError
from snhr_crawler.ops import runs
from tests.hostile.cases import case
from tests.hostile.lab import Lab, Seen
from tests.hostile.server import JSON, XML, Answer, serve
from tests.hostile.site import LISTING, PUBLIC, article_page, honest_site, listing_page, posts


def _no_callback_died(result: Any) -> None:
    assert not [k for k in result.stats if k.startswith("spider_exceptions/")], result.stats
    assert result.finished


async def _one_page(lab: Lab, body: bytes, **expect: int) -> Any:
    made = posts(3)
    site = honest_site(made)
    site.routes[made[0].path] = Answer(body=body)
    with serve(site):
        result = await lab.crawl(site)
    _no_callback_died(result)
    for key, value in expect.items():
        assert result.stat(key.replace("__", "/")) == value, (key, result.stats)
    return result, made


@case("1,000-deep nesting in an article", "pages")
async def deep_1000(lab: Lab) -> Seen:
    post = posts(3)[0]
    body = "<div>" * 1000 + "<p>Deep inside the page, the report.</p>" + "</div>" * 1000
    body += "<p>" + "<b>" * 1000 + "bold words" + "</b>" * 1000 + "</p>"
    _result, made = await _one_page(lab, article_page(post, body=body))
    record = lab.records()[made[0].key]
    assert "Deep inside the page" in record["body_text"]
    assert "bold words" in record["body_text"]
    return Seen("archived, body read", "no spider_exceptions")


@case("100,000-deep nesting in an article", "pages")
async def deep_100k(lab: Lab) -> Seen:
    post = posts(3)[0]
    body = "<div>" * 100_000 + "<p>Deep inside the page, the report.</p>" + "</div>" * 100_000
    result, made = await _one_page(
        lab, article_page(post, body=body), snhr__validate__dropped__missing_body=1
    )
    # libxml2 stops reading past depth 2048: the text down there is not on the page it parsed.
    assert made[0].key not in lab.records()
    assert result.stat("snhr/pending/waiting") == 1
    return Seen(
        "no body within libxml2's depth: dropped, counted, pending",
        "snhr/validate/dropped/missing_body=1",
    )


@case("UTF-16 byte-order mark on a UTF-8 page", "pages")
async def utf16_bom(lab: Lab) -> Seen:
    post = posts(3)[0]
    page = article_page(post, body="<p>Civilians were killed in the shelling — witnesses said.</p>")
    _result, made = await _one_page(lab, b"\xff\xfe" + page, snhr__charset__false_bom=1)
    record = lab.records()[made[0].key]
    assert "— witnesses said" in record["body_text"]
    return Seen("BOM dropped, page read as UTF-8", "snhr/charset/false_bom=1")


@case("a year-9999 publication date", "pages")
async def year_9999(lab: Lab) -> Seen:
    post = posts(3)[0]
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle",'
        ' "datePublished": "9999-12-31T23:59:59-12:00", "dateModified": "9999-12-31"}</script>'
    )
    page = article_page(post, head=head).replace(
        post.published.encode(), b"9999-12-31T23:59:59+14:00"
    )
    _result, made = await _one_page(
        lab, page, snhr__extract__rejected__published_at=1, snhr__extract__rejected__modified_at=1
    )
    record = lab.records()[made[0].key]
    assert record["published_at"] == post.day  # the URL's date, the next layer down
    assert record["modified_at"] is None
    assert lab.verify().ok
    return Seen("date rejected per field; the URL dates it", "snhr/extract/rejected/published_at=1")


@case("a malformed IPv6 link in an article body", "pages")
async def ipv6_body(lab: Lab) -> Seen:
    post = posts(3)[0]
    body = '<p>Read <a href="http://[::1/report.pdf">the report</a> and <a href="http://[zz]:x/">this</a>.</p>'
    _result, made = await _one_page(lab, article_page(post, body=body))
    record = lab.records()[made[0].key]
    assert record["body_text"] == "Read the report and this."
    assert record["attachments"] == []
    return Seen("archived; the link kept as text", "no spider_exceptions")


@case("a malformed IPv6 link in a listing", "pages")
async def ipv6_listing(lab: Lab) -> Seen:
    made = posts(3)
    site = honest_site(made)
    site.routes[LISTING] = Answer(
        body=listing_page(["http://[::1/2024/05/01/x/", *(p.public for p in made)], page=1, last=1)
    )
    with serve(site):
        result = await lab.crawl(site)
    _no_callback_died(result)
    assert result.stat("snhr/listing/bad_link") == 1
    assert set(lab.records()) == {p.key for p in made}
    return Seen("link skipped, the rest archived", "snhr/listing/bad_link=1")


@case("a huge ?p= in a listing", "pages")
async def huge_p_listing(lab: Lab) -> Seen:
    made = posts(3)
    site = honest_site(made)
    site.routes[LISTING] = Answer(
        body=listing_page(
            [f"{PUBLIC}/?p=99999999999999999999999", *(p.public for p in made)], page=1, last=1
        )
    )
    with serve(site):
        await lab.crawl(site)  # run 1 archives; run 2 asks the archive about the huge id
        result = await lab.crawl(site)
    _no_callback_died(result)
    assert set(lab.records()) == {p.key for p in made}
    assert lab.verify().ok
    return Seen("no id taken from it; the rest archived, twice", "no spider_exceptions")


def _rest_page(entries: list[Any]) -> Answer:
    return Answer(body=json.dumps(entries).encode(), headers={**JSON, "X-WP-TotalPages": "1"})


def _entry(post: Any, **override: Any) -> dict[str, Any]:
    entry = {
        "id": post.post_id,
        "link": post.public,
        "date": post.published[:19],
        "date_gmt": post.published[:19],
        "modified_gmt": post.published[:19],
        "categories": [1],
    }
    return {**entry, **override}


@case("REST fields of the wrong type", "pages")
async def rest_wrong_types(lab: Lab) -> Seen:
    made = posts(4)
    site = honest_site(made)
    entries: list[Any] = [
        _entry(made[0]),
        _entry(made[1], date=20240501, modified_gmt=["x"], categories="news"),
        {"id": "103", "link": made[2].public},
        {"id": made[3].post_id, "link": 42},
        "not an object",
        None,
    ]
    site.routes["/wp-json/wp/v2/posts?*"] = _rest_page(entries)
    with serve(site):
        result = await lab.crawl(site, discovery="rest")
    _no_callback_died(result)
    assert result.stat("snhr/discovery/rest/bad_posts") == 4
    assert result.stat("snhr/discovery/mode") == "rest"
    assert {made[0].key, made[1].key} <= set(lab.records())
    return Seen("bad entries skipped, good ones archived", "snhr/discovery/rest/bad_posts=4")


@case("REST answers a list of garbage", "pages")
async def rest_garbage(lab: Lab) -> Seen:
    made = posts(3)
    site = honest_site(made)
    site.routes["/wp-json/wp/v2/posts?*"] = _rest_page([1, "two", {"id": None}])
    with serve(site):
        result = await lab.crawl(site, discovery="rest")
    _no_callback_died(result)
    assert result.stat("snhr/discovery/unavailable/rest") == 1
    assert result.stat("snhr/discovery/mode") == "listing"
    assert set(lab.records()) == {p.key for p in made}
    return Seen("REST unavailable, listings walked", "snhr/discovery/unavailable/rest=1")


@case("overflowing sitemap lastmod (year 9999)", "pages")
async def sitemap_dates(lab: Lab) -> Seen:
    made = posts(3)
    site = honest_site(made)
    items = "".join(
        f"<url><loc>{p.public}</loc><lastmod>9999-12-31T23:59:59-05:00</lastmod></url>"
        for p in made
    )
    site.routes["/sitemap_index.xml"] = Answer(
        body=(
            '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"{items}</urlset>"
        ).encode(),
        headers=XML,
    )
    with serve(site):
        result = await lab.crawl(site, discovery="sitemap")
    _no_callback_died(result)
    assert result.stat("snhr/discovery/rejected_dates") == 3
    assert set(lab.records()) == {p.key for p in made}
    state = lab.report()["sources"]["hostile_news"]
    assert state["finish_reason"] == "finished"
    return Seen(
        "dates refused, every URL archived, no 9999 watermark", "snhr/discovery/rejected_dates=3"
    )


@case("overflowing REST dates", "pages")
async def rest_dates(lab: Lab) -> Seen:
    made = posts(3)
    site = honest_site(made)
    entries = [
        _entry(p, date_gmt="9999-12-31T23:59:59", modified_gmt="0001-01-01T00:00:00+05:00")
        for p in made
    ]
    site.routes["/wp-json/wp/v2/posts?*"] = _rest_page(entries)
    with serve(site):
        result = await lab.crawl(site, discovery="rest")
    _no_callback_died(result)
    assert result.stat("snhr/discovery/rejected_dates") == 6
    assert set(lab.records()) == {p.key for p in made}
    return Seen("dates refused, every post archived", "snhr/discovery/rejected_dates=6")


@case("a corrupted index.sqlite3", "pages")
async def corrupted_index(lab: Lab) -> Seen:
    made = posts(4)
    site = honest_site(made)
    with serve(site):
        await lab.crawl(site)
        (lab.archive / "index.sqlite3").write_bytes(b"this is not a database" * 100)
        result = await lab.crawl(site)
        again = await lab.crawl(site)
    assert result.finished
    assert again.finished
    assert result.stat("snhr/archive/index_replaced") == 1
    assert list((lab.archive / "quarantine").glob("index.sqlite3.*.corrupt"))
    assert again.stat("snhr/archive/new") == 0  # the rebuilt index knows every article
    assert lab.verify().ok
    return Seen("moved to quarantine, rebuilt from the files", "snhr/archive/index_replaced=1")


@case("a corrupted manifest.json", "pages")
async def corrupted_manifest(lab: Lab) -> Seen:
    made = posts(4)
    site = honest_site(made)
    with serve(site):
        await lab.crawl(site)
        (lab.archive / "manifest.json").write_bytes(b'{"files": {"broken')
        result = await lab.crawl(site)
    assert result.finished
    assert json.loads((lab.archive / "manifest.json").read_text())["files"]
    problems = lab.verify().problems
    assert problems == [
        "manifest-chain.jsonl: before manifest #2: manifest.json #1 was unreadable"
        " (damaged or replaced outside a crawl)"
    ], problems
    return Seen("rebuilt; verify names the break in the chain", "manifest-chain: break recorded")


@contextmanager
def _environment(**values: str) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _settings_exit(**values: str) -> int | str | None:
    import snhr_crawler.settings as settings

    with _environment(**values):
        try:
            importlib.reload(settings)
        except SystemExit as stop:
            return stop.code
        finally:
            pass
    return None


@case("nan, inf and negative numbers in the environment", "pages")
async def env_numbers(lab: Lab) -> Seen:
    import snhr_crawler.settings as settings

    refused = []
    try:
        for name, value in (
            ("SNHR_DOWNLOAD_DELAY", "nan"),
            ("SNHR_DOWNLOAD_DELAY", "-2"),
            ("SNHR_INCREMENTAL_STOP_AFTER", "inf"),
            ("SNHR_INCREMENTAL_STOP_AFTER", "0"),
            ("SNHR_MAX_ERROR_RATE", "-0.5"),
            ("SNHR_MAX_DAYS_WITHOUT_NEW", "nan"),
            ("SNHR_PENDING_MAX_ATTEMPTS", "2.5"),
        ):
            assert _settings_exit(**{name: value}) == 2, (name, value)
            refused.append(f"{name}={value}")
    finally:
        importlib.reload(settings)  # the environment as it was
    for raw in ("nan", "inf", "-1", "0", "2.5"):
        with pytest.raises(SettingError, match="setting BOUND_LISTING_PAGES"):
            Bounds.from_settings({"BOUND_LISTING_PAGES": raw})
    return Seen(
        f"{len(refused)} values stop with exit 2; BOUND_* refused", "SystemExit(2), SettingError"
    )


@case("a second scrapy crawl while one holds the archive", "pages")
async def concurrent_crawl(lab: Lab) -> Seen:
    made = posts(3)
    site = honest_site(made)
    lab.archive.mkdir(parents=True)
    lock = RunLock(lab.archive, "someone-else", "2026-01-01T00:00:00Z")
    lock.acquire()
    handler = _Collect()
    logging.getLogger().addHandler(handler)
    try:
        with serve(site):
            result = await lab.crawl(site)
    finally:
        logging.getLogger().removeHandler(handler)
        lock.release()
    assert result.stats.get("finish_reason") == "archive_locked"
    assert not site.hits  # nothing fetched for an archive it may not write
    tracebacks = [r for r in handler.records if r.exc_info]
    assert not tracebacks, [r.getMessage() for r in tracebacks]
    (line,) = [r.getMessage() for r in handler.records if r.levelno >= logging.ERROR]
    assert "is locked by run someone-else" in line
    return Seen("one ERROR line, no traceback, nothing fetched", "finish_reason=archive_locked")


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@case("two run reports in the same second", "pages")
async def same_second(lab: Lab) -> Seen:
    started = datetime(2026, 11, 25, 2, 15, tzinfo=UTC)
    run_id = runs.new_run_id(started)
    first = runs.write_report(lab.archive, {"run_id": run_id, "n": 1})
    second = runs.write_report(lab.archive, {"run_id": run_id, "n": 2})
    assert first.name == f"{run_id}.json"
    assert second.name == f"{run_id}-2.json"
    assert [r["n"] for r in runs.iter_reports(lab.archive, newest_first=False)] == [1, 2]
    return Seen("the second is <run-id>-2; both kept", "runs/20261125T021500Z-2.json")
