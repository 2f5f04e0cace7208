"""The URL canonicaliser: idempotent, and stable under every spelling SNHR's URLs come in.

SNHR's hosts come from its site descriptors (``snhr_crawler.sites.snhr``).

Variations a link to the same article really arrives in: http or https, the
old ``sn4hr`` hosts and ``www.``, host case and a trailing dot, default ports,
with or without the trailing slash, raw Arabic or percent-encoded in either
case, tracking parameters, shuffled query order, fragments. Distinctions that
must survive: ``-2`` slugs (a different post) and different ``?p=`` ids.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.provisional import urls

from snhr_crawler.sites import SiteDescriptor
from snhr_crawler.sites.snhr import SNHR_NEWS
from snhr_crawler.urls import Origin, canonical_host, shortlink_post_id, url_date
from snhr_crawler.urls import canonical_url as generic_canonical_url

#: SNHR's host spellings -> current host, from the descriptors (news links to main and back).
HOSTS = SNHR_NEWS.host_map()
SNHR_HOSTS = sorted(set(HOSTS.values()))
ALIASES_OF = {
    host: sorted(alias for alias, real in HOSTS.items() if real == host) for host in SNHR_HOSTS
}


def canonical_url(url: str) -> str:
    return generic_canonical_url(url, HOSTS)


slug_words = st.lists(
    st.one_of(
        st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=8),
        st.sampled_from(["سوريا", "مقتل", "تقرير", "حلب", "الشبكة"]),
    ),
    min_size=1,
    max_size=4,
).map("-".join)
dates = st.tuples(st.integers(2011, 2026), st.integers(1, 12), st.integers(1, 28)).map(
    lambda d: f"{d[0]:04d}/{d[1]:02d}/{d[2]:02d}"
)
params = st.lists(
    st.tuples(st.sampled_from(["lang", "page", "s", "cat"]), st.text("abc123", max_size=4)),
    max_size=3,
    unique_by=lambda kv: kv[0],
)
tracking = st.lists(
    st.tuples(
        st.sampled_from(["utm_source", "UTM_Medium", "utm_campaign", "fbclid", "gclid", "amp"]),
        st.text("xyz019", max_size=5),
    ),
    max_size=3,
)


@st.composite
def article_urls(draw: st.DrawFn) -> tuple[str, str]:
    """(canonical spelling, a random variant spelling) of one SNHR article URL."""
    host = draw(st.sampled_from(sorted(SNHR_HOSTS)))
    prefix = draw(st.sampled_from(["", "ar/", "blog/"]))
    path = f"/{prefix}{draw(dates)}/{draw(slug_words)}"
    query = draw(params)
    base = "https://" + host + quote(path + "/", safe="/")
    if query:
        base += "?" + "&".join(f"{k}={v}" for k, v in sorted(query))

    alias = draw(st.sampled_from(ALIASES_OF[host]))
    alias = "".join(c.upper() if draw(st.booleans()) else c for c in alias)
    alias += draw(st.sampled_from(["", "."]))
    port = draw(st.sampled_from(["", ":443", ":80"]))
    scheme = draw(st.sampled_from(["http", "https", "HTTPS"]))
    encoded = draw(st.sampled_from(["raw", "upper", "lower"]))
    vpath = path if encoded == "raw" else quote(path, safe="/")
    if encoded == "lower":
        vpath = _lower_escapes(vpath)
    vpath += draw(st.sampled_from(["", "/"]))
    pairs = list(query) + draw(tracking)
    pairs = draw(st.permutations(pairs)) if pairs else []
    variant = f"{scheme}://{alias}{port}{vpath}"
    if pairs:
        variant += "?" + "&".join(f"{k}={v}" for k, v in pairs)
    variant += draw(st.sampled_from(["", "#comments", "#"]))
    return base, draw(st.sampled_from(["", " ", "\n"])) + variant


def _lower_escapes(path: str) -> str:
    out, i = [], 0
    while i < len(path):
        if path[i] == "%":
            out.append(path[i : i + 3].lower())
            i += 3
        else:
            out.append(path[i])
            i += 1
    return "".join(out)


@settings(max_examples=400)
@given(article_urls())
def test_variants_canonicalise_to_one_spelling(pair: tuple[str, str]) -> None:
    base, variant = pair
    assert canonical_url(variant) == canonical_url(base) == base


@settings(max_examples=400)
@given(st.one_of(article_urls().map(lambda p: p[1]), urls(), st.text(max_size=40)))
def test_idempotent(url: str) -> None:
    once = canonical_url(url)
    assert canonical_url(once) == once


@settings(max_examples=200)
@given(article_urls())
def test_dash_2_slug_stays_distinct(pair: tuple[str, str]) -> None:
    base, _ = pair
    path, _, query = base.partition("?")
    twin = path.rstrip("/") + "-2/" + (f"?{query}" if query else "")
    assert canonical_url(twin) != canonical_url(base)
    assert canonical_url(twin) == twin


@settings(max_examples=200)
@given(
    st.integers(1, 10**7),
    st.sampled_from(["http://sn4hr.org", "https://www.snhr.org", "https://SNHR.org."]),
    st.sampled_from(["", "/"]),
    tracking,
    st.sampled_from(["", "#x"]),
)
def test_shortlinks_keep_their_id(
    post_id: int, origin: str, slash: str, extra: list[tuple[str, str]], fragment: str
) -> None:
    query = "&".join([f"p={post_id}", *(f"{k}={v}" for k, v in extra)])
    url = f"{origin}{slash}?{query}{fragment}"
    assert canonical_url(url) == f"https://snhr.org/?p={post_id}"
    assert shortlink_post_id(url) == shortlink_post_id(canonical_url(url)) == post_id
    assert canonical_url(f"https://snhr.org/?p={post_id + 1}") != canonical_url(url)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://sn4hr.org/blog/2024/01/02/x", "https://snhr.org/blog/2024/01/02/x/"),
        ("https://snhr.org/wp-content/uploads/r.pdf", "https://snhr.org/wp-content/uploads/r.pdf"),
        ("https://snhr.org/a%2fb", "https://snhr.org/a%2Fb/"),
        ("https://example.com:8080/x", "https://example.com:8080/x/"),
        ("https://example.com:bad/x", "https://example.com/x/"),
        ("/relative/path", "/relative/path"),
        ("mailto:info@snhr.org", "mailto:info@snhr.org"),
    ],
)
def test_examples(url: str, expected: str) -> None:
    assert canonical_url(url) == expected


def test_canonical_host() -> None:
    assert canonical_host("WWW.SN4HR.ORG.", HOSTS) == "snhr.org"
    assert canonical_host("news.sn4hr.org", HOSTS) == "news.snhr.org"
    assert canonical_host("media.snhr.org", HOSTS) == "media.snhr.org"
    assert canonical_host("WWW.SN4HR.ORG.", {}) == "www.sn4hr.org"  # no aliases given
    assert canonical_host("WWW.SN4HR.ORG.") == "snhr.org"  # None: the shipped descriptors'


def test_a_new_host_gets_canonical_urls_from_its_descriptor() -> None:
    site = SiteDescriptor(origin="https://bulletins.example.org", old_hosts=("old.example.org",))
    origin = Origin.for_site(site, fetch="http://127.0.0.1:8009")
    assert (
        origin.to_public("http://OLD.example.org/2024/05/01/a-post?utm_source=x&fbclid=y#comments")
        == "https://bulletins.example.org/2024/05/01/a-post/"
    )
    assert origin.to_public("http://127.0.0.1:8009/2024/05/01/a-post/?amp=1") == (
        "https://bulletins.example.org/2024/05/01/a-post/"
    )
    assert origin.owns("https://old.example.org/x/")
    assert not origin.owns("https://news.snhr.org/x/")
    # SNHR's hosts are SNHR's descriptors' business, not every site's.
    assert origin.to_public("http://news.sn4hr.org/x") == "http://news.sn4hr.org/x"


def test_url_date() -> None:
    assert url_date("https://snhr.org/blog/2024/01/31/x/") == "2024-01-31"
    assert url_date("https://snhr.org/blog/2024/13/01/x/") is None
    assert url_date("https://snhr.org/?p=1") is None


def test_origin_round_trip() -> None:
    origin = Origin(public="https://news.snhr.org", fetch="http://127.0.0.1:8001")
    public = "http://news.sn4hr.org/2024/01/02/x"
    assert origin.to_fetch(public) == "http://127.0.0.1:8001/2024/01/02/x"
    assert origin.to_public("http://127.0.0.1:8001/2024/01/02/x?utm_source=a") == (
        "https://news.snhr.org/2024/01/02/x/"
    )
    assert origin.to_fetch("https://example.com/x") == "https://example.com/x"
    # Another site's link keeps its own scheme and path: SNHR's rules are not its rules.
    assert (
        origin.to_public("http://www.ohchr.org/en/hr-bodies") == "http://www.ohchr.org/en/hr-bodies"
    )


def test_shortlink_ids_are_ascii_digits_only() -> None:
    assert shortlink_post_id("https://news.snhr.org/?p=91810") == 91810
    assert shortlink_post_id("https://news.snhr.org/?p=²") is None
    assert shortlink_post_id("https://news.snhr.org/?p=٣") is None


def test_a_canonical_url_is_not_canonicalised_twice(monkeypatch: pytest.MonkeyPatch) -> None:
    import snhr_crawler.urls as urls

    once = canonical_url("http://www.news.sn4hr.org/2024/01/15/x?utm_source=feed")
    assert once == "https://news.snhr.org/2024/01/15/x/"
    calls: list[str] = []
    real = urls.canonicalize_url
    monkeypatch.setattr(urls, "canonicalize_url", lambda u: calls.append(u) or real(u))
    assert canonical_url(once) is once  # the spider's, handed to the store: no second pass
    assert calls == []
    changed = once + "?p=1"  # any change is a plain str again, and canonicalised
    assert canonical_url(changed) == "https://news.snhr.org/2024/01/15/x/?p=1"
    assert len(calls) == 1
