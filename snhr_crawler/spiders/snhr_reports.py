from snhr_crawler.base_spiders import TagDivSpider
from snhr_crawler.sites.snhr import SNHR_REPORTS


class SnhrReportsSpider(TagDivSpider):
    """
    Source
      SNHR reports, statements and events (main site), https://snhr.org/blog/
    Language
      en
    Caveats
      Formerly sn4hr.org (old links still point there; they collapse into
      snhr.org). Permalinks carry the multisite "/blog/" prefix and, from
      2012 to 2021, a numeric slug equal to the post id. Reports open with
      "Press release: (Download the full report below)" and a dateline
      ("Paris –", "The Hague –"); the PDF link becomes an attachment
      (downloaded only with DOWNLOAD_PDFS). The "Available In" group inside
      the content names the Arabic version (``translations``).
      media.snhr.org press clippings are not SNHR documents and never
      followed, although allowed_domains would admit the subdomain.
    """

    name = "snhr_reports"

    # NewsSpider
    site = SNHR_REPORTS
    language = "en"
