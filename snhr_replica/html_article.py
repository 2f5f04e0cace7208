"""Single-post pages: the current tagDiv Cloud (tdb) template and the classic one.

Markup mirrors the two fixtures in tests/fixtures/snhr_news (class names, block
order, head tags). Pages come out with :data:`DATE_SLOT` and
:data:`RELATED_SLOT` markers for the clock-dependent parts.
"""

from __future__ import annotations

import json
from urllib.parse import quote

from .clock import human_date, iso_local, iso_utc
from .furniture import NONE, Furniture
from .html_common import (
    RELATED_SLOT,
    SITE_NAME,
    attr,
    esc,
    fbpx,
    page_href,
    render_block,
    truncate_crumb,
)
from .html_furniture import furnish, headline
from .html_shell import DEFAULT_CHROME, Chrome, footer_html, head_common, header_html
from .model import Post
from .sites import SiteSpec


def _json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")


def permalink(post: Post, origins: dict[str, str]) -> str:
    return origins[post.family] + post.path


def crumbs(site: SiteSpec, post: Post, origin: str) -> list[tuple[str, str]]:
    """(name, url) for Home and each category of the post's primary lineage."""
    trail = [(site.home_crumb, origin + site.root)]
    for cat in site.lineage(post.category):
        trail.append((cat.name, f"{origin}{site.category_base}{cat.path}/"))
    return trail


def _yoast_graph(site: SiteSpec, post: Post, url: str, origin: str, image: str | None) -> str:
    home = origin + site.root
    article: dict[str, object] = {
        "@type": "Article",
        "@id": f"{url}#article",
        "isPartOf": {"@id": url},
        "author": {"name": "SNHR", "@id": f"{home}#/schema/person/3b1f0c0e"},
        "headline": post.title,
        "datePublished": iso_utc(post.published),
        "dateModified": iso_utc(post.modified),
        "mainEntityOfPage": {"@id": url},
        "wordCount": len(post.plain_text().split()),
        "publisher": {"@id": f"{home}#organization"},
        "articleSection": [cat.name for cat in reversed(site.lineage(post.category))],
        "inLanguage": "ar" if post.language == "ar" else "en-US",
    }
    if image:
        article["thumbnailUrl"] = image
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            article,
            {
                "@type": "WebPage",
                "@id": url,
                "url": url,
                "name": f"{post.title} - {SITE_NAME[post.language]}",
                "isPartOf": {"@id": f"{home}#website"},
                "datePublished": iso_utc(post.published),
                "dateModified": iso_utc(post.modified),
                "breadcrumb": {"@id": f"{url}#breadcrumb"},
            },
            {
                "@type": "BreadcrumbList",
                "@id": f"{url}#breadcrumb",
                "itemListElement": [
                    {"@type": "ListItem", "position": 1, "name": site.home_crumb, "item": home},
                    {"@type": "ListItem", "position": 2, "name": post.title},
                ],
            },
            {
                "@type": "WebSite",
                "@id": f"{home}#website",
                "url": home,
                "name": SITE_NAME[post.language],
            },
        ],
    }
    return f'<script type="application/ld+json" class="yoast-schema-graph">{_json(graph)}</script>'


def article_head(
    site: SiteSpec, post: Post, origins: dict[str, str], separator: str, *, theme: str = "tagdiv"
) -> str:
    origin = origins[post.family]
    url = permalink(post, origins)
    image = origin + post.image.path if post.image else None
    title = f"{post.title} {separator} {SITE_NAME[post.language]}"
    parts = [
        head_common(site, origin, title, theme),
        f'<link rel="canonical" href="{attr(url)}" />',
        f'<meta property="og:locale" content="{"ar_AR" if post.language == "ar" else "en_US"}" />',
        '<meta property="og:type" content="article" />',
        f'<meta property="og:title" content="{attr(title)}" />',
        f'<meta property="og:description" content="{attr(" ".join(post.plain_text().split()[:30]))}" />',
        f'<meta property="og:url" content="{attr(url)}" />',
        f'<meta property="og:site_name" content="{attr(SITE_NAME[post.language])}" />',
    ]
    if post.template == "tdb" and post.date_layer in ("json-ld", "meta"):
        parts.append(
            f'<meta property="article:published_time" content="{iso_utc(post.published)}" />'
        )
        parts.append(
            f'<meta property="article:modified_time" content="{iso_utc(post.modified)}" />'
        )
    if image:
        parts.append(f'<meta property="og:image" content="{attr(image)}" />')
    if post.template == "tdb" and post.date_layer == "json-ld":
        parts.append(_yoast_graph(site, post, url, origin, image))
    parts += [
        f'<link rel="alternate" type="application/json" href="{origin}{site.root}wp-json/wp/v2/posts/{post.post_id}" />',
        f"<link rel='shortlink' href='{origin}{site.wp_home}?p={post.post_id}' />",
        "</head>",
    ]
    return "\n".join(parts)


