"""Identity is proven, not assumed: which post a page is, and where it lives.

A record's key comes from its post id and its ``url`` from the page; both
are what a hostile or careless page can lie about. A shortlink may carry
another post's id (two articles would then alternate as versions of one key
on every run), a canonical link may name the home page (every article would
be a duplicate of one URL), another article or another host, and a JSON-LD
block may describe a different article (its date would date this one).

The parsers collect the evidence (:func:`post_id_evidence`,
:func:`describes_other_page`); :func:`resolve_identity` decides, after the
fetch, what the record may use:

* ``url``: the page's canonical link only when it names this page: the URL
  that was fetched (in canonical form), or, for a page fetched through a
  shortlink or a longer form of its own permalink (``/slug/amp/``,
  ``/slug/2/``), a permalink on the source's own host that is not the home
  page. Otherwise the fetched URL, and ``canonical`` is counted as untrusted.
* ``post_id``: the page's own markup (``body.postid-N``, ``article#post-N``)
  over the shortlink when they disagree (``shortlink`` untrusted); an id the
  site's index gave for this URL (REST, feed) over a shortlink that is the
  only evidence and disagrees. An id that WordPress cannot have issued or the
  index cannot hold (2^63 and above) anywhere in the evidence refuses the
  page: ``refused = "bad_post_id"``, counted and retried, never written.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from snhr_crawler.urls import (
    MAX_POST_ID,
    canonical_url,
    host_of,
    shortlink_post_id,
    split,
    url_date,
    valid_post_id,
)

_POSTID_CLASS = re.compile(r"\bpostid-(\d+)\b")
_POST_ARTICLE_ID = re.compile(r"^post-(\d+)$")
_SHORTLINK_ID = re.compile(r"[?&]p=(\d+)")

#: Evidence from the page's own markup, strongest first.
MARKUP = ("body-class", "article-id")
#: The order the parsers report a post id in (the layer stats keep their meaning).
ORDER = ("shortlink", "body-class", "article-id")


def _number(digits: str) -> int | str:
    """An id as an int when it is one, else the digits (kept as evidence of a bad id)."""
    if len(digits) > 19:
        return digits
    return valid_post_id(int(digits)) or digits


def post_id_evidence(
    shortlink: str | None, body_class: str, article_ids: Iterable[str]
) -> dict[str, int | str]:
    """layer -> the post id that layer names (an int), or the digits of an unusable one (a str).

    ``?p=0`` is nobody's id and counts as absent; digits too large for an id
    are kept as a string so the page can be refused (see the module docstring).
    """
    evidence: dict[str, int | str] = {}
    if shortlink:
        link = shortlink.strip()
        if (found := shortlink_post_id(link)) is not None:
            evidence["shortlink"] = found
        elif (match := _SHORTLINK_ID.search(link)) and match[1].strip("0"):
            evidence["shortlink"] = _number(match[1])
    if match := _POSTID_CLASS.search(body_class or ""):
        evidence["body-class"] = _number(match[1])
    for value in article_ids:
        if match := _POST_ARTICLE_ID.match(value or ""):
            evidence["article-id"] = _number(match[1])
            break
    return {layer: value for layer, value in evidence.items() if value not in (0, "0")}


def first_post_id(evidence: Mapping[str, int | str]) -> tuple[int | None, str]:
    """The parsers' choice: the first usable id in ``ORDER`` and its layer."""
    for layer in ORDER:
        value = evidence.get(layer)
        if isinstance(value, int):
            return value, layer
    return None, "none"


def _page(url: str) -> str:
    return canonical_url(url.split("#", 1)[0]) if url else ""


def describes_other_page(
    node: Mapping[str, Any], page_url: str, map_url: Callable[[str], str]
) -> bool:
    """True when a JSON-LD article node says it is about another page than ``page_url``.

    It names its page in ``url``, ``mainEntityOfPage`` (a URL or an object
    with ``@id``) or an ``@id`` of the form ``<page>#article`` (Yoast). A node
    that names no page is taken as the page's own.
    """
    named: list[str] = []
    for key in ("url", "mainEntityOfPage", "@id"):
        value = node.get(key)
        if isinstance(value, Mapping):
            value = value.get("@id") or value.get("url")
        if isinstance(value, str) and value.strip().startswith(("http://", "https://", "/")):
            named.append(value.strip())
    if not named:
        return False
    own = _page(map_url(page_url))
    return all(_page(map_url(url)) != own for url in named)


@dataclass(frozen=True)
class Identity:
    """What the record may use: its ``url`` and ``post_id``, and what was not trusted."""

    url: str
    post_id: int | None
    untrusted: tuple[str, ...] = ()
    refused: str | None = None


def _is_home(url: str, site_path: str) -> bool:
    parts = split(url)
    return parts is None or ((parts.path or "/") in ("/", site_path) and not parts.query)


def _canonical_names_this_page(canonical: str, fetched: str, own_host: str, site_path: str) -> bool:
    if canonical == fetched:
        return True
    if host_of(canonical) != own_host or _is_home(canonical, site_path):
        return False
    if shortlink_post_id(fetched) is not None or url_date(fetched) is None:
        # Fetched through ?p=ID or a form without the date permalink: the canonical
        # link is how the page names itself, as long as it is one of the site's posts.
        return url_date(canonical) is not None or shortlink_post_id(canonical) is not None
    fetched_parts, canonical_parts = split(fetched), split(canonical)
    if fetched_parts is None or canonical_parts is None:
        return False
    # /slug/amp/ or /slug/2/ naming /slug/ (the same post, another rendering).
    return fetched_parts.path.startswith(canonical_parts.path)


def resolve_identity(
    fields: Mapping[str, Any],
    layers: Mapping[str, str],
    evidence: Mapping[str, int | str],
    *,
    fetched: str,
    own_host: str,
    site_path: str = "/",
    listed_post_id: int | None = None,
) -> Identity:
    """The record's identity from what the parser found (see the module docstring).

    ``fetched`` is the public canonical form of the URL that answered;
    ``own_host`` the source's public host; ``listed_post_id`` the id the
    site's index (REST, feed) gave for the URL, if any.
    """
    untrusted: list[str] = []
    url = fetched
    candidate = fields.get("url")
    if layers.get("url") == "meta" and isinstance(candidate, str) and candidate != fetched:
        if _canonical_names_this_page(candidate, fetched, own_host, site_path):
            url = candidate
        else:
            untrusted.append("canonical")
    bad = [value for value in evidence.values() if isinstance(value, str)]
    if any(len(value) > 19 or int(value) > MAX_POST_ID for value in bad):
        return Identity(url, None, tuple(untrusted), refused="bad_post_id")
    markup = next((v for layer in MARKUP if isinstance(v := evidence.get(layer), int)), None)
    shortlink = evidence.get("shortlink")
    shortlink = shortlink if isinstance(shortlink, int) else None
    post_id: int | None
    if markup is not None:
        post_id = markup
        if shortlink is not None and shortlink != markup:
            untrusted.append("shortlink")
    elif shortlink is not None:
        post_id = shortlink
        if listed_post_id is not None and listed_post_id != shortlink:
            untrusted.append("shortlink")
            post_id = listed_post_id
    else:
        post_id = listed_post_id
    return Identity(url, post_id, tuple(untrusted))
