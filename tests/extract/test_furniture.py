"""Furniture inside the content container, one family at a time, on markup written here.

Every case surrounds the same two paragraphs of prose with what a plugin or
theme puts inside the post content; the body must be exactly the prose. The
markup is modelled on what the plugins emit (class names, nesting, labels),
not copied from any page.
"""

from __future__ import annotations

import pytest

from tests.extract.pages import FIRST, PROSE, SECOND, TITLE, classic_page, parse, wordpress_page

EXPECTED = f"{FIRST}\n\n{SECOND}"

FURNITURE = {
    # --- ads --------------------------------------------------------------------------
    "tagdiv td-a-rec": '<div class="td-a-rec td-a-rec-id-content_top tdi_22 td_block_template_1">'
    '<span class="td-adspot-title">- Advertisement -</span><div class="td-visible-desktop"></div></div>',
    "tagdiv td-g-rec": '<div class="td-g-rec td-g-rec-id-content_inline tdi_3 td_block_template_1 ">'
    "<style>.tdi_3.td-a-rec{text-align:center}</style>"
    '<span class="td-adspot-title">- Advertisement -</span><noscript id="td-ad-placeholder"></noscript></div>',
    "tagdiv td-a-ad": '<div class="td-a-ad id_inline_ad0 id_ad_content-horiz-center">'
    '<span class="td-adspot-title">- Sponsored -</span></div>',
    "Ad Inserter code-block": '<div class="code-block code-block-6 ai-viewport-2 ai-viewport-3">'
    "ANZEIGE<script>window.googletag = window.googletag || {cmd: []};</script>"
    '<div id="div-gpt-ad-1584375562771-0"></div></div>',
    "AdRotate": '<div class="g g-1"><div class="g-single a-4"><a href="https://shop.example.com/?ref=7">'
    "Best mattresses of the year, 40 % off</a></div></div>",
    "AdSense ins": '<p><ins class="adsbygoogle" data-ad-client="ca-pub-1">Ad</ins></p>',
    "ad label alone": "<p>Advertisement</p>",
    "JNews inline ad": '<div class="jeg_ad jeg_ad_article jnews_content_inline_ads"><div class="ads-wrapper">'
    '<a href="https://ads.example.com/click">Sponsored: shoes</a></div></div>',
    # --- share and rating -------------------------------------------------------------
    "Social Warfare": '<div class="swp_social_panel swp_horizontal_panel swp_flat_fresh" data-position="both">'
    '<div class="nc_tweetContainer swp_share_button swp_twitter"><a class="nc_tweet swp_share_link" '
    'href="https://twitter.com/intent/tweet?url=x">Tweet</a></div><div class="nc_tweetContainer '
    'swp_share_button swp_facebook"><a class="nc_tweet swp_share_link" href="https://www.facebook.com/share.php?u=x">'
    "Share</a></div></div>",
    "Shariff": '<div class="shariff shariff-align-center"><ul class="shariff-buttons theme-default">'
    '<li class="shariff-button twitter"><a href="https://twitter.com/share?url=x">twittern</a></li>'
    '<li class="shariff-button facebook"><a href="https://www.facebook.com/sharer/sharer.php?u=x">teilen'
    '<span class="shariff-count">50</span></a></li></ul></div>',
    "Jetpack sharedaddy": '<div class="sharedaddy sd-sharing-enabled"><div class="robots-nocontent sd-block '
    'sd-social sd-social-icon-text sd-sharing"><h3 class="sd-title">Share this:</h3><div class="sd-content">'
    '<ul><li class="share-twitter"><a href="?share=twitter">Twitter</a></li></ul></div></div></div>',
    "AddToAny": '<div class="addtoany_share_save_container addtoany_content addtoany_content_bottom">'
    '<div class="a2a_kit a2a_kit_size_32 addtoany_list"><a class="a2a_button_facebook" href="#">Facebook</a></div></div>',
    "JNews share bar": '<div class="jeg_share_button share-float jeg_sticky_share clearfix share-normal">'
    '<div class="jeg_share_float_container"><a href="https://www.facebook.com/sharer.php?u=x" '
    'class="jeg_btn-facebook expanded"><span>Share on Facebook</span></a></div></div>',
    "KK Star Ratings": '<div class="kk-star-ratings kksr-auto kksr-align-left kksr-valign-bottom" '
    'data-payload="{}"><div class="kksr-stars"><div class="kksr-star" data-star="1"></div></div>'
    '<div class="kksr-legend"><strong class="kksr-score">4.5</strong>/5 - (12 votes)</div></div>',
    "wpDiscuz rating": '<div class="wpdiscuz-post-rating-wrap"><div class="wpd-rating-title">Article Rating</div>'
    '<div class="wpd-rating-value"><span class="wpdrv">4.7</span></div></div>',
    # --- related, read also -----------------------------------------------------------
    "Jetpack related": '<div id="jp-relatedposts" class="jp-relatedposts"><h3 class="jp-relatedposts-headline">'
    "<em>Related</em></h3></div>",
    "tagDiv related block": '<div class="td_block_wrap td_block_related_posts tdi_2_1b1"><h4 class="td-related-title">'
    '<a href="#">RELATED ARTICLES</a></h4><div class="td_block_inner"><h3 class="entry-title td-module-title">'
    '<a href="/other/">Another storm</a></h3></div></div>',
    "read-also lead": '<p><strong>Read also:</strong> <a href="/2023/10/30/storm-ciaran-arrives/">'
    "Storm Ciarán arrives on the coast tonight</a></p>",
    "read-also lead, German": '<p>Lesen Sie auch: <a href="https://www.example-news.org/2023/10/29/pegel/">'
    "Pegelstände steigen weiter an</a></p>",
    "you may also like, no separator": '<p>YOU MAY ALSO LIKE <a href="/x/">Bank holds rates amid inflation</a></p>',
    "heading then a list of posts": '<h3>Related articles</h3><ul><li><a href="/a/">Roads closed in the north</a></li>'
    '<li><a href="/b/">Trains cancelled until Monday</a></li></ul>',
    "heading then a list, Spanish": '<h4>Esto te puede interesar</h4><ul><li><a href="/c/">Lluvias en la costa</a>'
    "</li></ul>",
    "list of links to other posts": '<ul><li class="entry-title td-module-title"><a href="/d/">'
    'Report published</a></li><li><a href="https://www.example-news.org/e/">Strategy agreed</a></li></ul>',
    "read-also box with a class": '<div class="read-box"><p>Read also</p><a href="/f/">Dam repaired</a></div>',
    "link cards of the site": '<div class="content-container members listings"><a href="/g/">Featured</a> '
    '<a href="/h/">Councils call for reform</a> <a href="/i/">Members raise concerns</a></div>',
    # --- newsletter, call to action, donation, author ---------------------------------
    "newsletter box": '<div class="newsletter-box"><h3>Get the morning briefing</h3><p>Every day at 7.</p>'
    '<form><input type="email"><button>Sign up</button></form></div>',
    "Mailchimp for WP": '<form class="mc4wp-form mc4wp-form-12"><div class="mc4wp-form-fields"><p>'
    "Your email</p></div></form>",
    "subscribe sentence with a link": "<p>Example News is the region's leading news site. Subscribe to our "
    'daily newsletter <a href="/newsletter/">here</a>.</p>',
    "donation box with a styled button": '<div id="support-container"><i>Independent journalism needs your '
    'support to continue.</i><br><div><a href="https://give.example.com/" style="background:#ffe500; '
    'padding:15px; border-radius:45px; border: 1px solid black;">Support us -&gt;</a></div></div>',
    "button link paragraph": '<p style="text-align: center;"><a href="https://example.com/visit/x" '
    'class="su-button su-button-style-3d"><span>Buy now</span></a></p>',
    "call-to-action block": '<div class="cta-content"><p>Click here for the best offers of the year</p></div>',
    "author box": '<div class="saboxplugin-wrap"><div class="saboxplugin-desc"><p>Jane writes about weather.'
    "</p></div></div>",
    "author footer": '<div class="author-footer">Contact the author: <a href="/author/jane/">Jane Doe</a></div>',
    "disclaimer": '<div class="disclamer-operator-boxes"><p>Investing is risky. Your capital is at risk.</p></div>',
    "widget in the content": '<div class="textwidget custom-html-widget"><div class="offers"><p>Top offers</p>'
    "</div></div>",
    "follow us link": '<a class="mt-14 bg-accent" href="https://twitter.com/ExampleNews"><span>Join the conversation'
    "</span></a>",
    # --- consent, embeds, table of contents -------------------------------------------
    "Borlabs content blocker": '<div class="BorlabsCookie _brlbs-cb-youtube"><div class="_brlbs-content-blocker">'
    '<div class="_brlbs-embed"><p>By loading the video, you accept YouTube\'s privacy policy.</p>'
    '<p><a class="_brlbs-btn" href="#">Load video</a></p></div></div></div>',
    "Complianz placeholder": '<div class="cmplz-placeholder-parent"><p class="cmplz-blocked-content-notice">'
    "Click to accept marketing cookies and enable this content</p></div>",
    "embedded tweet": '<blockquote class="twitter-tweet"><p lang="en">Rain again today</p>— Weather Desk '
    '(@weather) <a href="https://twitter.com/weather/status/1">November 2, 2023</a></blockquote>',
    "Easy Table of Contents": '<div id="ez-toc-container" class="ez-toc-v2_0_55 counter-hierarchy ez-toc-counter">'
    '<div class="ez-toc-title-container"><p class="ez-toc-title">Contents</p></div><nav><ul class="ez-toc-list">'
    '<li><a href="#a">What happened</a></li></ul></nav></div>',
    "Table of Contents Plus": '<div id="toc_container" class="toc_wrap_right no_bullets"><p class="toc_title">'
    'Contents</p><ul class="toc_list"><li><a href="#b">Background</a></li></ul></div>',
    "Kadence table of contents": '<nav class="wp-block-kadence-tableofcontents kb-table-of-content-nav">'
    '<div class="kb-table-of-content-wrap"><ul><li><a href="#c">Response</a></li></ul></div></nav>',
    "Rate My Post": '<div class="rmp-widgets-container rmp-wp-plugin rmp-main-container"><p class="rmp-heading">'
    "How useful was this post?</p><p>Click on a star to rate it!</p></div>",
    "MailPoet form": '<div class="mailpoet_form mailpoet_form_shortcode"><p>Join 5,000 readers</p></div>',
    # --- tags, navigation -------------------------------------------------------------
    "JNews tags": '<div class="jeg_post_tags"><span>Tags:</span> <a href="/tag/rain/">rain</a></div>',
    "page links": '<div class="page-links">Pages: <a href="?page=2">2</a></div>',
}


