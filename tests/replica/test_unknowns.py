"""Switches for what the seeds and the crawler's defaults only assume about the live sites.

Renamed category slugs (some seeds 404), a category no seed names, a robots.txt
Crawl-delay, a menu listing the categories, another page size: each served the
way WordPress would, in the menu, the category sitemap and ``/wp/v2/categories``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from parsel import Selector
from replica_helpers import NOW, fetch

from snhr_replica import ReplicaServer, World, parse_switches
from snhr_replica.truth import truth

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("snhr_news", "snhr_news_ar", "snhr_reports", "snhr_reports_ar")
#: Links of the main menu, in tdb, classic and plain markup.
MENU_LINKS = (
    "ul#menu-main-menu a::attr(href), ul#menu-top a::attr(href), ul#primary-menu a::attr(href)"
)


def seeds(source: str) -> list[str]:
    lines = (ROOT / "snhr_crawler" / "seeds" / f"{source}.txt").read_text("utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def on_replica(replica: ReplicaServer, source: str, public: str) -> str:
    parts = urlsplit(public)
    return replica.origins[source] + parts.path


def category_sitemap(replica: ReplicaServer, source: str) -> list[str]:
    site = replica.site.site_by_source[source]
    xml = fetch(f"{replica.origins[source]}{site.root}category-sitemap.xml").text
    return re.findall(r"<loc>([^<]+)</loc>", xml)


def rest_categories(replica: ReplicaServer, source: str) -> list[dict]:
    site = replica.site.site_by_source[source]
    return json.loads(fetch(f"{replica.origins[source]}{site.root}wp-json/wp/v2/categories").text)


def test_by_default_every_seed_answers(replica) -> None:
    for source in SOURCES:
        for seed in seeds(source):
            assert fetch(on_replica(replica, source, seed)).status == 200, seed


@pytest.fixture(scope="module")
def unknown() -> Iterator[ReplicaServer]:
    switches = {"category_slugs": "renamed", "extra_category": "on", "menu": "tree"}
    with ReplicaServer(posts=40, seed=13, now=NOW, switches=switches) as server:
        yield server


def test_renamed_slugs_make_some_seeds_404_and_are_served_everywhere(unknown) -> None:
    for source in SOURCES:
        answers = {seed: fetch(on_replica(unknown, source, seed)).status for seed in seeds(source)}
        assert 404 in answers.values(), source
        assert 200 in answers.values(), source
        listed = category_sitemap(unknown, source)
        rest = rest_categories(unknown, source)
        home = fetch(unknown.origins[source] + unknown.site.site_by_source[source].root).text
        menu_links = set(Selector(text=home).css(MENU_LINKS).getall())
        for seed, status in answers.items():
            local = on_replica(unknown, source, seed)
            assert (local in listed) == (status == 200), seed
            assert (local in menu_links) == (status == 200), seed
        for cat in rest:
            assert cat["link"] in listed
            assert cat["link"] in menu_links
            assert unquote(cat["link"]).rstrip("/").endswith("/" + unquote(cat["slug"]))
            assert fetch(cat["link"]).status == 200
    arabic = [c["slug"] for c in rest_categories(unknown, "snhr_news_ar")]
    assert any(slug.startswith("%d8") for slug in arabic)  # WordPress's slug of an Arabic name


def test_the_extra_category_has_posts_of_its_own_and_is_nowhere_in_the_seeds(unknown) -> None:
    extra = {"snhr_news": "Deaths under Torture", "snhr_news_ar": "الوفيات بسبب التعذيب",
             "snhr_reports": "Reports", "snhr_reports_ar": "تقارير"}  # fmt: skip
    for source, name in extra.items():
        (cat,) = [c for c in rest_categories(unknown, source) if c["name"] == name]
        assert cat["count"] > 0
        assert cat["link"] not in {on_replica(unknown, source, s) for s in seeds(source)}
        assert cat["link"] in category_sitemap(unknown, source)
        filed = [r for r in unknown.truth(source) if r["categories"][-1] == name]
        assert len(filed) == cat["count"]
        page = Selector(text=fetch(cat["link"]).text)
        assert page.css(".tdb_loop .td_module_flex h3.entry-title a")
        assert {r["doc_type"] for r in filed} == {"news" if "news" in source else "report"}


def test_renamed_slugs_leave_the_truth_alone_and_the_extra_category_only_moves_posts() -> None:
    base = truth(World(posts=40, seed=13))
    renamed = truth(World(posts=40, seed=13, switches=parse_switches(["category_slugs=renamed"])))
    assert renamed == base  # slugs are not in the record; names, urls and texts are unchanged
    extra = truth(World(posts=40, seed=13, switches=parse_switches(["extra_category=on"])))
    moved = [(a, b) for a, b in zip(base, extra, strict=True) if a != b]
    assert moved
    for before, after in moved:
        assert {k for k in before if before[k] != after[k]} == {"categories"}


@pytest.mark.parametrize("mode", ["none", "top", "tree"])
def test_menu_modes(mode: str) -> None:
    with ReplicaServer(posts=6, seed=2, now=NOW, switches={"menu": mode}) as replica:
        site = replica.site.site_by_source["snhr_news"]
        origin = replica.origins["snhr_news"]
        page = Selector(text=fetch(origin + "/").text)
        links = set(page.css("ul#menu-main-menu a::attr(href)").getall())
        url = {cat.key: f"{origin}{site.category_base}{cat.path}/" for cat in site.categories}
        assert origin + "/" in links  # Home, in every mode
        assert (url["news"] in links, url["daily"] in links) == (mode != "none",) * 2
        assert (url["casualties"] in links) == (mode == "tree")
        assert bool(page.css("li.menu-item-has-children > ul.sub-menu a")) == (mode == "tree")


def test_crawl_delay_and_page_size() -> None:
    switches = {"crawl_delay": "5", "per_page": "7"}
    with ReplicaServer(posts=23, seed=2, now=NOW, switches=switches) as replica:
        robots = fetch(replica.origins["snhr_news"] + "/robots.txt").text
        group = robots.split("\n\n")[0].splitlines()  # the User-agent: * group
        assert group[0] == "User-agent: *"
        assert "Crawl-delay: 5" in group
        home = Selector(text=fetch(replica.origins["snhr_news"] + "/").text)
        assert len(home.css(".tdb_loop .td_module_flex")) == 7
        assert home.css(".page-nav a.last::text").get() == str(-(-23 // 7))
    with ReplicaServer(posts=3, seed=2, now=NOW) as replica:
        assert "Crawl-delay" not in fetch(replica.origins["snhr_news"] + "/robots.txt").text
