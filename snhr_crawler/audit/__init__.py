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

The inventory is fetched with Scrapy (project settings, found wherever the
command runs from, so robots.txt and politeness apply), one source **after the
other** in one ``AsyncCrawlerProcess``: sources share hosts, and Scrapy's
per-domain limits are per crawler (as ``snhr-crawler crawl``). The archive side
is read as ``(post_id, url)`` pairs from the index (a scan of the latest
records without one), never as whole records. :func:`run_audit` can be called
once per process (Twisted's reactor does not restart).

Outputs: the printed report, and ``<archive>/state/audit-<source>.json`` with
the same figures (:meth:`AuditReport.to_dict`) for the run report to include.
Exit status of the command: 0 when nothing is missing; 1 when the site lists
posts the archive lacks, or when nothing of a source answered (no REST, no
sitemap, no listing page: one line on stderr per such source, since nothing
could be compared); 2 for usage errors (one line: an unknown source, no source
to audit, a bad or unused ``--origin``, a bad ``--set``).
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