@pytest.mark.parametrize("where", ["before", "between", "after"])
@pytest.mark.parametrize("name", sorted(FURNITURE))
def test_furniture_is_not_body(name: str, where: str) -> None:
    furniture = FURNITURE[name]
    first, second = PROSE.split("\n")
    content = {
        "before": f"{furniture}{first}{second}",
        "between": f"{first}{furniture}{second}",
        "after": f"{first}{second}{furniture}",
    }[where]
    out = parse(classic_page(content))
    assert out.fields["body_text"] == EXPECTED
    assert out.layers["body_text"] == "site:classic"


@pytest.mark.parametrize("name", sorted(FURNITURE))
def test_furniture_is_not_body_in_other_themes(name: str) -> None:
    out = parse(wordpress_page(f"{FURNITURE[name]}{PROSE}"))
    assert out.fields["body_text"] == EXPECTED


def test_post_header_inside_the_content_is_not_body() -> None:
    # Some tagDiv sites print the post header inside div.td-post-content.
    content = (
        f'<div class="td-post-header"><header class="td-post-title"><h1 class="entry-title">{TITLE}</h1>'
        '<div class="td-module-meta-info"><div class="td-post-author-name">By <a href="/author/x/">Robert</a>'
        '</div><span class="td-post-date"><time class="entry-date" datetime="2023-11-02T09:30:00+01:00">'
        f"2 November 2023</time></span></div></header></div>{PROSE}"
    )
    out = parse(classic_page(content, header=" "))
    assert out.fields["body_text"] == EXPECTED
    assert out.fields["title"] == TITLE
    assert out.fields["published_at"] == "2023-11-02T09:30:00+01:00"


