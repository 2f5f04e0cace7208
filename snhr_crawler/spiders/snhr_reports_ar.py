from scrapy.http import TextResponse

from snhr_crawler.base_spiders import TagDivSpider


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
    allowed_domains = ["snhr.org"]

    # NewsSpider
    public_origin = "https://snhr.org"
    language = "ar"

    # TagDivSpider
    def _listing_items(self, response: TextResponse) -> list[tuple[str, str | None]]:
        """Only this site's posts: allowed_domains also admits subdomains (media.*)."""
        items = super()._listing_items(response)
        own = [item for item in items if self.site_origin.owns(response.urljoin(item[0]))]
        if len(own) < len(items):
            self.inc_stat("snhr/listing/offsite", len(items) - len(own))
        return own
