from snhr_crawler.base_spiders import TagDivSpider
from snhr_crawler.sites.snhr import SNHR_NEWS_AR


class SnhrNewsArSpider(TagDivSpider):
    """
    Source
      SNHR daily incident news in Arabic, https://news.snhr.org/ar/
    Language
      ar
    Caveats
      Same WordPress install as the English news (post ids are shared, so
      Arabic slugs collide and get "-2" suffixes); category slugs end in
      "-ar". Slugs are percent-encoded Arabic, in lower- or upper-case hex
      (both canonicalise to one key). Titles carry the incident date with
      Levantine month names ("6 آذار"), often without a year, or as
      dd-mm-yyyy. Some pages are served as windows-1256 without a charset;
      ``decode`` reads them right (stats ``snhr/charset/*``).
    """

    name = "snhr_news_ar"

    # NewsSpider
    site = SNHR_NEWS_AR
    language = "ar"
