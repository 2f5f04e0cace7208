"""Markup of the furniture plugins put into a post's content, as those plugins emit it.

Share bars (Social Warfare, Shariff, Jetpack's sharedaddy), KK Star Ratings, related
boxes (an editor's "Read also:" line, Jetpack Related Posts, Contextual Related
Posts), ad slots (Ad Inserter's ``div.code-block``, tagDiv's ``td-a-rec`` with its
``td-adspot-title`` label), a post header (title, byline, date) repeated inside the
content, and a headline with an ``<em>``. :func:`furnish` puts a page's furniture
around its body blocks; the blocks themselves are untouched.
"""

from __future__ import annotations

import json
from urllib.parse import quote

from .clock import human_date, iso_local
from .furniture import Furniture
from .html_common import attr, esc
from .model import Post

_WORDS = {
    "en": {"share": "Share", "tweet": "Tweet", "shares": "Shares", "share_this": "Share this:",
           "rate": "Rate this post", "votes": "votes", "read_also": "Read also:", "related": "Related",
           "related_posts": "Related Posts:", "ad": "Advertisement", "by": "By", "posted": "Posted on"},
    "ar": {"share": "مشاركة", "tweet": "تغريد", "shares": "مشاركات", "share_this": "شارك هذا:",
           "rate": "قيّم هذا المقال", "votes": "أصوات", "read_also": "اقرأ أيضاً:", "related": "ذو صلة",
           "related_posts": "مقالات ذات صلة:", "ad": "إعلان", "by": "بواسطة", "posted": "نُشر في"},
}  # fmt: skip


def headline(title: str, em: bool) -> str:
    """The ``<h1>``'s content: escaped, with its middle third of words in ``<em>`` when ``em``."""
    words = title.split(" ")
    if not em or len(words) < 3:
        return esc(title)
    start, stop = len(words) // 3, max(len(words) // 3 + 1, 2 * len(words) // 3)
    before, middle, after = words[:start], words[start:stop], words[stop:]
    head = esc(" ".join(before)) + (" " if before else "")
    tail = (" " if after else "") + esc(" ".join(after))
    return f"{head}<em>{esc(' '.join(middle))}</em>{tail}"


# --- share bars ----------------------------------------------------------------------------


def _social_warfare(url: str, title: str, post_id: int, words: dict[str, str]) -> str:
    enc, text = quote(url, safe=""), quote(title, safe="").replace("%20", "+")
    button = (
        '<div class="nc_tweetContainer swp_share_button swp_{net}" data-network="{net}">'
        '<a class="nc_tweet swp_share_link" rel="nofollow noreferrer noopener" target="_blank" '
        'href="{href}" data-link="{href}"><span class="swp_count swp_hide"><span class="iconFiller">'
        '<span class="spaceManWilly"><i class="sw swp_{net}_icon"></i><span class="swp_share">'
        "{label}</span></span></span></span></a></div>"
    )
    buttons = "".join(
        button.format(net=net, href=attr(href), label=esc(label))
        for net, href, label in (
            ("twitter", f"https://twitter.com/intent/tweet?text={text}&url={enc}", words["tweet"]),
            ("facebook", f"https://www.facebook.com/share.php?u={enc}", words["share"]),
            ("whatsapp", f"https://api.whatsapp.com/send?text={enc}", "WhatsApp"),
        )
    )
    return (
        '<div class="swp_social_panel swp_horizontal_panel swp_flat_fresh swp_default_full_color '
        'swp_individual_full_color swp_other_full_color scale-100 scale-" data-min-width="1100" '
        f'data-float="bottom" data-float-mobile="bottom" data-transition="slide" data-post-id="{post_id}">'
        f'{buttons}<div class="nc_tweetContainer swp_share_button total_shares total_sharesalt">'
        f'<span class="swp_count ">{post_id % 90 + 3} <span class="swp_label">{esc(words["shares"])}'
        "</span></span></div></div>"
    )


