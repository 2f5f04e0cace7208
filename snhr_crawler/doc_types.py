"""``doc_type``: what kind of document a record is, from its site and categories.

The one place the mapping lives. Categories are matched case- and
diacritic-insensitively; the first rule that matches wins.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

# (doc_type, category names in English and Arabic that mean it). Order matters.
_RULES: tuple[tuple[str, frozenset[str]], ...] = (
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

NEWS_HOSTS = frozenset({"news.snhr.org"})


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


def doc_type_for(site: str, categories: Iterable[str]) -> str:
    """``news``, ``daily_death_toll``, ``report``, ``statement``, ``event`` or ``other``."""
    folded = {_fold(name) for name in categories}
    for doc_type, names in _RULES:
        if folded & {_fold(name) for name in names}:
            return doc_type
    # The news site's own categories (News, Casualties, أخبار, الضحايا …) are all
    # news; on the main site an unknown category ("Others", "أخرى") is "other".
    return "news" if site in NEWS_HOSTS else "other"
