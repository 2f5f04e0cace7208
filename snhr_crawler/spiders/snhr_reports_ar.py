from snhr_crawler.base_spiders import TagDivSpider
from snhr_crawler.sites.snhr import SNHR_REPORTS_AR


class SnhrReportsArSpider(TagDivSpider):
    """
    Source
      SNHR reports, statements and events in Arabic, https://snhr.org/arabic/
    Language
      ar
    Caveats
      A WordPress multisite sub-site (blog_id 2): permalinks start with
      "/arabic/" (no "/blog/"), uploads live under
      "/arabic/wp-content/uploads/sites/2/", and post ids are independent
      of the English site's. Titles pair the Levantine and standard month
      names ("كانون الأول/ديسمبر 2024"). Some pages are served as
      windows-1256 without a charset; ``decode`` reads them right.
      media.snhr.org press clippings are never followed.
    """

    name = "snhr_reports_ar"

    # NewsSpider
    site = SNHR_REPORTS_AR
    language = "ar"
