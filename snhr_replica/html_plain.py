"""Pages in a plain WordPress theme (the Underscores starter markup most themes grow from).

Single posts: ``article#post-N.post`` › ``header.entry-header h1.entry-title`` and
``.entry-meta time.entry-date.published`` › ``div.entry-content`` › ``footer.entry-footer
.cat-links a[rel~=tag]``, with Yoast breadcrumbs above. Listings: ``article.post``
items with ``h2.entry-title a`` and core's ``the_posts_pagination()`` (``nav.pagination
.nav-links``, ``a.page-numbers``, ``span.current``, ``a.next.page-numbers``). The head
(meta tags, Yoast JSON-LD, shortlink) is the same as the tagDiv pages': it comes from
WordPress and the SEO plugin, not from the theme. The sidebar's "Recent Posts" widget
is the clock-dependent slot.
"""

from __future__ import annotations

from .clock import human_date, iso_local
from .furniture import NONE, Furniture
from .html_article import (
    article_head,
    available_group,
    available_in,
    block_figure,
    body_blocks,
    crumbs,
    permalink,
)
from .html_common import RELATED_SLOT, SITE_NAME, attr, esc
from .html_furniture import furnish, headline
from .html_shell import DEFAULT_CHROME, Chrome, head_common, menu_items
from .model import Post
from .sites import SiteSpec

_WORDS = {
    "en": {"posted": "Posted on", "in": "Posted in", "by": "by", "category": "Category:",
           "previous": "Previous", "next": "Next", "page": "Page", "recent": "Recent Posts",
           "not_found": "Oops! That page can&rsquo;t be found.", "skip": "Skip to content",
           "nothing": "Nothing Found"},
    "ar": {"posted": "نُشر في", "in": "نُشرت في", "by": "بواسطة", "category": "التصنيف:",
           "previous": "السابق", "next": "التالي", "page": "صفحة", "recent": "أحدث المقالات",
           "not_found": "عذراً! لا يمكن العثور على هذه الصفحة.", "skip": "تخطي إلى المحتوى",
           "nothing": "لم يتم العثور على شيء"},
}  # fmt: skip


def _body_open(site: SiteSpec, classes: str) -> str:
    rtl = " rtl" if site.language == "ar" else ""
    return f'<body class="{classes}{rtl}">\n<div id="page" class="site">'


def _masthead(site: SiteSpec, origin: str, menu_mode: str) -> str:
    words = _WORDS[site.language]
    items = "".join(
        _menu_item(name, href, children)
        for name, href, children in menu_items(site, origin, menu_mode)
    )
    return (
        f'<a class="skip-link screen-reader-text" href="#primary">{esc(words["skip"])}</a>\n'
        '<header id="masthead" class="site-header"><div class="site-branding">'
        f'<p class="site-title"><a href="{origin}{site.root}" rel="home">{esc(SITE_NAME[site.language])}</a></p>'
        '<p class="site-description">No Justice without Accountability</p></div>'
        '<nav id="site-navigation" class="main-navigation"><button class="menu-toggle" '
        'aria-controls="primary-menu" aria-expanded="false">Menu</button>'
        f'<div class="menu-main-container"><ul id="primary-menu" class="menu">{items}</ul></div></nav></header>'
    )


def _menu_item(name: str, href: str, children: list[tuple[str, str]]) -> str:
    """``wp_nav_menu()``'s markup: parents carry ``menu-item-has-children`` and a ``sub-menu``."""
    if not children:
        return f'<li class="menu-item menu-item-type-taxonomy"><a href="{attr(href)}">{esc(name)}</a></li>'
    subs = "".join(
        f'<li class="menu-item menu-item-type-taxonomy"><a href="{attr(child_href)}">{esc(child)}</a></li>'
        for child, child_href in children
    )
    return (
        '<li class="menu-item menu-item-type-taxonomy menu-item-has-children">'
        f'<a href="{attr(href)}">{esc(name)}</a><ul class="sub-menu">{subs}</ul></li>'
    )


def _colophon(site: SiteSpec, chrome: Chrome) -> str:
    rights = "جميع الحقوق محفوظة" if site.language == "ar" else "All rights reserved."
    return (
        f'<footer id="colophon" class="site-footer">{chrome.footer}<div class="site-info">'
        f"Copyright © SNHR. {rights}</div></footer>\n</div>\n</body>\n</html>\n"
    )


