"""Base spiders, outside ``spiders/`` so that every module there is one source.

``NewsSpider`` holds what every source needs (arguments, incremental runs,
tombstones, re-checks, discovery, record assembly); a platform base adds only
its theme: listing selectors, pagination and an article parser.

Choose a base: ``TagDivSpider`` for WordPress on the tagDiv Newspaper theme
(all SNHR sites); ``WordPressSpider`` for WordPress on a plain theme
(``entry-content`` markup); ``NewsSpider`` itself for anything else (write
the three listing hooks and an ``article_parser``). See docs/adding-a-spider.md.
"""

from snhr_crawler.base_spiders.news_spider import NewsSpider
from snhr_crawler.base_spiders.tagdiv_spider import TagDivSpider
from snhr_crawler.base_spiders.wordpress_spider import WordPressSpider

__all__ = ["NewsSpider", "TagDivSpider", "WordPressSpider"]
