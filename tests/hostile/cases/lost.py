"""Nothing is lost silently: every article a listing named is archived, pending, or refused by name."""

from __future__ import annotations

import gzip
import json
import os

from tests.hostile.cases import case
from tests.hostile.lab import Lab, Seen
from tests.hostile.server import HTML, Answer, serve
from tests.hostile.site import PUBLIC, Post, article_page, honest_site, posts


@case("old article answers 500 once (after retries)", "lost")
async def old_article_500(lab: Lab) -> Seen:
    made = posts(12)
    old = made[-1]  # on the listing's last page: an incremental walk stops long before it
    site = honest_site(made)
    honest = site.routes[old.path]
    site.routes[old.path] = Answer(500, b"<html>Internal Server Error</html>")
    with serve(site):
        first = await lab.crawl(site)
        assert first.stat("snhr/article/failed/http_500") == 1
        assert first.stat("snhr/pending/waiting") == 1
        assert old.key not in lab.records()
        site.routes[old.path] = honest
        second = await lab.crawl(site)
    assert second.stat("snhr/listing/stopped/known") == 1  # the walk stopped on page 1 ...
    assert second.stat("snhr/pending/retried") == 1  # ... and the pending article was asked for
    assert second.stat("snhr/pending/resolved") == 1
    assert second.stat("snhr/pending/waiting") == 0
    assert set(lab.records()) == {post.key for post in made}
    assert lab.verify().ok
    return Seen("pending after run 1, archived by run 2", "snhr/pending/retried=1, resolved=1")


def _gzip(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)


@case("gzip body cut short of its stream", "lost")
async def truncated_gzip(lab: Lab) -> Seen:
    made = posts(3)
    target = made[0]
    site = honest_site(made)
    whole = _gzip(
        article_page(target, body="<p>" + "Long paragraph of the report. " * 400 + "</p>")
    )
    cut = whole[: len(whole) // 2]  # every declared byte arrives; the stream inside stops
    site.routes[target.path] = Answer(200, cut, {**HTML, "Content-Encoding": "gzip"})
    with serve(site):
        first = await lab.crawl(site)
        assert first.stat("snhr/article/failed/truncated") == 1
        assert target.key not in lab.records()
        site.routes[target.path] = Answer(200, whole, {**HTML, "Content-Encoding": "gzip"})
        second = await lab.crawl(site)
    assert second.stat("snhr/pending/resolved") == 1
    record = lab.records()[target.key]
    assert record["body_text"].count("Long paragraph") == 400
    assert lab.verify().ok
    return Seen("failed fetch, retried, archived whole", "snhr/article/failed/truncated=1")


@case("body shorter than its Content-Length", "lost")
async def short_body(lab: Lab) -> Seen:
    made = posts(3)
    target = made[0]
    site = honest_site(made)
    body = article_page(target)
    site.routes[target.path] = Answer(200, body[: len(body) // 2], length=len(body))
    with serve(site):
        first = await lab.crawl(site)
    assert first.stat("snhr/article/failed/truncated") == 1
    assert first.stat("snhr/pending/waiting") == 1
    assert target.key not in lab.records()
    assert lab.verify().ok
    return Seen("failed fetch, pending", "snhr/article/failed/truncated=1")


@case("?p=0 shortlink, no other id", "lost")
async def shortlink_p0(lab: Lab) -> Seen:
    made = posts(3)
    site = honest_site(made)
    for post in made:
        site.routes[post.path] = Answer(
            body=article_page(post, shortlink=f"{PUBLIC}/?p=0", body_class_id=None)
        )
    with serve(site):
        result = await lab.crawl(site)
    records = lab.records()
    assert len(records) == 3
    assert {r["url"] for r in records.values()} == {post.public for post in made}
    assert all(
        r["post_id"] is None and r["id"].startswith("hostile_news:u") for r in records.values()
    )
    assert lab.verify().ok
    return Seen(
        "3 of 3 archived under URL keys", f"snhr/archive/new={result.stat('snhr/archive/new')}"
    )


@case("every canonical names the home page", "lost")
async def canonical_home(lab: Lab) -> Seen:
    made = posts(30)
    site = honest_site(made, per_page=10)
    for post in made:
        site.routes[post.path] = Answer(body=article_page(post, canonical=PUBLIC + "/"))
    with serve(site):
        result = await lab.crawl(site)
    assert result.stat("snhr/archive/new") == 30
    assert result.stat("snhr/dedupe/dropped") == 0
    assert result.stat("snhr/identity/untrusted/canonical") == 30
    assert {r["url"] for r in lab.records().values()} == {post.public for post in made}
    assert lab.verify().ok
    return Seen("30 of 30 archived at their own URLs", "snhr/identity/untrusted/canonical=30")


@case("a month file deleted from disk", "lost")
async def deleted_month(lab: Lab) -> Seen:
    made = [Post(200 + n, day=f"2024-04-{10 + n:02d}") for n in range(4)] + posts(8)
    made.sort(key=lambda post: post.day, reverse=True)
    site = honest_site(made)
    with serve(site):
        await lab.crawl(site)
        april = lab.archive / "hostile_news" / "2024-04.jsonl"
        assert april.exists()
        os.unlink(april)
        again = await lab.crawl(site)
    assert again.stat("snhr/archive/lost_articles") == 4
    assert again.stat("snhr/pending/retried") == 4  # the walk stops early; the queue does not
    assert set(lab.records()) == {post.key for post in made}
    report = lab.verify()
    assert any("2024-04.jsonl: lost from disk" in p for p in report.problems), report.problems
    return Seen(
        "4 lost articles fetched again; verify names the loss", "snhr/archive/lost_articles=4"
    )


@case("a hand edit lengthens one line", "lost")
async def hand_edit(lab: Lab) -> Seen:
    made = posts(6)
    site = honest_site(made)
    with serve(site):
        await lab.crawl(site)
        month = lab.archive / "hostile_news" / "2024-05.jsonl"
        lines = month.read_bytes().splitlines(keepends=True)
        record = json.loads(lines[0])
        record["title"] += " (edited by hand)"
        lines[0] = (json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
        month.write_bytes(b"".join(lines))
        again = await lab.crawl(site)
    assert again.stat("snhr/archive/quarantined_lines") == 0
    assert again.stat("snhr/archive/edited_files") == 1
    kept = month.read_bytes().splitlines(keepends=True)
    assert kept[: len(lines)] == lines  # the last, untouched record is whole
    assert all(json.loads(line)["id"] for line in kept)
    problems = lab.verify().problems  # the run's manifest took the file in; the chain did not
    assert any(p.startswith("hostile_news/2024-05.jsonl") and "manifest #1" in p for p in problems)
    return Seen("nothing cut; verify names the edited file", "snhr/archive/edited_files=1")


@case("post id above 2^63 on an article page", "lost")
async def huge_post_id(lab: Lab) -> Seen:
    made = posts(3)
    target = made[0]
    site = honest_site(made)
    huge = 2**64 + 5
    site.routes[target.path] = Answer(
        body=article_page(target, shortlink=f"{PUBLIC}/?p={huge}", body_class_id=huge)
    )
    with serve(site):
        first = await lab.crawl(site)
        assert first.stat("snhr/article/failed/bad_post_id") == 1
        assert lab.verify().ok  # nothing was written for it
        second = await lab.crawl(site)  # and the archive can still be crawled
    assert second.finished
    assert len(lab.records()) == 2
    assert lab.verify().ok
    return Seen("page refused before anything was written", "snhr/article/failed/bad_post_id=1")
