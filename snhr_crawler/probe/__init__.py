"""First contact with a live site: ``snhr-crawler probe [SOURCE...]``.

Nobody building this crawler has seen SNHR's live sites: the seeds' category
slugs, the sitemap style, the REST API's state, the page size and the markup
were read from captured pages and WordPress defaults. The probe asks each
site, politely and read-only (about 20 requests a source, through Scrapy
with the project's politeness: robots.txt obeyed, Crawl-delay honoured), what
it really offers, and sets that against what the crawl assumes:

* robots.txt: its rules, Crawl-delay, the sitemaps it names, and whether it
  forbids anything the crawl fetches;
* sitemaps (robots.txt's, else Yoast's ``sitemap_index.xml``, else core's
  ``wp-sitemap.xml``) and their post URL count (exact, or estimated from the
  first and last post sitemap: every file but the last is full);
* the REST API's answer and ``X-WP-Total``; the feed;
* the site's categories (``/wp/v2/categories`` with post counts, the category
  sitemap, the home page's menus and links, the sampled articles'
  breadcrumbs) against the seeds: confirmed, missing (404, with the category
  that has the seed's name now), extra;
* the theme seen (tagDiv Cloud Library ``tdb_*``, classic tagDiv ``td-*``,
  plain WordPress, other) on the home page and the articles;
* a sample of articles (default 5, spread from the oldest to the newest),
  each read by the source's own parser: which extraction layer served each
  field, whether the header's "today" widget is recognised as chrome, the
  page's language and charset;
* which discovery path ``crawl``'s default ``auto`` would take.

It writes ``<archive>/state/profile-<source>.json`` (the shift alarm's first
baseline, ``snhr_crawler.ops.layershift``), prints a table and exits 1 when
something the crawl relies on is missing (``findings.judge``).

* ``spider``   -- ``ProbeSpider``: the requests, within the budget;
* ``pages``    -- theme, "today" widget, language and charset of one page;
* ``findings`` -- what was found, the verdict, the auto path, the profile;
* ``render``   -- the printed report;
* ``command``  -- the subcommand.
"""

from snhr_crawler.probe.command import register, run_probe

__all__ = ["register", "run_probe"]