def _breadcrumbs(site: SiteSpec, post: Post, origin: str) -> str:
    """Yoast SEO's breadcrumbs (``yoast_breadcrumb()`` in the theme's template)."""
    trail = "".join(
        f'<span><a href="{attr(href)}">{esc(name)}</a></span> » '
        for name, href in crumbs(site, post, origin)
    )
    return (
        f'<p id="breadcrumbs"><span>{trail}<span class="breadcrumb_last" aria-current="page">'
        f"{esc(post.title)}</span></span></p>"
    )


def _posted_on(post: Post, href: str) -> str:
    """``entry-meta``: the date (only when the page carries one) and the byline."""
    words = _WORDS[post.language]
    parts = []
    if post.date_layer != "none":
        shown = esc(human_date(post.published, post.language))
        parts.append(
            f'<span class="posted-on">{esc(words["posted"])} <a href="{attr(href)}" rel="bookmark">'
            f'<time class="entry-date published updated" datetime="{iso_local(post.published)}">'
            f"{shown}</time></a></span>"
        )
    parts.append(
        f'<span class="byline"> {esc(words["by"])} <span class="author vcard">'
        '<a class="url fn n" href="#">SNHR</a></span></span>'
    )
    return f'<div class="entry-meta">{"".join(parts)}</div>'


def render_plain_article(
    site: SiteSpec,
    post: Post,
    other: Post | None,
    origins: dict[str, str],
    chrome: Chrome = DEFAULT_CHROME,
    furniture: Furniture = NONE,
) -> str:
    """A single post in the plain theme, with the related slot in the sidebar."""
    origin = origins[post.family]
    url = permalink(post, origins)
    words = _WORDS[post.language]
    subtitle = (
        f'<p class="entry-subtitle wp-subtitle">{esc(post.subtitle)}</p>' if post.subtitle else ""
    )
    label, links = available_in(post, other, origins)
    inside = available_group(label, links) if label and post.family == "main" else ""
    after = ""
    if label and post.family == "news":  # the news site's switch, after the content
        after = (
            f'<div class="snhr-available-in"><span class="snhr-available-in-label">{esc(label)}</span> '
            f"{links}</div>"
        )
    content = furnish(
        body_blocks(post, origins),
        block_figure(post, origin) + "\n" + inside,
        furniture,
        post,
        url,
        origins,
    )
    lineage = site.lineage(post.category)
    cat_links = ", ".join(
        f'<a href="{attr(href)}" rel="category tag">{esc(name)}</a>'
        for name, href in crumbs(site, post, origin)[1:]
    )
    classes = " ".join(f"category-{cat.path.split('/')[-1]}" for cat in lineage)
    return f"""{article_head(site, post, origins, "-", theme="plain")}
{_body_open(site, f"post-template-default single single-post postid-{post.post_id} single-format-standard")}
{_masthead(site, origin, chrome.menu)}
<main id="primary" class="site-main">
{_breadcrumbs(site, post, origin)}
<article id="post-{post.post_id}" class="post-{post.post_id} post type-post status-publish format-standard{" has-post-thumbnail" if post.image else ""} hentry {classes}">
<header class="entry-header"><h1 class="entry-title">{headline(post.title, furniture.em)}</h1>{subtitle}
{_posted_on(post, url)}</header>
<div class="entry-content">
{content}
</div>
{after}
<footer class="entry-footer"><span class="cat-links">{esc(words["in"])} {cat_links}</span></footer>
</article>
</main>
<aside id="secondary" class="widget-area">
{RELATED_SLOT}
</aside>
{_colophon(site, chrome)}"""


def recent_posts(posts: list[Post], origins: dict[str, str], language: str) -> str:
    """Core's "Recent Posts" widget."""
    title = _WORDS[language]["recent"]
    items = "".join(
        f'<li><a href="{attr(origins[p.family] + p.path)}">{esc(p.title)}</a></li>' for p in posts
    )
    return (
        f'<section id="recent-posts-2" class="widget widget_recent_entries"><h2 class="widget-title">{esc(title)}'
        f'</h2><nav aria-label="{attr(title)}"><ul>{items}</ul></nav></section>'
    )


