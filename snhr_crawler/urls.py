"""URL rules: one canonical form per article, and the origin switch.

Canonical form (the ``url`` field and the archive key when no post id is known):
https, the site's current host (old hosts and ``www.`` mapped to it through
the site descriptor's ``host_map``), upper-case percent-encoding (w3lib),
sorted query without tracking parameters, no fragment, and a trailing slash
on page paths.

What is deliberately *not* collapsed: a ``-2`` slug suffix. WordPress appends it
when two posts would share a slug, so ``…/x/`` and ``…/x-2/`` are two posts.
``?p=ID`` shortlinks cannot be mapped to a permalink without asking the site;
they keep their own canonical form and dedupe on the post id instead.

No host is written here: which hosts are a site's, and which spelling is
current, is the site descriptor's to say (``snhr_crawler.sites``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import SplitResult, parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

from snhr_crawler.sites import SiteDescriptor

_TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|mc_cid|mc_eid|_ga|amp|ref)$", re.IGNORECASE)
_FILE_LIKE = re.compile(r"\.[A-Za-z0-9]{1,5}$")
_DATE_IN_PATH = re.compile(r"/(\d{4})/(\d{2})/(\d{2})/")

#: The largest post id the archive can key and index (SQLite's INTEGER is 64-bit signed).
MAX_POST_ID = 2**63 - 1
#: Schemes a stored link may have (attachments, images, translations); body links add mailto.
WEB_SCHEMES = frozenset({"http", "https"})


def split(url: str) -> SplitResult | None:
    """``urlsplit(url)``, or None for what it refuses (``http://[::1/x``: "Invalid IPv6 URL").

    Hrefs come from scraped pages; one malformed link must cost that link, never the page.
    """
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 -- raises ValueError for a port that is not a number
    except ValueError:
        return None
    return parts


def join(base: str, href: str) -> str | None:
    """``urljoin(base, href)``, or None when ``href`` cannot be read as a URL (a bad IPv6 host)."""
    try:
        joined = urljoin(base, href)
    except ValueError:
        return None
    return joined if split(joined) is not None else None


def host_of(url: str) -> str:
    """The lower-cased host of ``url`` without a trailing dot ("" when it has none or is malformed)."""
    parts = split(url)
    return ((parts.hostname if parts else None) or "").lower().rstrip(".")


def is_web_url(url: object) -> bool:
    """True for an absolute http(s) URL with a host (never ``javascript:``, ``data:``, ``file:``)."""
    if not isinstance(url, str):
        return False
    parts = split(url.strip())
    return parts is not None and parts.scheme in WEB_SCHEMES and bool(parts.hostname)


def valid_post_id(value: object) -> int | None:
    """``value`` as a post id when it is one WordPress could have issued and the index can hold.

    WordPress ids start at 1; 0 (``?p=0``, the front page) and ids of 2^63 or
    more (which SQLite cannot store) are not ids of any post.
    """
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if 1 <= value <= MAX_POST_ID else None


def canonical_host(host: str, hosts: Mapping[str, str] | None = None) -> str:
    """``host`` lower-cased, without a trailing dot, mapped through ``hosts`` (alias -> host).

    ``hosts`` None means the hosts of every descriptor the package ships
    (``snhr_crawler.sites.registry``): callers that key on URLs without a
    spider at hand (the store, the audit) still fold old hosts.
    """
    host = host.lower().rstrip(".")
    return _hosts(hosts).get(host, host)


def _hosts(hosts: Mapping[str, str] | None) -> Mapping[str, str]:
    if hosts is not None:
        return hosts
    from snhr_crawler.sites.registry import known_host_map

    return known_host_map()


class CanonicalUrl(str):
    """A URL as ``canonical_url`` returned it: canonicalising it again gives it back at once.

    The spider canonicalises each URL a page links to once (``Origin.to_public``);
    the policy, the pending queue and the store canonicalise whatever they are
    given, which before cost a second pass over every listing URL. Any change
    to the string (slicing, ``+``, ``strip``) gives a plain ``str`` again.
    """

    __slots__ = ()


def canonical_url(url: str, hosts: Mapping[str, str] | None = None) -> str:
    """The one spelling of ``url`` the archive keys on. Idempotent.

    ``hosts`` maps a site's old and alternative hosts to its current one
    (``SiteDescriptor.host_map()``; None: every shipped descriptor's).
    A URL without a host (relative, ``mailto:``) has nothing to canonicalise
    and comes back stripped; an unparsable port is dropped rather than raised
    on, since hrefs come from scraped pages. A ``CanonicalUrl`` comes back as
    it is (canonical under the host map it was made with: a site's own).
    """
    if type(url) is CanonicalUrl:
        return url
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:  # "http://[::1/x": no host to canonicalise
        return url
    if not parts.hostname:
        return url
    hosts = _hosts(hosts)
    host = canonical_host(parts.hostname, hosts)
    scheme = parts.scheme.lower()
    if scheme in ("http", "https") or host in hosts.values():
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
    return CanonicalUrl(canonicalize_url(urlunsplit((scheme, netloc, path, query, ""))))


def shortlink_post_id(url: str) -> int | None:
    """The post id of a WordPress ``/?p=ID`` shortlink, else None (also for ids no post has)."""
    parts = split(url)
    if parts is None or (parts.path not in ("", "/") and not parts.path.endswith("/")):
        return None
    values = [v for k, v in parse_qsl(parts.query) if k == "p"]
    if not values or not values[0].isascii() or not values[0].isdigit() or len(values[0]) > 19:
        return None
    return valid_post_id(int(values[0]))


def url_date(url: str) -> str | None:
    """``YYYY-MM-DD`` from a WordPress date permalink, else None."""
    parts = split(url)
    match = _DATE_IN_PATH.search(parts.path) if parts else None
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
    canonical public URL. ``site`` is the descriptor whose hosts are "this
    site"; a caller that names only ``public`` gets the descriptor the package
    knows for that origin, else one with no aliases.
    """

    public: str  # e.g. "https://news.snhr.org"
    fetch: str = ""  # "" means the public origin itself
    site: SiteDescriptor | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.site is None:
            from snhr_crawler.sites.registry import site_for_origin

            object.__setattr__(self, "site", site_for_origin(self.public))

    @classmethod
    def for_site(cls, site: SiteDescriptor, fetch: str = "") -> Origin:
        return cls(public=site.origin, fetch=fetch, site=site)

    @property
    def descriptor(self) -> SiteDescriptor:
        assert self.site is not None
        return self.site

    @property
    def public_host(self) -> str:
        return urlsplit(self.public).hostname or ""

    @property
    def fetch_origin(self) -> str:
        return (self.fetch or self.public).rstrip("/")

    @property
    def hosts(self) -> Mapping[str, str]:
        """Host spellings of this site and its related sites -> current host."""
        return self.descriptor.host_map()

    def is_local(self, url: str) -> bool:
        """True for URLs on the fetch origin."""
        return bool(self.fetch) and _origin_of(url) == self.fetch_origin

    def owns(self, url: str) -> bool:
        """True for URLs of this site: its public host, an alias, or the fetch origin."""
        return self.is_local(url) or host_of(url) in self.descriptor.own_hosts

    def serves(self, url: str) -> bool:
        """True when this run may request ``url``: the source's own hosts and ports, nothing else.

        The fetch origin exactly (scheme, host and port) when crawling a local
        copy; otherwise http(s) on the site's own hosts (its host, aliases and
        old hosts) at their default ports. A subdomain (``media.<host>``),
        another port or another scheme is another server, whatever
        ``allowed_domains`` would admit.
        """
        parts = split(url)
        if parts is None or parts.scheme not in WEB_SCHEMES:
            return False
        if self.fetch:
            return self.is_local(url)
        if parts.port not in (None, 80, 443):
            return False
        return host_of(url) in self.descriptor.own_hosts

    def canonical(self, url: str) -> str:
        """``canonical_url`` with this site's host map."""
        return canonical_url(url, self.hosts)

    def to_public(self, url: str) -> str:
        """The canonical public URL for anything on this site (or a related one) a page links to.

        Links to other sites are returned as written (stripped): our rules
        (https, trailing slash) would change where they point.
        """
        if self.is_local(url):
            url = self.public.rstrip("/") + url[len(self.fetch_origin) :]
        hosts = self.hosts
        if host_of(url) not in hosts:
            return url.strip()
        return canonical_url(url, hosts)

    def to_fetch(self, url: str) -> str:
        """Where to request ``url`` in this run (unchanged for other sites)."""
        if not self.fetch or not self.owns(url) or self.is_local(url):
            return url
        parts = urlsplit(url)
        rest = urlunsplit(("", "", parts.path, parts.query, ""))
        return self.fetch_origin + rest


def _origin_of(url: str) -> str:
    parts = split(url)
    return f"{parts.scheme}://{parts.netloc}".lower() if parts else ""