def available_in(post: Post, other: Post | None, origins: dict[str, str]) -> tuple[str, str]:
    """(label, links) naming both language versions, or ("", "") without a translation."""
    if other is None:
        return "", ""
    en, ar = (post, other) if post.language == "en" else (other, post)
    label = "متوفر باللغة" if post.language == "ar" else "Available In"
    links = (
        f'<a href="{attr(permalink(en, origins))}" hreflang="en">English</a>',
        f'<a href="{attr(permalink(ar, origins))}" hreflang="ar">عربي</a>',
    )
    return label, " | ".join(links) if post.family == "main" else " ".join(links)


def available_group(label: str, links: str) -> str:
    """The main site's switch, inside the content at its end."""
    return (
        '<div class="wp-block-group snhr-available-in"><p class="has-text-align-center">'
        f'<strong>{esc(label)}</strong></p><p class="has-text-align-center">{links}</p></div>'
    )


def available_block(label: str, links: str) -> str:
    """The news site's separate block after the content."""
    return (
        '<div class="td_block_wrap tdb_single_available_in tdi_79 td-pb-border-top '
        'td_block_template_1 snhr-available-in"><div class="tdb-block-inner td-fix-index">'
        f'<span class="snhr-available-in-label">{esc(label)}</span> {links}</div></div>'
    )


def _share(url: str, title: str) -> str:
    enc = quote(url, safe="")
    text = quote(" ".join(title.split()[:6]), safe="").replace("%20", "+")
    return (
        '<div class="td-post-sharing-visible"><div class="td-social-sharing-button '
        'td-social-sharing-button-js td-social-handler td-social-share-text"><div class="td-social-but-icon">'
        '<i class="td-icon-share"></i></div><div class="td-social-but-text">Share</div></div>'
        '<a class="td-social-sharing-button td-social-sharing-button-js td-social-network td-social-facebook" '
        f'href="https://www.facebook.com/sharer.php?u={enc}" title="Facebook"><div class="td-social-but-icon">'
        '<i class="td-icon-facebook"></i></div><div class="td-social-but-text">Facebook</div></a>'
        '<a class="td-social-sharing-button td-social-sharing-button-js td-social-network td-social-twitter" '
        f'href="https://twitter.com/intent/tweet?text={text}&amp;url={enc}" title="Twitter">'
        '<div class="td-social-but-icon"><i class="td-icon-twitter"></i></div>'
        '<div class="td-social-but-text">Twitter</div></a></div>'
    )


