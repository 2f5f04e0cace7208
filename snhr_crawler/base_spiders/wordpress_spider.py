"""WordPressSpider: WordPress sites on a plain theme (``entry-content`` markup).

Only the theme lives here, as in ``TagDivSpider``; everything else a source
needs (arguments, incremental runs, tombstones, re-checks, discovery through
sitemaps, REST and feeds, record assembly) is ``NewsSpider``'s. A concrete
spider sets ``name``, ``site`` and ``language``.

* ``listing_items``: each ``article`` of the archive loop (``listing_item_css``),
  its ``.entry-title`` link and ``time[datetime]``;
* ``next_page``: ``a.next.page-numbers`` (the default pagination), else the
  classic ``.nav-previous a`` ("Older posts"), else ``link[rel=next]``;
* ``article_parser``: ``WordPressArticleParser`` (``wordpress_page``).
"""

from __future__ import annotations

from typing import ClassVar

from scrapy.http import TextResponse

from snhr_crawler.base_spiders.news_spider import NewsSpider, first_matches
from snhr_crawler.base_spiders.wordpress_page import WordPressArticleParser


class WordPressSpider(NewsSpider):
    # WordPressSpider
    listing_item_css: ClassVar[str] = "main article, #main article, .site-main article"
    next_page_css: ClassVar[tuple[str, ...]] = (
        "a.next.page-numbers::attr(href)",
        ".nav-previous a::attr(href)",
        'link[rel="next"]::attr(href)',
    )

    def listing_items(
        self, response: TextResponse, limit: int | None = None
    ) -> list[tuple[str, str | None]]:
        items = []
        for post in first_matches(response, self.listing_item_css, limit):
            href = post.css(".entry-title a::attr(href)").get()
            if href:
                items.append((href.strip(), post.css("time::attr(datetime)").get()))
        return items

    def next_page(self, response: TextResponse, page: int) -> str | None:
        for css in self.next_page_css:
            if found := response.css(css).get():
                return found
        return None

    def article_parser(self) -> WordPressArticleParser:
        return WordPressArticleParser(self.site_origin.to_public, self.language)
