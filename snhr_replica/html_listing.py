"""Category archives and home pages in the tdb category template.

Loop items are ``div.tdb_loop .td_module_flex``; the "Latest News" sidebar sits
outside the loop. With ``legacy_links`` about 1 item in 15 links the ``?p=ID``
shortlink and 1 in 15 the old public host (no trailing slash), chosen per
(listing, post) so one post is linked differently in different listings.
"""

from __future__ import annotations

from .html_blocks import latest_sidebar, module_flex
from .html_common import SITE_NAME, esc, fbpx, pagination
from .html_shell import Chrome, footer_html, head_common, header_html
from .model import Post
from .rand import unit
from .sites import OLD_HOST, SiteSpec
from .slugs import uppercase_escapes


def item_href(
    seed: int, listing: str, post: Post, site: SiteSpec, origin: str, legacy: bool
) -> str:
    """How a listing links ``post``: permalink, shortlink, or the old host spelled literally."""
    roll = unit(seed, "legacy", listing, post.post_id) if legacy else 1.0
    if roll < 1 / 15:
        return f"{origin}{site.wp_home}?p={post.post_id}"
    if roll < 2 / 15:
        path = post.path.rstrip("/")
        if site.language == "ar":
            return f"https://{OLD_HOST[site.family]}{uppercase_escapes(path)}/"
        return f"http://{OLD_HOST[site.family]}{path}"
    return origin + post.path


def render_listing(
    *,
    site: SiteSpec,
    heading: str,
    items: list[tuple[Post, str]],
    page: int,
    last: int,
    base_url: str,
    origins: dict[str, str],
    latest: list[Post],
    chrome: Chrome,
) -> str:
    """A tdb category archive (or the home page): ``items`` are (post, how the loop links it)."""
    origin = origins[site.family]
    label = f"{heading} - {SITE_NAME[site.language]}"
    canonical = base_url if page == 1 else f"{base_url}page/{page}/"
    loop = "".join(module_flex(p, origins, p.path, href) for p, href in items)
    return f"""{head_common(site, origin, label)}
<link rel="canonical" href="{canonical}" />
</head>
<body class="archive category tdb_template tdb-template td-full-layout{" rtl" if site.language == "ar" else ""}">
{fbpx() if site.family == "main" else ""}<div id="td-outer-wrap" class="td-theme-wrap">
{header_html(site, origin, "tdb", chrome.menu)}
<div class="td-main-content-wrap td-container-wrap"><div class="tdc-content-wrap">
<div class="tdc-row"><div class="vc_row wpb_row td-pb-row">
<div class="vc_column wpb_column vc_column_container tdc-column td-pb-span8"><div class="wpb_wrapper">
<div class="td_block_wrap tdb_category_title tdi_60 td-pb-border-top td_block_template_1"><div class="tdb-block-inner td-fix-index"><h1 class="tdb-title-text">{esc(heading)}</h1></div></div>
<div class="td_block_wrap tdb_loop tdi_61 tdb-numbered-pagination td_with_ajax_pagination td-pb-border-top td_block_template_1 tdb-category-loop-posts"><div id="tdi_61" class="td_block_inner tdb-block-inner td-fix-index">
{loop}</div>
{pagination(base_url, page, last, site.language)}
</div>
</div></div>
<div class="vc_column wpb_column vc_column_container tdc-column td-pb-span4"><div class="wpb_wrapper">
{latest_sidebar(latest, origins, site.language)}
</div></div>
</div></div>
</div></div>
{footer_html(site.language, chrome.footer)}
</div>
</body>
</html>
"""


def render_not_found(site: SiteSpec, origin: str, chrome: Chrome) -> str:
    """The theme's 404 page (also served with 200 by the soft-404 fault)."""
    text = "الصفحة غير موجودة" if site.language == "ar" else "Page not found"
    return f"""{head_common(site, origin, f"{text} - {SITE_NAME[site.language]}")}
</head>
<body class="error404 tdb-template td-full-layout">
<div id="td-outer-wrap" class="td-theme-wrap">
{header_html(site, origin, "tdb", chrome.menu)}
<div class="td-main-content-wrap td-container-wrap"><div class="td-404-title">{text}</div>
<div class="td-404-sub-title">Ooops... Error 404</div></div>
{footer_html(site.language, chrome.footer)}
</div>
</body>
</html>
"""