def render_tdb(
    site: SiteSpec,
    post: Post,
    other: Post | None,
    origins: dict[str, str],
    chrome: Chrome,
    furniture: Furniture = NONE,
) -> str:
    origin = origins[post.family]
    url = permalink(post, origins)
    trail = crumbs(site, post, origin)
    crumb_links = "".join(
        f'<span><a title="{"" if i == 0 else attr("View all posts in " + name)}" class="tdb-entry-crumb" '
        f'href="{attr(href)}">{esc(name)}</a></span><i class="tdc-font-tdmp tdc-font-tdmp-arrow-right tdb-bread-sep'
        f'{" tdb-bred-no-url-last" if i == len(trail) - 1 else ""}"></i>'
        for i, (name, href) in enumerate(trail)
    )
    short = truncate_crumb(post.title)
    crumb_json = _json(
        {
            "@context": "http://schema.org",
            "@type": "BreadcrumbList",
            "itemListElement": [
                {
                    "@type": "ListItem",
                    "position": i + 1,
                    "item": {
                        "@type": "WebSite" if i == 0 else "WebPage",
                        "@id": href,
                        "name": name,
                    },
                }
                for i, (name, href) in enumerate([*trail, (short, url)])
            ],
        }
    )
    if post.date_layer == "none":
        time_el = '<time class="entry-date updated td-module-date"></time>'
    else:
        time_el = f'<time class="entry-date updated td-module-date" datetime="{iso_local(post.published)}"></time>'
    subtitle = ""
    if post.subtitle:
        subtitle = (
            '<div class="td_block_wrap tdb_single_subtitle tdi_49 td-pb-border-top td_block_template_1">'
            f'<div class="tdb-block-inner td-fix-index"><p>{esc(post.subtitle)}</p></div></div>'
        )
    label, links = available_in(post, other, origins)
    inside = available_group(label, links) if label and post.family == "main" else ""
    after = available_block(label, links) if label and post.family == "news" else ""
    content = furnish(
        body_blocks(post, origins),
        block_figure(post, origin) + "\n" + inside,
        furniture,
        post,
        url,
        origins,
    )
    date_label = "التاريخ:" if post.language == "ar" else "Date:"
    return f"""{article_head(site, post, origins, "-")}
<body class="post-template-default single single-post postid-{post.post_id} single-format-standard td-standard-pack global-block-template-1 tdb_template_1207 tdb-template td-full-layout{" rtl" if post.language == "ar" else ""}" itemscope="itemscope" itemtype="https://schema.org/WebPage">
{fbpx() if post.family == "main" else ""}<div class="td-scroll-up" data-style="style1"><i class="td-icon-menu-up"></i></div>
<div id="td-outer-wrap" class="td-theme-wrap">
{header_html(site, origin, "tdb", chrome.menu)}
<div id="tdb-autoload-article" data-autoload="off" data-autoload-org-post-id="{post.post_id}" data-autoload-type="" data-autoload-count="5">
<div class="td-main-content-wrap td-container-wrap">
<div class="tdc-content-wrap">
<article id="template-id-1207" class="post-1207 tdb_templates type-tdb_templates status-publish post" itemscope itemtype="https://schema.org/Article">
<div id="tdi_40" class="tdc-zone"><div class="tdc_zone tdi_41 wpb_row td-pb-row">
<div class="tdc-row"><div class="vc_row tdi_43 wpb_row td-pb-row">
<div class="vc_column tdi_45 wpb_column vc_column_container tdc-column td-pb-span12"><div class="wpb_wrapper">
<div class="td_block_wrap tdb_breadcrumbs tdi_46 td-pb-border-top td_block_template_1 tdb-breadcrumbs" data-td-block-uid="tdi_46"><div class="tdb-block-inner td-fix-index">{crumb_links}<span class="tdb-bred-no-url-last">{esc(short)}</span></div></div><script type="application/ld+json">{crumb_json}</script>
<div class="td_block_wrap tdb_single_date tdi_47 td-pb-border-top td_block_template_1 tdb-post-meta" data-td-block-uid="tdi_47"><div class="tdb-block-inner td-fix-index"><span class="tdb-date-label">{date_label}</span>{time_el}</div></div>
<div class="td_block_wrap tdb_title tdi_48 tdb-single-title td-pb-border-top td_block_template_1" data-td-block-uid="tdi_48"><div class="tdb-block-inner td-fix-index"><h1 class="tdb-title-text">{headline(post.title, furniture.em)}</h1><div></div><div class="tdb-title-line"></div></div></div>
{subtitle}
</div></div>
</div></div>
<div class="tdc-row"><div class="vc_row tdi_50 wpb_row td-pb-row">
<div class="vc_column tdi_52 wpb_column vc_column_container tdc-column td-pb-span4"><div class="wpb_wrapper">
{RELATED_SLOT}
</div></div>
<div class="vc_column tdi_55 wpb_column vc_column_container tdc-column td-pb-span8"><div class="wpb_wrapper">
<div class="td_block_wrap tdb_single_content tdi_77 td-pb-border-top td_block_template_1 td-post-content tagdiv-type" data-td-block-uid="tdi_77"><div class="tdb-block-inner td-fix-index">{content}</div></div>
<div class="td_block_wrap tdb_single_post_share tdi_78 td-pb-border-top td_block_template_1" data-td-block-uid="tdi_78"><div id="tdi_78" class="td-post-sharing tdb-block td-ps-bg td-ps-notext td-post-sharing-style1">{_share(url, post.title)}</div></div>
{after}
</div></div>
</div></div>
</div></div>
</article>
</div>
</div>
</div>
{footer_html(post.language, chrome.footer)}
</div>
</body>
</html>
"""


