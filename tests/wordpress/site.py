"""A small plain-theme WordPress site (``entry-content`` markup), written here by hand.

Five posts in one category, two listing pages (``a.next.page-numbers``), a
robots.txt naming ``wp-sitemap.xml``, the sitemap and the REST posts list.
The listing links one post through the old host with a tracking parameter,
one post has no ``h1`` (its title comes from ``og:title`` with the site's
name after it), one is a statement with a PDF. ``GOLD`` is what a perfect
crawl archives, written by hand from the pages below, not by the crawler.
``delete(site, post_id)`` makes a post answer 404 and leave the listing.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass

from tests.site import StaticSite

PUBLIC = "https://news.example.org"
HTML = {"Content-Type": "text/html; charset=UTF-8"}


@dataclass(frozen=True)
class Post:
    post_id: int
    slug: str
    day: str  # YYYY-MM-DD
    title: str
    category: str
    paragraphs: tuple[str, ...]
    h1: bool = True
    pdf: str = ""

    @property
    def path(self) -> str:
        return f"/{self.day.replace('-', '/')}/{self.slug}/"

    @property
    def published(self) -> str:
        return f"{self.day}T09:30:00+00:00"


POSTS = (
    Post(105, "shelling-of-the-market", "2024-05-05", "Shelling of the market in Town A",
         "News", ("Two civilians were injured.", "The market was closed.")),
    Post(104, "statement-on-detentions", "2024-05-04", "Statement on detentions",
         "Statements", ("We call for the release of all detainees.",), pdf="/wp-content/uploads/2024/05/statement.pdf"),
    Post(103, "school-damaged", "2024-05-03", "A school damaged in Town B",
         "News", ("The school was hit at night.",)),
    Post(102, "water-station", "2024-05-02", "Water station out of service",
         "News", ("Repairs have not started.",), h1=False),
    Post(101, "first-report", "2024-05-01", "First report of the month",
         "News", ("A quiet day was reported.",)),
)  # fmt: skip

#: What a perfect crawl archives per post, written from the pages above.
GOLD = {
    f"example_wp_news:{post.post_id}": {
        "url": PUBLIC + post.path,
        "post_id": post.post_id,
        "title": post.title,
        "published_at": post.published,
        "date_source": "meta",
        "categories": [post.category],
        "doc_type": "statement" if post.category == "Statements" else "news",
        # The PDF's link is a paragraph of its own on the page, and stays one.
        "body_text": "\n\n".join((*post.paragraphs, *(["The full statement"] if post.pdf else []))),
        "site": "news.example.org",
        "attachments": [{"url": PUBLIC + post.pdf, "title": "The full statement"}]
        if post.pdf
        else [],
    }
    for post in POSTS
}


def article_page(post: Post) -> bytes:
    title = html.escape(post.title)
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in post.paragraphs)
    if post.pdf:
        paragraphs += f'<p><a href="{post.pdf}">The full statement</a></p>'
    heading = f'<h1 class="entry-title">{title}</h1>' if post.h1 else ""
    return f"""<!doctype html><html lang="en-US"><head><meta charset="utf-8">
<title>{title} - Example News</title>
<link rel="canonical" href="{PUBLIC}{post.path}">
<link rel="shortlink" href="{PUBLIC}/?p={post.post_id}">
<meta property="og:title" content="{title} - Example News">
<meta property="article:published_time" content="{post.published}">
</head><body class="post-template-default single single-post postid-{post.post_id}">
<header class="site-header"><p class="site-title">Example News</p>
<nav><a href="/">Home</a> <a href="/category/news/">News</a></nav></header>
<main id="main" class="site-main"><article id="post-{post.post_id}" class="post type-post">
<header class="entry-header">{heading}
<div class="entry-meta"><time class="entry-date published" datetime="{post.published}">{post.day}</time></div>
</header>
<div class="entry-content">{paragraphs}</div>
<footer class="entry-footer"><span class="cat-links"><a href="/category/{post.category.lower()}/" rel="category tag">{post.category}</a></span></footer>
</article>
<aside class="widget-area"><h2>Recent posts</h2><a href="/2020/01/01/old/">An old post</a></aside>
</main></body></html>""".encode()


def listing_page(posts: list[Post], next_url: str | None) -> bytes:
    items = []
    for post in posts:
        href = PUBLIC + post.path
        if post.post_id == 103:  # an old link with a tracking parameter, as feeds leave them
            href = f"http://old-news.example.org{post.path.rstrip('/')}?utm_source=feed"
        items.append(
            f'<article class="post"><h2 class="entry-title"><a href="{html.escape(href)}">'
            f"{html.escape(post.title)}</a></h2>"
            f'<time class="entry-date" datetime="{post.published}">{post.day}</time></article>'
        )
    nav = f'<a class="next page-numbers" href="{next_url}">Older</a>' if next_url else ""
    return (
        f'<html><body class="archive category"><main id="main" class="site-main">{"".join(items)}'
        f'<nav class="navigation pagination">{nav}</nav></main></body></html>'
    ).encode()


def build_wp_site() -> StaticSite:
    site = StaticSite()
    site.pages["/robots.txt"] = (
        200,
        {"Content-Type": "text/plain"},
        f"User-agent: *\nDisallow: /wp-admin/\nSitemap: {PUBLIC}/wp-sitemap.xml\n".encode(),
    )
    for post in POSTS:
        site.pages[post.path] = (200, HTML, article_page(post))
    refresh(site)
    return site


def live(site: StaticSite) -> list[Post]:
    return [post for post in POSTS if site.pages.get(post.path, (404,))[0] == 200]


def refresh(site: StaticSite) -> None:
    """Listings, sitemap and REST from the posts that are live."""
    posts = live(site)
    first, rest = posts[:3], posts[3:]
    site.pages["/category/news/"] = (
        200,
        HTML,
        listing_page(first, f"{PUBLIC}/category/news/page/2/" if rest else None),
    )
    site.pages["/category/news/page/2/"] = (200, HTML, listing_page(rest, None))
    urls = "".join(
        f"<url><loc>{PUBLIC}{p.path}</loc><lastmod>{p.published}</lastmod></url>" for p in posts
    )
    site.pages["/wp-sitemap.xml"] = (
        200,
        {"Content-Type": "application/xml"},
        f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'.encode(),
    )
    rest_posts = [
        {
            "id": p.post_id,
            "link": PUBLIC + p.path,
            "date": p.published[:19],
            "date_gmt": p.published[:19],
            "modified_gmt": p.published[:19],
            "categories": [1],
        }
        for p in posts
    ]
    site.pages["/wp-json/wp/v2/posts?*"] = (
        200,
        {"Content-Type": "application/json", "X-WP-Total": str(len(posts)), "X-WP-TotalPages": "1"},
        json.dumps(rest_posts).encode(),
    )


def delete(site: StaticSite, post_id: int) -> None:
    """The post is deleted on the site: 404, and gone from listings, sitemap and REST."""
    post = next(p for p in POSTS if p.post_id == post_id)
    site.pages[post.path] = (404, HTML, b"<html><body>Not found</body></html>")
    refresh(site)
