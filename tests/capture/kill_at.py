"""``scrapy crawl`` that SIGKILLs itself at a chosen point of the capture write order.

A child of ``test_capture_kills``: ``python -m tests.capture.kill_at POINT N crawl ...``
patches one step, then runs Scrapy's command line. The process dies on the
N-th time it reaches POINT:

``warc-torn``      halfway through a WARC write (the file is left with a torn tail);
``warc-written``   just after an exchange reached the WARC file, before its item;
``barrier``        just after the WARC flush at a batch boundary, before the held
                   lines that point at it are written;
``lines-written``  just after a batch of lines was written, before their fsync and
                   the index commit.
"""

from __future__ import annotations

import os
import signal
import sys
from typing import Any

from scrapy.cmdline import execute


def die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def arm(point: str, n: int) -> None:
    seen = {"count": 0}

    def due() -> bool:
        seen["count"] += 1
        return seen["count"] >= n

    if point == "warc-torn":
        from snhr_crawler.capture import writer

        real_write = writer._os_write

        def torn_write(fd: int, data: Any) -> int:
            if due():
                real_write(fd, bytes(data[: len(data) // 2]))
                die()
            return real_write(fd, data)

        writer._os_write = torn_write
    elif point == "warc-written":
        from snhr_crawler.capture.writer import WarcWriter

        real_append = WarcWriter._append

        def append(self: WarcWriter, current: Any, data: bytes, records: int) -> None:
            real_append(self, current, data, records)
            if records > 1 and due():  # an exchange, not the warcinfo record
                die()

        WarcWriter._append = append  # type: ignore[method-assign]
    elif point == "barrier":
        from snhr_crawler.pipelines import archive

        real_flush = archive._flush_capture

        def flush(capture: Any) -> None:
            real_flush(capture)
            if due():
                die()

        archive._flush_capture = flush
    elif point == "lines-written":
        from snhr_crawler.archive.files import AppendWriter

        real_held = AppendWriter.write_held

        def write_held(self: AppendWriter) -> None:
            real_held(self)
            if due():
                die()

        AppendWriter.write_held = write_held  # type: ignore[method-assign]
    else:
        raise SystemExit(f"unknown kill point {point!r}")


if __name__ == "__main__":
    point, count, *argv = sys.argv[1:]
    arm(point, int(count))
    execute(["scrapy", *argv])