def test_the_title_repeated_as_a_heading_inside_the_content_is_not_body() -> None:
    out = parse(classic_page(f"<h1>{TITLE}</h1>{PROSE}"))
    assert out.fields["body_text"] == EXPECTED


KEPT = {
    "a sentence with links to sources": '<p>The figures come from <a href="https://data.example.gov/rain">the '
    'weather service</a> and <a href="https://other.example.com/x">a university study</a>.</p>',
    "a list of sources on other sites": '<p>Sources:</p><p><a href="https://drhyman.example.com/blog/">'
    'drhyman.example.com</a></p><p><a href="https://www.webmd.example.com/x">www.webmd.example.com</a></p>',
    "the report's PDF link": '<p><a href="/wp-content/uploads/2023/11/report.pdf">Download the full report</a></p>',
    "see also in the editor's prose": '<p>See also <a href="/2023/10/01/earlier-report/">our previous report</a>.</p>',
    "a sentence starting with 'related'": '<p>Related to the floods, <a href="/x/">the council</a> opened '
    "three shelters for families who had to leave their homes overnight.</p>",
    "a paragraph that mentions support": "<p>The mayor asked residents to support their neighbours.</p>",
    "a list of facts": "<ul><li>Three districts flooded</li><li>Two bridges closed</li></ul>",
    "a caption-like heading in the body": "<h3>What happens next</h3>",
    "a table in a figure": '<figure class="wp-block-table"><table><tbody><tr><td>District</td><td>Homes</td></tr>'
    "</tbody></table><figcaption>Source: council</figcaption></figure>",
    "a pull quote in a figure": '<figure class="wp-block-pullquote"><blockquote><p>We have never seen water '
    "this high.</p></blockquote></figure>",
}


@pytest.mark.parametrize("name", sorted(KEPT))
def test_the_articles_own_blocks_are_kept(name: str) -> None:
    out = parse(classic_page(f"{PROSE}{KEPT[name]}"))
    body = out.fields["body_text"]
    assert body.startswith(EXPECTED)
    assert len(body) > len(EXPECTED), f"{name} was dropped"
    assert "report.pdf" not in name or out.fields["attachments"]


@pytest.mark.parametrize(
    "button",
    [
        '<div class="wp-block-buttons"><div class="wp-block-button"><a class="wp-block-button__link" '
        'href="/wp-content/uploads/2023/11/report.pdf">Download the full report</a></div></div>',
        '<p><a href="/wp-content/uploads/2023/11/report.pdf" style="padding: 10px; border: 1px solid #000">'
        "Download the full report</a></p>",
    ],
)
def test_a_button_that_downloads_the_report_is_the_reports(button: str) -> None:
    out = parse(classic_page(f"{PROSE}{button}"))
    assert out.fields["body_text"] == f"{EXPECTED}\n\nDownload the full report"
    assert [a["title"] for a in out.fields["attachments"]] == ["Download the full report"]
