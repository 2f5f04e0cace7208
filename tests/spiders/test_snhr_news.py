"""Behaviour of snhr_news on saved pages: the capture gold, date layers, listings."""

from __future__ import annotations

import pytest
from freezegun import freeze_time
from scrapy import Request
from scrapy.utils.defer import deferred_f_from_coro_f

from snhr_crawler.items import Article, content_sha256
from snhr_crawler.spiders.snhr_news import SnhrNewsSpider
from tests.fake_archive import FakeArchive
from tests.helpers import FIXTURES, attach_archive, fixture_response, make_spider

CAPTURE = (FIXTURES / "snhr_news" / "tdb_torture_death" / "capture.txt").read_text("utf-8")


def parse(case: str, frozen: str = "2024-04-26T10:00:00Z", **spider_args: str) -> list:
    spider = make_spider(SnhrNewsSpider, **spider_args)
    with freeze_time(frozen):
        return list(spider.parse_article(fixture_response("snhr_news", case)))


@pytest.fixture(scope="module")
def torture_death() -> Article:
    (item,) = parse("tdb_torture_death")
    return item


def test_capture_title_and_body_exact(torture_death: Article) -> None:
    lines = [line for line in CAPTURE.splitlines() if line.strip()]
    title = lines[lines.index("Date:") + 1]
    paragraphs = lines[-4:]
    assert torture_death.title == title
    assert torture_death.body_text == "\n\n".join(paragraphs)
    assert torture_death.body_text.count("\n\n") == 3


def test_related_news_and_furniture_stay_out_of_the_body(torture_death: Article) -> None:
    related = CAPTURE.split("Related News", 1)[1].split("A military defector", 1)[0]
    for line in filter(None, map(str.strip, related.splitlines())):
        assert line not in torture_death.body_text
    for furniture in ("Related News", "Share", "Facebook", "Available In", "English", "عربي"):
        assert furniture not in torture_death.body_text
    # The figcaption repeats the title: it is an image caption, not body text.
    assert torture_death.title not in torture_death.body_text
    assert torture_death.images[0]["caption"] == torture_death.title


def test_header_today_widget_is_never_the_date(torture_death: Article) -> None:
    assert "Friday, April 26, 2024" in CAPTURE  # the header widget on the captured page
    assert torture_death.published_at == "2021-05-05T09:41:27+00:00"
    assert not torture_death.published_at.startswith("2024-04-26")
    assert torture_death.date_source == "json-ld"
    assert torture_death.incident_date == "2021-05-04"


def test_identity_fields(torture_death: Article) -> None:
    assert torture_death.id == "snhr_news:93214"
    assert torture_death.post_id == 93214
    assert torture_death.categories == ["News", "Casualties"]
    assert torture_death.url.startswith("https://news.snhr.org/2021/05/05/death-of-a-military")
    assert torture_death.url.endswith("/")
    assert torture_death.content_sha256 == content_sha256(
        torture_death.title, torture_death.body_text
    )
    assert torture_death.translations["ar"].startswith("https://news.snhr.org/ar/2021/05/05/%D9%85")


def test_body_html_is_sanitised() -> None:
    (item,) = parse("tdb_meta_only_date")
    assert "<script" not in item.body_html
    assert "alert(" not in item.body_html
    assert "onclick" not in item.body_html
    assert '<a href="https://news.snhr.org/category/daily-death-toll/">' in item.body_html
    assert "<p></p>" not in item.body_html  # the &nbsp; paragraph is dropped


@pytest.mark.parametrize(
    ("case", "published_at", "date_source"),
    [
        ("tdb_torture_death", "2021-05-05T09:41:27+00:00", "json-ld"),
        ("tdb_meta_only_date", "2023-12-16T08:05:31+00:00", "meta"),
        ("classic_h5_body", "2019-12-07T17:22:14+00:00", "time-element"),
        ("tdb_url_only_date", "2024-04-22", "url"),
    ],
)
def test_date_layers(case: str, published_at: str, date_source: str) -> None:
    (item,) = parse(case)
    assert (item.published_at, item.date_source) == (published_at, date_source)


def test_post_id_fallbacks() -> None:
    response = fixture_response("snhr_news", "classic_h5_body")
    html = response.text.replace(
        "<link rel='shortlink' href='https://news.sn4hr.org/?p=61342' />", ""
    )
    spider = make_spider(SnhrNewsSpider)
    (item,) = spider.parse_article(response.replace(body=html.encode()))
    assert item.post_id == 61342  # from body.postid-61342
    html = html.replace("postid-61342", "")
    (item,) = spider.parse_article(response.replace(body=html.encode()))
    assert item.post_id == 61342  # from article#post-61342
    assert spider.crawler.stats.get_value("snhr/extract/post_id/article-id") == 1


def test_old_host_collapses_to_current_host() -> None:
    (item,) = parse("classic_h5_body")
    assert item.url.startswith("https://news.snhr.org/2019/12/07/")
    assert item.images[0]["url"].startswith("https://news.snhr.org/wp-content/")


