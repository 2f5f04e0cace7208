"""Releases that researchers and courts can check.

``snhr-crawler release`` packs each run as a WACZ (its WARC files, a CDXJ
index, a page per archived record, the run's JSON Lines, the manifest
chain), optionally timestamped by RFC 3161 authorities, with a collection
over all of them; ``verify`` checks every recorded release against the
archive; ``snhr-crawler show ID`` follows one record from its versions to
their captures, the release and the timestamp that cover them.

Modules, one job each:

* ``runs``       -- which bytes of the data files, and which WARC files, a run wrote.
* ``wacz``       -- the ZIP: members hashed as written, ``datapackage.json``, the digest.
* ``build``      -- one run's WACZ: WARC, CDXJ, pages, records, manifest chain, report.
* ``timestamp``  -- RFC 3161: the configured authorities, asking one, checking a token.
* ``record``     -- what the archive keeps of each release (``releases/<name>/``).
* ``collection`` -- ``collection.json``: the releases of a folder as one collection.
* ``checks``     -- verify's release checks: the archive still gives what was released.
* ``provenance`` -- one record's history, captures, release and timestamps (``show``).
* ``command``, ``show`` -- the two subcommands.
"""
