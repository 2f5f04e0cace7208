"""snhr_news_ar on saved pages: the Arabic side of a news item, and a windows-1256 page."""

from __future__ import annotations

import pytest
from freezegun import freeze_time
from scrapy.http import HtmlResponse, Request

from snhr_crawler.items import Article, content_sha256
from snhr_crawler.spiders.snhr_news import SnhrNewsSpider
from snhr_crawler.spiders.snhr_news_ar import SnhrNewsArSpider
from tests.helpers import FIXTURES, fixture_meta, fixture_response, make_spider

RLM, ZWNJ = "\u200f", "\u200c"
SLUG = "%D9%85%D9%82%D8%AA%D9%84-%D8%B9%D8%B3%D9%83%D8%B1%D9%8A-%D9%85%D9%86%D8%B4%D9%82-%D9%85%D9%86-%D8%AF%D8%B1%D8%B9%D8%A7"
URL = f"https://news.snhr.org/ar/2021/05/05/{SLUG}/"
EN_URL = (
    "https://news.snhr.org/2021/05/05/death-of-a-military-defector-from-daraa-due-to-torture-in"
    "-syrian-regime-detention-center-confirmed-may-4/"
)
TITLE = "مقتل عسكري مُنشق من درعا بسبب التعذيب داخل أحد مراكز احتجاز النظام السوري، 4 أيار"
BODY = "\n\n".join(
    [
        "اعتقلت قوات النظام السوري العسكري المنشق بشار خليل الحلقي، من مدينة جاسم بريف محافظة درعا "
        "الشمالي، عام 2018 عندما سلّم نفسه لها، رغم أنه كان ممن أجروا تسوية سابقاً، ومنذ ذلك الحين "
        f"يُصنَّف في عداد المختفين{ZWNJ} قسرياً. في 4{RLM} أيار 2021 أُبلغت عائلته بوفاته.",
        "تؤكد الشَّبكة السورية لحقوق الإنسان أن قوات النظام السوري لم تسلّم جثمانه إلى عائلته.",
        "ما لا يقل عن 131106 مواطن سوري لا يزالون قيد الاعتقال أو الاختفاء القسري في مراكز احتجاز "
        "النظام السوري، و14315 مواطناً قضوا بسبب التعذيب.",
    ]
)


def parse(spider_cls: type, source: str, case: str, frozen: str, **settings: object) -> list:
    spider = make_spider(spider_cls, settings=dict(settings) or None)
    with freeze_time(frozen):
        return list(spider.parse_article(fixture_response(source, case)))


@pytest.fixture(scope="module")
def torture_death() -> Article:
    (item,) = parse(SnhrNewsArSpider, "snhr_news_ar", "tdb_torture_death", "2024-04-26T12:00Z")
    return item


def test_tdb_news_whole_record(torture_death: Article) -> None:
    assert torture_death == Article(
        id="snhr_news_ar:93219",
        source="snhr_news_ar",
        site="news.snhr.org",
        language="ar",
        url=URL,
        post_id=93219,
        title=TITLE,
        subtitle=None,
        published_at="2021-05-05T10:20:45+00:00",
        modified_at="2021-05-05T10:31:02+00:00",
        date_source="json-ld",
        incident_date="2021-05-04",  # "4 أيار": Levantine month, year from the URL
        incident=torture_death.incident,  # read from the title: see the next test
        categories=["أخبار", "الضحايا"],
        tags=[],
        doc_type="news",
        body_text=BODY,
        body_html=torture_death.body_html,
        attachments=[],
        images=[
            {
                "url": "https://news.snhr.org/wp-content/uploads/2021/05/death-of-a-military-defector-from-daraa-ar.jpg",
                "caption": TITLE,
            }
        ],
        translations={"en": EN_URL},
        translation_group=torture_death.translation_group,
        discovered_by="listing",
        crawled_at="2024-04-26T12:00:00Z",
        content_sha256=content_sha256(TITLE, BODY),
    )
    assert "الحلقي" in torture_death.body_html


def test_the_title_is_read_as_a_death_in_detention(torture_death: Article) -> None:
    incident = dict(torture_death.incident or {})
    spans = incident.pop("spans")
    assert incident == {
        "event": "died_in_detention", "killed": 1, "injured": None, "arrested": None,
        "children": None, "women": None, "perpetrator": "syrian_regime", "governorate": None,
        "origin_governorate": "SY-DR", "direction": None, "place": None, "facility": None,
        "victim_names": None,
    }  # fmt: skip
    # Each value points at the words it was read from: "a defector", "from Daraa", "the regime".
    assert TITLE[slice(*spans["killed"])] == "عسكري مُنشق"
    assert TITLE[slice(*spans["origin_governorate"])] == "درعا"
    assert TITLE[slice(*spans["perpetrator"])] == "النظام السوري"
    assert "متوفر باللغة" not in torture_death.body_text


def test_translation_group_links_both_directions(torture_death: Article) -> None:
    # The English page links the Arabic one in lower-case hex; this page's canonical
    # link is upper-case: both canonicalise to one URL, so both sides agree.
    (english,) = parse(SnhrNewsSpider, "snhr_news", "tdb_torture_death", "2024-04-26T10:00Z")
    assert english.translations["ar"] == torture_death.url
    assert torture_death.translations["en"] == english.url
    assert english.translation_group == torture_death.translation_group is not None