def posts_pagination(base_url: str, current: int, last: int, language: str) -> str:
    """``the_posts_pagination()``: ``paginate_links()`` with end_size 1 and mid_size 2."""
    if last <= 1:
        return ""
    words = _WORDS[language]

    def url(n: int) -> str:
        return base_url if n == 1 else f"{base_url}page/{n}/"

    shown = sorted({1, last, *range(max(1, current - 2), min(last, current + 2) + 1)})
    parts = []
    if current > 1:
        parts.append(
            f'<a class="prev page-numbers" href="{url(current - 1)}">{esc(words["previous"])}</a>'
        )
    previous = 0
    for n in shown:
        if n - previous > 1:
            parts.append('<span class="page-numbers dots">&hellip;</span>')
        if n == current:
            parts.append(
                f'<span aria-current="page" class="page-numbers current">'
                f'<span class="meta-nav screen-reader-text">{esc(words["page"])} </span>{n}</span>'
            )
        else:
            parts.append(
                f'<a class="page-numbers" href="{url(n)}"><span class="meta-nav screen-reader-text">'
                f"{esc(words['page'])} </span>{n}</a>"
            )
        previous = n
    if current < last:
        parts.append(
            f'<a class="next page-numbers" href="{url(current + 1)}">{esc(words["next"])}</a>'
        )
    return (
        '<nav class="navigation pagination" aria-label="Posts">'
        '<h2 class="screen-reader-text">Posts navigation</h2>'
        f'<div class="nav-links">{"".join(parts)}</div></nav>'
    )


def _excerpt(post: Post, words: int = 55) -> str:
    """``the_excerpt()``: the first 55 words, then " [&hellip;]" when there are more."""
    parts = post.plain_text().split()
    return esc(" ".join(parts[:words])) + (" [&hellip;]" if len(parts) > words else "")


def _summary(post: Post, href: str) -> str:
    """One listing item: ``article.post`` with ``h2.entry-title a`` and an excerpt."""
    when = (
        f'<div class="entry-meta"><span class="posted-on"><a href="{attr(href)}" rel="bookmark">'
        f'<time class="entry-date published" datetime="{iso_local(post.published)}">'
        f"{esc(human_date(post.published, post.language))}</time></a></span></div>"
    )
    return (
        f'<article id="post-{post.post_id}" class="post-{post.post_id} post type-post status-publish '
        f'format-standard hentry">\n<header class="entry-header"><h2 class="entry-title">'
        f'<a href="{attr(href)}" rel="bookmark">{esc(post.title)}</a></h2>{when}</header>\n'
        f'<div class="entry-summary"><p>{_excerpt(post)}</p></div>\n'
        "</article>\n"
    )


def render_plain_listing(
    *,
    site: SiteSpec,
    heading: str | None,
    items: list[tuple[Post, str]],
    page: int,
    last: int,
    base_url: str,
    origins: dict[str, str],
    latest: list[Post],
    chrome: Chrome,
    body_class: str,
) -> str:
    """A category archive (``heading`` set) or the blog home (``heading`` None)."""
    origin = origins[site.family]
    words = _WORDS[site.language]
    title = heading or SITE_NAME[site.language]
    canonical = base_url if page == 1 else f"{base_url}page/{page}/"
    page_header = (
        f'<header class="page-header"><h1 class="page-title">{esc(words["category"])} '
        f"<span>{esc(heading)}</span></h1></header>\n"
        if heading
        else ""
    )
    loop = "".join(_summary(post, href) for post, href in items) or (
        '<section class="no-results not-found"><header class="page-header">'
        f'<h1 class="page-title">{esc(words["nothing"])}</h1></header></section>\n'
    )
    return f"""{head_common(site, origin, f"{title} - {SITE_NAME[site.language]}", "plain")}
<link rel="canonical" href="{canonical}" />
</head>
{_body_open(site, body_class)}
{_masthead(site, origin, chrome.menu)}
<main id="primary" class="site-main">
{page_header}{loop}{posts_pagination(base_url, page, last, site.language)}
</main>
<aside id="secondary" class="widget-area">
{recent_posts(latest, origins, site.language)}
</aside>
{_colophon(site, chrome)}"""


def render_plain_not_found(site: SiteSpec, origin: str, chrome: Chrome) -> str:
    words = _WORDS[site.language]
    return f"""{head_common(site, origin, f"Page not found - {SITE_NAME[site.language]}", "plain")}
</head>
{_body_open(site, "error404")}
{_masthead(site, origin, chrome.menu)}
<main id="primary" class="site-main"><section class="error-404 not-found">
<header class="page-header"><h1 class="page-title">{words["not_found"]}</h1></header>
<div class="page-content"><p>It looks like nothing was found at this location.</p></div>
</section></main>
{_colophon(site, chrome)}"""
