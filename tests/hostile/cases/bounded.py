"""Every run is bounded by what the site says, with a hard ceiling; the run still ends normally."""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

from tests.hostile.cases import case
from tests.hostile.lab import Lab, Seen
from tests.hostile.server import HTML, JSON, XML, Answer, Hit, serve
from tests.hostile.site import (
    LISTING,
    PUBLIC,
    Post,
    article_page,
    honest_site,
    listing_page,
    listing_path,
    posts,
)

#: Articles that exist on every endless site below: a bound must leave them archived intact.
REAL = posts(4)


def _page_number(hit: Hit) -> int:
    path = hit.path.split("?", 1)[0]
    return int(path.rstrip("/").rsplit("/", 1)[-1]) if "/page/" in path else 1


def _fresh_listing(last: int | None) -> Answer:
    """Listing page N links two fresh posts of its own and page N+1, for ever."""

    def page(hit: Hit) -> Answer:
        number = _page_number(hit)
        hrefs = [f"{PUBLIC}/2024/05/01/fresh-{number}-{k}/" for k in range(2)]
        if number == 1:
            hrefs = [post.public for post in REAL] + hrefs
        return Answer(
            body=listing_page(
                hrefs, page=number, last=last, next_href=PUBLIC + listing_path(number + 1)
            )
        )

    return page  # type: ignore[return-value]


def _fresh_article(hit: Hit) -> Answer:
    slug = hit.path.strip("/").rsplit("/", 1)[-1]  # fresh-<page>-<k>
    _, page, k = slug.split("-")
    return Answer(body=article_page(Post(10_000 + int(page) * 10 + int(k), slug=slug)))


def _endless_site(last: int | None) -> object:
    site = honest_site(REAL)
    site.routes[LISTING] = _fresh_listing(last)  # type: ignore[assignment]
    site.routes[LISTING + "page/?*"] = _fresh_listing(last)  # type: ignore[assignment]
    for n in range(2, 200):
        site.routes[listing_path(n)] = _fresh_listing(last)  # type: ignore[assignment]
    for n in range(1, 200):
        for k in range(2):
            site.routes[f"/2024/05/01/fresh-{n}-{k}/"] = _fresh_article  # type: ignore[assignment]
    return site


@case("endless listing pagination, fresh links, no a.last", "bounded")
async def endless_listing(lab: Lab) -> Seen:
    site = _endless_site(last=None)
    with serve(site):  # type: ignore[arg-type]
        result = await lab.crawl(site)  # type: ignore[arg-type]
    assert result.finished
    assert result.stat("snhr/bounds/listing_pages") == 1
    assert result.stat("snhr/listing/pages") == 8
    assert "bounds" in lab.failed_checks()
    assert {post.key for post in REAL} <= set(lab.records())
    assert lab.verify().ok
    return Seen(
        "walk stopped at BOUND_LISTING_PAGES (8)", "snhr/bounds/listing_pages; check bounds"
    )


@case("endless pagination while a.last promises 3 pages", "bounded")
async def endless_listing_with_last(lab: Lab) -> Seen:
    site = _endless_site(last=3)
    with serve(site):  # type: ignore[arg-type]
        result = await lab.crawl(site)  # type: ignore[arg-type]
    assert result.stat("snhr/bounds/listing_past_last") == 1
    assert result.stat("snhr/listing/pages") == 3 + 2  # a.last plus the margin
    assert "bounds" in lab.failed_checks()
    assert lab.verify().ok
    return Seen(
        "walk stopped at a.last + margin (5)", "snhr/bounds/listing_past_last; check bounds"
    )


def _links_page(count: int) -> Iterator[bytes]:
    yield b'<html><body class="archive"><div class="tdb_loop">'
    for post in REAL:
        yield (
            f'<div class="td_module_flex"><h3 class="entry-title"><a href="{post.public}">x</a>'
            "</h3></div>"
        ).encode()
    row = '<div class="td_module_flex"><h3 class="entry-title"><a href="/2024/05/01/p-{}/">x</a></h3></div>'
    for start in range(0, count, 1000):
        yield "".join(row.format(n) for n in range(start, min(count, start + 1000))).encode()
    yield b"</div></body></html>"