def test_stats_count_the_layer_of_each_field() -> None:
    spider = make_spider(SnhrNewsSpider)
    for case in ("tdb_torture_death", "classic_h5_body"):
        list(spider.parse_article(fixture_response("snhr_news", case)))
    stats = spider.crawler.stats
    assert stats.get_value("snhr/extract/title/site:tdb") == 1
    assert stats.get_value("snhr/extract/title/site:classic") == 1
    assert stats.get_value("snhr/extract/published_at/json-ld") == 1
    assert stats.get_value("snhr/extract/published_at/time-element") == 1


def test_listing_follows_loop_items_and_next_page_only() -> None:
    spider = make_spider(SnhrNewsSpider)
    out = list(
        spider.parse_listing(fixture_response("snhr_news", "listing_page2"), page=2, known_run=0)
    )
    articles = [r for r in out if r.callback == spider.parse_article]
    listings = [r for r in out if r.callback == spider.parse_listing]
    assert len(articles) == 10
    assert not any("latest-" in r.url for r in out)  # the sidebar is not the loop
    assert [r.url for r in listings] == ["https://news.snhr.org/category/news/page/3/"]
    assert spider.crawler.stats.get_value("snhr/listing/last_page") == 573


def test_listing_respects_max_pages_and_since() -> None:
    spider = make_spider(SnhrNewsSpider, max_pages="2")
    out = list(
        spider.parse_listing(fixture_response("snhr_news", "listing_page2"), page=2, known_run=0)
    )
    assert all(r.callback == spider.parse_article for r in out)
    spider = make_spider(SnhrNewsSpider, since="2024-11-06")
    out = list(
        spider.parse_listing(fixture_response("snhr_news", "listing_page2"), page=2, known_run=0)
    )
    assert len(out) == 7  # items from Nov 6 onwards; the first older item ends the walk
    assert spider.crawler.stats.get_value("snhr/listing/stopped/since") == 1


def test_origin_maps_requests_to_the_local_copy_and_records_to_public_urls() -> None:
    spider = make_spider(SnhrNewsSpider, origin="http://127.0.0.1:8123")
    out = list(
        spider.parse_listing(fixture_response("snhr_news", "listing_page2"), page=2, known_run=0)
    )
    assert all(r.url.startswith("http://127.0.0.1:8123/") for r in out)
    path = "/2021/05/05/death-of-a-military-defector-from-daraa-due-to-torture-in-syrian-regime-detention-center-confirmed-may-4/"
    local = fixture_response("snhr_news", "tdb_torture_death", url="http://127.0.0.1:8123" + path)
    (item,) = spider.parse_article(local)
    assert item.url == "https://news.snhr.org" + path


def test_a_canonical_naming_another_article_is_not_the_records_url() -> None:
    """Served at /2021/05/05/x/, the page's canonical names another post: the fetched URL wins."""
    spider = make_spider(SnhrNewsSpider, origin="http://127.0.0.1:8123")
    local = fixture_response(
        "snhr_news", "tdb_torture_death", url="http://127.0.0.1:8123/2021/05/05/x/"
    )
    (item,) = spider.parse_article(local)
    assert item.url == "https://news.snhr.org/2021/05/05/x/"
    assert spider.crawler.stats.get_value("snhr/identity/untrusted/canonical") == 1


def test_gone_article_that_was_never_archived_yields_nothing() -> None:
    spider = make_spider(SnhrNewsSpider)
    response = fixture_response("snhr_news", "tdb_url_only_date").replace(status=410)
    assert list(spider.parse_article(response)) == []
    assert spider.crawler.stats.get_value("snhr/article/gone/410") == 1


def test_page_without_an_article_is_counted_not_archived() -> None:
    spider = make_spider(SnhrNewsSpider)
    response = fixture_response("snhr_news", "tdb_url_only_date")
    soft404 = response.replace(body=b"<html><body><h2>Page not found</h2></body></html>")
    assert list(spider.parse_article(soft404)) == []
    assert spider.crawler.stats.get_value("snhr/article/not_an_article") == 1


@pytest.mark.parametrize(
    ("argument", "value"),
    [("since", "2024-13-01"), ("since", "yesterday"), ("max_pages", "0"), ("max_pages", "x"),
     ("origin", "ftp://127.0.0.1"), ("origin", "http://127.0.0.1/sub/"), ("full", "maybe")],
)  # fmt: skip
def test_bad_arguments_name_the_argument(argument: str, value: str) -> None:
    from snhr_crawler.exceptions import SpiderArgumentError

    with pytest.raises(SpiderArgumentError, match=f"^argument {argument}: "):
        make_spider(SnhrNewsSpider, **{argument: value})


