"""Ground truth: the record a perfect crawler would produce for every live post.

This is the tests' oracle, so it shares no code with ``snhr_crawler``: only the
record's field names (README's record table) are common. Every value comes from
the replica's own model, which generated each post and so knows its canonical
URL, id, category path, doc type and text; the rules below restate the record
contract (README's record table) and are checked against the crawler's own
functions by tests, never borrowed from them.

The rules, as this module applies them:

* ``url``: ``https://`` + the public host + the permalink path with its
  percent-escapes in upper case. The replica's paths are otherwise already
  canonical (lower-case ASCII, trailing slash on permalinks, none on files, no
  query), so nothing else changes; links the replica writes as absolute URLs
  are written canonical. A link pasted without its trailing slash points at
  the permalink, slash included (``Link.bare`` is how the page spells it).
* ``id``: ``<source>:<post_id>``; without a post id
  ``<source>:u<first 16 hex digits of sha256(utf-8 url)>``.
* ``content_sha256``: sha256 of the UTF-8 bytes of ``T + "\\n\\n" + B`` where
  ``T`` and ``B`` are the title and the body text, each normalised: Unicode
  NFC, every line's runs of white space (``str.split``) made one space and the
  line's ends stripped, lines joined by ``\\n``, then blank lines at either end
  removed. Serialisation noise (CRLF, a trailing space, decomposed Arabic)
  therefore never changes the hash; a changed word does.
* ``translation_group``: ``tg:`` + the first 16 hex digits of sha256 of the
  sorted, distinct canonical URLs of every language version (the page's own
  included) joined by ``\\n``; null when the post names no other version.
* ``doc_type``: what the replica filed the post under (``CategorySpec.doc_type``).
* ``body_text``: each block's text with white space runs made one space, blocks
  joined by a blank line; ``body_html``: the same blocks as ``<p>``/``<h3>``/
  ``<h5>`` with ``<strong>``, ``<em>`` and ``<a href>`` (canonical URL) only.
"""

from __future__ import annotations

import copy
import hashlib
import re
import unicodedata
from typing import Any

from .clock import iso_local, iso_utc
from .html_common import render_block
from .model import Link, Post, inline_text
from .sites import SITES
from .world import World

PUBLIC_HOST = {site.family: site.public_host for site in SITES}
_ESCAPE = re.compile(r"%[0-9a-fA-F]{2}")


# --- the record contract's rules, restated -------------------------------------------------


def public_url(family: str, path: str) -> str:
    """The canonical public URL of a path the replica serves on ``family``'s host."""
    return f"https://{PUBLIC_HOST[family]}{_ESCAPE.sub(lambda m: m.group(0).upper(), path)}"


def link_target(link: Link) -> str:
    """The canonical URL a body link points at (pasted spelling aside)."""
    return link.url or public_url(link.family, link.path)


def record_id(source: str, post_id: int | None, url: str) -> str:
    if post_id is not None:
        return f"{source}:{post_id}"
    return f"{source}:u{hashlib.sha256(url.encode('utf-8')).hexdigest()[:16]}"


def normal_text(text: str) -> str:
    """NFC; each line's white space runs made one space, its ends stripped; outer blank lines gone."""
    lines = unicodedata.normalize("NFC", text).splitlines()
    return "\n".join(" ".join(line.split()) for line in lines).strip("\n")


def content_hash(title: str, body_text: str) -> str:
    payload = normal_text(title) + "\n\n" + normal_text(body_text)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def group_of(own_url: str, translations: dict[str, str]) -> str | None:
    members = {own_url, *translations.values()}
    if len(members) < 2:
        return None
    digest = hashlib.sha256("\n".join(sorted(members)).encode("utf-8")).hexdigest()
    return f"tg:{digest[:16]}"


# --- records -------------------------------------------------------------------------------


def _dates(post: Post) -> tuple[str, str, str | None]:
    """(published_at, date_source, modified_at): the strongest date layer the page carries."""
    if post.template == "tdb" and post.date_layer in ("json-ld", "meta"):
        return iso_utc(post.published), post.date_layer, iso_utc(post.modified)
    if post.template == "classic" and post.date_layer == "time":
        return iso_local(post.published), "time-element", None
    return post.url_date, "url", None


def _collapse(text: str) -> str:
    return " ".join(text.split())


def record(world: World, post: Post) -> dict[str, Any]:
    site = world.site_by_source[post.source]
    url = public_url(post.family, post.path)
    published_at, date_source, modified_at = _dates(post)
    title = _collapse(post.title)
    body_text = "\n\n".join(_collapse(inline_text(b.inlines)) for b in post.blocks)
    body_html = "\n".join(render_block(b, link_target, page=False) for b in post.blocks)
    attachments = [
        {"url": link_target(node), "title": node.text}
        for block in post.blocks
        for node in block.inlines
        if isinstance(node, Link) and (node.url or node.path).lower().endswith(".pdf")
    ]
    images = []
    if post.image:
        images.append(
            {"url": public_url(post.family, post.image.path), "caption": post.image.caption}
        )
    translations: dict[str, str] = {}
    other = world.translation_of(post)
    if other is not None:
        translations[other.language] = public_url(other.family, other.path)
    return {
        "id": record_id(post.source, post.post_id, url),
        "source": post.source,
        "site": site.public_host,
        "language": post.language,
        "url": url,
        "post_id": post.post_id,
        "title": title,
        "subtitle": _collapse(post.subtitle) if post.subtitle else None,
        "published_at": published_at,
        "modified_at": modified_at,
        "date_source": date_source,
        "incident_date": post.incident_date,
        # What the news title states about the incident it was written from
        # (news_text.INCIDENT_KEYS); None for daily tolls and main-site documents.
        # Character spans are the crawler's evidence, not part of the model.
        "incident": copy.deepcopy(post.incident),
        "categories": [cat.name for cat in site.lineage(post.category)],
        "tags": [],
        "doc_type": site.category(post.category).doc_type,
        "body_text": body_text,
        "body_html": body_html,
        "attachments": attachments,
        "images": images,
        "translations": translations,
        "translation_group": group_of(url, translations),
        "discovered_by": "listing",
        "content_sha256": content_hash(title, body_text),
        "truncated": [],  # no field of a replica post exceeds its bound
    }


def truth(world: World, source: str | None = None) -> list[dict[str, Any]]:
    """Records for one site or all, oldest first within each site."""
    sources = [source] if source else [site.source for site in SITES]
    with world.lock:
        return [record(world, p) for s in sources for p in world.posts[s] if p.gone is None]