@case("200,000 links on one listing page", "bounded")
async def many_links(lab: Lab) -> Seen:
    site = honest_site(REAL)
    site.routes[LISTING] = Answer(body=_links_page(200_000), unsized=True)
    with serve(site):
        result = await lab.crawl(site)
    assert result.stat("snhr/listing/failed/too_large") == 1  # 20 MB: past BOUND_PAGE_BYTES
    assert result.finished
    assert lab.verify().ok
    return Seen("download cancelled at BOUND_PAGE_BYTES", "snhr/listing/failed/too_large=1")


@case("50,000 links on one listing page", "bounded")
async def some_links(lab: Lab) -> Seen:
    site = honest_site(REAL)
    site.routes[LISTING] = Answer(body=_links_page(50_000), unsized=True)
    with serve(site):
        result = await lab.crawl(site)
    assert result.stat("snhr/bounds/links_per_page") == 1
    assert result.stat("snhr/listing/items") == 20
    assert {post.key for post in REAL} <= set(lab.records())
    assert lab.verify().ok
    return Seen("20 links read (BOUND_LINKS_PER_PAGE), rest ignored", "snhr/bounds/links_per_page")


def _sitemap_index(children: list[str]) -> bytes:
    items = "".join(f"<sitemap><loc>{url}</loc></sitemap>" for url in children)
    return (
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"{items}</sitemapindex>"
    ).encode()


def _urlset(urls: list[str], lastmod: str = "2024-05-20T00:00:00+00:00") -> bytes:
    items = "".join(f"<url><loc>{url}</loc><lastmod>{lastmod}</lastmod></url>" for url in urls)
    return (
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"{items}</urlset>"
    ).encode()


def _chain(hit: Hit) -> Answer:
    """Each sitemap index names the next, for ever."""
    number = int(hit.path.split("chain-", 1)[1].split(".", 1)[0]) if "chain-" in hit.path else 0
    return Answer(body=_sitemap_index([f"{PUBLIC}/chain-{number + 1}.xml"]), headers=XML)


@case("an endless chain of sitemap indexes", "bounded")
async def sitemap_chain(lab: Lab) -> Seen:
    site = honest_site(REAL)
    site.routes["/sitemap_index.xml"] = _chain  # type: ignore[assignment]
    for n in range(1, 100):
        site.routes[f"/chain-{n}.xml"] = _chain  # type: ignore[assignment]
    with serve(site):
        result = await lab.crawl(site, discovery="sitemap")
    assert result.stat("snhr/bounds/sitemap_depth") == 1
    assert result.stat("snhr/discovery/sitemap/files") == 3  # the index and two children deep
    assert result.stat("snhr/discovery/fallback/listing") == 1
    assert set(lab.records()) == {post.key for post in REAL}  # the listings found them all
    assert "bounds" in lab.failed_checks()
    return Seen("stopped at BOUND_SITEMAP_DEPTH (2), listings walked", "snhr/bounds/sitemap_depth")


@case("a sitemap index naming 10,000 sitemaps", "bounded")
async def sitemap_fanout(lab: Lab) -> Seen:
    site = honest_site(REAL)
    children = [f"{PUBLIC}/post-sitemap{n}.xml" for n in range(10_000)]
    site.routes["/sitemap_index.xml"] = Answer(body=_sitemap_index(children), headers=XML)
    site.routes["/post-sitemap0.xml"] = Answer(body=_urlset([p.public for p in REAL]), headers=XML)
    with serve(site):
        result = await lab.crawl(
            site, discovery="sitemap", settings={"BOUND_DECODED_BYTES": 4_000_000}
        )
    assert result.stat("snhr/bounds/sitemap_files") == 1
    assert result.stat("snhr/discovery/sitemap/files") <= 1 + 6
    assert set(lab.records()) == {post.key for post in REAL}
    return Seen("6 child sitemaps read (BOUND_SITEMAP_FILES)", "snhr/bounds/sitemap_files")


def _query_int(hit: Hit, name: str) -> int:
    values = parse_qs(urlsplit(hit.path).query).get(name)
    return int(values[0]) if values else 1


def _rest(entries: list[dict[str, object]], **headers: str) -> Answer:
    return Answer(body=json.dumps(entries).encode(), headers={**JSON, **headers})


def _rest_entry(post_id: int, link: str) -> dict[str, object]:
    return {
        "id": post_id,
        "link": link,
        "date": "2024-05-20T10:00:00",
        "date_gmt": "2024-05-20T07:00:00",
        "modified_gmt": "2024-05-20T07:00:00",
        "categories": [1],
    }


