"""PdfPipeline configuration: opt-in, where files go, how they are named."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from snhr_crawler.items import Article
from snhr_crawler.pipelines.pdfs import PUBLIC_URL_META, PdfPipeline
from snhr_crawler.spiders.snhr_reports import SnhrReportsSpider
from tests.helpers import make_spider


def test_off_by_default() -> None:
    with pytest.raises(NotConfigured):
        PdfPipeline.from_crawler(get_crawler(SnhrReportsSpider))


@pytest.mark.parametrize(
    ("setting", "env", "expected"),
    [
        ("/data/a", "/data/b", "/data/a/files"),  # the setting first
        (None, "/data/b", "/data/b/files"),  # then $SNHR_ARCHIVE_DIR
        (None, None, "archive/files"),  # then ./archive
    ],
)
def test_files_go_under_the_archive_dir(
    setting: str | None,
    env: str | None,
    expected: str,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.chdir(tmp_path)
    if env:
        monkeypatch.setenv("SNHR_ARCHIVE_DIR", env)
    else:
        monkeypatch.delenv("SNHR_ARCHIVE_DIR", raising=False)
    settings = {"DOWNLOAD_PDFS": True, **({"ARCHIVE_DIR": setting} if setting else {})}
    pipeline = PdfPipeline.from_crawler(get_crawler(SnhrReportsSpider, settings_dict=settings))
    assert pipeline.files_dir == Path(expected)
    assert pipeline.store.basedir == str(Path(expected).resolve())


def test_requests_go_to_the_run_origin_and_files_are_named_after_the_public_url(
    tmp_path: Path,
) -> None:
    spider = make_spider(SnhrReportsSpider, origin="http://127.0.0.1:8802")
    settings = {"DOWNLOAD_PDFS": True, "ARCHIVE_DIR": str(tmp_path)}
    pipeline = PdfPipeline.from_crawler(get_crawler(SnhrReportsSpider, settings_dict=settings))
    public = "https://snhr.org/wp-content/uploads/2025/01/R250101E.pdf"
    article = Article(
        id="snhr_reports:1",
        source="snhr_reports",
        site="snhr.org",
        language="en",
        url="https://snhr.org/blog/2025/01/02/x/",
        post_id=1,
        title="x",
        attachments=[
            {"url": public, "title": "Download the full report"},
            {"url": "https://snhr.org/wp-content/uploads/2025/01/table.xlsx", "title": "Data"},
        ],
    )

    class Info:
        pass

    info = Info()
    info.spider = spider  # type: ignore[attr-defined]
    (request,) = pipeline.get_media_requests(article, info)  # type: ignore[arg-type]
    assert request.url == "http://127.0.0.1:8802/wp-content/uploads/2025/01/R250101E.pdf"
    assert request.meta[PUBLIC_URL_META] == public
    live = Request(public, meta={PUBLIC_URL_META: public})
    assert pipeline.file_path(request) == pipeline.file_path(live)
    assert pipeline.file_path(request).startswith("snhr.org/")
    assert pipeline.file_path(request).endswith(".pdf")


def test_completed_downloads_enrich_attachments_failures_and_offsite_do_not(
    tmp_path: Path,
) -> None:
    spider = make_spider(SnhrReportsSpider)
    crawler = get_crawler(
        SnhrReportsSpider, settings_dict={"DOWNLOAD_PDFS": True, "ARCHIVE_DIR": str(tmp_path)}
    )
    pipeline = PdfPipeline.from_crawler(crawler)
    crawler.stats.open_spider()
    ok_url = "https://snhr.org/wp-content/uploads/2025/01/R250101E.pdf"
    failed_url = "https://snhr.org/wp-content/uploads/2025/01/missing.pdf"
    offsite_url = "https://www.un.org/documents/A-HRC-57-84.pdf"
    article = Article(
        id="snhr_reports:1",
        source="snhr_reports",
        site="snhr.org",
        language="en",
        url="https://snhr.org/blog/2025/01/02/x/",
        post_id=1,
        title="x",
        attachments=[
            {"url": ok_url, "title": "Download the full report"},
            {"url": failed_url, "title": "Annex"},
            {"url": offsite_url, "title": "UN report"},
        ],
    )

    class Info:
        pass

    info = Info()
    info.spider = spider  # type: ignore[attr-defined]
    requests = pipeline.get_media_requests(article, info)  # type: ignore[arg-type]
    assert [r.meta[PUBLIC_URL_META] for r in requests] == [ok_url, failed_url]
    relative = pipeline.file_path(requests[0])
    stored = tmp_path / "files" / relative
    stored.parent.mkdir(parents=True)
    stored.write_bytes(b"%PDF-1.4\n%%EOF\n")
    results = [(True, {"url": requests[0].url, "path": relative}), (False, Exception("404"))]
    pipeline.item_completed(results, article, info)  # type: ignore[arg-type]
    ok, failed, offsite = article.attachments
    assert ok == {
        "url": ok_url,
        "title": "Download the full report",
        "sha256": hashlib.sha256(b"%PDF-1.4\n%%EOF\n").hexdigest(),
        "size": 15,
        "path": f"files/{relative}",
    }
    assert failed == {"url": failed_url, "title": "Annex"}
    assert offsite == {"url": offsite_url, "title": "UN report"}
    stats = crawler.stats.get_stats()
    assert stats["snhr/pdfs/stored"] == 1
    assert stats["snhr/pdfs/failed"] == 1
    assert stats["snhr/pdfs/offsite"] == 1
