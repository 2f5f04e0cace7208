"""Re-extraction without re-crawling: archived records re-read from their captures.

A parser bug found today can be fixed for every record archived so far,
offline, from the bytes each record was read from (``capture`` on every
line, the WARC files in ``warc/``), even for pages the site has since
changed or deleted. Modules, one job each:

* ``engine``  -- ``Rereader``: one archived line -> today's record from its capture, and
  what differs;
* ``run``     -- ``reparse``: a whole run under the archive's lock; changed records become
  new versions (``change: reparse``);
* ``diff``    -- a readable diff of a record and its re-reading (``--dry-run``);
* ``report``  -- ``runs/reparse/<run-id>.json``;
* ``command`` -- the ``snhr-crawler reparse`` subcommand.

``verify --deep`` uses the same ``Rereader`` to check that each latest
record's capture still reproduces its ``content_sha256``.
"""

from snhr_crawler.reparse.engine import Reread, Rereader
from snhr_crawler.reparse.run import ReparseRun, reparse

__all__ = ["ReparseRun", "Reread", "Rereader", "reparse"]
