"""Changes over time: add, edit and delete, in-process and over the admin API."""

from __future__ import annotations

import json
import re

from replica_helpers import NOW, fetch, local

from snhr_replica import ReplicaServer


def test_add_edit_delete_in_process():
    with ReplicaServer(posts=12, seed=4, now=NOW) as replica:
        origin = replica.origins["snhr_news"]
        before = {r["id"] for r in replica.truth("snhr_news")}
        added = replica.site.add("snhr_news", 2)
        assert all(p.published < NOW for p in added)
        after = replica.truth("snhr_news")
        assert len(after) == len(before) + 2
        newest = after[-1]
        assert newest["post_id"] == added[-1].post_id
        listing = fetch(origin + "/").text
        assert f"/?p={newest['post_id']}" in listing or added[-1].path in listing
        assert f"?p={newest['post_id']}</guid>" in fetch(origin + "/feed/").text

        target = after[0]
        replica.site.edit("snhr_news", target["post_id"])
        edited = next(r for r in replica.truth("snhr_news") if r["id"] == target["id"])
        assert edited["content_sha256"] != target["content_sha256"]
        assert "Update 1:" in fetch(local(replica, target["url"])).text
        rest = json.loads(fetch(origin + "/wp-json/wp/v2/posts?orderby=modified&per_page=1").body)
        assert rest[0]["id"] == target["post_id"]
        sitemap = fetch(origin + "/post-sitemap.xml").text
        lastmod = re.search(re.escape(added[0].path) + r"</loc><lastmod>([^<]+)<", sitemap)
        assert lastmod is not None
        assert rest[0]["modified_gmt"] in sitemap

        replica.site.delete("snhr_news", target["post_id"], status=410)
        assert fetch(local(replica, target["url"])).status == 410
        assert target["id"] not in {r["id"] for r in replica.truth("snhr_news")}
        assert (
            f"?p={target['post_id']}"
            not in fetch(origin + "/wp-json/wp/v2/posts?per_page=100").text
        )
        assert fetch(f"{origin}/?p={target['post_id']}").status == 404


def test_admin_http_api():
    with ReplicaServer(posts=6, seed=4, now=NOW) as replica:
        origin = replica.origins["snhr_reports"]
        reply = fetch(origin + "/__replica/add?n=1&source=snhr_reports_ar", method="POST")
        assert reply.status == 200
        made = json.loads(reply.body)[0]
        assert made["source"] == "snhr_reports_ar"
        assert fetch(origin + made["path"]).status == 200
        edit = fetch(
            f"{origin}/__replica/edit?id={made['id']}&source=snhr_reports_ar", method="POST"
        )
        assert edit.status == 200
        gone = fetch(
            f"{origin}/__replica/delete?id={made['id']}&source=snhr_reports_ar&status=404",
            method="POST",
        )
        assert gone.status == 200
        assert fetch(origin + made["path"]).status == 404
        assert fetch(f"{origin}/__replica/delete?id=1", method="POST").status == 404
        assert fetch(f"{origin}/__replica/delete?id=x", method="POST").status == 400
        truth = fetch(origin + "/__replica/truth?source=snhr_reports").text.splitlines()
        assert len(truth) == 6
