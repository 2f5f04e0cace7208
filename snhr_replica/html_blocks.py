"""Blocks whose content depends on the clock or on other posts.

"Related News" (tdb) / "RELATED ARTICLES" (classic) show the latest posts at
crawl time; they are rebuilt per day and per site version, never stored in a
page, and carry no article data (the parser must ignore them).
"""

from __future__ import annotations

from .clock import human_date, iso_local
from .html_common import attr, esc, excerpt
from .model import Post


def related_tdb(posts: list[Post], origins: dict[str, str], language: str) -> str:
    title = "أخبار ذات صلة" if language == "ar" else "Related News"
    items = "".join(module_flex(post, origins, post.path) for post in posts)
    return (
        '<div class="td_block_wrap td_flex_block_1 tdi_53 td-pb-border-top td_block_template_2 td_flex_block" '
        f'data-td-block-uid="tdi_53"><div class="td-block-title-wrap"><h4 class="td-block-title"><span>{title}</span>'
        f'</h4></div><div id="tdi_53" class="td_block_inner td-mc1-wrap">{items}</div></div>'
    )


def module_flex(
    post: Post, origins: dict[str, str], href_path: str, href: str | None = None
) -> str:
    """One ``td_module_flex`` item (Related News and listing loops share it)."""
    url = href or origins[post.family] + href_path
    return (
        '<div class="td_module_flex td_module_flex_1 td_module_wrap td-animation-stack td-cpt-post">'
        '<div class="td-module-container td-category-pos-"><div class="td-module-meta-info">'
        f'<h3 class="entry-title td-module-title"><a href="{attr(url)}" rel="bookmark" title="{attr(post.title)}">'
        f"{esc(post.title)}</a></h3>"
        '<div class="td-editor-date"><span class="td-author-date"><span class="td-post-date">'
        f'<time class="entry-date updated td-module-date" datetime="{iso_local(post.published)}">'
        f"{esc(human_date(post.published, post.language))}</time></span></span></div>"
        f'<div class="td-excerpt">{esc(excerpt(post.plain_text()))}</div></div></div></div>\n'
    )


def related_classic(posts: list[Post], origins: dict[str, str]) -> str:
    items = "".join(
        '<div class="td-related-span4"><div class="td_module_related_posts td-animation-stack td_mod_related_posts">'
        f'<div class="item-details"><h3 class="entry-title td-module-title"><a href="{attr(origins[p.family] + p.path)}" '
        f'rel="bookmark" title="{attr(p.title)}">{esc(p.title)}</a></h3></div></div></div>'
        for p in posts
    )
    return (
        '<div class="td_block_wrap td_block_related_posts tdi_2_1b1 td_with_ajax_pagination td-pb-border-top '
        'td_block_template_1" data-td-block-uid="tdi_2_1b1"><h4 class="td-related-title td-block-title">'
        '<a id="tdi_3_1b1" class="td-related-left td-cur-simple-item" href="#">RELATED ARTICLES</a></h4>'
        f'<div id="tdi_2_1b1" class="td_block_inner"><div class="td-related-row">{items}</div></div></div>'
    )


def latest_sidebar(posts: list[Post], origins: dict[str, str], language: str) -> str:
    """The listing pages' "Latest News" sidebar: outside ``.tdb_loop`` on purpose."""
    title = "آخر الأخبار" if language == "ar" else "Latest News"
    items = "".join(
        f'<li><a href="{attr(origins[p.family] + p.path)}">{esc(p.title)}</a></li>' for p in posts
    )
    return (
        '<div class="td_block_wrap td_block_7 tdi_90 td-pb-border-top td_block_template_1">'
        f'<div class="td-block-title-wrap"><h4 class="td-block-title"><span>{title}</span></h4></div>'
        f'<ul class="td-latest-list">{items}</ul></div>'
    )
