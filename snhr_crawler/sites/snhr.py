"""SNHR's sites: two hosts, four sources (English and Arabic on each).

The only place SNHR's hosts, old hosts and site names are written down; the
spiders in ``snhr_crawler/spiders/`` take their descriptor from here.
"""

from __future__ import annotations

from dataclasses import replace

from snhr_crawler.sites import DocTypeRules, SiteDescriptor

SITE_NAMES = ("Syrian Network for Human Rights", "الشبكة السورية لحقوق الإنسان")

# (doc_type, category names in English and Arabic that mean it). Order matters:
# a daily toll is also filed under the death-toll reports on the main site.
SNHR_DOC_TYPE_RULES: tuple[tuple[str, frozenset[str]], ...] = (
    (
        "daily_death_toll",
        frozenset({"daily death toll", "الحصيلة اليومية", "الحصيلة اليومية للضحايا"}),
    ),
    ("statement", frozenset({"statements by snhr", "statements", "بيانات", "بيانات الشبكة"})),
    ("event", frozenset({"advocacy events", "events", "فعاليات", "فعاليات المناصرة"})),
    (
        "report",
        frozenset(
            {
                "death toll",
                "arrest",
                "joint reports",
                "reports",
                "monthly reports",
                "torture",
                "حصيلة الضحايا",
                "الاعتقال",
                "تقارير مشتركة",
                "تقارير",
            }
        ),
    ),
)

#: news.snhr.org: every category not matched above (News, Casualties, أخبار ...) is news.
NEWS_HOST = SiteDescriptor(
    origin="https://news.snhr.org",
    aliases=("www.news.snhr.org",),
    old_hosts=("news.sn4hr.org", "www.news.sn4hr.org"),
    site_names=SITE_NAMES,
    doc_types=DocTypeRules(SNHR_DOC_TYPE_RULES, default="news"),
)

#: snhr.org: an unknown category ("Others", "أخرى") is "other".
MAIN_HOST = SiteDescriptor(
    origin="https://snhr.org",
    aliases=("www.snhr.org",),
    old_hosts=("sn4hr.org", "www.sn4hr.org"),
    site_names=SITE_NAMES,
    doc_types=DocTypeRules(SNHR_DOC_TYPE_RULES, default="other"),
)

# Each source links to the other host too (translations, "Related News", old links).
SNHR_NEWS = replace(NEWS_HOST, seeds="snhr_news", site_path="/", related=(MAIN_HOST,))
SNHR_NEWS_AR = replace(NEWS_HOST, seeds="snhr_news_ar", site_path="/ar/", related=(MAIN_HOST,))
# The main site's permalinks carry the multisite "/blog/" prefix; its feeds and REST do not.
SNHR_REPORTS = replace(MAIN_HOST, seeds="snhr_reports", site_path="/", related=(NEWS_HOST,))
SNHR_REPORTS_AR = replace(
    MAIN_HOST, seeds="snhr_reports_ar", site_path="/arabic/", related=(NEWS_HOST,)
)
