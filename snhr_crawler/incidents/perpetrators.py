"""Who did it: the words SNHR uses for each party, and what they meant when.

This module is the only place a party's name is mapped to a code. The codes:

================================  ====================================================
``syrian_regime``                 Assad's forces, security branches and allied
                                  militias (Iranian, Hezbollah, NDF); after the fall,
                                  the "remnants of the former regime"
``russia``                        Russian forces
``regime_and_russia``             named together ("Syrian-Russian alliance forces")
``sdf``                           Syrian Democratic Forces (also YPG, Asayish)
``hts``                           Hay'at Tahrir al Sham (and its Nusra predecessors)
``isis``                          ISIS / ISIL / Daesh
``us_coalition``                  the US-led International Coalition
``turkey``                        Turkish forces, border guards, gendarmerie
``turkish_backed_opposition``     the Syrian National Army, "Factions of the Armed
                                  Opposition/Syrian National Army"
``armed_opposition``              armed opposition factions not named as the SNA
``israel``                        Israeli forces ("suspected to be Israeli")
``syrian_government``             the authorities in Damascus after the fall: General
                                  Security, the ministries of defence and interior,
                                  "government forces"
``unidentified_gunmen``           "unidentified gunmen", "gunmen", "armed men"
``unknown``                       an origin said to be unknown: "a landmine of
                                  unidentified source", "of unknown type and origin"
================================  ====================================================

Periods, keyed on the item's publication date (``published``):

* until 2024-12-08 (the fall of the Assad regime), "government forces",
  "security forces", "the Syrian army", "General Security", the ministries and
  "the authorities" are the regime's: ``syrian_regime``;
* from 2024-12-08 the same words name the new authorities: ``syrian_government``;
  "the Military Operations Command" is ``armed_opposition`` during the offensive
  (from 2024-11-27) and ``syrian_government`` once it governs;
* every other name means one party at all times ("Syrian regime" stays
  ``syrian_regime``: a 2025 item about a death in one of its prisons still blames it).

Without a publication date, a word whose meaning changed gives no party (None)
rather than a guess.

``ENGLISH`` and ``ARABIC`` list the terms in priority order: where two terms
match at the same place the earlier one wins, so "Turkish-backed SNA" comes
before "Turkish" and "Syrian-Russian alliance" before "Syrian regime". A term
whose parties are empty names someone the title then identifies further
("gunmen affiliated with the SDF"): it is skipped so the next name counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

#: Damascus fell to the opposition offensive on 8 December 2024.
FALL_OF_THE_REGIME = date(2024, 12, 8)
#: The offensive ("Deterrence of Aggression") that ended the regime began on 27 November 2024.
FINAL_OFFENSIVE = date(2024, 11, 27)

SYRIAN_GOVERNMENT = "syrian_government"

CODES = frozenset(
    {
        "syrian_regime", "russia", "regime_and_russia", "sdf", "hts", "isis", "us_coalition",
        "turkey", "turkish_backed_opposition", "armed_opposition", "israel", SYRIAN_GOVERNMENT,
        "unidentified_gunmen", "unknown",
    }
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Party:
    """What a term means from ``since`` (inclusive) until ``until`` (exclusive)."""

    code: str
    since: date | None = None
    until: date | None = None

    def holds_on(self, day: date) -> bool:
        return (self.since is None or day >= self.since) and (
            self.until is None or day < self.until
        )


@dataclass(frozen=True, slots=True)
class Term:
    """A regular expression for a party's name, and who it names when."""

    pattern: str
    parties: tuple[Party, ...]
    #: Acronyms ("SDF", "IS") match only as written; names ignore case.
    exact_case: bool = False

    def party(self, published: date | None) -> str | None:
        if published is None:
            timeless = (
                len(self.parties) == 1
                and self.parties[0].since is None
                and self.parties[0].until is None
            )
            return self.parties[0].code if timeless else None
        for party in self.parties:
            if party.holds_on(published):
                return party.code
        return None


def _always(code: str) -> tuple[Party, ...]:
    return (Party(code),)


#: The state's own forces and offices: the regime's until the fall, then the new authorities'.
_STATE = (
    Party("syrian_regime", until=FALL_OF_THE_REGIME),
    Party(SYRIAN_GOVERNMENT, since=FALL_OF_THE_REGIME),
)
_OPERATIONS_COMMAND = (
    Party("armed_opposition", since=FINAL_OFFENSIVE, until=FALL_OF_THE_REGIME),
    Party(SYRIAN_GOVERNMENT, since=FALL_OF_THE_REGIME),
)
_SKIP: tuple[Party, ...] = ()

