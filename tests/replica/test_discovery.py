"""Feeds, sitemaps, REST and robots.txt, and the switches that change them."""

from __future__ import annotations

import http.client
import json
import re
from urllib.parse import urlsplit

from replica_helpers import NOW, fetch

from snhr_replica import ReplicaServer


def test_robots_names_yoast_index(replica):
    robots = fetch(replica.origins["snhr_news"] + "/robots.txt").text
    assert "Disallow: /wp-admin/" in robots
    assert "Allow: /wp-admin/admin-ajax.php" in robots
    assert f"Sitemap: {replica.origins['snhr_news']}/sitemap_index.xml" in robots
    assert f"Sitemap: {replica.origins['snhr_news']}/ar/sitemap_index.xml" in robots


def test_feed_has_ten_items_with_shortlink_guids(replica):
    origin = replica.origins["snhr_reports"]
    xml = fetch(origin + "/feed/").text
    assert xml.count("<item>") == 10
    guids = re.findall(r'<guid isPermaLink="false">([^<]+)</guid>', xml)
    assert all(re.fullmatch(re.escape(origin) + r"/\?p=\d+", g) for g in guids)
    assert re.search(r"<pubDate>\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d \+0000</pubDate>", xml)
    assert "<content:encoded><![CDATA[" in xml
    category = fetch(origin + "/blog/category/arrest/feed/").text
    assert "<title>Arrest – Syrian Network for Human Rights</title>" in category


def test_yoast_sitemaps_split_at_size():
    with ReplicaServer(posts=25, seed=2, now=NOW, switches={"sitemap_size": 10}) as replica:
        origin = replica.origins["snhr_news"]
        index = fetch(origin + "/sitemap_index.xml").text
        children = re.findall(r"<loc>([^<]+)</loc>", index)
        assert children == [
            f"{origin}/post-sitemap.xml", f"{origin}/post-sitemap2.xml",
            f"{origin}/post-sitemap3.xml", f"{origin}/category-sitemap.xml",
        ]  # fmt: skip
        urls = []
        for child in children[:-1]:
            xml = fetch(child).text
            assert "<lastmod>" in xml
            urls += re.findall(r"<loc>([^<]+)</loc>", xml)
        assert len(urls) == 25 == len(set(urls))
        assert fetch(origin + "/wp-sitemap.xml").status == 404


def test_core_and_no_sitemap_switches():
    with ReplicaServer(posts=5, seed=2, now=NOW, switches={"sitemap": "core"}) as replica:
        origin = replica.origins["snhr_reports"]
        assert fetch(origin + "/sitemap_index.xml").status == 404
        index = fetch(origin + "/wp-sitemap.xml").text
        assert f"{origin}/wp-sitemap-posts-post-1.xml" in index
        assert fetch(origin + "/wp-sitemap-posts-post-1.xml").text.count("<url>") == 5
        assert "Sitemap: " + origin + "/wp-sitemap.xml" in fetch(origin + "/robots.txt").text
    with ReplicaServer(
        posts=5, seed=2, now=NOW, switches={"sitemap": "none", "robots_sitemap": "off"}
    ) as replica:
        origin = replica.origins["snhr_reports"]
        assert fetch(origin + "/wp-sitemap.xml").status == 404
        assert fetch(origin + "/sitemap_index.xml").status == 404
        assert "Sitemap:" not in fetch(origin + "/robots.txt").text


def test_rest_posts_paging_and_filters(replica):
    origin = replica.origins["snhr_news"]
    reply = fetch(origin + "/wp-json/wp/v2/posts?per_page=15&page=1&orderby=modified&order=desc")
    assert reply.status == 200
    assert reply.headers["x-wp-total"] == "40"
    assert reply.headers["x-wp-totalpages"] == "3"
    items = json.loads(reply.body)
    assert len(items) == 15
    assert set(items[0]) >= {
        "id",
        "date",
        "date_gmt",
        "modified",
        "modified_gmt",
        "link",
        "slug",
        "title",
        "categories",
    }
    modified = [item["modified_gmt"] for item in items]
    assert modified == sorted(modified, reverse=True)
    cutoff = items[4]["modified_gmt"]
    newer = json.loads(
        fetch(f"{origin}/wp-json/wp/v2/posts?per_page=100&modified_after={cutoff}").body
    )
    assert {item["id"] for item in newer} == {item["id"] for item in items[:4]}
    assert fetch(origin + "/wp-json/wp/v2/posts?page=99").status == 400
    ar = json.loads(fetch(origin + "/ar/wp-json/wp/v2/posts?per_page=100").body)
    assert len(ar) == 40
    assert all("/ar/" in item["link"] for item in ar)
    cats = json.loads(fetch(origin + "/wp-json/wp/v2/categories").body)
    assert {c["name"] for c in cats} >= {"News", "Casualties", "Daily Death Toll"}


def test_rest_switches():
    for mode, status in (("401", 401), ("403", 403), ("absent", 404)):
        with ReplicaServer(posts=3, seed=1, now=NOW, switches={"rest": mode}) as replica:
            assert fetch(replica.origins["snhr_news"] + "/wp-json/wp/v2/posts").status == status


def test_feed_conditional_get(replica):
    url = replica.origins["snhr_news"] + "/ar/feed/"
    first = fetch(url)
    assert first.status == 200
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    conn.request("GET", parts.path, headers={"If-None-Match": first.headers["etag"]})
    reply = conn.getresponse()
    reply.read()
    conn.close()
    assert reply.status == 304


def test_feeds_switch_off_answers_404():
    with ReplicaServer(posts=3, seed=1, now=NOW, switches={"feeds": False}) as replica:
        origin = replica.origins["snhr_news"]
        assert fetch(origin + "/feed/").status == 404
        assert fetch(origin + "/category/news/feed/").status == 404
        assert fetch(origin + "/category/news/").status == 200
