"""``snhr-crawler report``: the archive as a static page of plots, for researchers.

Modules, one job each:

* ``figures`` -- every figure's table and summary numbers, from the export's rows,
                 the run reports and the audit figures (no plotting library needed).
* ``plots``   -- one PNG per figure, drawn from its table with matplotlib (the
                 ``report`` extra).
* ``page``    -- the HTML page: headline, plots, their tables; offline, no script.
* ``command`` -- the ``report`` subcommand: reads the archive, writes the directory.
"""

from snhr_crawler.report.command import register

__all__ = ["register"]