ENGLISH: tuple[Term, ...] = (
    Term(
        r"(?:gunmen|armed men|militants?|members?) (?:affiliated (?:with|to)|belonging to|loyal to|of|from)",
        _SKIP,
    ),
    Term(
        r"Syrian[\s-]*Russian (?:alliance|coalition|forces|warplanes|aircraft)"
        r"|(?:Syrian )?regime and Russian|Russian and (?:Syrian )?regime|Russian[\s-]+Syrian",
        _always("regime_and_russia"),
    ),
    Term(
        r"remnants of the (?:former|ousted|deposed|fallen|toppled) (?:Assad )?regime"
        r"|(?:former|ousted|deposed|fallen|toppled) (?:Assad )?regime|(?:Assad|regime) (?:loyalists|remnants)",
        _always("syrian_regime"),
    ),
    Term(
        r"Turkish[\s-]+backed (?:armed )?(?:factions|opposition|Syrian National Army|SNA|groups|militias|forces)",
        _always("turkish_backed_opposition"),
    ),
    Term(
        r"(?:factions of )?(?:the )?armed opposition\s*/\s*(?:the )?(?:Syrian National Army|SNA)"
        r"|(?:the )?Syrian National Army|(?:the )?National Army",
        _always("turkish_backed_opposition"),
    ),
    Term(r"SNA", _always("turkish_backed_opposition"), exact_case=True),
    Term(
        r"Syrian Democratic Forces|Asayi?sh|Kurdish[\s-]+led forces|Self[\s-]+Administration",
        _always("sdf"),
    ),
    Term(r"SDF|YPG|QSD", _always("sdf"), exact_case=True),
    Term(
        r"Ha'?y?'?at Tahrir al[\s-]+Sham|Tahrir al[\s-]+Sham|Jabhat al[\s-]+Nusra|Nusra Front"
        r"|Jabhat Fateh al[\s-]+Sham",
        _always("hts"),
    ),
    Term(r"HTS", _always("hts"), exact_case=True),
    Term(r"Islamic State|Daesh|Da'esh", _always("isis")),
    Term(r"I\.S\.I\.S\.?|I\.S\.I\.L\.?|ISIS|ISIL|IS", _always("isis"), exact_case=True),
    Term(
        r"(?:the )?US[\s-]+led (?:international )?coalition|(?:the )?international coalition"
        r"|coalition (?:forces|warplanes|aircraft|helicopters?|drones?)|(?:US|U\.S\.|American) forces|coalition",
        _always("us_coalition"),
    ),
    Term(
        r"Turkish (?:forces|army|troops|border guards?|gendarmerie|jandarma|drones?|warplanes?|artillery)"
        r"|Turkish|Turkey",
        _always("turkey"),
    ),
    Term(
        r"Israeli (?:forces|army|occupation forces|warplanes|drones?|aircraft)|Israeli|Israel",
        _always("israel"),
    ),
    Term(
        r"Russian (?:forces|warplanes|aircraft|jets|airstrikes?|military police)|Russian|Russia",
        _always("russia"),
    ),
    Term(r"Military Operations (?:Command|Administration|Department|Room)", _OPERATIONS_COMMAND),
    Term(
        r"General Security|Public Security|(?:the )?Ministry of (?:Defen[cs]e|Interior)"
        r"|(?:Syrian )?(?:transitional |interim )?government(?:'s)? (?:security )?forces"
        r"|(?:Syrian )?security forces|(?:the )?(?:new )?Syrian (?:Arab )?army|(?:the )?(?:new )?(?:Syrian )?authorities",
        _STATE,
    ),
    Term(
        r"Syrian regime|Assad (?:regime|forces)|pro[\s-]+regime (?:militias|gunmen|forces)|regime"
        r"|Iranian(?:[\s-]+backed)? militias|Hezbollah|Air Force Intelligence|Military Intelligence"
        r"|Fourth Division|National Defen[cs]e Forces|Shabiha",
        _always("syrian_regime"),
    ),
    Term(
        r"(?:unidentified|unknown|masked) (?:gunmen|armed men|assailants|attackers|persons|individuals)"
        r"|gunmen we have not (?:yet )?been able to identify|gunmen|armed men",
        _always("unidentified_gunmen"),
    ),
    Term(
        r"of (?:an? )?(?:unidentified|unknown) (?:source|origin|type and origin|party|affiliation|type)"
        r"|(?:unidentified|unknown) part(?:y|ies)|(?:unidentified|unknown) (?:drones?|aircraft|warplanes?)"
        r"|unidentified(?= (?:attack|bombing|shelling|strike|shooting))",
        _always("unknown"),
    ),
    Term(
        r"(?:armed )?opposition factions|(?:the )?armed opposition|Free Syrian Army|rebel factions|rebels",
        _always("armed_opposition"),
    ),
    Term(r"FSA", _always("armed_opposition"), exact_case=True),
)

