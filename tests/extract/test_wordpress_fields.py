"""Categories, subtitle and image on plain WordPress pages (a theme change, or another site).

The markup is written here after what the plugins print: Yoast SEO's
``yoast_breadcrumb()``, Rank Math's ``nav.rank-math-breadcrumb``, the
theme's "Posted in" ``cat-links``, the WP Subtitle plugin, the featured image.
Expected values are what the page shows a reader.
"""

from __future__ import annotations

from tests.extract.pages import PROSE, SITE, TITLE, URL, parse, wordpress_page

YOAST = (
    f'<p id="breadcrumbs"><span><span><a href="{SITE}/">Home</a></span> » '
    f'<span><a href="{SITE}/category/news/">News</a></span> » '
    f'<span><a href="{SITE}/category/news/floods/">Floods</a></span> » '
    f'<span class="breadcrumb_last" aria-current="page">{TITLE}</span></span></p>'
)
RANK_MATH = (
    '<nav aria-label="breadcrumbs" class="rank-math-breadcrumb"><p>'
    f'<a href="{SITE}/">Home</a><span class="separator"> - </span>'
    f'<a href="{SITE}/category/regions/">Regions</a><span class="separator"> - </span>'
    f'<a href="{URL}">{TITLE}</a></p></nav>'
)
POSTED_IN = (
    '<footer class="entry-footer"><span class="cat-links">Posted in '
    f'<a href="{SITE}/category/weather/" rel="category tag">Weather</a>, '
    f'<a href="{SITE}/category/news/" rel="category tag">News</a></span></footer>'
)


def page_with(before: str = "", content: str = PROSE, after: str = "", heading: str = "") -> str:
    return wordpress_page(
        content + after,
        container=before + '<div class="entry-content">{}</div>',
        heading=heading or f'<h1 class="entry-title">{TITLE}</h1>',
    )


def test_yoast_breadcrumbs_give_the_category_path_parent_first() -> None:
    out = parse(page_with(before=YOAST, after=POSTED_IN))
    assert out.fields["categories"] == ["News", "Floods"]
    assert out.layers["categories"] == "wordpress"


def test_a_trail_that_links_the_post_itself_leaves_it_out() -> None:
    out = parse(page_with(before=RANK_MATH))
    assert out.fields["categories"] == ["Regions"]


def test_posted_in_links_when_there_is_no_trail() -> None:
    out = parse(page_with(after=POSTED_IN))
    assert out.fields["categories"] == ["Weather", "News"]
    assert out.layers["categories"] == "wordpress:cat-links"


def test_the_wp_subtitle_under_the_headline() -> None:
    heading = (
        f'<h1 class="entry-title">{TITLE}</h1>'
        '<p class="entry-subtitle wp-subtitle">Three districts under water</p>'
    )
    out = parse(page_with(heading=heading))
    assert out.fields["subtitle"] == "Three districts under water"
    assert out.layers["subtitle"] == "wordpress"
    assert "Three districts" not in out.fields["body_text"]


def test_the_first_figure_of_the_content_with_its_caption() -> None:
    figure = (
        '<figure class="wp-block-image size-large"><img src="/wp-content/uploads/2023/11/flood.jpg" alt="">'
        '<figcaption class="wp-element-caption">The river at dawn</figcaption></figure>'
    )
    out = parse(page_with(content=PROSE + figure))
    assert out.fields["images"] == [
        {"url": f"{SITE}/wp-content/uploads/2023/11/flood.jpg", "caption": "The river at dawn"}
    ]
    assert "The river at dawn" not in out.fields["body_text"]


def test_the_featured_image_comes_before_the_content_figures() -> None:
    featured = (
        '<div class="post-thumbnail"><img class="attachment-post-thumbnail wp-post-image" '
        'src="/wp-content/uploads/2023/11/featured.jpg" alt=""></div>'
    )
    figure = '<figure><img src="/wp-content/uploads/2023/11/other.jpg" alt=""></figure>'
    out = parse(page_with(before=featured, content=PROSE + figure))
    assert out.fields["images"][0]["url"] == f"{SITE}/wp-content/uploads/2023/11/featured.jpg"
