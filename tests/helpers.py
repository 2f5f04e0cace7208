"""Test helpers: fixture responses, spiders built like Scrapy builds them, serialisation."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from itemadapter import ItemAdapter
from scrapy import Request, Spider
from scrapy.http import HtmlResponse
from scrapy.utils.project import get_project_settings
from scrapy.utils.serialize import ScrapyJSONEncoder
from scrapy.utils.test import get_crawler

FIXTURES = Path(__file__).parent / "fixtures"
ENCODER = ScrapyJSONEncoder(ensure_ascii=False, sort_keys=True)


def fixture_meta(spider_name: str, case: str) -> dict[str, Any]:
    return json.loads((FIXTURES / spider_name / case / "meta.json").read_text("utf-8"))


def fixture_response(spider_name: str, case: str, url: str | None = None) -> HtmlResponse:
    case_dir = FIXTURES / spider_name / case
    meta = fixture_meta(spider_name, case)
    url = url or meta["url"]
    body = (case_dir / "response.html").read_bytes()
    headers = meta.get("headers") or {"Content-Type": "text/html; charset=UTF-8"}
    return HtmlResponse(
        url=url, body=body, headers=headers, request=Request(url, meta=meta.get("request_meta", {}))
    )


def make_spider(
    spider_cls: type[Spider], settings: dict[str, Any] | None = None, **kwargs: Any
) -> Any:
    """A spider built through ``from_crawler`` (so arguments are validated), with project settings.

    Without an archive (``ARCHIVE_ENABLED`` off) unless ``settings`` turn it on:
    a unit test must never open the default ``./archive``. Give the spider a
    fake archive with ``attach_archive``.
    """
    project = get_project_settings().copy_to_dict()
    project["ARCHIVE_ENABLED"] = False
    project.update(settings or {})
    crawler = get_crawler(spider_cls, settings_dict=project)
    spider = spider_cls.from_crawler(crawler, **kwargs)
    crawler.spider = spider
    return spider


def serialise(output: Any) -> str:
    """One JSON line per callback result, as the feed would write items."""
    if isinstance(output, Request):
        callback = getattr(output.callback, "__name__", None)
        return ENCODER.encode({"_request": output.url, "callback": callback})
    return ENCODER.encode(ItemAdapter(output).asdict())


def attach_archive(spider: Any, archive: Any) -> Any:
    """Give ``spider`` the incremental policy of ``archive`` (an ``ArchiveExtension`` or a fake)."""
    from snhr_crawler.archive.policy import IncrementalPolicy

    spider._policy = IncrementalPolicy.for_spider(spider, archive)
    return spider