def test_percent_encoding_case_collapses_to_one_key(torture_death: Article) -> None:
    lower = URL.replace(SLUG, SLUG.lower())
    spider = make_spider(SnhrNewsArSpider)
    with freeze_time("2024-04-26T12:00Z"):
        (again,) = spider.parse_article(
            fixture_response("snhr_news_ar", "tdb_torture_death", lower)
        )
    assert again.url == torture_death.url
    assert again.id == torture_death.id


@pytest.fixture(scope="module")
def cp1256_page() -> tuple[Article, dict]:
    spider = make_spider(SnhrNewsArSpider)
    with freeze_time("2019-12-08T10:00Z"):
        (item,) = spider.parse_article(
            fixture_response("snhr_news_ar", "classic_cp1256_no_charset")
        )
    return item, spider.crawler.stats.get_stats()


def test_windows_1256_page_without_charset_is_read_right(cp1256_page: tuple[Article, dict]) -> None:
    item, stats = cp1256_page
    raw = (FIXTURES / "snhr_news_ar" / "classic_cp1256_no_charset" / "response.html").read_bytes()
    assert b"charset" not in raw.lower()
    assert (
        "charset"
        not in fixture_meta("snhr_news_ar", "classic_cp1256_no_charset")["headers"]["Content-Type"]
    )
    title = "قوات النظام السوري تقصف منشأتين حيويتين في مدينة كفرنبل بريف إدلب، 7 كانون الأول"
    assert item.title == title
    assert title.encode("cp1256") in raw  # the page's own bytes, decoded exactly
    assert item.body_text.startswith(f"الشبكة السورية لحقوق الإنسان: في 07-12-2019{RLM}، قصفت")
    assert f"المجتمع{ZWNJ} الدولي" in item.body_text
    assert item.incident_date == "2019-12-07"
    assert item.categories == ["أخبار", "الهجمات على المنشآت الحيوية"]
    assert item.url.startswith("https://news.snhr.org/ar/2019/12/07/%D9%82%D9%88")
    assert item.url.endswith("-2/")  # the de-dup suffix is a different post, kept
    assert "snhr/charset/undecodable_bytes" not in stats


PAGE = (
    "<html><head><title>x</title></head><body><article class='post'>"
    "<h1 class='entry-title'>إصابة ثلاثة أطفال أشقاء بجراح، 15-11-2024</h1>"
    "<div class='td-post-content'><p>أُصيب ثلاثة أطفال أشقاء في 15-11-2024.</p></div>"
    "</article></body></html>"
)


@pytest.mark.parametrize(
    ("encoding", "headers"),
    [
        ("utf-8", {"Content-Type": "text/html; charset=ISO-8859-1"}),  # replica charset_mode=wrong
        ("cp1256", {"Content-Type": "text/html; charset=ISO-8859-1"}),
        ("cp1256", {"Content-Type": "text/html; charset=windows-1252"}),
        ("cp1256", {"Content-Type": "text/html"}),
    ],
)
def test_wrongly_labelled_pages_are_read_right(encoding: str, headers: dict[str, str]) -> None:
    url = "https://news.snhr.org/ar/2024/11/16/x/"
    body = PAGE.encode(encoding)
    plain = HtmlResponse(url, body=body, headers=headers, request=Request(url))
    spider = make_spider(SnhrNewsArSpider)
    (item,) = spider.parse_article(plain)
    assert item.title == "إصابة ثلاثة أطفال أشقاء بجراح، 15-11-2024"
    assert item.body_text == "أُصيب ثلاثة أطفال أشقاء في 15-11-2024."
    assert item.incident_date == "2024-11-15"
    stats = spider.crawler.stats.get_stats()
    if "charset=" in headers["Content-Type"]:
        # Scrapy trusts the label and garbles the page; the spider re-reads it.
        assert "إصابة" not in plain.text
        assert stats[f"snhr/charset/redecoded/{encoding}"] == 1
    assert "snhr/charset/undecodable_bytes" not in stats


def test_undecodable_bytes_are_counted() -> None:
    url = "https://news.snhr.org/ar/2024/11/16/x/"
    good = "<html><body><article class='post'><h1 class='entry-title'>إصابة ثلاثة أطفال</h1>"
    body = (
        good.encode("utf-8")
        + b"\xff\xfe"
        + "<div class='td-post-content'><p>في 15-11-2024</p></div></article></body></html>".encode()
    )
    body = body * 1 + ("<!-- " + "ا" * 200 + " -->").encode("utf-8")
    response = HtmlResponse(
        url, body=body, headers={"Content-Type": "text/html; charset=UTF-8"}, request=Request(url)
    )
    spider = make_spider(SnhrNewsArSpider)
    (item,) = spider.parse_article(response)
    assert item.title == "إصابة ثلاثة أطفال"
    assert spider.crawler.stats.get_value("snhr/charset/undecodable_bytes") == 2
    assert spider.crawler.stats.get_value("snhr/charset/undecodable_pages") == 1
