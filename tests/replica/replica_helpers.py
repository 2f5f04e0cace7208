"""Helpers for replica tests: a raw HTTP client (no redirects) and URL mapping."""

from __future__ import annotations

import http.client
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from snhr_replica import ReplicaServer

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


def fetch(url: str, *, host: str | None = None, method: str = "GET") -> Reply:
    """One request, redirects not followed."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    conn.request(method, path, headers={"Host": host} if host else {})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, body)


def local(replica: ReplicaServer, public_url: str) -> str:
    """A truth (public) URL on the replica's local origin."""
    parts = urlsplit(public_url)
    origin = replica.origins["snhr_news" if parts.hostname == "news.snhr.org" else "snhr_reports"]
    return origin + parts.path + (f"?{parts.query}" if parts.query else "")
