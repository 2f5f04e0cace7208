"""The operations layer: what runs the crawl unattended and tells people how it went.

Modules, one job each:

* ``parser``    -- argparse that reports a usage error on one line (exit 2).
* ``metrics``   -- the few numbers read out of Scrapy's stats (pages, new, errors ...).
* ``coverage``  -- extension: share of scraped records with each field non-empty.
* ``progress``  -- extension: a live line per source in a terminal, periodic log lines in cron.
* ``lock``      -- one run at a time per archive; a dead run's lock is detected as stale.
* ``runs``      -- run ids, ``runs/<run-id>.json`` read and written atomically.
* ``report``    -- the run report built from each crawler's stats.
* ``checks``    -- health checks of a run against thresholds and earlier runs.
* ``runreport`` -- finishing a run (checks, outcome, report file); the extension
                   that does it for ``scrapy crawl`` and Scrapyd runs.
* ``table``     -- plain-text tables for the summary and ``status``.
* ``crawl``     -- the ``crawl`` subcommand: sources in turn in one Scrapy process.
* ``status``    -- the ``status`` subcommand.
* ``export_table``   -- the export's columns, declared once, and an archived line as a typed row.
* ``exporters``      -- item exporters spelling those rows as JSON Lines, CSV and Parquet.
* ``export_package`` -- the Frictionless data package written beside an export.
* ``export``         -- the ``export`` subcommand: one typed table, streamed.
"""
