from snhr_crawler.base_spiders import WordPressSpider
from snhr_crawler.sites.snhr import SNHR_NEWS


class SnhrNewsSpider(WordPressSpider):
    """
    Source
      SNHR daily incident news as the replica renders it with its plain WordPress theme
    Language
      en
    Caveats
      Test-only, loaded alone through SPIDER_MODULES: the same source as the
      project's snhr_news, on the second platform base.
    """

    name = "snhr_news"

    # NewsSpider
    site = SNHR_NEWS
    language = "en"