def _shariff(url: str, title: str, words: dict[str, str]) -> str:
    enc, text = quote(url, safe=""), quote(title, safe="")
    item = (
        '<li class="shariff-button {net} shariff-nocustomcolor"><a href="{href}" title="{label}" '
        'aria-label="{label}" role="button" rel="noopener nofollow" class="shariff-link" target="_blank">'
        '<span class="shariff-icon"></span><span class="shariff-text">{text}</span>&nbsp;</a></li>'
    )
    items = "".join(
        item.format(net=net, href=attr(href), label=attr(label), text=esc(label.lower()))
        for net, href, label in (
            ("twitter", f"https://twitter.com/share?url={enc}&text={text}", words["tweet"]),
            ("facebook", f"https://www.facebook.com/sharer/sharer.php?u={enc}", words["share"]),
        )
    )
    return (
        '<div class="shariff shariff-align-flex-start shariff-widget-align-flex-start" '
        f'data-services="twitter%7Cfacebook" data-url="{attr(enc)}">'
        f'<ul class="shariff-buttons theme-default orientation-horizontal buttonsize-medium">{items}</ul></div>'
    )


def _sharedaddy(url: str, post_id: int, words: dict[str, str]) -> str:
    item = (
        '<li class="share-{net}"><a rel="nofollow noopener noreferrer" data-shared="sharing-{net}-{id}" '
        'class="share-{net} sd-button share-icon" href="{href}" target="_blank" title="{label}">'
        "<span>{label}</span></a></li>"
    )
    items = "".join(
        item.format(net=net, id=post_id, href=attr(f"{url}?share={net}"), label=label)
        for net, label in (("twitter", "Twitter"), ("facebook", "Facebook"))
    )
    return (
        '<div class="sharedaddy sd-sharing-enabled"><div class="robots-nocontent sd-block sd-social '
        f'sd-social-icon-text sd-sharing"><h3 class="sd-title">{esc(words["share_this"])}</h3>'
        f'<div class="sd-content"><ul>{items}<li class="share-end"></li></ul></div></div></div>'
    )


def share_bar(variant: str, url: str, post: Post) -> str:
    words = _WORDS[post.language]
    if variant == "social-warfare":
        return _social_warfare(url, post.title, post.post_id, words)
    if variant == "shariff":
        return _shariff(url, post.title, words)
    return _sharedaddy(url, post.post_id, words)


# --- ratings, related boxes, ads, headers --------------------------------------------------


def rating(post: Post, votes: int) -> str:
    """KK Star Ratings (v5): five stars, then a legend ("4.3/5 - (6 votes)" or the invitation)."""
    words = _WORDS[post.language]
    score = round(3 + (post.post_id % 20) / 10, 1) if votes else 0
    legend = (
        f"{score}/5 - ({votes} {words['votes']})"
        if votes
        else f'<span class="kksr-muted">{esc(words["rate"])}</span>'
    )
    payload = json.dumps(
        {"align": "left", "id": str(post.post_id), "slug": "default", "valign": "bottom",
         "reference": "auto", "count": str(votes), "score": str(score), "best": "5", "gap": "5",
         "greet": words["rate"], "size": "24", "title": post.title},
        ensure_ascii=False, separators=(",", ":"),
    )  # fmt: skip
    star = (
        '<div class="kksr-star" data-star="{n}" style="padding-right: 5px">'
        '<div class="kksr-icon" style="width: 24px; height: 24px;"></div></div>'
    )
    stars = "".join(star.format(n=n) for n in range(1, 6))
    width = int(score * 29) if votes else 0
    return (
        '<div class="kk-star-ratings kksr-auto kksr-align-left kksr-valign-bottom" '
        f"data-payload='{attr(payload)}'><div class=\"kksr-stars\">"
        f'<div class="kksr-stars-inactive">{stars}</div>'
        f'<div class="kksr-stars-active" style="width: {width}px;">{stars}</div></div>'
        f'<div class="kksr-legend" style="font-size: 19.2px;">{legend}</div></div>'
    )


def related_box(variant: str, posts: tuple[Post, ...], origins: dict[str, str], post: Post) -> str:
    """An editor's "Read also:" paragraph, or a related-posts plugin's box, for ``post``."""
    language = post.language
    words = _WORDS[language]
    if not posts:
        return ""
    if variant == "read-also":
        first = posts[0]
        link = f'<a href="{attr(origins[first.family] + first.path)}">{esc(first.title)}</a>'
        return f"<p><strong>{esc(words['read_also'])}</strong> {link}</p>"
    if variant == "jetpack":
        items = "".join(
            f'<div class="jp-relatedposts-post jp-relatedposts-post{i} jp-relatedposts-post-thumbs" '
            f'data-post-id="{p.post_id}" data-post-format="false"><h4 class="jp-relatedposts-post-title">'
            f'<a class="jp-relatedposts-post-a" href="{attr(origins[p.family] + p.path)}" '
            f'title="{attr(p.title)}" rel="nofollow" data-origin="{post.post_id}" data-position="{i}">'
            f'{esc(p.title)}</a></h4><p class="jp-relatedposts-post-date">'
            f"{esc(human_date(p.published, language))}</p></div>"
            for i, p in enumerate(posts)
        )
        return (
            '<div id="jp-relatedposts" class="jp-relatedposts" style="display: block;">'
            f'<h3 class="jp-relatedposts-headline"><em>{esc(words["related"])}</em></h3>'
            f'<div class="jp-relatedposts-items jp-relatedposts-items-visual jp-relatedposts-grid">'
            f"{items}</div></div>"
        )
    items = "".join(
        f'<li><a href="{attr(origins[p.family] + p.path)}" class="crp_link post-{p.post_id}">'
        f'<span class="crp_title">{esc(p.title)}</span></a></li>'
        for p in posts
    )
    return (
        '<div class="crp_related crp-text-only">'
        f"<h3>{esc(words['related_posts'])}</h3><ul>{items}</ul>"
        '<div class="crp_clear"></div></div>'
    )


