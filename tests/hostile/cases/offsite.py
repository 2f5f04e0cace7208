"""Nothing outside the source's own hosts and ports is requested, whatever a page says.

A second loopback server plays "another host": it answers everything, and a
case fails if it is asked for anything at all. Names that do not resolve
(``media.hostile.test``, the public host) never reach the network in tests
(``tests/sealed``): ``Lab.crawl`` asserts that no request for them reached
Scrapy's downloader.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from tests.hostile.cases import case
from tests.hostile.lab import Lab, Seen
from tests.hostile.server import XML, Answer, HostileSite, serve
from tests.hostile.site import LISTING, PUBLIC, article_page, honest_site, listing_page, posts


@contextmanager
def elsewhere() -> Iterator[HostileSite]:
    """Another server on another port: it must never be asked for anything."""
    other = HostileSite()
    other.routes["/robots.txt"] = Answer(
        200, b"User-agent: *\nAllow: /\n", {"Content-Type": "text/plain"}
    )
    with serve(other):
        yield other


def _refresh(target: str) -> bytes:
    return f'<html><head><meta http-equiv="refresh" content="0; url={target}"></head><body></body></html>'.encode()


async def _meta_refresh(lab: Lab, target: str) -> str:
    made = posts(3)
    site = honest_site(made)
    site.routes[made[0].path] = Answer(body=_refresh(target))
    with serve(site):
        result = await lab.crawl(site)  # asserts no request left the source
    assert result.stat("snhr/offsite/refused") == 1
    assert result.stat("snhr/article/ignored/offsite") == 1
    assert len(lab.records()) == 2
    assert lab.verify().ok
    return "snhr/offsite/refused=1, snhr/article/ignored/offsite=1"


@case("meta refresh to another host", "offsite")
async def refresh_other_host(lab: Lab) -> Seen:
    counter = await _meta_refresh(lab, "https://evil.example/steal/")
    return Seen("refused, counted; the rest archived", counter)


@case("meta refresh to another port", "offsite")
async def refresh_other_port(lab: Lab) -> Seen:
    with elsewhere() as other:
        counter = await _meta_refresh(lab, other.origin + "/trap/")
        assert other.hits == []
    return Seen("refused; the other port was never asked", counter)


@case("meta refresh to a subdomain (media.<host>)", "offsite")
async def refresh_subdomain(lab: Lab) -> Seen:
    counter = await _meta_refresh(lab, "https://media.hostile.test/clip/")
    return Seen("refused, counted", counter)


async def _next_page(lab: Lab, target: str) -> None:
    made = posts(6)
    site = honest_site(made)
    site.routes[LISTING] = Answer(
        body=listing_page([p.public for p in made[:5]], page=1, last=2, next_href=target)
    )
    with serve(site):
        result = await lab.crawl(site)
    assert result.stat("snhr/listing/offsite_next") == 1
    assert len(lab.records()) == 5
    assert lab.verify().ok


@case("next-page link on another port", "offsite")
async def next_other_port(lab: Lab) -> Seen:
    with elsewhere() as other:
        await _next_page(lab, other.origin + "/category/news/page/2/")
        assert other.hits == []
    return Seen("walk ends there; never asked", "snhr/listing/offsite_next=1")


@case("next-page link on a subdomain", "offsite")
async def next_subdomain(lab: Lab) -> Seen:
    await _next_page(lab, "https://media.hostile.test/category/news/page/2/")
    return Seen("walk ends there", "snhr/listing/offsite_next=1")


def _index(children: list[str]) -> bytes:
    items = "".join(f"<sitemap><loc>{url}</loc></sitemap>" for url in children)
    return (
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"{items}</sitemapindex>"
    ).encode()


async def _child_sitemap(lab: Lab, target: str) -> None:
    made = posts(3)
    site = honest_site(made)
    site.routes["/sitemap_index.xml"] = Answer(body=_index([target]), headers=XML)
    with serve(site):
        result = await lab.crawl(site, discovery="sitemap")
    assert result.stat("snhr/discovery/offsite") == 1
    assert set(lab.records()) == {p.key for p in made}  # an index of nothing: listings found them


@case("child sitemap on another port", "offsite")
async def sitemap_other_port(lab: Lab) -> Seen:
    with elsewhere() as other:
        await _child_sitemap(lab, other.origin + "/post-sitemap.xml")
        assert other.hits == []
    return Seen("skipped; never asked", "snhr/discovery/offsite=1")


@case("child sitemap on a subdomain", "offsite")
async def sitemap_subdomain(lab: Lab) -> Seen:
    await _child_sitemap(lab, "https://media.hostile.test/post-sitemap.xml")
    return Seen("skipped", "snhr/discovery/offsite=1")


@case("origin= crawl: a 301 to the public host", "offsite")
async def origin_redirect(lab: Lab) -> Seen:
    made = posts(3)
    site = honest_site(made)
    moved = made[0]
    old_path = "/2024/05/30/an-old-slug/"
    site.routes[LISTING] = Answer(
        body=listing_page([PUBLIC + old_path, *(p.public for p in made[1:])], page=1, last=1)
    )
    site.routes[old_path] = Answer(301, b"", {"Location": moved.public})
    with serve(site):
        result = await lab.crawl(site)  # asserts that nothing went to the public host
    assert result.stat("snhr/offsite/to_origin") == 1
    assert set(lab.records()) == {p.key for p in made}
    return Seen("followed on the local copy, not the live site", "snhr/offsite/to_origin=1")


@case("origin= crawl: a meta refresh to the public host", "offsite")
async def origin_refresh(lab: Lab) -> Seen:
    made = posts(3)
    site = honest_site(made)
    stub = "/2024/05/30/a-stub/"
    site.routes[LISTING] = Answer(
        body=listing_page([PUBLIC + stub, *(p.public for p in made[1:])], page=1, last=1)
    )
    site.routes[stub] = Answer(body=_refresh(made[0].public))
    with serve(site):
        result = await lab.crawl(site)
    assert result.stat("snhr/offsite/to_origin") == 1
    assert set(lab.records()) == {p.key for p in made}
    return Seen("followed on the local copy, not the live site", "snhr/offsite/to_origin=1")


@case("robots.txt Sitemap: on another host", "offsite")
async def robots_offsite(lab: Lab) -> Seen:
    made = posts(3)
    site = honest_site(made)
    with elsewhere() as other:
        other.routes["/sitemap.xml"] = Answer(body=_index([]), headers=XML)
        site.routes["/robots.txt"] = Answer(
            200,
            f"User-agent: *\nDisallow: /wp-admin/\nSitemap: {other.origin}/sitemap.xml\n"
            "Sitemap: https://cdn.elsewhere.example/sitemap.xml\n".encode(),
            {"Content-Type": "text/plain"},
        )
        with serve(site):
            result = await lab.crawl(site, discovery="auto")
        assert other.hits == []
    assert result.stat("snhr/discovery/robots/offsite_sitemaps") == 2
    assert result.finished
    assert set(lab.records()) == {p.key for p in made}  # discovery fell back to listings
    return Seen(
        "ignored; discovery fell back, all archived", "snhr/discovery/robots/offsite_sitemaps=2"
    )


__all__ = ["article_page"]
