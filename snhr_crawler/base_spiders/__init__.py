"""Base spiders, outside ``spiders/`` so that every module there is one source.

Choose a base: ``TagDivSpider`` for a WordPress site on the tagDiv Newspaper
theme (all SNHR sites); ``NewsSpider`` for anything else (write the listing
and article callbacks yourself). See docs/adding-a-spider.md.
"""

from snhr_crawler.base_spiders.news_spider import NewsSpider
from snhr_crawler.base_spiders.tagdiv_spider import TagDivSpider

__all__ = ["NewsSpider", "TagDivSpider"]
