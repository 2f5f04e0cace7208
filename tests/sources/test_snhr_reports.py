"""snhr_reports on saved pages: the report record, classic fallbacks, offsite links."""

from __future__ import annotations

import pytest
from freezegun import freeze_time
from scrapy.http import HtmlResponse, Request

from snhr_crawler.items import Article, content_sha256
from snhr_crawler.spiders.snhr_reports import SnhrReportsSpider
from snhr_crawler.spiders.snhr_reports_ar import SnhrReportsArSpider
from tests.helpers import fixture_response, make_spider

EN_URL = (
    "https://snhr.org/blog/2025/01/02/1264-civilian-deaths-including-242-children-and-118-women"
    "-as-well-as-86-deaths-due-to-torture-documented-in-syria-in-2024/"
)
AR_URL = (
    "https://snhr.org/arabic/2025/01/02/%D8%AA%D9%88%D8%AB%D9%8A%D9%82-%D9%85%D9%82%D8%AA%D9%84"
    "-1264-%D9%85%D8%AF%D9%86%D9%8A%D8%A7-%D8%A8%D9%8A%D9%86%D9%87%D9%85-242-%D8%B7%D9%81%D9%84"
    "%D8%A7-%D9%88118-%D8%B3%D9%8A%D8%AF%D8%A9-%D9%8886/"
)
TITLE = (
    "1,264 Civilian Deaths, Including 242 Children and 118 Women, as well as 86 Deaths due to "
    "Torture, Documented in Syria in 2024"
)
BODY = "\n\n".join(
    [
        "Press release: (Download the full report below)",
        f"The Hague – The Syrian Network for Human Rights (SNHR) released its annual report today, "
        f"entitled “{TITLE}”, which documents the civilian deaths recorded in Syria in 2024, "
        "including 503 in December.",
        "Key findings",
        "The 62-page report notes that 242 children and 118 women were among the victims, and "
        "that 86 people died due to torture.",
        "The report’s figures were cited in the press; SNHR’s previous annual report is here.",
        "Recommendations",
        "The UN Security Council must act to protect Syrian civilians.",
        "Download the full report",
    ]
)


def parse(spider_cls: type, source: str, case: str, frozen: str) -> list:
    spider = make_spider(spider_cls)
    with freeze_time(frozen):
        return list(spider.parse_article(fixture_response(source, case)))


@pytest.fixture(scope="module")
def report() -> Article:
    (item,) = parse(SnhrReportsSpider, "snhr_reports", "tdb_death_toll_report", "2025-01-06T10:00Z")
    return item


def test_tdb_report_whole_record(report: Article) -> None:
    body_html = report.body_html
    assert report == Article(
        id="snhr_reports:74012",
        source="snhr_reports",
        site="snhr.org",
        language="en",
        url=EN_URL,
        post_id=74012,
        title=TITLE,
        subtitle="503 Civilian Deaths, Including 61 Children and 29 Women, Documented in December 2024",
        published_at="2025-01-02T09:15:40+00:00",
        modified_at="2025-01-03T07:02:19+00:00",
        date_source="json-ld",
        incident_date=None,
        categories=["Death Toll"],
        tags=[],
        doc_type="report",
        body_text=BODY,
        body_html=body_html,
        attachments=[
            {
                "url": "https://snhr.org/wp-content/uploads/2025/01/R250101E.pdf",
                "title": "Download the full report",
            }
        ],
        images=[
            {
                "url": "https://snhr.org/wp-content/uploads/2025/01/snhr-20250102-annual-death-toll.jpg",
                "caption": TITLE,
            }
        ],
        translations={"ar": AR_URL},
        translation_group=report.translation_group,
        discovered_by="listing",
        crawled_at="2025-01-06T10:00:00Z",
        content_sha256=content_sha256(TITLE, BODY),
    )
    assert body_html.startswith("<p>Press release: (Download the full report below)</p>\n")
    assert "<p><strong>The Hague –</strong> The Syrian Network" in body_html
    assert (
        '<a href="https://snhr.org/wp-content/uploads/2025/01/R250101E.pdf">'
        "Download the full report</a>" in body_html
    )
    assert report.translation_group is not None


def test_dateline_opens_the_report_and_is_not_a_date(report: Article) -> None:
    paragraphs = report.body_text.split("\n\n")
    assert paragraphs[1].startswith("The Hague – The Syrian Network for Human Rights (SNHR)")
    assert report.published_at == "2025-01-02T09:15:40+00:00"


def test_page_furniture_stays_out(report: Article) -> None:
    for furniture in ("fbpx", "Available In", "English", "عربي", "Share", "Latest Reports",
                      "Monday, January 6, 2025", "At least 173 Arbitrary"):  # fmt: skip
        assert furniture not in report.body_text
        assert furniture not in report.body_html


