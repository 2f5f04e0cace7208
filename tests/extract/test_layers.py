"""Titles, body containers and dates on themes other than the replica's, layer by layer.

Pages are written here (tests/extract/pages.py); expected values are the
text the markup shows, not what the parser happens to return.
"""

from __future__ import annotations

import pytest
from scrapy.http import HtmlResponse, Request

from snhr_crawler.base_spiders import TagDivSpider
from snhr_crawler.extract.titles import strip_site_suffix
from snhr_crawler.items import Article
from tests.extract.pages import (
    FIRST,
    PROSE,
    SECOND,
    SITE,
    TITLE,
    URL,
    classic_page,
    parse,
    wordpress_page,
)
from tests.helpers import make_spider

EXPECTED = f"{FIRST}\n\n{SECOND}"


# --- titles ---------------------------------------------------------------------------------
def test_title_keeps_words_inside_inline_children() -> None:
    header = (
        '<div class="td-post-header"><header class="td-post-title"><h1 class="entry-title">'
        "Storm <b>Ciarán</b>: <em>hurricane-force</em> winds <a href='/t/'>bash</a> the coast</h1>"
        "</header></div>"
    )
    out = parse(classic_page(PROSE, header=header))
    assert out.fields["title"] == "Storm Ciarán: hurricane-force winds bash the coast"
    assert out.layers["title"] == "site:classic"


def test_tdb_title_keeps_words_inside_inline_children() -> None:
    page = (
        '<html><body><article><div class="td_block_wrap tdb_title tdb-single-title"><div class="tdb-block-inner">'
        '<h1 class="tdb-title-text">Two <strong>drug dealers</strong> jailed</h1></div></div>'
        f'<div class="td_block_wrap tdb_single_content"><div class="tdb-block-inner">{PROSE}</div></div>'
        "</article></body></html>"
    )
    out = parse(page)
    assert out.fields["title"] == "Two drug dealers jailed"
    assert out.layers["title"] == "site:tdb"
    assert out.fields["body_text"] == EXPECTED
    assert out.layers["body_text"] == "site:tdb"


@pytest.mark.parametrize(
    "heading",
    [
        f"<h1>{TITLE}</h1>",  # a bare h1 in the article
        f'<h1 class="post__title">  {TITLE}  </h1>',
        f'<h1 class="jeg_post_title">{TITLE}</h1>',
    ],
)
def test_other_themes_headline_comes_from_their_h1(heading: str) -> None:
    head = f'<meta property="og:title" content="{TITLE} - Example News">'
    out = parse(wordpress_page(PROSE, heading=heading, head=head))
    assert out.fields["title"] == TITLE
    assert out.layers["title"] == "heading"


@pytest.mark.parametrize(
    ("og_title", "head", "expected"),
    [
        (f"{TITLE} - Example News", '<meta property="og:site_name" content="Example News">', TITLE),
        (f"{TITLE} | Example News", '<meta property="og:site_name" content="Example News">', TITLE),
        (f"{TITLE} – Example News", '<meta property="og:site_name" content="Example News">', TITLE),
        # og:site_name may itself contain a separator.
        (f"{TITLE} - Coin Blog | Crypto News", '<meta property="og:site_name" content="Coin Blog | Crypto News">', TITLE),
        # No og:site_name: the suffix names the host (example-news.org).
        (f"{TITLE} - Example-News.org", "", TITLE),
        (f"{TITLE} | Example News", "", TITLE),
        # A dash inside the headline is not a suffix.
        ("Rivers burst – more rain expected tonight", '<meta property="og:site_name" content="Example News">',
         "Rivers burst – more rain expected tonight"),
    ],
)  # fmt: skip
def test_og_title_loses_a_site_suffix_only(og_title: str, head: str, expected: str) -> None:
    page = wordpress_page(
        PROSE, heading="", head=f'<meta property="og:title" content="{og_title}">{head}'
    )
    out = parse(page)
    assert out.fields["title"] == expected
    assert out.layers["title"] == "meta"


def test_title_tag_is_the_last_title_layer() -> None:
    page = wordpress_page(PROSE, heading="", head=f"<title>{TITLE} | Example News</title>")
    out = parse(page)
    assert out.fields["title"] == TITLE
    assert out.layers["title"] == "title-tag"


