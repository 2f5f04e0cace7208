"""Redirects and URL shapes: shortlinks, old hosts, trailing slashes, pagination."""

from __future__ import annotations

import re

from replica_helpers import NOW, fetch, local

from snhr_crawler.urls import canonical_url
from snhr_replica import ReplicaServer


def test_shortlink_answers_301_to_permalink(replica):
    for source in ("snhr_news", "snhr_news_ar", "snhr_reports", "snhr_reports_ar"):
        record = replica.truth(source)[4]
        origin = replica.origins[source]
        root = {"snhr_news_ar": "/ar/", "snhr_reports_ar": "/arabic/"}.get(source, "/")
        reply = fetch(f"{origin}{root}?p={record['post_id']}")
        assert reply.status == 301
        assert canonical_url(reply.headers["location"]) == canonical_url(
            local(replica, record["url"])
        )
    assert fetch(replica.origins["snhr_news"] + "/?p=1").status == 404


def test_old_hosts_redirect_by_host_header(replica):
    record = replica.truth("snhr_news")[3]
    path = local(replica, record["url"]).split("/", 3)[3]
    for host in ("news.sn4hr.org", "www.news.snhr.org"):
        reply = fetch(f"{replica.origins['snhr_reports']}/{path}", host=host)
        assert reply.status == 301
        assert reply.headers["location"] == f"{replica.origins['snhr_news']}/{path}"
    reply = fetch(f"{replica.origins['snhr_news']}/blog/", host="www.sn4hr.org")
    assert reply.headers["location"] == replica.origins["snhr_reports"] + "/blog/"
    # The public host itself is served, whatever port it reaches.
    assert fetch(f"{replica.origins['snhr_reports']}/{path}", host="news.snhr.org").status == 200


def test_missing_slash_and_uppercase_escapes(replica):
    record = replica.truth("snhr_news_ar")[2]
    url = local(replica, record["url"])  # canonical: upper-case escapes
    assert "%D8" in url or "%D9" in url
    page = fetch(url)
    assert page.status == 200
    canonical = re.search(r'<link rel="canonical" href="([^"]+)"', page.text).group(1)
    assert "%d" in canonical  # WordPress writes lower-case hex
    bare = fetch(url.rstrip("/"))
    assert bare.status == 301
    assert bare.headers["location"] == canonical


def test_pagination_to_last_page_and_404_beyond(replica):
    origin = replica.origins["snhr_news"]
    base = f"{origin}/category/news/"
    first = fetch(base).text
    last = int(re.search(r'<a href="[^"]+" class="last" title="(\d+)">(\d+)</a>', first).group(1))
    assert '<span class="pages">Page 1 of' in first
    assert fetch(f"{base}page/1/").status == 301
    assert fetch(f"{base}page/1/").headers["location"] == base
    final = fetch(f"{base}page/{last}/")
    assert final.status == 200
    assert f'<span class="current">{last}</span>' in final.text
    assert 'aria-label="prev-page"' in final.text
    assert fetch(f"{base}page/{last + 1}/").status == 404


def test_deleted_post_and_unknown_paths_404(replica):
    assert fetch(replica.origins["snhr_news"] + "/no/such/page/").status == 404
    assert fetch(replica.origins["snhr_news"] + "/wp-sitemap.xml").status == 404


def test_uploads_serve_pdf_and_images(replica):
    record = next(r for r in replica.truth("snhr_reports") if r["attachments"])
    pdf = fetch(local(replica, record["attachments"][0]["url"]))
    assert pdf.status == 200
    assert pdf.body.startswith(b"%PDF-1.4")
    assert pdf.body.rstrip().endswith(b"%%EOF")
    image = next(r for r in replica.truth("snhr_news") if r["images"])
    assert fetch(local(replica, image["images"][0]["url"])).status == 200


def test_old_hosts_and_shortlinks_can_serve_pages_directly():
    switches = {"old_hosts": "serve", "shortlinks": "serve"}
    with ReplicaServer(posts=4, seed=1, now=NOW, switches=switches) as replica:
        record = replica.truth("snhr_news")[1]
        origin = replica.origins["snhr_news"]
        short = fetch(f"{origin}/?p={record['post_id']}")
        assert short.status == 200
        assert (
            f'<link rel="canonical" href="{local(replica, record["url"]).lower()}"'
            in short.text.lower()
        )
        path = local(replica, record["url"])[len(origin) :]
        assert fetch(origin + path, host="news.sn4hr.org").status == 200
