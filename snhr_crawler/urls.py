"""SNHR URL rules: one canonical form per article, and the origin switch.

Canonical form (the ``url`` field and the archive key when no post id is known):
https, the current host (``sn4hr`` hosts and ``www.`` become ``snhr``), upper-case
percent-encoding (w3lib), sorted query without tracking parameters, no fragment,
and a trailing slash on page paths.

What is deliberately *not* collapsed: a ``-2`` slug suffix. WordPress appends it
when two posts would share a slug, so ``…/x/`` and ``…/x-2/`` are two posts.
``?p=ID`` shortlinks cannot be mapped to a permalink without asking the site;
they keep their own canonical form and dedupe on the post id instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

#: Old and alternative hosts, mapped to the host that serves them today.
HOST_ALIASES: dict[str, str] = {
    "sn4hr.org": "snhr.org",
    "www.sn4hr.org": "snhr.org",
    "www.snhr.org": "snhr.org",
    "news.sn4hr.org": "news.snhr.org",
    "www.news.sn4hr.org": "news.snhr.org",
    "www.news.snhr.org": "news.snhr.org",
}

#: SNHR's own hosts (after aliasing). ``media.*`` clippings are not SNHR articles.
SNHR_HOSTS = frozenset({"snhr.org", "news.snhr.org"})

_TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|mc_cid|mc_eid|_ga|amp|ref)$", re.IGNORECASE)
_FILE_LIKE = re.compile(r"\.[A-Za-z0-9]{1,5}$")
_DATE_IN_PATH = re.compile(r"/(\d{4})/(\d{2})/(\d{2})/")


def canonical_host(host: str) -> str:
    host = host.lower().rstrip(".")
    return HOST_ALIASES.get(host, host)


def canonical_url(url: str) -> str:
    """The one spelling of ``url`` the archive keys on. Idempotent.

    A URL without a host (relative, ``mailto:``) has nothing to canonicalise
    and comes back stripped; an unparsable port is dropped rather than raised
    on, since hrefs come from scraped pages.
    """
    url = url.strip()
    parts = urlsplit(url)
    if not parts.hostname:
        return url
    host = canonical_host(parts.hostname)
    scheme = parts.scheme.lower()
    if host in SNHR_HOSTS or scheme in ("http", "https"):
        scheme = "https"
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host if port in (None, 80, 443) else f"{host}:{port}"
    query = urlencode(
        [
            (k, v)
            for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if not _TRACKING.match(k)
        ]
    )
    path = parts.path or "/"
    if not path.endswith("/") and not _FILE_LIKE.search(path):
        path += "/"
    return canonicalize_url(urlunsplit((scheme, netloc, path, query, "")))


def shortlink_post_id(url: str) -> int | None:
    """The post id of a WordPress ``/?p=ID`` shortlink, else None."""
    parts = urlsplit(url)
    if parts.path not in ("", "/") and not parts.path.endswith("/"):
        return None
    values = [v for k, v in parse_qsl(parts.query) if k == "p"]
    return int(values[0]) if values and values[0].isascii() and values[0].isdigit() else None


def url_date(url: str) -> str | None:
    """``YYYY-MM-DD`` from a WordPress date permalink, else None."""
    match = _DATE_IN_PATH.search(urlsplit(url).path)
    if not match:
        return None
    year, month, day = match.groups()
    if not ("01" <= month <= "12" and "01" <= day <= "31"):
        return None
    return f"{year}-{month}-{day}"


@dataclass(frozen=True)
class Origin:
    """Where a site really lives, and where this run fetches it from.

    With ``-a origin=http://127.0.0.1:8001`` the spider fetches a local copy
    but archives public URLs: ``to_fetch`` maps public (and alias) URLs to the
    local origin, ``to_public`` maps what the local copy links to back to the
    canonical public URL.
    """

    public: str  # e.g. "https://news.snhr.org"
    fetch: str = ""  # "" means the public origin itself
    aliases: frozenset[str] = field(default_factory=frozenset)

    @property
    def public_host(self) -> str:
        return urlsplit(self.public).hostname or ""

    @property
    def fetch_origin(self) -> str:
        return (self.fetch or self.public).rstrip("/")

    def _hosts(self) -> set[str]:
        return {self.public_host, *self.aliases} | {
            alias for alias, host in HOST_ALIASES.items() if host == self.public_host
        }

    def is_local(self, url: str) -> bool:
        """True for URLs on the fetch origin."""
        return bool(self.fetch) and _origin_of(url) == self.fetch_origin

    def owns(self, url: str) -> bool:
        """True for URLs of this site: its public host, an alias, or the fetch origin."""
        return self.is_local(url) or (urlsplit(url).hostname or "").lower() in self._hosts()

    def to_public(self, url: str) -> str:
        """The canonical public URL for anything on SNHR's sites this page links to.

        Links to other sites are returned as written (stripped): SNHR's rules
        (https, trailing slash) would change where they point.
        """
        if self.is_local(url):
            url = self.public.rstrip("/") + url[len(self.fetch_origin) :]
        if canonical_host(urlsplit(url).hostname or "") not in SNHR_HOSTS:
            return url.strip()
        return canonical_url(url)

    def to_fetch(self, url: str) -> str:
        """Where to request ``url`` in this run (unchanged for other sites)."""
        if not self.fetch or not self.owns(url) or self.is_local(url):
            return url
        parts = urlsplit(url)
        rest = urlunsplit(("", "", parts.path, parts.query, ""))
        return self.fetch_origin + rest


def _origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()
