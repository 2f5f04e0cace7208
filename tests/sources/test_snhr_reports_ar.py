"""snhr_reports_ar on saved pages: Arabic text kept as written, paired months, the switch."""

from __future__ import annotations

import pytest
from freezegun import freeze_time

from snhr_crawler.items import Article, content_sha256
from snhr_crawler.spiders.snhr_reports_ar import SnhrReportsArSpider
from tests.helpers import fixture_response, make_spider

RLM, ZWNJ = "\u200f", "\u200c"
SLUG = (
    "%D8%AA%D9%88%D8%AB%D9%8A%D9%82-%D9%85%D9%82%D8%AA%D9%84-1264-%D9%85%D8%AF%D9%86%D9%8A%D8%A7"
    "-%D8%A8%D9%8A%D9%86%D9%87%D9%85-242-%D8%B7%D9%81%D9%84%D8%A7-%D9%88118-%D8%B3%D9%8A%D8%AF"
    "%D8%A9-%D9%8886"
)
URL = f"https://snhr.org/arabic/2025/01/02/{SLUG}/"
EN_URL = (
    "https://snhr.org/blog/2025/01/02/1264-civilian-deaths-including-242-children-and-118-women"
    "-as-well-as-86-deaths-due-to-torture-documented-in-syria-in-2024/"
)
TITLE = "توثيق مقتل 1264 مدنياً بينهم 242 طفلاً و118 سيدة و86 بسبب التعذيب في سوريا في عام 2024"
BODY = "\n\n".join(
    [
        "بيان صحفي: (لتحميل التقرير كاملاً في الأسفل)",
        f"لاهاي – أصدرت الشَّبكة السورية لحقوق الإنسان تقريرها السنوي اليوم، ووثقت فيه مقتل 1264{RLM}"
        " مدنياً في سوريا في عام 2024، بينهم 503 مدنياً في كانون الأول/ديسمبر.",
        "أبرز ما جاء في التقرير",
        "يقع التقرير في 62 صفحة، ويسجل مقتل 242 طفلاً و118 سيدة، ووفاة 86 شخصاً بسبب التعذيب حتى "
        "31 كانون الأول/ديسمبر 2024.",
        f"تعتمد الشَّبكة على قاعدة بيانات{ZWNJ} خاصة بها، ويُطالب التقرير مجلس الأمن الدولي بحماية "
        "المدنيين في سوريا.",
        "تحميل التقرير كاملاً",
    ]
)


def parse(case: str, frozen: str) -> Article:
    spider = make_spider(SnhrReportsArSpider)
    with freeze_time(frozen):
        (item,) = spider.parse_article(fixture_response("snhr_reports_ar", case))
    return item


@pytest.fixture(scope="module")
def report() -> Article:
    return parse("tdb_death_toll_report", "2025-01-06T10:00Z")


def test_tdb_report_whole_record(report: Article) -> None:
    assert report == Article(
        id="snhr_reports_ar:31877",
        source="snhr_reports_ar",
        site="snhr.org",
        language="ar",
        url=URL,
        post_id=31877,
        title=TITLE,
        subtitle="بينهم 503 مدنياً في كانون الأول/ديسمبر 2024",
        published_at="2025-01-02T14:05:11+00:00",
        modified_at="2025-01-02T15:40:00+00:00",
        date_source="json-ld",
        incident_date=None,
        categories=["حصيلة الضحايا"],
        tags=[],
        doc_type="report",
        body_text=BODY,
        body_html=report.body_html,
        attachments=[
            {
                "url": "https://snhr.org/arabic/wp-content/uploads/sites/2/2025/01/R250101A.pdf",
                "title": "تحميل التقرير كاملاً",
            }
        ],
        images=[
            {
                "url": "https://snhr.org/arabic/wp-content/uploads/sites/2/2025/01/snhr-20250102-annual-death-toll-ar.jpg",
                "caption": TITLE,
            }
        ],
        translations={"en": EN_URL},
        translation_group=report.translation_group,
        discovered_by="listing",
        crawled_at="2025-01-06T10:00:00Z",
        content_sha256=content_sha256(TITLE, BODY),
    )
    assert report.translation_group is not None


def test_marks_and_diacritics_survive(report: Article) -> None:
    assert f"1264{RLM} مدنياً" in report.body_text
    assert f"بيانات{ZWNJ} خاصة" in report.body_text
    assert "الشَّبكة" in report.body_text  # shadda kept, not normalised away
    assert f"1264{RLM} مدنياً" in report.body_html
    assert "متوفر باللغة" not in report.body_text


def test_classic_arabic_report() -> None:
    item = parse("classic_numeric_slug", "2018-03-23T10:00Z")
    assert item.url == "https://snhr.org/arabic/2015/12/29/9412/"
    assert item.subtitle == "بينهم 1793 في كانون الأول/ديسمبر"
    assert item.date_source == "time-element"
    assert item.doc_type == "report"
    # Arabic-Indic digits are stored as written (only date matching normalises them).
    assert "حتى ٣١ كانون الأول ٢٠١٥" in item.body_text
    assert item.attachments == [
        {
            "url": "https://snhr.org/arabic/wp-content/uploads/sites/2/2015/12/%D9%85%D9%82%D8%AA%D9%84-21179.pdf",
            "title": "لتحميل التقرير كاملاً",
        }
    ]
    # The switch names the English page on the old host; it collapses to snhr.org.
    assert item.translations == {"en": "https://snhr.org/blog/2015/12/29/16018/"}