def test_known_site_names_are_a_parameter() -> None:
    page = wordpress_page(
        PROSE, heading="", head=f'<meta property="og:title" content="{TITLE} · The Daily">'
    )
    assert parse(page).fields["title"] == f"{TITLE} · The Daily"
    assert parse(page, site_names=["The Daily"]).fields["title"] == TITLE


def test_snhr_suffixes_are_known_by_default() -> None:
    assert (
        strip_site_suffix(
            "Killing - Syrian Network for Human Rights", ["Syrian Network for Human Rights"]
        )
        == "Killing"
    )
    assert (
        strip_site_suffix("مقتل | الشبكة السورية لحقوق الإنسان", ["الشبكة السورية لحقوق الإنسان"])
        == "مقتل"
    )


# --- body containers ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("container", "layer"),
    [
        ('<section class="entry-content cf">{}</section>', "site:content"),
        ('<div class="entry">{}</div>', "wordpress"),
        ('<div class="post-content">{}</div>', "wordpress"),
        ('<div class="article-body">{}</div>', "wordpress"),
        ('<div itemprop="articleBody">{}</div>', "wordpress"),
        (
            '<div class="elementor-element elementor-widget elementor-widget-theme-post-content">'
            '<div class="elementor-widget-container">{}</div></div>',
            "wordpress",
        ),
    ],
)
def test_common_wordpress_containers(container: str, layer: str) -> None:
    out = parse(wordpress_page(PROSE, container=container))
    assert out.fields["body_text"] == EXPECTED
    assert out.layers["body_text"] == layer


def test_generic_layer_finds_the_prose_without_a_known_container() -> None:
    content = '<div class="story-wrap"><div class="txt">{}</div></div>'
    prose = "".join(f"<p>{FIRST} Paragraph {n} goes on with more words.</p>" for n in range(4))
    out = parse(wordpress_page(prose, container=content))
    assert out.layers["body_text"] == "generic"
    assert out.fields["body_text"].startswith(f"{FIRST} Paragraph 0")
    assert out.fields["body_text"].endswith("Paragraph 3 goes on with more words.")
    assert "older post" not in out.fields["body_text"]  # the sidebar
    assert "rights reserved" not in out.fields["body_text"]  # the footer


def test_a_container_with_too_little_falls_through_to_the_generic_layer() -> None:
    # entry-content holds only an image caption; the prose sits beside it.
    content = '<div class="entry-content"><p>Photo: J. Doe</p></div><div class="txt">{}</div>'
    prose = "".join(f"<p>{FIRST} Paragraph {n} goes on with more words.</p>" for n in range(4))
    out = parse(wordpress_page(prose, container=content))
    assert out.layers["body_text"] == "generic"
    assert out.fields["body_text"].startswith(f"{FIRST} Paragraph 0")


def test_a_page_with_no_prose_has_no_body() -> None:
    out = parse("<html><body><div><a href='/'>Home</a></div></body></html>")
    assert out.fields["body_text"] == ""
    assert out.layers["body_text"] == "none"


# --- dates ------------------------------------------------------------------------------------
def _dated(header_time: str, lang: str = "en-US") -> str:
    header = f'<header class="entry-header"><h1 class="entry-title">{TITLE}</h1><div class="entry-meta">{header_time}</div></header>'
    return (
        f'<html lang="{lang}"><body><div class="td-header-wrap"><div class="td_data_time">'
        "<time>Friday, 3 November 2023</time></div></div>"
        f'<article>{header}<div class="entry-content">{PROSE}</div>'
        '<div class="related-posts"><time class="entry-date published" datetime="2022-02-02T10:00:00+00:00">'
        "2 February 2022</time></div></article>"
        '<aside class="widget-area"><time datetime="2021-01-01T10:00:00+00:00">1 January 2021</time></aside>'
        "</body></html>"
    )


