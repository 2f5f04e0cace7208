"""The page shell every tagDiv page shares: ``<head>`` basics, header, footer.

The header carries the "today" widget as :data:`DATE_SLOT`; the footer carries
the fault links (calendar trap, redirect loop) only when those faults are on.
"""

from __future__ import annotations

from dataclasses import dataclass

from .html_common import DATE_SLOT, SITE_NAME, attr, esc
from .sites import SiteSpec


@dataclass(frozen=True)
class Chrome:
    """What every page of a family shares around its content: the menu's mode, footer links."""

    footer: str = ""  # fault links (trap, loop) when those faults are on
    menu: str = "top"  # the ``menu`` switch: none | top | tree


DEFAULT_CHROME = Chrome()


#: The theme stylesheet each theme's pages link (tagDiv Newspaper, or a plain theme).
STYLESHEETS = {
    "tagdiv": "<link rel='stylesheet' id='td-theme-css' href='{origin}/wp-content/themes/Newspaper/style.css?ver=12.6.5' type='text/css' media='all' />",
    "plain": "<link rel='stylesheet' id='snhr-style-css' href='{origin}/wp-content/themes/snhr/style.css?ver=1.4.2' type='text/css' media='all' />",
}


def head_common(site: SiteSpec, origin: str, title: str, theme: str = "tagdiv") -> str:
    lang = 'lang="ar" dir="rtl"' if site.language == "ar" else 'lang="en-US"'
    return f"""<!DOCTYPE html>
<!--[if IE 8]><html class="ie8" lang="en"><![endif]-->
<html {lang}>
<head>
<title>{esc(title)}</title>
<meta charset="UTF-8" />
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="pingback" href="{origin}{site.root}xmlrpc.php" />
<meta name="robots" content="index, follow, max-image-preview:large, max-snippet:-1, max-video-preview:-1" />
<link rel="alternate" type="application/rss+xml" title="{attr(SITE_NAME[site.language])} &raquo; Feed" href="{origin}{site.root}feed/" />
<link rel="https://api.w.org/" href="{origin}{site.root}wp-json/" />
{STYLESHEETS[theme].format(origin=origin)}"""


#: A menu entry: (label, URL, sub-menu entries).
MenuItem = tuple[str, str, list[tuple[str, str]]]


def menu_items(site: SiteSpec, origin: str, mode: str = "top") -> list[MenuItem]:
    """The main menu: Home, the categories (``mode``: none, top-level, or the tree), the other language."""
    items: list[MenuItem] = [(site.home_crumb, origin + site.root, [])]
    if mode != "none":
        for cat in site.categories:
            if cat.parent is not None:
                continue
            children = [
                (child.name, f"{origin}{site.category_base}{child.path}/")
                for child in site.categories
                if child.parent == cat.key and mode == "tree"
            ]
            items.append((cat.name, f"{origin}{site.category_base}{cat.path}/", children))
    other_root = {"/": "/ar/" if site.family == "news" else "/arabic/"}.get(site.root, "/")
    items.append(("English" if site.language == "ar" else "عربي", origin + other_root, []))
    return items


def _tagdiv_menu(items: list[MenuItem], template: str) -> str:
    """tagDiv's menu markup: tdb items with ``tdb-menu-item-text``, sub-menus in ``ul.sub-menu``."""

    def label(name: str) -> str:
        return (
            f'<div class="tdb-menu-item-text">{esc(name)}</div>' if template == "tdb" else esc(name)
        )

    out = []
    for name, href, children in items:
        if not children:
            out.append(f'<li class="menu-item"><a href="{attr(href)}">{label(name)}</a></li>')
            continue
        subs = "".join(
            f'<li class="menu-item menu-item-type-taxonomy menu-item-object-category">'
            f'<a href="{attr(child_href)}">{label(child)}</a></li>'
            for child, child_href in children
        )
        icon = (
            '<i class="tdb-sub-menu-icon td-icon-down tdb-main-sub-menu-icon"></i>'
            if template == "tdb"
            else ""
        )
        out.append(
            '<li class="menu-item menu-item-type-taxonomy menu-item-object-category menu-item-has-children">'
            f'<a href="{attr(href)}">{label(name)}{icon}</a><ul class="sub-menu">{subs}</ul></li>'
        )
    return "".join(out)


def header_html(site: SiteSpec, origin: str, template: str, menu_mode: str = "top") -> str:
    menu = _tagdiv_menu(menu_items(site, origin, menu_mode), template)
    if template == "classic":
        return (
            '<div class="td-header-wrap td-header-style-1"><div class="td-header-top-menu-full td-container-wrap">'
            '<div class="td-container td-header-row td-header-top-menu"><div class="top-bar-style-1">'
            f'<div class="td-header-sp-top-menu"><div class="td_data_time"><div style="visibility:hidden;">{DATE_SLOT}</div></div>'
            f'<div class="menu-top-container"><ul id="menu-top" class="top-header-menu">{menu}</ul></div>'
            "</div></div></div></div>"
            '<div class="td-banner-wrap-full td-logo-wrap-full td-container-wrap"><div class="td-container td-header-row td-header-header">'
            f'<div class="td-header-sp-logo"><a class="td-main-logo" href="{origin}{site.root}"><span class="td-visual-hidden">'
            f"{esc(SITE_NAME[site.language])}</span></a></div></div></div></div>"
        )
    return (
        '<div class="td-header-template-wrap" style="position: relative"><div class="td-header-desktop-wrap">'
        '<div id="tdi_1" class="tdc-zone"><div class="tdc_zone tdi_2 wpb_row td-pb-row tdc-element-style">'
        '<div class="tdc-row"><div class="vc_row tdi_4 wpb_row td-pb-row">'
        '<div class="vc_column tdi_6 wpb_column vc_column_container tdc-column td-pb-span4"><div class="wpb_wrapper">'
        '<div class="td_block_wrap tdb_header_date tdi_7 td-pb-border-top td_block_template_1 tdb-header-align" '
        'data-td-block-uid="tdi_7"><div class="tdb-block-inner td-fix-index">'
        f'<div class="tdb-head-date-txt">{DATE_SLOT}</div></div></div></div></div>'
        '<div class="vc_column tdi_9 wpb_column vc_column_container tdc-column td-pb-span8"><div class="wpb_wrapper">'
        '<div class="td_block_wrap tdb_header_menu tdi_10 tds_menu_active1 td-pb-border-top td_block_template_1 tdb-header-align">'
        '<div id="tdi_10" class="td_block_inner td-fix-index"><ul id="menu-main-menu" '
        f'class="tdb-block-menu tdb-menu tdb-menu-items-visible">{menu}</ul></div></div>'
        "</div></div></div></div></div></div></div></div>"
    )


def footer_html(language: str, extra: str) -> str:
    """Footer; ``extra`` holds fault links (trap/loop) when those faults are on."""
    copy = "جميع الحقوق محفوظة" if language == "ar" else "All rights reserved."
    return (
        '<div class="td-footer-template-wrap" style="position: relative"><div class="td-footer-wrap">'
        f'{extra}<div class="tdb-footer-copy">Copyright © SNHR. {copy}</div></div></div>'
    )
