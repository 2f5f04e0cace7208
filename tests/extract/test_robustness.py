"""The parser on awkward pages: relative links, unsafe links, loose text, malformed JSON-LD."""

from __future__ import annotations

import json

import pytest
from parsel import Selector

from snhr_crawler.dates import is_iso_datetime
from snhr_crawler.extract import Extracted, TagDivArticleParser
from snhr_crawler.urls import Origin

PAGE_URL = "https://news.snhr.org/2024/01/05/x/"


def parse(body: str, head: str = "", language: str = "en") -> Extracted:
    page = (
        f"<html><head>{head}</head><body>"
        f'<article id="post-5"><h1 class="entry-title">A title</h1>'
        f'<div class="td-post-content">{body}</div></article></body></html>'
    )
    parser = TagDivArticleParser(Origin(public="https://news.snhr.org").to_public, language)
    return parser.parse(Selector(text=page), PAGE_URL)


def test_relative_links_are_resolved_against_the_page() -> None:
    out = parse(
        '<p>Read <a href="/wp-content/uploads/2024/01/r.pdf">the report</a>.</p>',
        head='<link rel="canonical" href="/2024/01/05/x/">',
    )
    assert out.fields["url"] == PAGE_URL
    assert out.fields["attachments"] == [
        {"url": "https://news.snhr.org/wp-content/uploads/2024/01/r.pdf", "title": "the report"}
    ]


def test_unsafe_links_lose_their_link_not_their_words() -> None:
    out = parse('<p>See <a href="javascript:alert(1)">this</a> and <a href="data:,x">that</a>.</p>')
    assert out.fields["body_html"] == "<p>See this and that.</p>"
    assert out.fields["body_text"] == "See this and that."


@pytest.mark.parametrize(
    ("body", "text"),
    [
        ("On January 3, 2024, a man was shot.<br>He died.", "On January 3, 2024, a man was shot.\n\nHe died."),
        ("<p>A</p>Loose text<p>B</p>", "A\n\nLoose text\n\nB"),
        ("<div>Intro.<p>Para</p></div>", "Intro.\n\nPara"),
        ("<p>Kept <strong>whole</strong><br>with its break</p>", "Kept whole with its break"),
    ],
)  # fmt: skip
def test_text_outside_paragraphs_is_kept(body: str, text: str) -> None:
    assert parse(body).fields["body_text"] == text


@pytest.mark.parametrize(
    "graph",
    [
        {"@type": None, "datePublished": "2024-01-05T10:00:00+00:00"},
        {"@type": "BreadcrumbList", "itemListElement": [{"position": 1, "item": "https://x/"}]},
        {"@type": "BreadcrumbList", "itemListElement": [{"position": "1", "name": "A"}, {"position": 2, "name": "B"}]},
        {"@type": "BreadcrumbList", "itemListElement": "x"},
        {"@type": "NewsArticle", "articleSection": [{"name": "News"}], "headline": ["x"]},
    ],
)  # fmt: skip
def test_malformed_json_ld_costs_a_field_never_the_article(graph: dict) -> None:
    head = f'<script type="application/ld+json">{json.dumps(graph)}</script>'
    out = parse("<p>Body.</p>", head=head)
    assert out.fields["title"] == "A title"
    assert out.fields["body_text"] == "Body."


def test_a_date_outside_the_record_format_falls_to_the_next_layer() -> None:
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle", '
        '"datePublished": "2024-01-05 10:00:00"}</script>'
        '<meta property="article:published_time" content="2024-01-05T10:00:00+00:00">'
    )
    out = parse("<p>Body.</p>", head=head)
    assert out.fields["published_at"] == "2024-01-05T10:00:00+00:00"
    assert out.layers["published_at"] == "meta"


@pytest.mark.parametrize(
    ("value", "ok"),
    [("2024-01-05", True), ("2024-01-05T10:00:00+00:00", True), ("2024-01-05T10:00Z", True),
     ("2024-01-05 10:00:00", False), ("20240105T100000", False), ("2024-W01-1", False),
     ("2024-01-05T10:00:00", False), ("2024-02-30", False)],
)  # fmt: skip
def test_record_dates(value: str, ok: bool) -> None:
    assert is_iso_datetime(value) is ok


def test_regional_hreflang_never_names_the_page_itself() -> None:
    body = (
        '<p>Body.</p><div class="snhr-available-in"><a hreflang="en-US" href="/2024/01/05/x/">English</a>'
        '<a hreflang="ar" href="/ar/2024/01/05/y/">عربي</a></div>'
    )
    out = parse(body)
    assert out.fields["translations"] == {"ar": "https://news.snhr.org/ar/2024/01/05/y/"}


def test_a_list_ending_with_the_title_is_not_taken_for_a_caption() -> None:
    out = parse("<p>Body.</p><ul><li>one</li><li>A title</li></ul>")
    assert out.fields["body_text"] == "Body.\n\none\n\nA title"
    assert out.fields["body_html"] == "<p>Body.</p>\n<ul><li>one</li><li>A title</li></ul>"


def test_a_last_paragraph_repeating_the_title_is_the_caption() -> None:
    out = parse("<p>Body.</p><p>A title</p>")
    assert (out.fields["body_text"], out.fields["body_html"]) == ("Body.", "<p>Body.</p>")


def test_a_date_element_without_datetime_is_read_as_written() -> None:
    page = (
        '<html><body><article id="post-5"><div class="td-post-header"><header class="td-post-title">'
        '<h1 class="entry-title">A title</h1><span class="td-post-date">'
        '<time class="entry-date updated td-module-date">December 7, 2019</time></span></header></div>'
        '<div class="td-post-content"><p>Body.</p></div></article></body></html>'
    )
    parser = TagDivArticleParser(Origin(public="https://news.snhr.org").to_public, "en")
    out = parser.parse(Selector(text=page), "https://news.snhr.org/2019/12/08/x/")
    assert (out.fields["published_at"], out.layers["published_at"]) == (
        "2019-12-07",
        "time-element",
    )
