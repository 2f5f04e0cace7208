"""TagDivSpider: WordPress sites on the tagDiv Newspaper theme (all of SNHR's).

Only the theme lives here; arguments, incremental runs, tombstones, re-checks,
discovery and record assembly are ``NewsSpider``'s. A concrete spider is a
handful of class attributes (``name``, ``site``, ``language``; see
``NewsSpider``).

* ``listing_items`` reads the loop items (never the sidebar or "Related
  News"): the first of ``listing_item_css`` that matches, each item's
  ``.entry-title`` link and ``time[datetime]``.
* ``next_page`` follows the theme's pagination: the ``.page-nav`` next link
  (``next_page_css``), else ``/page/N+1/`` while below ``a.last``.
* ``page_count`` reads ``a.last`` (the audit and ``snhr/listing/last_page``).
* ``article_parser`` is the layered ``TagDivArticleParser`` (``tdb_*`` markup,
  classic ``td-*`` markup, then JSON-LD and meta tags, then the URL).
"""

from __future__ import annotations

import re
from typing import ClassVar

from scrapy.http import TextResponse

from snhr_crawler.base_spiders.news_spider import NewsSpider, first_matches
from snhr_crawler.extract import TagDivArticleParser

_PAGE_IN_PATH = re.compile(r"/page/(\d+)/?$")


class TagDivSpider(NewsSpider):
    # TagDivSpider
    #: Loop items of a category listing; the first selector that matches wins.
    listing_item_css: ClassVar[tuple[str, ...]] = (
        ".tdb_loop .td_module_flex",
        ".td-ss-main-content .td_module_wrap",
        ".td-main-content .td_module_wrap",
    )
    next_page_css: ClassVar[str] = ".page-nav a[aria-label=next-page]::attr(href)"

    def listing_items(
        self, response: TextResponse, limit: int | None = None
    ) -> list[tuple[str, str | None]]:
        for css in self.listing_item_css:
            modules = first_matches(response, css, limit)
            if modules:
                items = []
                for module in modules:
                    href = module.css(
                        "h3.entry-title a::attr(href), .entry-title a::attr(href)"
                    ).get()
                    if href:
                        items.append((href.strip(), module.css("time::attr(datetime)").get()))
                return items
        return []

    def next_page(self, response: TextResponse, page: int) -> str | None:
        """The theme's next link, else page + 1 while below ``a.last``."""
        explicit = response.css(self.next_page_css).get()
        if explicit:
            return explicit
        last = self.page_count(response)
        if last is not None and page < last:
            base = _PAGE_IN_PATH.sub("/", response.url.split("?")[0])  # the walk checks the bound
            return f"{base.rstrip('/')}/page/{page + 1}/"
        return None

    def page_count(self, response: TextResponse) -> int | None:
        """The listing's page count from tagDiv's ``a.last``."""
        last = response.css(".page-nav a.last::attr(title), .page-nav a.last::text").get()
        text = (last or "").strip()
        return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None

    def article_parser(self) -> TagDivArticleParser:
        return TagDivArticleParser(self.site_origin.to_public, self.language)
