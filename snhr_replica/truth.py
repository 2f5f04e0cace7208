"""Ground truth: the record a perfect crawler would produce for every live post.

Field names follow :class:`snhr_crawler.items.Article` (minus ``crawled_at``);
every URL is the canonical *public* URL, never the local origin.
"""

from __future__ import annotations

from typing import Any

from snhr_crawler.doc_types import doc_type_for
from snhr_crawler.items import article_id, content_sha256, translation_group
from snhr_crawler.urls import canonical_url

from .clock import iso_local, iso_utc
from .html_common import link_url, render_block
from .model import Link, Post, inline_text
from .sites import SITE_BY_SOURCE, SITES
from .world import World

PUBLIC = {site.family: site.public_origin for site in SITES}


def _dates(post: Post) -> tuple[str, str, str | None]:
    """(published_at, date_source, modified_at) by the layer precedence the parser applies."""
    if post.template == "tdb" and post.date_layer in ("json-ld", "meta"):
        return iso_utc(post.published), post.date_layer, iso_utc(post.modified)
    if post.template == "classic" and post.date_layer == "time":
        return iso_local(post.published), "time-element", None
    return post.url_date, "url", None


def _collapse(text: str) -> str:
    return " ".join(text.split())


def record(world: World, post: Post) -> dict[str, Any]:
    site = SITE_BY_SOURCE[post.source]
    url = canonical_url(PUBLIC[post.family] + post.path)
    published_at, date_source, modified_at = _dates(post)
    categories = [cat.name for cat in site.lineage(post.category)]
    title = _collapse(post.title)
    body_text = "\n\n".join(_collapse(inline_text(b.inlines)) for b in post.blocks)
    body_html = "\n".join(render_block(b, PUBLIC, page=False) for b in post.blocks)
    attachments = [
        {"url": canonical_url(link_url(node, PUBLIC)), "title": node.text}
        for block in post.blocks
        for node in block.inlines
        if isinstance(node, Link) and (node.url or node.path).lower().endswith(".pdf")
    ]
    images = []
    if post.image:
        images.append(
            {
                "url": canonical_url(PUBLIC[post.family] + post.image.path),
                "caption": post.image.caption,
            }
        )
    translations: dict[str, str] = {}
    other = world.translation_of(post)
    if other is not None:
        translations[other.language] = canonical_url(PUBLIC[other.family] + other.path)
    return {
        "id": article_id(post.source, post.post_id, url),
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
        "categories": categories,
        "tags": [],
        "doc_type": doc_type_for(site.public_host, categories),
        "body_text": body_text,
        "body_html": body_html,
        "attachments": attachments,
        "images": images,
        "translations": translations,
        "translation_group": translation_group(url, translations),
        "discovered_by": "listing",
        "content_sha256": content_sha256(title, body_text),
    }


def truth(world: World, source: str | None = None) -> list[dict[str, Any]]:
    """Records for one site or all, oldest first within each site."""
    sources = [source] if source else [site.source for site in SITES]
    with world.lock:
        return [record(world, p) for s in sources for p in world.posts[s] if p.gone is None]
