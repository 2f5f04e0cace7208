"""The archive: append-only JSON Lines per source and month, a SQLite index, a manifest.

Layout of an archive directory (``ARCHIVE_DIR`` > ``$SNHR_ARCHIVE_DIR`` > ``./archive``)::

    <dir>/<source>/<YYYY-MM>.jsonl   one record per line, by publication month
    <dir>/<source>/undated.jsonl     records without a publication date
    <dir>/index.sqlite3              the state store (WAL mode): latest version per
                                     article, runs and their outcome, discovery state
    <dir>/manifest.json              per file: sha256, bytes, lines, first/last date
    <dir>/quarantine/<source>/...    torn tails cut off at start (never deleted)
    <dir>/crawl.lock                 the one lock: held by the run writing the archive

A line is every ``Article`` field plus ``version`` (1-based), ``previous_sha256``
and ``archived_at``; or a tombstone ``{id, source, url, post_id, removed_at,
status, version, previous_sha256, archived_at, tombstone: true}`` for an
article that now answers 404/410. Nothing is rewritten: an edit appends
version n+1, an unchanged article writes nothing. The schema ships as
``snhr_crawler/schema/article-v1.schema.json``.

Guarantees: a line counts as archived once fsynced and indexed (in that
order); a kill at any point followed by a plain re-run loses and duplicates
nothing (see ``recovery``); ``snhr-crawler verify`` checks all of it.

Modules, one job each:

* ``paths``     -- where things live (archive dir resolution, partitions).
* ``records``   -- the shape and byte encoding of an archived line.
* ``schema``    -- the packaged JSON Schema and its validator.
* ``scan``      -- reading data files line by line with byte offsets.
* ``index``     -- the SQLite state store (WAL): latest version per article, runs,
                   per-source discovery state.
* ``files``     -- appending lines with fsync at batch boundaries.
* ``recovery``  -- torn-tail quarantine and index/file reconciliation at start.
* ``lock``      -- the archive's one lock (``crawl.lock``), for a run or a lone crawl.
* ``store``     -- the write path: versioning decisions, write order, under the lock.
* ``extension`` -- the archive of one crawl, found with ``crawler.get_extension``.
* ``policy``    -- the incremental rules: what to skip, re-check, trust next time.
* ``manifest``  -- ``manifest.json``, replaced atomically.
* ``reader``    -- streaming read API for export/status and researchers.
* ``verify``    -- the ``verify`` check and its CLI subcommand.
"""
