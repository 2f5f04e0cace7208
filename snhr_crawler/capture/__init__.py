"""Evidence-grade capture: every HTTP exchange a crawl makes, kept as WARC/1.1.

The archive keeps our reading of a page; this package keeps the page as the
server sent it, so the reading can be checked, and redone with a better
parser, without fetching anything again. Layout in the archive directory::

    <dir>/warc/<source>/<run-id>-<n>.warc.gz        closed files (one run, rotated by size)
    <dir>/warc/<source>/<run-id>-<n>.warc.gz.open   the file a running crawl writes
    <dir>/quarantine/warc/<source>/...torn          torn tails cut off after a kill

Modules, one job each:

* ``pointer``   -- ``CapturePointer``: file, gzip member, record id, digest, status, date.
* ``messages``  -- Scrapy's Request/Response as the HTTP messages of records, byte-exact.
* ``writer``    -- ``WarcWriter``: exchanges, revisits, warcinfo, gzip per record,
  ``.open`` -> rename, rotation, ``flush()`` that fsyncs.
* ``recovery``  -- cut a torn tail to the last whole record; close files a killed run left.
* ``reader``    -- pointer -> record -> the response the spider saw; ``check_pointer``.
* ``extension`` -- ``WarcCapture``: the Scrapy extension that writes every exchange of a
  crawl and hands each response's pointer forward in ``request.meta``.
"""

from snhr_crawler.capture.extension import (
    CAPTURE_META,
    CAPTURE_PREVIOUS_META,
    WarcCapture,
    capture_of,
)
from snhr_crawler.capture.pointer import CapturePointer, payload_digest
from snhr_crawler.capture.reader import (
    CaptureReadError,
    check_pointer,
    read_record,
    read_warcinfo,
    rebuild_response,
)
from snhr_crawler.capture.recovery import (
    DamagedWarcError,
    TailRecovery,
    recover_open_files,
    recover_torn_tail,
)
from snhr_crawler.capture.writer import CaptureWriteError, RevisitOf, WarcWriter

__all__ = [
    "CAPTURE_META",
    "CAPTURE_PREVIOUS_META",
    "CapturePointer",
    "CaptureReadError",
    "CaptureWriteError",
    "DamagedWarcError",
    "RevisitOf",
    "TailRecovery",
    "WarcCapture",
    "WarcWriter",
    "capture_of",
    "check_pointer",
    "payload_digest",
    "read_record",
    "read_warcinfo",
    "rebuild_response",
    "recover_open_files",
    "recover_torn_tail",
]
