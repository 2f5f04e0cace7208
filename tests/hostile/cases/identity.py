"""Identity is proven, not assumed: key and url from the page's own evidence."""

from __future__ import annotations

import json

from tests.hostile.cases import case
from tests.hostile.lab import Lab, Seen
from tests.hostile.server import Answer, serve
from tests.hostile.site import PUBLIC, article_page, honest_site, posts


@case("a shortlink carrying another article's id", "identity")
async def shortlink_other_id(lab: Lab) -> Seen:
    made = posts(4)
    liar, victim = made[0], made[1]
    site = honest_site(made)
    site.routes[liar.path] = Answer(
        body=article_page(liar, shortlink=f"{PUBLIC}/?p={victim.post_id}")
    )
    with serve(site):
        first = await lab.crawl(site)
        second = await lab.crawl(site, full="true")  # every page again: nothing may alternate
    assert first.stat("snhr/identity/untrusted/shortlink") == 1
    assert second.stat("snhr/identity/untrusted/shortlink") == 1
    records = lab.records()
    assert records[liar.key]["url"] == liar.public
    assert records[victim.key]["url"] == victim.public
    assert {line["version"] for line in lab.lines()} == {1}  # no version flip-flop
    assert second.stat("snhr/archive/changed") == 0
    return Seen("each archived under its own id, once", "snhr/identity/untrusted/shortlink=1")


@case("a canonical on another host", "identity")
async def canonical_other_host(lab: Lab) -> Seen:
    made = posts(3)
    site = honest_site(made)
    for post in made:
        site.routes[post.path] = Answer(
            body=article_page(post, canonical="https://evil.example" + post.path)
        )
    with serve(site):
        result = await lab.crawl(site)
    assert result.stat("snhr/identity/untrusted/canonical") == 3
    assert {r["url"] for r in lab.records().values()} == {p.public for p in made}
    return Seen("url is the page's own", "snhr/identity/untrusted/canonical=3")


@case("a canonical naming another article", "identity")
async def canonical_other_article(lab: Lab) -> Seen:
    made = posts(3)
    site = honest_site(made)
    site.routes[made[0].path] = Answer(body=article_page(made[0], canonical=made[1].public))
    with serve(site):
        result = await lab.crawl(site)
    assert result.stat("snhr/identity/untrusted/canonical") == 1
    assert {r["url"] for r in lab.records().values()} == {p.public for p in made}
    assert result.stat("snhr/dedupe/dropped") == 0
    return Seen("both archived, each at its own URL", "snhr/identity/untrusted/canonical=1")


@case("JSON-LD about another article", "identity")
async def jsonld_other_article(lab: Lab) -> Seen:
    made = posts(3)
    target, other = made[0], made[1]
    ld = {
        "@context": "https://schema.org",
        "@graph": [
            {
                "@type": "NewsArticle",
                "@id": other.public + "#article",
                "mainEntityOfPage": {"@id": other.public},
                "headline": "Another article",
                "datePublished": "2011-03-15T08:00:00+00:00",
            }
        ],
    }
    head = f'<script type="application/ld+json">{json.dumps(ld)}</script>'
    site = honest_site(made)
    site.routes[target.path] = Answer(body=article_page(target, head=head))
    with serve(site):
        result = await lab.crawl(site)
    record = lab.records()[target.key]
    assert record["published_at"] == target.published  # the page's own meta, not 2011
    assert record["date_source"] == "meta"
    assert result.stat("snhr/identity/untrusted/json-ld") == 1
    return Seen("ignored; dated by the page's own meta", "snhr/identity/untrusted/json-ld=1")


@case("Retry-After: ² on a 503", "identity")
async def retry_after_superscript(lab: Lab) -> Seen:
    made = posts(3)
    target = made[0]
    site = honest_site(made)
    honest = site.routes[target.path]
    answered: list[int] = []

    def flaky(hit: object) -> Answer:
        answered.append(1)
        if len(answered) == 1:
            return Answer(503, b"busy", {"Retry-After": "²", "Content-Type": "text/plain"})
        return honest  # type: ignore[return-value]

    site.routes[target.path] = flaky  # type: ignore[assignment]
    with serve(site):
        result = await lab.crawl(site)
    assert result.stat("retry/count") == 1
    assert result.stat("snhr/article/failed") == 0
    assert target.key in lab.records()
    return Seen("a retry after backoff, then archived", "retry/count=1, no failure")