def render_classic(
    site: SiteSpec,
    post: Post,
    other: Post | None,
    origins: dict[str, str],
    chrome: Chrome,
    furniture: Furniture = NONE,
) -> str:
    origin = origins[post.family]
    url = permalink(post, origins)
    trail = crumbs(site, post, origin)
    crumb_links = " ".join(
        f'<span><a title="{"" if i == 0 else attr("View all posts in " + name)}" class="entry-crumb" '
        f'href="{attr(href)}">{esc(name)}</a></span> <i class="td-icon-right td-bread-sep'
        f'{" td-bred-no-url-last" if i == len(trail) - 1 else ""}"></i>'
        for i, (name, href) in enumerate(trail)
    )
    primary = site.category(post.category)
    cat_url = f"{origin}{site.category_base}{primary.path}/"
    time_el = ""
    if post.date_layer == "time":
        time_el = (
            '<span class="td-post-date"><time class="entry-date updated td-module-date" '
            f'datetime="{iso_local(post.published)}" >{esc(human_date(post.published, post.language))}</time></span>'
        )
    subtitle = f'<p class="td-post-sub-title">{esc(post.subtitle)}</p>' if post.subtitle else ""
    featured = ""
    if post.image:
        caption = (
            f'<figcaption class="wp-caption-text">{esc(post.image.caption)}</figcaption>'
            if post.image.caption
            else ""
        )
        featured = (
            f'<div class="td-post-featured-image"><figure><a href="{attr(origin + post.image.full_path)}" '
            f'data-caption="{attr(post.image.caption or "")}"><img width="696" height="392" '
            f'class="entry-thumb td-modal-image" src="{attr(origin + post.image.path)}" alt="" title="featured"/>'
            f"</a>{caption}</figure></div>\n"
        )
    label, links = available_in(post, other, origins)
    inside = available_group(label, links) if label and post.family == "main" else ""
    after = available_block(label, links) if label and post.family == "news" else ""
    content = furnish(body_blocks(post, origins), "\n" + inside, furniture, post, url, origins)
    return f"""{article_head(site, post, origins, "|")}
<body class="post-template-default single single-post postid-{post.post_id} single-format-standard global-block-template-1 td-full-layout{" rtl" if post.language == "ar" else ""}" itemscope="itemscope" itemtype="https://schema.org/WebPage">
{fbpx() if post.family == "main" else ""}<div id="td-outer-wrap" class="td-theme-wrap">
{header_html(site, origin, "classic", chrome.menu)}
<div class="td-main-content-wrap td-container-wrap">
    <div class="td-container td-post-template-default ">
        <div class="td-crumb-container"><div class="entry-crumbs">{crumb_links} <span class="td-bred-no-url-last">{esc(post.title)}</span></div></div>
        <div class="td-pb-row">
            <div class="td-pb-span8 td-main-content" role="main">
                <div class="td-ss-main-content">
<article id="post-{post.post_id}" class="post-{post.post_id} post type-post status-publish format-standard has-post-thumbnail hentry category-{primary.path.split("/")[-1]}" itemscope itemtype="https://schema.org/Article">
    <div class="td-post-header">
        <ul class="td-category"><li class="entry-category"><a href="{attr(cat_url)}">{esc(primary.name)}</a></li></ul>
        <header class="td-post-title">
            <h1 class="entry-title">{headline(post.title, furniture.em)}</h1>
            {subtitle}
            <div class="td-module-meta-info">
                {time_el}
                <div class="td-post-views"><i class="td-icon-views"></i><span class="td-nr-views-{post.post_id}">{post.post_id % 997}</span></div>
            </div>
        </header>
    </div>
    <div class="td-post-sharing-top"><div id="td_social_sharing_article_top" class="td-post-sharing td-ps-bg td-ps-notext td-post-sharing-style1 ">{_share(url, post.title)}</div></div>
    <div class="td-post-content tagdiv-type">
        {featured}{content}
    </div>
    {after}
    <footer>
        <div class="td-post-source-tags"></div>
    </footer>
</article>
{RELATED_SLOT}
                </div>
            </div>
        </div>
    </div>
</div>
{footer_html(post.language, chrome.footer)}
</div>
</body>
</html>
"""


def body_blocks(post: Post, origins: dict[str, str]) -> list[str]:
    """The post's blocks as the page spells them (local origins, pasted links as pasted)."""
    href = page_href(origins)
    return [render_block(block, href) for block in post.blocks]


def block_figure(post: Post, origin: str) -> str:
    """The featured image as a block-editor figure at the end of the content (tdb, plain)."""
    if not post.image:
        return ""
    caption = (
        f'<figcaption class="wp-element-caption">{esc(post.image.caption)}</figcaption>'
        if post.image.caption
        else ""
    )
    return (
        '\n<figure class="wp-block-image size-large"><img decoding="async" width="800" height="450" '
        f'src="{attr(origin + post.image.path)}" alt="" class="wp-image-{post.post_id + 1}" />'
        f"{caption}</figure>"
    )


def render_article(
    site: SiteSpec,
    post: Post,
    other: Post | None,
    origins: dict[str, str],
    chrome: Chrome = DEFAULT_CHROME,
    furniture: Furniture = NONE,
) -> str:
    """The whole tagDiv page, with the clock slots still in it."""
    render = render_tdb if post.template == "tdb" else render_classic
    return render(site, post, other, origins, chrome, furniture)
