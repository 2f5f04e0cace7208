"""Main-site documents (snhr.org): reports, statements, events, in both languages.

Monthly series carry a month but no day ("…Recorded in October 2024"), so
their ``incident_date`` is None; statements name a day ("…on March 3, 2024").
Arabic titles pair the Levantine and standard month names ("كانون الأول/ديسمبر").
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from .clock import AR_LEVANTINE, AR_STANDARD, EN_MONTHS
from .lexicon import GOVERNORATES, ORDINALS
from .model import Block, Em, Inline, Link, Strong

CATEGORY_WEIGHTS = (
    ("death-toll", 5), ("arrest", 5), ("statements", 3), ("events", 2), ("joint", 1), ("others", 2),
)  # fmt: skip

_JOINT = (
    "Patchwork justice for Syria?",
    "Joint Statement on the Need to Reveal the Fate of the Missing in Syria",
    "Joint Letter to the UN Security Council on the Protection of Civilians in Syria",
)
_OTHERS = (
    "About 16 Million Syrian Citizens are Suffering as a Result of the Syrian Regime's Control "
    "Over Official Documents",
    "In the Memory of the Syria's Fallen Victims",
    "The Syrian Network for Human Rights Documentation of Violations Was a Long and Tiresome "
    "Journey over the Past Decade",
)
_LONG = (
    "On the International Day in Support of Victims of Torture, New Information Reveals the Deaths "
    "of Thousands of Forcibly Disappeared Persons in the Detention Centers of the Former Syrian "
    "Regime, Raising Urgent Questions About the Fate of the Remaining Detainees and the "
    "Responsibility of the International Community"
)


@dataclass(frozen=True)
class Document:
    category: str
    covered: date  # the month (or day, for statements) the document is about
    deaths: int
    children: int
    women: int
    torture: int
    gov: int
    variant: int
    pages: int
    long_title: bool = False
    has_subtitle: bool = False


def pick_category(r: random.Random) -> str:
    keys = [key for key, weight in CATEGORY_WEIGHTS for _ in range(weight)]
    return r.choice(keys)


def pick_document(r: random.Random, category: str, covered: date) -> Document:
    deaths = r.randint(90, 1900)
    return Document(
        category=category, covered=covered, deaths=deaths, children=r.randint(5, deaths // 5),
        women=r.randint(3, deaths // 8), torture=r.randint(2, 120), gov=r.randrange(len(GOVERNORATES)),
        variant=r.randrange(12), pages=r.randint(12, 90), has_subtitle=r.random() < 0.35,
    )  # fmt: skip


def _en_month(day: date) -> str:
    return f"{EN_MONTHS[day.month - 1]} {day.year}"


def _ar_month(day: date) -> str:
    return f"{AR_LEVANTINE[day.month - 1]}/{AR_STANDARD[day.month - 1]} {day.year}"


def has_day_date(doc: Document) -> bool:
    """True when the title names a day (statements only)."""
    return doc.category == "statements" and not doc.long_title and doc.variant % 2 == 0


def en_title(doc: Document) -> str:
    if doc.long_title:
        return _LONG
    month = _en_month(doc.covered)
    if doc.category == "death-toll":
        if doc.covered.year <= 2015:
            return (
                f"The Death Toll for {month}"
                if doc.variant % 2
                else (f"The Death of {doc.torture} victims under torture in {month}")
            )
        return (
            f"{doc.deaths:,} Civilian Deaths, Including {doc.children} Children and {doc.women} Women, "
            f"as well as {doc.torture} Deaths due to Torture, Documented in Syria in {month}"
        )
    if doc.category == "arrest":
        if doc.variant % 2:
            return f"At least {doc.deaths} Arbitrary Detentions Recorded in {month}"
        return (
            f"At Least {doc.deaths} Arbitrary Arrests/Detentions Documented in {month}, Including of "
            f"{doc.children} Children and {doc.women} Women"
        )
    if doc.category == "statements":
        gov = GOVERNORATES[doc.gov][0]
        if has_day_date(doc):
            day = f"{EN_MONTHS[doc.covered.month - 1]} {doc.covered.day}, {doc.covered.year}"
            return f"SNHR Condemns the Killing of {doc.children} Civilians in {gov} on {day}"
        return f"SNHR Calls for Protecting Civilians in {gov} Governorate"
    if doc.category == "events":
        session = doc.covered.year - 1945
        return (
            f"SNHR Holds an Event Sponsored by Seven World States on the Sidelines of the {session}TH "
            "Session of the UNGA"
            if doc.variant % 2
            else f"SNHR Holds a Forum on the {ORDINALS[(doc.covered.year - 2012) % 15]} Anniversary of "
            "the Popular Uprising in Syria"
        )
    pool = _JOINT if doc.category == "joint" else _OTHERS
    return pool[doc.variant % len(pool)]


def ar_title(doc: Document) -> str:
    if doc.long_title:
        return (
            "في اليوم الدولي لمساندة ضحايا التعذيب معلومات جديدة تكشف عن وفاة آلاف المختفين قسرياً "
            "في مراكز احتجاز النظام السوري السابق"
        )
    month = _ar_month(doc.covered)
    if doc.category == "death-toll":
        return (
            f"توثيق مقتل {doc.deaths} مدنياً بينهم {doc.children} طفلاً و{doc.women} سيدة "
            f"و{doc.torture} بسبب التعذيب في سوريا في {month}"
        )
    if doc.category == "arrest":
        return (
            f"ما لا يقل عن {doc.deaths} حالة اعتقال تعسفي في {month} بينها {doc.children} طفلاً "
            f"و{doc.women} سيدة"
        )
    gov = GOVERNORATES[doc.gov][1]
    if doc.category == "statements":
        if has_day_date(doc):
            day = doc.covered
            paired = f"{AR_LEVANTINE[day.month - 1]}/{AR_STANDARD[day.month - 1]}"
            return f"الشبكة السورية لحقوق الإنسان تدين مقتل {doc.children} مدنياً في {gov} في {day.day} {paired} {day.year}"
        return f"الشبكة السورية لحقوق الإنسان تطالب بحماية المدنيين في محافظة {gov}"
    if doc.category == "events":
        return "الشبكة السورية لحقوق الإنسان تعقد فعالية على هامش اجتماعات الجمعية العامة للأمم المتحدة"
    if doc.category == "joint":
        return "بيان مشترك حول ضرورة الكشف عن مصير المفقودين في سوريا"
    return "قرابة 16 مليون مواطن سوري يعانون بسبب سيطرة النظام على الوثائق الرسمية"


def en_subtitle(doc: Document) -> str | None:
    if not doc.has_subtitle or doc.category not in ("death-toll", "arrest", "statements"):
        return None
    return f"{doc.deaths // 3} amongst which were killed in {EN_MONTHS[doc.covered.month - 1]}"


def ar_subtitle(doc: Document) -> str | None:
    if not doc.has_subtitle or doc.category not in ("death-toll", "arrest", "statements"):
        return None
    return f"بينهم {doc.deaths // 3} في {AR_LEVANTINE[doc.covered.month - 1]}"


def has_pdf(doc: Document) -> bool:
    return doc.category in ("death-toll", "arrest", "joint") or (
        doc.category == "statements" and doc.variant % 3 == 0
    )


def en_body(
    doc: Document,
    published: date,
    pdf_path: str | None,
    earlier: str | None,
    *,
    bare: bool = False,
) -> list[Block]:
    """Press-release layout: lead-in, dateline, sections, then the PDF link."""
    city = "Paris" if published.year <= 2022 else "The Hague"
    kind = "statement" if doc.category == "statements" else "report"
    blocks: list[Block] = []
    if pdf_path:
        blocks.append(Block("p", (f"Press release: (Download the full {kind} below)",)))
    blocks.append(
        Block(
            "p",
            (
                Strong(f"{city} –"),
                f" The Syrian Network for Human Rights (SNHR) released its {kind} today, documenting "
                f"{doc.deaths:,} violations in {_en_month(doc.covered)}.",
            ),
        )
    )
    blocks.append(Block("h3", ("Key findings",)))
    blocks.append(
        Block(
            "p",
            (
                f"The {doc.pages}-page {kind} notes that ",
                Em(f"{doc.children} children and {doc.women} women"),
                f" were among the victims, and that {doc.torture} people died due to torture.",
            ),
        )
    )
    blocks.append(Block("h3", ("Recommendations",)))
    tail: list[Inline] = ["The UN Security Council must act to protect Syrian civilians."]
    if earlier:
        tail += [
            " See also ",
            Link("our previous report", path=earlier, family="main", bare=bare),
            ".",
        ]
    blocks.append(Block("p", tuple(tail)))
    if pdf_path:
        label = "Download the full statement" if kind == "statement" else "Download the full report"
        blocks.append(Block("p", (Link(label, path=pdf_path, family="main"),)))
    return blocks


def ar_body(
    doc: Document,
    published: date,
    pdf_path: str | None,
    earlier: str | None,
    *,
    bare: bool = False,
) -> list[Block]:
    city = "باريس" if published.year <= 2022 else "لاهاي"
    blocks: list[Block] = []
    if pdf_path:
        blocks.append(Block("p", ("بيان صحفي: (لتحميل التقرير كاملاً في الأسفل)",)))
    blocks.append(
        Block(
            "p",
            (
                Strong(f"{city} –"),
                f" أصدرت الشَّبكة السورية لحقوق الإنسان تقريرها اليوم، ووثقت فيه {doc.deaths} انتهاكاً "
                f"في {_ar_month(doc.covered)}.",
            ),
        )
    )
    blocks.append(Block("h3", ("أبرز ما جاء في التقرير",)))
    blocks.append(
        Block("p", (f"يقع التقرير في {doc.pages} صفحة، وبين الضحايا {doc.children} طفلاً.",))
    )
    if earlier:
        blocks.append(
            Block(
                "p",
                ("انظر أيضاً ", Link("تقريرنا السابق", path=earlier, family="main", bare=bare), "."),
            )
        )
    if pdf_path:
        blocks.append(Block("p", (Link("تحميل التقرير كاملاً", path=pdf_path, family="main"),)))
    return blocks