@case("REST X-WP-TotalPages: 10000000", "bounded")
async def rest_ten_million(lab: Lab) -> Seen:
    site = honest_site(REAL)

    def page(hit: Hit) -> Answer:
        number = _query_int(hit, "page")
        entries = [_rest_entry(p.post_id, p.public) for p in REAL] if number == 1 else []
        entries += [
            _rest_entry(900_000 + number * 10 + k, f"{PUBLIC}/ar/2024/05/01/x-{number}-{k}/")
            for k in range(2)
        ]
        return _rest(entries, **{"X-WP-Total": "1000000000", "X-WP-TotalPages": "10000000"})

    site.routes["/wp-json/wp/v2/posts?*"] = page  # type: ignore[assignment]
    with serve(site):
        result = await lab.crawl(site, discovery="rest")
    assert result.stat("snhr/bounds/rest_pages") == 1
    assert result.stat("snhr/discovery/rest/pages") == 4
    assert set(lab.records()) == {post.key for post in REAL}
    assert "bounds" in lab.failed_checks()
    return Seen("4 REST pages asked for, one after another", "snhr/bounds/rest_pages")


@case("endless REST pagination without X-WP-TotalPages", "bounded")
async def rest_endless(lab: Lab) -> Seen:
    site = honest_site(REAL)

    def page(hit: Hit) -> Answer:
        number = _query_int(hit, "page")
        entries = [_rest_entry(p.post_id, p.public) for p in REAL] if number == 1 else []
        entries += [
            _rest_entry(800_000 + number * 100 + k, f"{PUBLIC}/ar/2024/05/01/y-{number}-{k}/")
            for k in range(100 - len(entries))
        ]
        return _rest(entries)

    site.routes["/wp-json/wp/v2/posts?*"] = page  # type: ignore[assignment]
    with serve(site):
        result = await lab.crawl(site, discovery="rest")
    assert result.stat("snhr/bounds/rest_pages") == 1
    assert set(lab.records()) == {post.key for post in REAL}
    return Seen("stopped at BOUND_REST_PAGES (4)", "snhr/bounds/rest_pages")


