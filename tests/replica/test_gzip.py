"""``gzip=on``: pages, feeds, sitemaps and REST answer ``Content-Encoding: gzip`` to clients that ask."""

from __future__ import annotations

import gzip
import http.client
from urllib.parse import urlsplit

from replica_helpers import NOW

from snhr_replica import ReplicaServer


def _get(url: str, accept: str | None) -> tuple[int, dict[str, str], bytes]:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    conn.request("GET", parts.path, headers={"Accept-Encoding": accept} if accept else {})
    reply = conn.getresponse()
    body = reply.read()
    conn.close()
    return reply.status, {k.lower(): v for k, v in reply.getheaders()}, body


def test_gzip_when_asked_identity_otherwise_and_never_for_pdfs() -> None:
    with ReplicaServer(posts=8, seed=3, now=NOW, switches={"gzip": "on"}) as replica:
        origin = replica.origins["snhr_reports"]
        record = next(r for r in replica.truth("snhr_reports") if r["attachments"])
        article = urlsplit(record["url"]).path
        for path in (
            article,
            "/feed/",
            "/sitemap_index.xml",
            "/wp-json/wp/v2/posts",
            "/robots.txt",
        ):
            status, headers, body = _get(origin + path, "gzip, deflate, br")
            assert status == 200, path
            assert headers["content-encoding"] == "gzip", path
            assert headers["vary"] == "Accept-Encoding"
            assert int(headers["content-length"]) == len(body)
            for accept in (None, "identity", "gzip;q=0, deflate"):
                _, plain_headers, plain = _get(origin + path, accept)
                assert "content-encoding" not in plain_headers, (path, accept)
                assert gzip.decompress(body) == plain
        _, headers, body = _get(origin + urlsplit(record["attachments"][0]["url"]).path, "gzip")
        assert "content-encoding" not in headers  # PDFs and images go as they are
        assert body.startswith(b"%PDF-")
    with ReplicaServer(posts=3, seed=3, now=NOW) as replica:
        _, headers, _ = _get(replica.origins["snhr_reports"] + "/feed/", "gzip")
        assert "content-encoding" not in headers  # off by default
