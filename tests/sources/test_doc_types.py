"""doc_type from a site descriptor's rules and the categories, both languages, both SNHR hosts."""

from __future__ import annotations

import pytest

from snhr_crawler.doc_types import doc_type_for
from snhr_crawler.items import DOC_TYPES
from snhr_crawler.sites import DocTypeRules, SiteDescriptor
from snhr_crawler.sites.snhr import MAIN_HOST, NEWS_HOST

SITES = {"news.snhr.org": NEWS_HOST, "snhr.org": MAIN_HOST}


@pytest.mark.parametrize(
    ("site", "categories", "expected"),
    [
        # news.snhr.org, English and Arabic
        ("news.snhr.org", ["News", "Casualties"], "news"),
        ("news.snhr.org", ["News", "Attacks on Civilian Facilities"], "news"),
        ("news.snhr.org", ["News", "Arrests"], "news"),
        ("news.snhr.org", ["News"], "news"),
        ("news.snhr.org", [], "news"),
        ("news.snhr.org", ["Daily Death Toll"], "daily_death_toll"),
        ("news.snhr.org", ["أخبار", "الضحايا"], "news"),
        ("news.snhr.org", ["أخبار", "الهجمات على المنشآت الحيوية"], "news"),
        ("news.snhr.org", ["أخبار", "الاعتقالات"], "news"),
        ("news.snhr.org", ["الحصيلة اليومية للضحايا"], "daily_death_toll"),
        # snhr.org, English
        ("snhr.org", ["Death Toll"], "report"),
        ("snhr.org", ["Arrest"], "report"),
        ("snhr.org", ["Joint Reports"], "report"),
        ("snhr.org", ["Statements by SNHR"], "statement"),
        ("snhr.org", ["Advocacy Events"], "event"),
        ("snhr.org", ["Others"], "other"),
        ("snhr.org", [], "other"),
        # snhr.org/arabic/
        ("snhr.org", ["حصيلة الضحايا"], "report"),
        ("snhr.org", ["الاعتقال"], "report"),
        ("snhr.org", ["تقارير مشتركة"], "report"),
        ("snhr.org", ["بيانات الشبكة"], "statement"),
        ("snhr.org", ["فعاليات المناصرة"], "event"),
        ("snhr.org", ["أخرى"], "other"),
        # Case, spacing and diacritics do not matter.
        ("snhr.org", ["  death   TOLL "], "report"),
        ("snhr.org", ["بياناتُ الشَّبكة"], "statement"),
        # A daily toll wins over its parent on either site.
        ("snhr.org", ["Daily Death Toll", "Death Toll"], "daily_death_toll"),
    ],
)
def test_mapping(site: str, categories: list[str], expected: str) -> None:
    assert doc_type_for(SITES[site], categories) == expected
    assert expected in DOC_TYPES


def test_a_new_site_gets_its_own_rules_and_default() -> None:
    bulletins = SiteDescriptor(
        origin="https://bulletins.example.org",
        doc_types=DocTypeRules((("statement", frozenset({"Press Releases"})),), default="news"),
    )
    assert doc_type_for(bulletins, ["press  releases"]) == "statement"
    assert doc_type_for(bulletins, ["Death Toll"]) == "news"  # SNHR's rules are not its rules
    assert doc_type_for(SiteDescriptor(origin="https://plain.example.org"), ["News"]) == "other"
