from snhr_crawler.base_spiders import TagDivSpider
from snhr_crawler.sites.snhr import SNHR_NEWS


class SnhrNewsSpider(TagDivSpider):
    """
    Source
      SNHR daily incident news, https://news.snhr.org
    Language
      en
    Caveats
      Formerly news.sn4hr.org (old links still point there). Posts up to 2019
      use the classic tagDiv markup with the body in <h5> elements. Titles
      carry the incident date, often without a year; the URL carries the
      publication date.
    """

    name = "snhr_news"

    # NewsSpider
    site = SNHR_NEWS
    language = "en"