def test_links_are_public_and_old_host_collapses(report: Article) -> None:
    # Body links keep their target (no crawl follows them); the old host becomes snhr.org.
    assert (
        '<a href="https://snhr.org/blog/2024/01/01/1032-civilian-deaths-documented-in-syria-in-2023/">'
        in report.body_html
    )
    assert "sn4hr" not in report.body_html


@pytest.fixture(scope="module")
def classic() -> Article:
    (item,) = parse(SnhrReportsSpider, "snhr_reports", "classic_numeric_slug", "2018-03-23T10:00Z")
    return item


def test_classic_report_fallbacks(classic: Article) -> None:
    assert classic.url == "https://snhr.org/blog/2015/12/29/16018/"  # sn4hr.org collapsed
    assert classic.id == "snhr_reports:16018"
    assert classic.subtitle == "1793 amongst which were killed in December"
    assert classic.published_at == "2015-12-29T14:32:10+00:00"
    assert classic.date_source == "time-element"
    assert classic.categories == ["Death Toll"]
    assert classic.doc_type == "report"
    assert classic.attachments == [
        {
            "url": "https://snhr.org/wp-content/uploads/2015/12/The-Killing-of-21179-individuals-in-2015.pdf",
            "title": "View full Report",
        }
    ]
    assert classic.body_text.split("\n\n")[1].startswith("Paris – The Syrian Network")
    # The plain-paragraph switch of the classic era (no hreflang) still fills translations.
    assert classic.translations == {"ar": "https://snhr.org/arabic/2015/12/29/9412/"}
    assert "Available In" not in classic.body_text
    assert "عربي" not in classic.body_text


def test_translation_groups_match_from_either_side(report: Article, classic: Article) -> None:
    (ar_report,) = parse(
        SnhrReportsArSpider, "snhr_reports_ar", "tdb_death_toll_report", "2025-01-06T10:00Z"
    )
    (ar_classic,) = parse(
        SnhrReportsArSpider, "snhr_reports_ar", "classic_numeric_slug", "2018-03-23T10:00Z"
    )
    for en, ar in ((report, ar_report), (classic, ar_classic)):
        assert en.translations["ar"] == ar.url
        assert ar.translations["en"] == en.url
        assert en.translation_group == ar.translation_group is not None
    assert report.translation_group != classic.translation_group


LISTING = """<html><body><div class="td-ss-main-content">
<div class="td_module_wrap"><h3 class="entry-title td-module-title"><a href="https://snhr.org/blog/2024/11/04/at-least-213-arbitrary-detentions-recorded-in-october-2024">At least 213</a></h3><time datetime="2024-11-04T10:00:00+03:00"></time></div>
<div class="td_module_wrap"><h3 class="entry-title td-module-title"><a href="https://media.snhr.org/blog/2016/11/07/57604">A clipping</a></h3><time datetime="2024-11-03T10:00:00+03:00"></time></div>
<div class="td_module_wrap"><h3 class="entry-title td-module-title"><a href="http://media.sn4hr.org/en/2021/04/12/48335/">Another clipping</a></h3><time datetime="2024-11-02T10:00:00+03:00"></time></div>
<div class="td_module_wrap"><h3 class="entry-title td-module-title"><a href="http://sn4hr.org/blog/2014/07/28/the-death-toll-for-ramadan/">Ramadan</a></h3><time datetime="2024-11-01T10:00:00+03:00"></time></div>
<div class="td_module_wrap"><h3 class="entry-title td-module-title"><a href="https://snhr.org/?p=73517">Shortlink</a></h3></div>
</div></body></html>"""


@pytest.mark.parametrize("origin", ["", "http://127.0.0.1:8801"])
def test_listing_never_follows_media_clippings(origin: str) -> None:
    spider = make_spider(SnhrReportsSpider, origin=origin)
    base = origin or "https://snhr.org"
    url = f"{base}/blog/category/arrest/"
    response = HtmlResponse(url, body=LISTING.encode(), encoding="utf-8", request=Request(url))
    requests = list(spider.parse_listing(response, page=1, known_run=0))
    urls = [request.url for request in requests]
    assert not [u for u in urls if "media." in u]
    assert urls == [
        f"{base}/blog/2024/11/04/at-least-213-arbitrary-detentions-recorded-in-october-2024/",
        f"{base}/blog/2014/07/28/the-death-toll-for-ramadan/",  # sn4hr.org → snhr.org
        f"{base}/?p=73517",
    ]
    assert spider.crawler.stats.get_value("snhr/listing/offsite") == 2