@deferred_f_from_coro_f
async def test_the_walk_starts_at_home_then_the_seeds_then_the_category_index() -> None:
    spider = make_spider(SnhrNewsSpider, origin="http://127.0.0.1:9")
    requests: list[Request] = [request async for request in spider.start()]
    assert [r.url for r in requests] == [
        "http://127.0.0.1:9/",  # the home listing: the catch-all
        "http://127.0.0.1:9/category/news/",
        "http://127.0.0.1:9/category/news/casualties/",
        "http://127.0.0.1:9/category/news/attacks-on-civilian-facilities/",
        "http://127.0.0.1:9/category/news/arrests/",
        "http://127.0.0.1:9/category/daily-death-toll/",
        "http://127.0.0.1:9/wp-json/wp/v2/categories?per_page=100&page=1&_fields=id%2Cname%2Ccount%2Cparent%2Clink",
    ]
    # A listing that answers 404 comes to the spider (a wrong seed), not to the error log.
    assert all(404 in r.meta["handle_httpstatus_list"] for r in requests[:-1])


def test_origin_is_case_insensitive() -> None:
    spider = make_spider(SnhrNewsSpider, origin="HTTP://LocalHost:8123/")
    assert spider.site_origin.fetch_origin == "http://localhost:8123"
    assert spider.site_origin.to_public("http://localhost:8123/2024/01/02/x/") == (
        "https://news.snhr.org/2024/01/02/x/"
    )


def test_full_since_rechecks_only_archived_articles_in_range() -> None:
    from scrapy.exceptions import DontCloseSpider

    from snhr_crawler.archive.extension import ArchivedArticle

    archive = FakeArchive(live=[
        ArchivedArticle("snhr_news:1", 1, "https://news.snhr.org/2023/05/01/old/", 1, "2023-05-01"),
        ArchivedArticle("snhr_news:2", 2, "https://news.snhr.org/2025/02/01/new/", 1, "2025-02-01"),
    ])  # fmt: skip

    class Engine:
        def __init__(self) -> None:
            self.requests: list[Request] = []

        def crawl(self, request: Request) -> None:
            self.requests.append(request)

    spider = attach_archive(make_spider(SnhrNewsSpider, full="true", since="2025-01-01"), archive)
    spider.crawler.engine = engine = Engine()
    with pytest.raises(DontCloseSpider):
        spider.recheck_archived()
    assert [r.url for r in engine.requests] == ["https://news.snhr.org/2025/02/01/new/"]
    assert engine.requests[0].meta["archive_key"] == "snhr_news:2"
    spider.recheck_archived()  # once per run
    assert len(engine.requests) == 1


def test_a_gone_archived_article_is_removed_under_its_archived_key() -> None:
    from snhr_crawler.items import Removal

    response = fixture_response("snhr_news", "tdb_url_only_date").replace(status=404)
    # Archived before its post id was known: under its URL key.
    archive = FakeArchive(keys={response.url: "snhr_news:u0123456789abcdef"})
    spider = attach_archive(make_spider(SnhrNewsSpider), archive)
    (removal,) = spider.parse_article(response)
    assert isinstance(removal, Removal)
    assert (removal.id, removal.status) == ("snhr_news:u0123456789abcdef", 404)


POINTER = {
    "warc_file": "warc/snhr_news/20261125T021500Z-00001.warc.gz",
    "record_id": "<urn:uuid:0b6c2f0e-1111-4222-8333-944445555666>",
    "offset": 4711,
    "length": 5120,
    "payload_digest": "sha256:7XKAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    "status": 200,
    "fetched_at": "2026-11-25T02:15:03.123456Z",
}


def test_records_carry_the_capture_of_their_response() -> None:
    from snhr_crawler.capture import CAPTURE_META, CapturePointer
    from snhr_crawler.items import Removal

    pointer = CapturePointer.from_dict(POINTER)
    response = fixture_response("snhr_news", "tdb_torture_death")
    response.meta[CAPTURE_META] = pointer
    (article,) = make_spider(SnhrNewsSpider).parse_article(response)
    assert article.capture == POINTER
    gone = response.replace(status=410)
    archive = FakeArchive(keys={gone.url: "snhr_news:1"})
    (removal,) = attach_archive(make_spider(SnhrNewsSpider), archive).parse_article(gone)
    assert isinstance(removal, Removal)
    assert removal.capture == POINTER  # the same request's meta: the 410's own pointer in a crawl
    (uncaptured,) = parse("tdb_torture_death")
    assert uncaptured.capture is None


def test_an_archived_page_is_requested_with_its_archived_capture() -> None:
    from snhr_crawler.capture import CAPTURE_PREVIOUS_META

    archived = "https://news.snhr.org/2024/01/02/archived/"
    archive = FakeArchive(captures={archived: POINTER})
    spider = attach_archive(make_spider(SnhrNewsSpider, full="true"), archive)
    request = spider.article_request(archived, discovered_by="listing")
    assert request.meta[CAPTURE_PREVIOUS_META] == POINTER
    fresh = spider.article_request("https://news.snhr.org/2024/01/03/new/", discovered_by="listing")
    assert CAPTURE_PREVIOUS_META not in fresh.meta
