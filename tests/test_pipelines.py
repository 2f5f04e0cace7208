"""The item pipelines before the archive: normalize, validate, dedupe."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from scrapy import Spider
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from snhr_crawler.items import Article, Removal, content_sha256
from snhr_crawler.pipelines.dedupe import DedupePipeline
from snhr_crawler.pipelines.normalize import NormalizePipeline
from snhr_crawler.pipelines.validate import ValidatePipeline


def article(**overrides: Any) -> Article:
    fields: dict[str, Any] = {
        "id": "snhr_news:1",
        "source": "snhr_news",
        "site": "news.snhr.org",
        "language": "en",
        "url": "https://news.snhr.org/2024/01/02/a/",
        "post_id": 1,
        "title": "A civilian killed in Daraa, January 1, 2024",
        "published_at": "2024-01-02T08:00:00+00:00",
        "categories": ["News", "Casualties"],
        "body_text": "On January 1, 2024, a civilian was killed.",
    }
    fields.update(overrides)
    fields["content_sha256"] = content_sha256(fields["title"], fields["body_text"])
    return Article(**fields)


def pipeline(cls: type) -> Any:
    crawler = get_crawler(Spider)
    crawler.stats.open_spider()
    return cls.from_crawler(crawler)


def test_normalize_collapses_white_space_and_repeats_and_rehashes() -> None:
    normalize = pipeline(NormalizePipeline)
    item = article(title="  A civilian\n killed ", categories=["News", " News", "", "Casualties"])
    item.body_text = "Body.\n"
    out = normalize.process_item(item)
    assert out.title == "A civilian killed"
    assert out.categories == ["News", "Casualties"]
    assert out.body_text == "Body."
    assert out.content_sha256 == content_sha256("A civilian killed", "Body.")
    assert normalize.crawler.stats.get_value("snhr/normalize/changed") == 1


def test_normalize_keeps_arabic_as_written() -> None:
    # "الشَّبكة" with shadda before fatha: NFC would reorder the marks; the record must not.
    written = "\u0627\u0644\u0634\u0651\u064e\u0628\u0643\u0629"
    out = pipeline(NormalizePipeline).process_item(article(title=written))
    assert out.title == written


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"title": ""}, "missing_title"),
        ({"body_text": ""}, "missing_body"),
        ({"published_at": "26/04/2024"}, "bad_published_at"),
    ],
)
def test_validate_drops_records_that_must_not_be_archived(
    overrides: dict[str, Any], reason: str, caplog: pytest.LogCaptureFixture
) -> None:
    validate = pipeline(ValidatePipeline)
    with caplog.at_level(logging.WARNING), pytest.raises(DropItem):
        validate.process_item(article(**overrides))
    assert validate.crawler.stats.get_value(f"snhr/validate/dropped/{reason}") == 1
    assert any("https://news.snhr.org/2024/01/02/a/" in r.getMessage() for r in caplog.records)


def test_validate_counts_soft_gaps_and_keeps_the_record() -> None:
    validate = pipeline(ValidatePipeline)
    item = article(published_at=None, post_id=None, categories=[])
    assert validate.process_item(item) is item
    stats = validate.crawler.stats
    for name in ("published_at", "post_id", "categories", "modified_at"):
        assert stats.get_value(f"snhr/validate/missing/{name}") == 1


def test_dedupe_drops_the_second_record_of_an_article() -> None:
    dedupe = pipeline(DedupePipeline)
    dedupe.process_item(article())
    with pytest.raises(DropItem):
        dedupe.process_item(article(url="https://news.snhr.org/2024/01/02/a/"))
    with pytest.raises(DropItem):  # same URL, id from a URL hash: still one article
        dedupe.process_item(article(id="snhr_news:u0123456789abcdef", post_id=None))
    assert dedupe.process_item(article(id="snhr_news_ar:1", source="snhr_news_ar"))
    assert dedupe.crawler.stats.get_value("snhr/dedupe/dropped") == 2


def test_removals_pass_through_untouched() -> None:
    removal = Removal(id="snhr_news:1", source="snhr_news", url="https://news.snhr.org/x/",
                      post_id=1, status=410, checked_at="2026-11-25T00:00:00+00:00")  # fmt: skip
    for cls in (NormalizePipeline, ValidatePipeline, DedupePipeline):
        assert pipeline(cls).process_item(removal) is removal