def ad_slot(variant: str, post: Post) -> str:
    label = _WORDS[post.language]["ad"]
    ins = (
        '<ins class="adsbygoogle" style="display:block; text-align:center;" data-ad-layout="in-article" '
        f'data-ad-format="fluid" data-ad-client="ca-pub-5301920462715384" data-ad-slot="{4000 + post.post_id % 97}">'
        "</ins><script>(adsbygoogle = window.adsbygoogle || []).push({});</script>"
    )
    if variant == "ad-inserter":
        return (
            "<div class='code-block code-block-2' style='margin: 8px auto; text-align: center; "
            f"display: block; clear: both;'>\n<div class='code-block-label'>{esc(label)}</div>\n{ins}</div>"
        )
    return (
        '<div class="td-a-rec td-a-rec-id-content_inline tdi_80 td_block_template_1">'
        f'<span class="td-adspot-title">- {esc(label)} -</span>'
        '<div class="td-g-rec td-g-rec-id-content_inline tdi_81">'
        '<script async src="https://pagead2.googlesyndication.com/pagead/js/adsbygoogle.js"></script>'
        f"{ins}</div></div>"
    )


def nested_header(variant: str, post: Post) -> str:
    """Title, byline and (when the page carries a machine-readable date at all) the date."""
    words = _WORDS[post.language]
    when = ""
    if post.date_layer != "none":
        shown = esc(human_date(post.published, post.language))
        when = f'<time class="entry-date published" datetime="{iso_local(post.published)}">{shown}</time>'
    if variant == "entry-header":
        posted = f'<span class="posted-on">{esc(words["posted"])} {when}</span> ' if when else ""
        return (
            f'<header class="entry-header"><h1 class="entry-title">{esc(post.title)}</h1>'
            f'<div class="entry-meta">{posted}<span class="byline">{esc(words["by"])} '
            '<span class="author vcard"><a class="url fn n" href="#">SNHR</a></span></span></div></header>'
        )
    sep = " | " if when else ""
    return (
        f'<div class="post-header"><h2 class="post-title">{esc(post.title)}</h2>'
        f'<p class="post-meta">{esc(words["by"])} <span class="author">SNHR</span>{sep}{when}</p></div>'
    )


def furnish(
    blocks: list[str],
    tail: str,
    furniture: Furniture,
    post: Post,
    url: str,
    origins: dict[str, str],
) -> str:
    """The content container's inside: furniture around the body ``blocks`` and ``tail``.

    ``tail`` is what the template itself ends the content with (figure, language
    switch). Plugins that hook ``the_content`` wrap the whole of it.
    """
    top: list[str] = []
    bottom: list[str] = []
    if furniture.header:
        top.append(nested_header(furniture.header, post))
    if furniture.share:
        bar = share_bar(furniture.share, url, post)
        if furniture.share == "social-warfare":  # above and below, Social Warfare's default
            top.append(bar)
        bottom.append(bar)
    if furniture.rating:
        (top if furniture.rating == "top" else bottom).append(rating(post, furniture.votes))
    body = list(blocks)
    if furniture.ad:
        body.insert(min(furniture.ad_after, len(body)), ad_slot(furniture.ad, post))
    if furniture.related:
        box = related_box(furniture.related, furniture.related_posts, origins, post)
        if furniture.related == "read-also":
            body.insert(min(1, len(body)), box)
        else:
            bottom.append(box)
    return "\n".join([*top, *body]) + tail + "".join(f"\n{part}" for part in bottom)
