"""Sitemaps in two styles: Yoast (``sitemap_index.xml``) and WordPress core (``wp-sitemap.xml``).

Only the style chosen by the ``sitemap`` switch answers; the other 404s, so
crawler discovery fallbacks get exercised.
"""

from __future__ import annotations

from xml.sax.saxutils import escape as xml_escape

from .clock import iso_utc
from .model import Post
from .sites import SiteSpec

_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'


def index_paths(site: SiteSpec, style: str, total: int, size: int) -> list[str]:
    """Child sitemap paths for ``style``."""
    pages = max(1, -(-total // size))
    if style == "yoast":
        posts = [f"{site.root}post-sitemap{'' if n == 1 else n}.xml" for n in range(1, pages + 1)]
        return [*posts, f"{site.root}category-sitemap.xml"]
    return [f"{site.root}wp-sitemap-posts-post-{n}.xml" for n in range(1, pages + 1)] + [
        f"{site.root}wp-sitemap-taxonomies-category-1.xml"
    ]


def render_index(origin: str, paths: list[str], lastmods: list[str], style: str) -> str:
    entries = "".join(
        f"<sitemap><loc>{xml_escape(origin + path)}</loc>"
        + (f"<lastmod>{mod}</lastmod>" if mod and style == "yoast" else "")
        + "</sitemap>\n"
        for path, mod in zip(paths, lastmods, strict=True)
    )
    return f'{_HEAD}<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{entries}</sitemapindex>\n'


def render_urlset(origin: str, posts: list[Post]) -> str:
    entries = "".join(
        f"<url><loc>{xml_escape(origin + p.path)}</loc><lastmod>{iso_utc(p.modified)}</lastmod></url>\n"
        for p in posts
    )
    return (
        f'{_HEAD}<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{entries}</urlset>\n'
    )


def render_category_urlset(site: SiteSpec, origin: str) -> str:
    entries = "".join(
        f"<url><loc>{xml_escape(f'{origin}{site.category_base}{cat.path}/')}</loc></url>\n"
        for cat in site.categories
    )
    return (
        f'{_HEAD}<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{entries}</urlset>\n'
    )
