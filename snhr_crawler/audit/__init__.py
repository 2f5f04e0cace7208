"""Completeness audit: what the site says it has, against what the archive holds.

``snhr-crawler audit [SOURCE ...] [--archive DIR] [--origin SOURCE=URL]``
asks each site for its own inventory and compares it with the archive:

* the REST API: ``X-WP-Total`` and every post's id, link, date and
  categories (``/wp-json/wp/v2/posts``), category names (``/categories``);
* the sitemaps (robots.txt ``Sitemap:`` lines, else ``sitemap_index.xml``,
  else ``wp-sitemap.xml``): every post URL;
* the category listings of the spider's seeds: page 1 only, whose
  ``a.last`` page count × items per page estimates the listing's size.

Whatever answers is used (each is optional; a 401/403/404 or a WAF page is
noted, not fatal). A post the site lists that the archive lacks is printed by
URL; counts are broken down by month (the URL's publication date) and, when
REST answers, by category.

The inventory is fetched with Scrapy (project settings, so robots.txt and
politeness apply) in one ``CrawlerProcess``; :func:`run_audit` can therefore
be called once per process (Twisted's reactor does not restart).

Outputs: the printed report, and ``<archive>/state/audit-<source>.json`` with
the same figures (:meth:`AuditReport.to_dict`) for the run report to include.
Exit status of the command: 0 when nothing is missing, 1 when the site lists
posts the archive lacks, 2 for usage errors.
"""

from snhr_crawler.audit.command import main, register, report_path, run_audit
from snhr_crawler.audit.compare import AuditReport, compare, listing_estimate
from snhr_crawler.audit.inventory import Inventory, InventorySpider, SitePost

__all__ = [
    "AuditReport",
    "Inventory",
    "InventorySpider",
    "SitePost",
    "compare",
    "listing_estimate",
    "main",
    "register",
    "report_path",
    "run_audit",
]
