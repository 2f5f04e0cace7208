"""The archive: append-only JSON Lines per source and month, a SQLite index, a manifest.

Modules, one job each:

* ``paths``     -- where things live (archive dir resolution, partitions).
* ``records``   -- the shape and byte encoding of an archived line.
* ``schema``    -- the packaged JSON Schema and its validator.
* ``index``     -- the SQLite state index (WAL): latest version per article.
* ``files``     -- appending lines with fsync at batch boundaries.
* ``recovery``  -- torn-tail quarantine and index/file reconciliation at start.
* ``store``     -- the write path: versioning decisions, write order, one store per dir.
* ``state``     -- the read-only view the spider gets as ``crawler.archive``.
* ``manifest``  -- ``manifest.json``: per-file hash, lines and dates, replaced atomically.
* ``reader``    -- streaming read API for export/status.
* ``verify``    -- the ``verify`` check and its CLI subcommand.
"""
