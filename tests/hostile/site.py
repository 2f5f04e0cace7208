"""The honest site every scenario starts from: tagDiv listing and article pages of ``hostile_news``.

``honest_site(posts)`` serves robots.txt, the category listing (``PER_PAGE``
posts a page, ``a.last`` and a next link like the theme's) and one article
page per post; a scenario then replaces or adds the routes it attacks with.
Pages are written here from ``Post`` values, so what a perfect crawl archives
(``Post.key``, ``Post.public``) is known without the crawler.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, replace

from tests.hostile.server import HTML, Answer, HostileSite

PUBLIC = "https://news.hostile.test"
SOURCE = "hostile_news"
LISTING = "/category/news/"
PER_PAGE = 5


@dataclass(frozen=True)
class Post:
    post_id: int
    day: str = "2024-05-01"
    slug: str = ""
    title: str = ""
    paragraphs: tuple[str, ...] = ("Two civilians were injured in the shelling.",)

    def __post_init__(self) -> None:
        if not self.slug:
            object.__setattr__(self, "slug", f"post-number-{self.post_id}")
        if not self.title:
            object.__setattr__(self, "title", f"Post number {self.post_id} of the hostile site")

    @property
    def path(self) -> str:
        return f"/{self.day.replace('-', '/')}/{self.slug}/"

    @property
    def public(self) -> str:
        return PUBLIC + self.path

    @property
    def key(self) -> str:
        return f"{SOURCE}:{self.post_id}"

    @property
    def published(self) -> str:
        return f"{self.day}T09:30:00+00:00"


def posts(count: int, first_id: int = 101) -> list[Post]:
    """``count`` posts, newest (highest id, latest day) first, one day apart in May 2024."""
    made = [Post(first_id + n, day=f"2024-05-{1 + n % 28:02d}") for n in range(count)]
    return sorted(made, key=lambda post: (post.day, post.post_id), reverse=True)


def article_page(
    post: Post,
    *,
    canonical: str | None = "",
    shortlink: str | None = "",
    body_class_id: int | str | None = "",
    head: str = "",
    body: str | None = None,
    title: str | None = None,
    head_title: str | None = None,
) -> bytes:
    """A tagDiv ``tdb_*`` article page; each keyword replaces one part (None leaves it out)."""
    canonical = post.public if canonical == "" else canonical
    shortlink = f"{PUBLIC}/?p={post.post_id}" if shortlink == "" else shortlink
    body_id = post.post_id if body_class_id == "" else body_class_id
    links = ""
    if canonical is not None:
        links += f'<link rel="canonical" href="{html.escape(canonical)}">'
    if shortlink is not None:
        links += f'<link rel="shortlink" href="{html.escape(shortlink)}">'
    shown = html.escape(post.title if title is None else title)
    content = "".join(f"<p>{html.escape(p)}</p>" for p in post.paragraphs) if body is None else body
    body_class = f"single single-post postid-{body_id}" if body_id is not None else "single"
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(head_title) if head_title else shown} - Hostile News</title>{links}"
        f'<meta property="article:published_time" content="{post.published}">{head}</head>'
        f'<body class="{body_class}"><div class="tdb_title"><h1 class="tdb-title-text">{shown}</h1>'
        f'</div><div class="tdb_single_content"><div class="tdb-block-inner">{content}</div></div>'
        f"</body></html>"
    ).encode()


def listing_page(
    hrefs: list[str], *, page: int, last: int | None, next_href: str | None = None
) -> bytes:
    """A ``tdb_loop`` listing page with tagDiv's pagination (``a.last``, the next link)."""
    modules = "".join(
        f'<div class="td_module_flex td_module_wrap"><h3 class="entry-title td-module-title">'
        f'<a href="{html.escape(href)}">Post {n}</a></h3></div>'
        for n, href in enumerate(hrefs)
    )
    nav = f'<span class="current">{page}</span>'
    if last is not None:
        nav += f'<a href="{LISTING}page/{last}/" class="last" title="{last}">{last}</a>'
    if next_href:
        nav += f'<a href="{html.escape(next_href)}" aria-label="next-page">next</a>'
    return (
        '<html><head><meta charset="utf-8"></head><body class="archive category">'
        f'<div class="tdb_loop">{modules}<div class="page-nav">{nav}</div></div></body></html>'
    ).encode()


def listing_path(page: int) -> str:
    return LISTING if page == 1 else f"{LISTING}page/{page}/"


def honest_site(all_posts: list[Post], per_page: int = PER_PAGE) -> HostileSite:
    """robots.txt, the paged listing and every article page, answering honestly."""
    site = HostileSite()
    site.routes["/robots.txt"] = Answer(
        200, b"User-agent: *\nDisallow: /wp-admin/\n", {"Content-Type": "text/plain"}
    )
    pages = [all_posts[i : i + per_page] for i in range(0, len(all_posts), per_page)] or [[]]
    for number, chunk in enumerate(pages, start=1):
        last = len(pages)
        site.routes[listing_path(number)] = Answer(
            body=listing_page(
                [post.public for post in chunk],
                page=number,
                last=last,
                next_href=PUBLIC + listing_path(number + 1) if number < last else None,
            )
        )
    for post in all_posts:
        site.routes[post.path] = Answer(body=article_page(post))
    return site


def page(body: bytes, status: int = 200, **headers: str) -> Answer:
    return Answer(status, body, {**HTML, **headers})


__all__ = [
    "LISTING",
    "PUBLIC",
    "SOURCE",
    "Post",
    "article_page",
    "honest_site",
    "listing_page",
    "listing_path",
    "page",
    "posts",
    "replace",
]
