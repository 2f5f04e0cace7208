"""Small article pages for the extraction tests, written here after what themes and plugins emit.

Each builder returns a whole page: the theme's shell (tagDiv classic, tagDiv
Cloud Library, or a plain WordPress theme) around the content given, so a
test states only the part it is about.
"""

from __future__ import annotations

from parsel import Selector

from snhr_crawler.extract import Extracted, TagDivArticleParser
from snhr_crawler.urls import Origin

SITE = "https://www.example-news.org"
URL = f"{SITE}/2023/11/02/a-post/"
TITLE = "Flood warnings issued across the region"

#: Prose the editor wrote; every furniture test puts furniture around it.
FIRST = "Heavy rain has caused rivers to burst their banks in three districts."
SECOND = "Officials said the water would recede by Sunday, and schools stay open."
PROSE = f"<p>{FIRST}</p>\n<p>{SECOND}</p>"

#: The site's chrome every page has: a header with a "today" widget, a sidebar with
#: other posts and their dates, a related block after the content.
HEADER = (
    '<div class="td-header-wrap"><div class="td_data_time">Friday, 3 November 2023</div>'
    '<div class="td-header-menu-wrap"><ul class="menu"><li><a href="/">Home</a></li></ul></div></div>'
)
SIDEBAR = (
    '<aside class="td-pb-span4 td-main-sidebar"><div class="td_block_wrap">'
    '<div class="td_module_wrap"><h3 class="entry-title td-module-title"><a href="/old/">An older post</a></h3>'
    '<time class="entry-date" datetime="2021-01-01T10:00:00+00:00">1 January 2021</time></div></div></aside>'
)


def classic_page(content: str, *, head: str = "", header: str = "", lang: str = "en-US") -> str:
    """The tagDiv classic theme: the post header above ``div.td-post-content``."""
    header = header or (
        f'<div class="td-post-header"><header class="td-post-title"><h1 class="entry-title">{TITLE}</h1>'
        '<div class="td-module-meta-info"><span class="td-post-date">'
        '<time class="entry-date updated td-module-date" datetime="2023-11-02T09:30:00+01:00">'
        "2 November 2023</time></span></div></header></div>"
    )
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">{head}</head>'
        f'<body class="post-template-default single postid-77">{HEADER}'
        '<div class="td-main-content-wrap"><div class="td-pb-span8 td-main-content">'
        f'<article id="post-77" class="post-77 post type-post">{header}'
        f'<div class="td-post-content tagdiv-type">{content}</div></article></div>'
        f"{SIDEBAR}</div></body></html>"
    )


def wordpress_page(
    content: str,
    *,
    container: str = '<div class="entry-content">{}</div>',
    head: str = "",
    heading: str = f'<h1 class="entry-title">{TITLE}</h1>',
    lang: str = "en-US",
) -> str:
    """Another WordPress theme: a plain article with an entry header and a content container."""
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">{head}</head>'
        f'<body class="single single-post"><header class="site-header"><p class="site-title">'
        f'<a href="/">Example News</a></p></header><main id="main" class="site-main">'
        f'<article class="post type-post"><header class="entry-header">{heading}</header>'
        f"{container.format(content)}</article></main>{SIDEBAR}"
        '<footer class="site-footer"><p>Example News is a local news site. All rights reserved.</p></footer>'
        "</body></html>"
    )


def parse(page: str, url: str = URL, language: str = "en", **options: object) -> Extracted:
    parser = TagDivArticleParser(Origin(public=SITE).to_public, language, **options)  # type: ignore[arg-type]
    return parser.parse(Selector(text=page), url)
