"""PdfPipeline: report PDFs downloaded once into the archive (opt-in).

Reports and statements link their full text as a PDF; the record keeps the
link in ``attachments`` either way. With ``DOWNLOAD_PDFS = True`` this
pipeline also fetches each PDF into ``<ARCHIVE_DIR>/files/`` (ARCHIVE_DIR:
the setting, else ``$SNHR_ARCHIVE_DIR``, else ./archive) and records in the
attachment entry what an archivist needs to trust the copy later:
``sha256`` and ``size`` of the stored bytes and ``path`` (relative to
ARCHIVE_DIR). Off, it raises ``NotConfigured`` and Scrapy leaves it out.

It is Scrapy's ``FilesPipeline`` with SNHR's rules:

* files are named after the *public* URL (``files/<host>/<sha1>.pdf``), so a
  crawl of the local replica and of the live site share one copy, and
  Scrapy requests them from the run's origin (``Origin.to_fetch``);
* "once": within a run FilesPipeline fetches a URL a single time, across
  runs a stored file is kept for ``FILES_EXPIRES`` days, 100 years here
  (PDFs of published reports do not change; set ``FILES_EXPIRES`` to
  re-check them);
* the digest is SHA-256 of the stored file, not FilesPipeline's MD5, and is
  recomputed for files stored by earlier runs.

Run it before the archive pipeline (e.g. at 350; the archive is at 400) so
the archived record carries the enriched attachments.

Stats: ``snhr/pdfs/stored`` (attachments enriched), ``snhr/pdfs/failed``
(download failed; the entry keeps url and title only), ``snhr/pdfs/offsite``
(a PDF on another host, kept as a link and not fetched), plus Scrapy's own
``file_count`` and ``file_status_count/<downloaded|uptodate|cached>``.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.http.request import NO_CALLBACK
from scrapy.pipelines.files import FilesPipeline

from snhr_crawler.archive.paths import resolve_archive_dir
from snhr_crawler.items import Article

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.pipelines.media import MediaPipeline

#: Where files go, inside the archive directory.
FILES_DIR = "files"
#: The meta key carrying an attachment's public URL on its download request.
PUBLIC_URL_META = "snhr_public_url"


def _is_pdf(url: str) -> bool:
    return urlsplit(url).path.lower().endswith(".pdf")


def file_digest(path: Path) -> tuple[str, int]:
    """(sha256 hex, size in bytes) of a stored file, read in chunks."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


class PdfPipeline(FilesPipeline):
    EXPIRES = 36500  # days; FilesPipeline's default is 90

    def __init__(self, archive_dir: Path, *, crawler: Crawler) -> None:
        self.archive_dir = archive_dir
        self.files_dir = archive_dir / FILES_DIR
        super().__init__(str(self.files_dir.resolve()), crawler=crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("DOWNLOAD_PDFS"):
            raise NotConfigured("DOWNLOAD_PDFS is off")
        return cls(resolve_archive_dir(crawler.settings), crawler=crawler)

    def _downloadable(self, item: Article, info: MediaPipeline.SpiderInfo) -> list[str]:
        """Public URLs of the item's PDFs on the spider's own site, in attachment order.

        A PDF on another host (a UN document, a partner's site) stays a link:
        fetching it would leave the site the run is allowed to crawl.
        """
        origin = getattr(info.spider, "site_origin", None)
        return [
            url
            for attachment in item.attachments
            if _is_pdf(url := attachment.get("url") or "") and (origin is None or origin.owns(url))
        ]

    def get_media_requests(self, item: Any, info: MediaPipeline.SpiderInfo) -> list[Request]:
        if not isinstance(item, Article):
            return []
        origin = getattr(info.spider, "site_origin", None)
        return [
            Request(
                origin.to_fetch(url) if origin is not None else url,
                callback=NO_CALLBACK,
                meta={PUBLIC_URL_META: url},
                priority=-10,  # pages first: a slow PDF never holds up the crawl
            )
            for url in self._downloadable(item, info)
        ]

    def file_path(
        self,
        request: Request,
        response: Response | None = None,
        info: MediaPipeline.SpiderInfo | None = None,
        *,
        item: Any = None,
    ) -> str:
        public = request.meta.get(PUBLIC_URL_META, request.url)
        host = urlsplit(public).hostname or "unknown"
        name = hashlib.sha1(public.encode("utf-8"), usedforsecurity=False).hexdigest()
        return f"{host}/{name}.pdf"

    def item_completed(self, results: list[Any], item: Any, info: MediaPipeline.SpiderInfo) -> Any:
        if not isinstance(item, Article):
            return item
        stats = self.crawler.stats
        assert stats is not None
        wanted = self._downloadable(item, info)
        stored: dict[str, str] = {}
        for url, (ok, result) in zip(wanted, results, strict=True):
            if ok:
                stored[url] = result["path"]
            else:
                stats.inc_value("snhr/pdfs/failed")
        for attachment in item.attachments:
            url = attachment.get("url") or ""
            relative = stored.get(url)
            if relative is None:
                if _is_pdf(url) and url not in wanted:
                    stats.inc_value("snhr/pdfs/offsite")
                continue
            sha256, size = file_digest(self.files_dir / relative)
            attachment.update(sha256=sha256, size=size, path=f"{FILES_DIR}/{relative}")
            stats.inc_value("snhr/pdfs/stored")
        return item