#: Arabic terms, written unfolded; the Arabic parser folds them as it folds titles.
ARABIC: tuple[Term, ...] = (
    Term(
        r"قوات الحلف السوري الروسي|الحلف السوري الروسي|القوات السورية الروسية"
        r"|قوات النظام السوري والقوات الروسية|النظام السوري وروسيا",
        _always("regime_and_russia"),
    ),
    Term(
        r"فلول النظام(?: البائد| السابق| المخلوع| البائد)?|بقايا النظام(?: البائد| السابق)?"
        r"|النظام البائد|النظام السابق|النظام المخلوع|(?:مسلحين|مسلحون) موالين للنظام",
        _always("syrian_regime"),
    ),
    Term(
        r"فصائل (?:في )?المعارضة المسلحة\s*/\s*الجيش الوطني(?: السوري)?|الجيش الوطني السوري|الجيش الوطني"
        r"|فصائل مدعومة من تركيا|الفصائل المدعومة من تركيا|الفصائل الموالية لتركيا",
        _always("turkish_backed_opposition"),
    ),
    Term(
        r"قوات سوريا الديمقراطية|قسد|وحدات حماية الشعب|الأسايش|الآسايش|الإدارة الذاتية",
        _always("sdf"),
    ),
    Term(r"هيئة تحرير الشام|تحرير الشام|جبهة النصرة|جبهة فتح الشام", _always("hts")),
    Term(r"تنظيم داعش|داعش|تنظيم الدولة(?: الإسلامية)?", _always("isis")),
    Term(
        r"قوات التحالف الدولي|التحالف الدولي|التحالف بقيادة الولايات المتحدة|القوات الأمريكية|القوات الأميركية",
        _always("us_coalition"),
    ),
    Term(
        r"القوات التركية|الجيش التركي|حرس الحدود التركي|الجندرمة التركية|الجندرما التركية|تركية|التركي|تركيا",
        _always("turkey"),
    ),
    Term(
        r"القوات الإسرائيلية|الجيش الإسرائيلي|قوات الاحتلال الإسرائيلي|إسرائيلية|الإسرائيلي|إسرائيل",
        _always("israel"),
    ),
    Term(r"القوات الروسية|الطائرات الروسية|الطيران الروسي|روسية|الروسي|روسيا", _always("russia")),
    Term(r"إدارة العمليات العسكرية", _OPERATIONS_COMMAND),
    Term(
        r"قوات الأمن العام|الأمن العام|وزارة الدفاع|وزارة الداخلية|قوات الحكومة السورية|القوات الحكومية"
        r"|الحكومة السورية|قوات الحكومة|الجيش السوري(?! الحر)|قوات الأمن|الأجهزة الأمنية|السلطات السورية",
        _STATE,
    ),
    Term(
        r"قوات النظام السوري|النظام السوري|قوات النظام|النظام|الميليشيات الإيرانية|ميليشيات إيرانية|حزب الله",
        _always("syrian_regime"),
    ),
    Term(
        r"(?:مسلحين|مسلحون) لم نتمكن من تحديد هويتهم|(?:مسلحين|مسلحون) مجهولي(?:ن|ن الهوية)|مسلحون مجهولون"
        r"|مجهولين|مجهولون|مسلحين|مسلحون",
        _always("unidentified_gunmen"),
    ),
    Term(
        r"(?:مجهول|مجهولة) المصدر|لم نتمكن من تحديد (?:مصدره|مصدرها|مصدر)|جهة مجهولة|جهات مجهولة"
        r"|(?:مجهول|مجهولة) الهوية",
        _always("unknown"),
    ),
    Term(
        r"فصائل (?:في )?المعارضة المسلحة|المعارضة المسلحة|فصائل المعارضة|الجيش السوري الحر|الجيش الحر",
        _always("armed_opposition"),
    ),
)


def published_day(published: str | None) -> date | None:
    """The publication day from ``YYYY-MM-DD...``; None when absent or not a date."""
    if not published or len(published) < 10:
        return None
    try:
        return date.fromisoformat(published[:10])
    except ValueError:
        return None
