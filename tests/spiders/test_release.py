"""A parsed page is freed by reference counting once its callback is done (``release_page``)."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from snhr_crawler.base_spiders.release import release_page
from snhr_crawler.items import Article
from snhr_crawler.spiders.snhr_news import SnhrNewsSpider
from tests.helpers import fixture_response, make_spider


@pytest.fixture
def no_cyclic_gc() -> Iterator[None]:
    """Only reference counting frees anything here: what a cycle keeps alive stays alive."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def test_an_article_page_is_freed_when_its_callback_ends(no_cyclic_gc: None) -> None:
    spider = make_spider(SnhrNewsSpider)
    response = fixture_response("snhr_news", "tdb_torture_death")
    items = list(spider.parse_article(response))
    assert [type(item) for item in items] == [Article]
    page = weakref.ref(response)
    del response
    assert page() is None


def test_a_listing_page_is_freed_when_its_callback_ends(no_cyclic_gc: None) -> None:
    spider = make_spider(SnhrNewsSpider)
    response = fixture_response("snhr_news", "listing_page2")
    assert list(spider.parse_listing(response))  # articles and the next page
    page = weakref.ref(response)
    del response
    assert page() is None


def test_without_the_release_the_selector_keeps_the_page(no_cyclic_gc: None) -> None:
    """The cycle this guards against (and the attribute ``release_page`` relies on) still exist."""
    response = fixture_response("snhr_news", "tdb_torture_death")
    assert response.css("title")
    assert getattr(response, "_cached_selector", None) is response.selector
    page = weakref.ref(response)
    del response
    assert page() is not None
    kept = page()
    release_page(kept)
    del kept
    assert page() is None