def _feed(items: list[tuple[str, int]]) -> bytes:
    entries = "".join(
        f"<item><title>t</title><link>{link}</link><guid>{PUBLIC}/?p={pid}</guid>"
        "<pubDate>Mon, 20 May 2024 10:00:00 +0000</pubDate></item>"
        for link, pid in items
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel>{entries}</channel></rss>'.encode()


@case("endless feed pagination", "bounded")
async def feed_endless(lab: Lab) -> Seen:
    site = honest_site(REAL)

    def page(hit: Hit) -> Answer:
        number = _query_int(hit, "paged")
        items = [(p.public, p.post_id) for p in REAL] if number == 1 else []
        items += [
            (f"{PUBLIC}/ar/2024/05/01/z-{number}-{k}/", 700_000 + number * 10 + k) for k in range(5)
        ]
        return Answer(body=_feed(items), headers={"Content-Type": "application/rss+xml"})

    site.routes["/feed/"] = page  # type: ignore[assignment]
    site.routes["/feed/?*"] = page  # type: ignore[assignment]
    with serve(site):
        result = await lab.crawl(site, discovery="feed")
    assert result.stat("snhr/bounds/feed_pages") == 1
    assert result.stat("snhr/discovery/feed/pages") == 4
    assert set(lab.records()) == {post.key for post in REAL}
    return Seen("stopped at BOUND_FEED_PAGES (4)", "snhr/bounds/feed_pages")


def _bomb(size: int) -> bytes:
    """A gzip of ``size`` bytes of sitemap-ish text: a few kilobytes on the wire."""
    packer = zlib.compressobj(1, zlib.DEFLATED, 31)
    head = b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
    chunks = [packer.compress(head)]
    filler = b" " * (1 << 20)
    for _ in range(size >> 20):
        chunks.append(packer.compress(filler))
    chunks.append(packer.flush())
    return b"".join(chunks)


BOMB = _bomb(64 << 20)


@case("a raw .xml.gz sitemap inflating to 64 MB", "bounded")
async def gzip_bomb(lab: Lab) -> Seen:
    site = honest_site(REAL)
    site.routes["/sitemap_index.xml"] = Answer(
        body=_sitemap_index([f"{PUBLIC}/post-sitemap.xml.gz"]), headers=XML
    )
    site.routes["/post-sitemap.xml.gz"] = Answer(
        body=BOMB, headers={"Content-Type": "application/x-gzip"}
    )
    with serve(site):
        result = await lab.crawl(site, discovery="sitemap")
    assert result.stat("snhr/bounds/decoded_bytes") == 1
    assert set(lab.records()) == {post.key for post in REAL}  # the listings, as a safety net
    return Seen(
        f"{len(BOMB) // 1024} KB gzip refused past 1 MB inflated", "snhr/bounds/decoded_bytes"
    )


@case("Content-Encoding: gzip bomb on a sitemap", "bounded")
async def encoding_bomb(lab: Lab) -> Seen:
    site = honest_site(REAL)
    site.routes["/sitemap_index.xml"] = Answer(
        body=BOMB, headers={**XML, "Content-Encoding": "gzip"}
    )
    with serve(site):
        result = await lab.crawl(site, discovery="sitemap")
    assert result.stat("snhr/bounds/decoded_bytes") == 1
    assert set(lab.records()) == {post.key for post in REAL}
    return Seen("decompression stopped at 1 MB", "snhr/bounds/decoded_bytes")


@case("a sitemap of 30,000 URLs", "bounded")
async def sitemap_many_urls(lab: Lab) -> Seen:
    site = honest_site(REAL)
    urls = [p.public for p in REAL] + [f"{PUBLIC}/2024/05/02/gone-{n}/" for n in range(30_000)]
    site.routes["/sitemap_index.xml"] = Answer(body=_urlset(urls), headers=XML)
    with serve(site):
        result = await lab.crawl(
            site, discovery="sitemap", settings={"BOUND_DECODED_BYTES": 4_000_000}
        )
    assert result.stat("snhr/bounds/sitemap_urls") == 1
    assert result.stat("snhr/discovery/sitemap/urls") == 30
    assert set(lab.records()) == {post.key for post in REAL}
    return Seen("30 URLs read (BOUND_SITEMAP_URLS)", "snhr/bounds/sitemap_urls")


@case("100 URLs queued at once by one sitemap", "bounded")
async def queued_at_once(lab: Lab) -> Seen:
    site = honest_site(REAL)
    urls = [p.public for p in REAL] + [f"{PUBLIC}/2024/05/02/gone-{n}/" for n in range(96)]
    site.routes["/sitemap_index.xml"] = Answer(body=_urlset(urls), headers=XML)
    with serve(site):
        result = await lab.crawl(site, discovery="sitemap", settings={"BOUND_SITEMAP_URLS": 1000})
    assert result.stat("snhr/discovery/sitemap/urls") == 100
    assert result.stat("snhr/backlog/most_waiting") == 90  # all but BOUND_QUEUED waited as URLs
    assert result.stat("snhr/backlog/batches") == 9
    assert set(lab.records()) == {post.key for post in REAL}
    return Seen(
        "10 requests in Scrapy's queue at a time, 90 waiting as URLs", "snhr/backlog/batches=9"
    )


def _stream(total: int, unit: bytes) -> Iterator[bytes]:
    yield b"<html><body><div class='tdb_single_content'><div class='tdb-block-inner'>"
    for _ in range(total // len(unit)):
        yield unit


@case("one 60 MB article page", "bounded")
async def huge_page(lab: Lab) -> Seen:
    made = posts(3)
    target = made[0]
    site = honest_site(made)
    site.routes[target.path] = Answer(
        body=_stream(60 << 20, b"<p>" + b"word " * 2000 + b"</p>"), unsized=True
    )
    with serve(site):
        result = await lab.crawl(site)
    assert result.stat("snhr/article/failed/too_large") == 1
    assert result.stat("snhr/pending/waiting") == 1
    assert len(lab.records()) == 2
    assert lab.verify().ok
    return Seen("download cancelled at 12 MB, pending", "snhr/article/failed/too_large=1")


@case("one 60 MB listing page", "bounded")
async def huge_listing(lab: Lab) -> Seen:
    site = honest_site(REAL)
    site.routes[LISTING] = Answer(
        body=_stream(60 << 20, b"<div>" + b"x" * 4000 + b"</div>"), length=60 << 20
    )
    with serve(site):
        result = await lab.crawl(site)
    assert result.stat("snhr/listing/failed/too_large") == 1
    assert result.finished
    return Seen("refused by its Content-Length, counted", "snhr/listing/failed/too_large=1")


__all__ = ["HTML"]