@pytest.mark.parametrize(
    ("markup", "lang", "expected"),
    [
        ('<time class="entry-date published" datetime="2023-11-01T14:31:16-05:00">November 1, 2023</time>'
         '<time class="updated" datetime="2023-11-01T15:13:45-05:00">November 1, 2023</time>',
         "en-US", "2023-11-01T14:31:16-05:00"),
        # The update time comes first, but is marked as such.
        ('<time itemprop="dateModified" datetime="2023-11-05T09:00:00+00:00">Nov 5</time>'
         '<time itemprop="datePublished" datetime="2023-11-01T08:00:00+00:00"></time>',
         "en-US", "2023-11-01T08:00:00+00:00"),
        # No datetime: the text, read in the page's language.
        ('<time class="entry-date">23 Març 2020</time>', "ca", "2020-03-23"),
        ('<time class="entry-date">7. November 2023</time>', "de-DE", "2023-11-07"),
        ('<span class="posted-on"><time>mercredi 4 novembre 2020</time></span>', "fr-FR", "2020-11-04"),
        # A theme's date span instead of <time>.
        ('<span class="tie-date">November 9, 2020</span>', "en-US", "2020-11-09"),
        ('<div class="jeg_meta_date"><a href="/x/">21/04/2022</a></div>', "es", "2022-04-21"),
        # A page language dateparser does not know: the spider's language reads it.
        ('<time class="entry-date">November 9, 2020</time>', "pap", "2020-11-09"),
    ],
)  # fmt: skip
def test_the_posts_own_date_element(markup: str, lang: str, expected: str) -> None:
    out = parse(_dated(markup, lang), url=f"{SITE}/a-post/")
    assert out.fields["published_at"] == expected
    assert out.layers["published_at"] == "time-element"


def test_header_widget_sidebar_and_related_dates_are_never_taken() -> None:
    out = parse(_dated(""), url=f"{SITE}/a-post/")
    assert out.fields["published_at"] is None
    assert out.layers["published_at"] == "none"


def test_date_in_the_article_outside_its_header() -> None:
    page = _dated("").replace(
        f'<div class="entry-content">{PROSE}</div>',
        f'<div class="entry-content">{PROSE}</div><p class="post-footer-date">'
        '<time datetime="2023-10-10T23:25:44+00:00">October 10, 2023</time></p>',
    )
    assert parse(page, url=f"{SITE}/a-post/").fields["published_at"] == "2023-10-10T23:25:44+00:00"


def test_microdata_date_outranks_the_visible_one() -> None:
    page = _dated('<meta itemprop="datePublished" content="2021-12-25T13:46:00-04:00">'
                  '<time datetime="2021-12-26T00:00:00+00:00">December 26, 2021</time>')  # fmt: skip
    out = parse(page, url=f"{SITE}/a-post/")
    assert out.fields["published_at"] == "2021-12-25T13:46:00-04:00"
    assert out.layers["published_at"] == "meta"


# --- through the spider: every layer is counted -------------------------------------------------
class ExampleSpider(TagDivSpider):
    name = "example_news"
    allowed_domains = ["www.example-news.org"]
    public_origin = SITE
    language = "en"


@pytest.mark.parametrize(
    ("page", "layer"),
    [
        (classic_page(PROSE), "site:classic"),
        (wordpress_page(PROSE, container='<div class="entry">{}</div>'), "wordpress"),
        (
            wordpress_page(
                "".join(f"<p>{FIRST} Paragraph {n} goes on with more words.</p>" for n in range(4)),
                container='<div class="txt">{}</div>',
            ),
            "generic",
        ),
    ],
)
def test_body_layer_is_counted_in_stats(page: str, layer: str) -> None:
    spider = make_spider(ExampleSpider)
    response = HtmlResponse(url=URL, body=page.encode(), encoding="utf-8", request=Request(URL))
    items = [item for item in spider.parse_article(response) if isinstance(item, Article)]
    assert len(items) == 1
    assert items[0].title == TITLE
    stats = spider.crawler.stats.get_stats()
    assert stats.get(f"snhr/extract/body_text/{layer}") == 1


@pytest.mark.parametrize(
    "page",
    [
        "",
        "<html></html>",
        "<!-- only a comment -->",
        '<html lang="x-default"><body><time>not a date</time><time datetime="garbage">x</time></body></html>',
        "<html><body>" + "<div>" * 300 + "deep text " * 50 + "</div>" * 300 + "</body></html>",
        '<html><body><article><div class="td-post-content"><p><a href="javascript:void(0)" '
        'style="padding:1px;border:0">x</a></p></div></article></body></html>',
        '<html><head><meta property="og:title" content=" - | - "></head><body><h1> </h1></body></html>',
    ],
)
def test_odd_pages_give_empty_fields_not_errors(page: str) -> None:
    out = parse(page or "<html></html>")
    assert isinstance(out.fields["body_text"], str)
    assert out.layers["published_at"] in ("none", "time-element", "url")
