"""Furniture switches: plugin markup inside the content, and a truth that does not move."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest
from parsel import Selector
from replica_helpers import NOW, fetch, local

from snhr_replica import ReplicaServer, World, parse_switches
from snhr_replica.furniture import plan
from snhr_replica.truth import truth

FURNITURE = (
    "share_bar", "rating_widget", "inline_related", "ad_slots", "nested_header", "headline_em",
)  # fmt: skip
ALL_ON = {name: "on" for name in FURNITURE}

#: Selectors of each plugin's own markup (as the real plugins emit it), by kind (CSS, or XPath).
PLUGINS = {
    "share": {
        "social-warfare": "div.swp_social_panel .nc_tweetContainer a.swp_share_link",
        "shariff": "div.shariff ul.shariff-buttons li.shariff-button a.shariff-link",
        "sharedaddy": "div.sharedaddy.sd-sharing-enabled h3.sd-title",
    },
    "rating": {"kk-star-ratings": "div.kk-star-ratings .kksr-stars .kksr-star"},
    "related": {
        "read-also": ".//p[strong[.='Read also:' or .='اقرأ أيضاً:']]/a",  # an editor's line
        "jetpack": "div#jp-relatedposts h3.jp-relatedposts-headline em",
        "crp": "div.crp_related ul li a.crp_link span.crp_title",
    },
    "ad": {
        "ad-inserter": "div.code-block div.code-block-label",
        "tagdiv": "div.td-a-rec.td-a-rec-id-content_inline span.td-adspot-title",
    },
    "header": {
        "entry-header": "header.entry-header h1.entry-title",
        "post-header": "div.post-header h2.post-title",
    },
}
#: The content container of each template, innermost first (tdb's wrapper is also td-post-content).
CONTAINERS = (".tdb_single_content .tdb-block-inner", "div.td-post-content", "div.entry-content")


def matches(content: Selector, query: str) -> bool:
    return bool(content.xpath(query) if query.startswith(".//") else content.css(query))


def content_of(page: Selector) -> Selector:
    return next(found[0] for css in CONTAINERS if (found := page.css(css)))


def test_truth_does_not_change_with_furniture_or_theme() -> None:
    plain = truth(World(posts=30, seed=4))
    for theme in ("tagdiv", "plain", "mixed"):
        switches = parse_switches([f"{k}=on" for k in FURNITURE] + [f"theme={theme}"])
        assert truth(World(posts=30, seed=4, switches=switches)) == plain


def test_each_switch_reaches_its_share_of_posts_and_different_ones() -> None:
    switches = parse_switches([f"{k}=on" for k in FURNITURE] + ["furniture_share=0.5"])
    world = World(posts=120, seed=6, switches=switches)
    posts = [p for items in world.posts.values() for p in items]
    plans = [plan(world, p) for p in posts]
    reached = {
        "share": [bool(f.share) for f in plans],
        "rating": [bool(f.rating) for f in plans],
        "related": [bool(f.related) for f in plans],
        "ad": [bool(f.ad) for f in plans],
        "header": [bool(f.header) for f in plans],
        "em": [f.em for f in plans],
    }
    for kind, hits in reached.items():
        assert 0.4 < sum(hits) / len(hits) < 0.6, kind
    assert reached["share"] != reached["ad"]  # independent draws
    off = World(posts=20, seed=6)
    assert not any(plan(off, p).any for items in off.posts.values() for p in items)


@pytest.fixture(scope="module")
def furnished() -> Iterator[ReplicaServer]:
    switches = {**ALL_ON, "furniture_share": "1"}
    with ReplicaServer(posts=24, seed=9, now=NOW, switches=switches) as server:
        yield server


def test_every_kind_sits_inside_the_content_in_its_plugins_markup(furnished) -> None:
    seen: Counter[tuple[str, str]] = Counter()
    for record in furnished.truth():
        page = Selector(text=fetch(local(furnished, record["url"])).text)
        content = content_of(page)
        for kind, variants in PLUGINS.items():
            found = [name for name, query in variants.items() if matches(content, query)]
            assert found, (kind, record["url"])
            seen.update((kind, name) for name in found)
        header = content.css("header.entry-header h1::text, div.post-header h2::text").get()
        assert header == record["title"]
        h1 = page.css("h1.tdb-title-text, header.td-post-title h1.entry-title")[0]
        assert h1.css("em")
        assert " ".join("".join(h1.css("::text").getall()).split()) == record["title"]
    every = {(kind, name) for kind, variants in PLUGINS.items() for name in variants}
    assert every <= set(seen), every - set(seen)


def test_the_body_blocks_are_untouched_around_the_furniture(furnished) -> None:
    """What is left once each plugin's own element is dropped is exactly the truth's blocks."""
    labels = ("Read also:", "اقرأ أيضاً:")
    for record in furnished.truth()[::3]:
        content = content_of(Selector(text=fetch(local(furnished, record["url"])).text))
        blocks = content.xpath(
            "./p[not(ancestor::div[contains(@class,'snhr-available-in')])] | ./h3 | ./h5"
        )
        texts = [
            " ".join("".join(block.css("::text").getall()).split())
            for block in blocks
            if block.css("strong::text").get() not in labels  # the editor's "Read also:" line
        ]
        assert "\n\n".join(texts) == record["body_text"], record["url"]
