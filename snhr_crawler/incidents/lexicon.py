"""The words incident titles are made of, English and Arabic, as plain tables.

Everything a rule recognises is listed here, so that reading a table tells what
the parser knows and a new word is one line. Patterns are regular-expression
fragments; the parsers add word boundaries and compile them once, at import.
Arabic entries are written as SNHR writes them and folded (no diacritics, one
alef, ta marbuta as ha) by the Arabic parser.
"""

from __future__ import annotations

# --- What happened -------------------------------------------------------------------------
#: Trigger kinds: "kill" and "death" count the dead (a death becomes a death in detention
#: with torture or detention nearby), "injure" the wounded, "arrest" the detained, and
#: "kill_injure" is one phrase for both whose victims cannot be split between them.
EN_TRIGGERS: dict[str, str] = {
    "kill_injure": r"killed\s+and\s+(?:injured|wounded)|(?:injured|wounded)\s+and\s+killed",
    "kill": (
        r"killed|kills|killing|kill|shot\s+dead|shot\s+and\s+killed|shot\s+to\s+death|gunned\s+down"
        r"|massacred|massacres?|executed|executes|executions?|slain|murdered|murders?"
        r"|stabbed\s+to\s+death|beaten\s+to\s+death|burned\s+to\s+death|lost\s+(?:his|her|their)\s+li(?:fe|ves)"
        r"|bod(?:y|ies)\s+of|found\s+dead|dead\s+bod(?:y|ies)"
    ),
    "death": (
        r"(?:dies|died|succumbs|succumbed)\s+(?:of|from|to)\s+(?:his|her|their)\s+(?:injuries|wounds)"
        r"|dies|died|die|death\s+of|deaths\s+of|death"
    ),
    "injure": r"injured|injures|injuring|injure|injuries|wounded|wounds|wounding|maimed",
    "arrest": (
        r"arrested|arrests|arresting|arrest|detained|detains|detaining|detain|abducted|abducts"
        r"|abducting|abduction|kidnapped|kidnaps|kidnapping|kidnap|apprehended|rounded\s+up"
        r"|forcibly\s+disappeared"
    ),
}
EN_TORTURE = r"tortur(?:e|ed|ing)"
EN_DETENTION = r"detention|prisons?|custody|jails?|detainees?|dungeons?"
#: Words that say something happened without saying it was one of the counted events.
EN_OTHER = (
    r"explosions?|exploded|blasts?|clashes|shelling|shelled|bombing|bombed|bombardment|airstrikes?"
    r"|air\s+strikes?|attacks?|attacked|targeted|targeting|fire|burned|displaced|displacement"
    r"|demolished|demolition|looted|looting|seized|seizure|confiscated|raided|raids?|stormed|assaulted"
    r"|tortured|torture|targeted|violations?"
)
#: Verbs of an attack whose object may be a facility ("bombed a school", "attack on a market").
EN_ATTACK = (
    r"bomb(?:ed|s|ing)?|shell(?:ed|s|ing)?|bombard(?:ed|s|ment)?|target(?:ed|s|ing)?|attack(?:ed|s|ing)?"
    r"|strik(?:e|es|ing)|struck|hit|airstrikes?|air\s+strikes?|raid(?:ed|s)?|burn(?:ed|t|s)?|torch(?:ed)?"
    r"|set\s+fire\s+to|storm(?:ed|s)?|loot(?:ed|s)?|destroy(?:ed|s)?|damag(?:ed|es|ing)|vandali[sz]ed"
)

# --- Facilities -----------------------------------------------------------------------------
#: kind -> English nouns (singular and plural), most specific first within a kind.
EN_FACILITIES: dict[str, str] = {
    "water_station": r"water\s+(?:pumping\s+)?(?:stations?|plants?|facilit(?:y|ies)|towers?|wells?|networks?|tanks?)|pumping\s+stations?",
    "medical": (
        r"medical\s+(?:cent(?:er|re)s?|points?|facilit(?:y|ies)|clinics?)|health\s+(?:cent(?:er|re)s?|points?|facilit(?:y|ies))"
        r"|clinics?|dispensar(?:y|ies)|ambulances?|first[\s-]+aid\s+points?"
    ),
    "school": r"schools?|kindergartens?",
    "hospital": r"hospitals?",
    "mosque": r"mosques?",
    "market": r"markets?|marketplaces?|souqs?",
    "bakery": r"baker(?:y|ies)|bread\s+ovens?",
    "camp": r"(?:IDP\s+|displacement\s+|refugee\s+)?camps?",
    "other": (
        r"vital\s+facilit(?:y|ies)|civilian\s+facilit(?:y|ies)|civil\s+defen[cs]e\s+(?:cent(?:er|re)s?|points?)"
        r"|churche?s?|power\s+stations?|electricity\s+stations?|fuel\s+stations?|gas\s+stations?|universit(?:y|ies)"
        r"|courthouses?|bridges?|facilit(?:y|ies)"
    ),
}

# --- Victims --------------------------------------------------------------------------------
#: (singular, plural, kind): kind "child" and "woman" are counted in ``children``/``women``.
EN_VICTIMS: tuple[tuple[str, str, str], ...] = (
    ("civilian", "civilians", "person"), ("person", "persons", "person"), ("person", "people", "person"),
    ("man", "men", "person"), ("woman", "women", "woman"), ("child", "children", "child"),
    ("boy", "boys", "child"), ("girl", "girls", "child"), ("infant", "infants", "child"),
    ("baby", "babies", "child"), ("toddler", "toddlers", "child"), ("newborn", "newborns", "child"),
    ("minor", "minors", "child"), ("teenager", "teenagers", "child"), ("teen", "teens", "child"),
    ("schoolboy", "schoolboys", "child"), ("schoolgirl", "schoolgirls", "child"),
    ("wife", "wives", "woman"), ("mother", "mothers", "woman"), ("grandmother", "grandmothers", "woman"),
    ("sister", "sisters", "woman"), ("widow", "widows", "woman"), ("lady", "ladies", "woman"),
    ("defector", "defectors", "person"), ("detainee", "detainees", "person"),
    ("prisoner", "prisoners", "person"), ("reporter", "reporters", "person"),
    ("journalist", "journalists", "person"), ("worker", "workers", "person"),
    ("employee", "employees", "person"), ("activist", "activists", "person"),
    ("volunteer", "volunteers", "person"), ("doctor", "doctors", "person"), ("nurse", "nurses", "person"),
    ("paramedic", "paramedics", "person"), ("medic", "medics", "person"), ("pharmacist", "pharmacists", "person"),
    ("teacher", "teachers", "person"), ("student", "students", "person"), ("farmer", "farmers", "person"),
    ("shepherd", "shepherds", "person"), ("driver", "drivers", "person"), ("merchant", "merchants", "person"),
    ("trader", "traders", "person"), ("engineer", "engineers", "person"), ("lawyer", "lawyers", "person"),
    ("cleric", "clerics", "person"), ("imam", "imams", "person"), ("sheikh", "sheikhs", "person"),
    ("youth", "youths", "person"), ("father", "fathers", "person"), ("son", "sons", "person"),
    ("brother", "brothers", "person"), ("husband", "husbands", "person"), ("relative", "relatives", "person"),
    ("refugee", "refugees", "person"), ("returnee", "returnees", "person"), ("resident", "residents", "person"),
    ("citizen", "citizens", "person"), ("villager", "villagers", "person"), ("member", "members", "person"),
    ("fighter", "fighters", "person"), ("soldier", "soldiers", "person"), ("officer", "officers", "person"),
    ("policeman", "policemen", "person"), ("victim", "victims", "person"), ("other", "others", "person"),
)  # fmt: skip
#: Nouns that take a name without "named": "Media worker Hassan al-Ali killed".
EN_TITLED_NOUNS = (
    "worker", "activist", "journalist", "reporter", "doctor", "teacher", "nurse", "paramedic",
    "volunteer", "defector", "lawyer", "engineer", "pharmacist", "cleric", "imam", "sheikh", "officer",
    "soldier", "detainee", "prisoner",
)  # fmt: skip
#: Words after a victim noun that belong to it ("Two children siblings", "members of one family").
EN_VICTIM_TAILS = r"siblings|brothers|sisters|of\s+(?:the\s+)?(?:same|one)\s+family"
#: A singular "civilian" before these nouns is an adjective, not a victim ("a civilian car").
EN_CIVILIAN_ADJECTIVE = (
    r"cars?|vehicles?|houses?|homes?|facilit(?:y|ies)|infrastructure|areas?|buildings?|neighbou?rhoods?"
    r"|objects?|property|properties|targets?|victims?|casualties|deaths?|toll"
)
#: Words a victim phrase never reaches across (so "a drone attack on a car" holds no victim).
EN_VICTIM_STOPS = (
    r"in|on|at|by|of|from|near|with|and|or|to|for|after|during|while|due|as|into|inside|outside|under"
    r"|named|identified|was|were|is|are|who|which|that|his|her|their|its"
)
EN_POSSESSIVES = r"his|her|their"
EN_SUBSET = r"including|among\s+them|amongst\s+them|among\s+whom"
EN_UNCOUNTED = (
    r"several|dozens\s+of|scores\s+of|a\s+number\s+of|numerous|multiple|many|some|hundreds\s+of"
)

EN_UNITS = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen",
)  # fmt: skip
EN_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")

#: Words that may start a person's or a place's name in lower case ("al-Jaffal", "al Bara").
EN_NAME_PARTICLES = r"al|el|ad|ar|as|ash|at|az|an|um|umm|abu|bin|ibn|bint|bani|beni|ben|de"

# --- Where ----------------------------------------------------------------------------------
EN_PLACE_TYPES = (
    r"city|town|village|neighbou?rhood|district|sub[\s-]?district|area|hamlet|farms?|camp|quarter"
    r"|suburb|township|region|countryside\s+town"
)
EN_LOCATION_PREPOSITIONS = r"in|on|of|near|at|outside|around|inside|on\s+the\s+outskirts\s+of|outskirts\s+of|in\s+the\s+vicinity\s+of"
EN_DIRECTIONS = {"north": "N", "south": "S", "east": "E", "west": "W"}
EN_RURAL = r"suburbs|countryside|rural|rural\s+areas?|outskirts"

# --- Not one incident ------------------------------------------------------------------------
#: Always a report, statement, toll or campaign item, whatever else the title says.
EN_NOT_AN_INCIDENT = (
    r"death\s+toll|daily\s+toll|toll\s+of|reports?|statements?|SNHR|Syrian\s+Network\s+for\s+Human\s+Rights"
    r"|condemns?|condemned|condemnation|denounces?|calls?\s+(?:on|for|upon)|urges?|appeals?\s+to"
    r"|annual|monthly|anniversary|international\s+day|nominates?|forum|conference|workshop|webinar"
    r"|briefing|submits?|participates?\s+in|holds?\s+an?\s+(?:event|forum|session|meeting)|UNGA"
    r"|Human\s+Rights\s+Council|Security\s+Council|press\s+release|infographic|interview"
)
#: Counted over a period or in aggregate: a report when the title names no day.
EN_PERIOD = (
    r"(?:in|during|since|throughout|of|for|until|by)\s+(?:the\s+(?:year\s+)?)?(?:19|20)\d\d(?!\d)"
    r"|(?:first|second)\s+half|quarter|decade|\d+\s+years|past\s+(?:year|month)"
)
EN_AGGREGATE = (
    r"individuals|amongst\s+which|among\s+which|cases|million|thousands|hundreds|at\s+least\s+\d[\d,]*"
    r"|statistics|documented|recorded|record|toll|countries"
)
#: Lower-case words that Title Case capitalises; two of them mid-title mark a report headline.
EN_FUNCTION_WORDS = frozenset(
    [
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "has",
        "have",
        "had",
        "more",
        "than",
        "it",
        "its",
        "under",
        "before",
        "after",
        "of",
        "the",
        "and",
        "for",
        "to",
        "on",
        "by",
        "with",
        "from",
        "at",
        "as",
        "among",
        "amid",
        "during",
        "since",
        "over",
        "against",
        "must",
        "not",
        "who",
        "which",
        "their",
        "our",
        "into",
        "about",
        "between",
    ]
)

# --- Arabic ---------------------------------------------------------------------------------
AR_TRIGGERS: dict[str, str] = {
    "kill_injure": r"مقتل واصابة|مقتل وجرح|قتل وجرح",
    "kill": (
        r"مقتل|قتل|تقتل|يقتل|قتلت|قتلوا|استشهاد|اعدام|تعدم|يعدم|مجزرة|مجزرتين|مجازر|جثة|جثتي|جثث"
        r"|العثور على جثة|تصفية|اغتيال"
    ),
    "death": r"وفاة|توفي|توفيت|موت|يموت|تموت",
    "injure": r"إصابة|إصابات|جرح|تصيب|يصيب|أصيب|أصيبت|بجراح|بجروح|جريح|جرحى",
    "arrest": (
        r"اعتقال|تعتقل|يعتقل|اعتقلت|اعتقلوا|(?<!مراكز )(?<!مركز )احتجاز|تحتجز|يحتجز|احتجزت|خطف|اختطاف"
        r"|تختطف|يختطف|اختطفت|خطفت|توقيف|تخفي قسريا|إخفاء قسري"
    ),
}
AR_TORTURE = r"التعذيب|تعذيب|تحت التعذيب"
AR_DETENTION = (
    r"مراكز احتجاز|مركز احتجاز|مراكز الاحتجاز|الاحتجاز|سجن|سجون|السجن|المعتقل|معتقلات|معتقل"
)
AR_OTHER = r"انفجار|قصف|هجوم|اشتباكات|حريق|تهجير|نزوح|هدم|سرقة|مصادرة|استهداف|اقتحام|مداهمة|تعذيب"
AR_ATTACK = (
    r"تقصف|يقصف|قصفت|قصف|استهداف|تستهدف|يستهدف|استهدفت|هجوم على|هجوما على|اعتداء على|تدمير|تدمر"
    r"|تحرق|إحراق|حرق|اقتحام|تقتحم|يقتحم|مداهمة|تداهم|نهب"
)
AR_FACILITIES: dict[str, str] = {
    "water_station": r"محطة مياه|محطة ضخ|محطتي مياه|محطات مياه|محطة لضخ المياه|محطة المياه",
    "medical": r"مركز طبي|مركزا طبيا|مراكز طبية|نقطة طبية|مستوصف|عيادة|مركز صحي|سيارة إسعاف|سيارات إسعاف",
    "school": r"مدرسة|مدرستين|مدرستان|مدارس|روضة|رياض أطفال",
    "hospital": r"مشفى|مستشفى|مشفيين|مستشفيين|مشافي|مستشفيات",
    "mosque": r"مسجد|مسجدين|مساجد|جامع",
    "market": r"سوق|سوقين|أسواق|سوقا",
    "bakery": r"فرن|فرنين|أفران|مخبز|مخابز",
    "camp": r"مخيم|مخيمين|مخيمات|مخيما",
    "other": (
        r"منشأة حيوية|منشأتين حيويتين|منشآت حيوية|مركز للدفاع المدني|مركز الدفاع المدني|مركزا للدفاع المدني"
        r"|كنيسة|محطة كهرباء|محطة وقود|منشأة"
    ),
}
#: (word, count, kind): count None for plurals and for forms that are dual or plural alike.
AR_VICTIMS: tuple[tuple[str, int | None, str], ...] = (
    ("مدني", 1, "person"), ("مدنيا", 1, "person"), ("مدنية", 1, "woman"), ("مدنيان", 2, "person"),
    ("مدنيين", None, "person"), ("مدنيون", None, "person"),
    ("طفل", 1, "child"), ("طفلا", 1, "child"), ("طفلة", 1, "child"), ("طفلين", 2, "child"),
    ("طفلان", 2, "child"), ("طفلتين", 2, "child"), ("طفلتان", 2, "child"), ("أطفال", None, "child"),
    ("رضيع", 1, "child"), ("رضيعة", 1, "child"), ("فتى", 1, "child"), ("فتاة", 1, "child"),
    ("رجل", 1, "person"), ("رجلا", 1, "person"), ("رجلين", 2, "person"), ("رجلان", 2, "person"),
    ("رجال", None, "person"), ("سيدة", 1, "woman"), ("امرأة", 1, "woman"), ("سيدتين", 2, "woman"),
    ("سيدتان", 2, "woman"), ("امرأتين", 2, "woman"), ("سيدات", None, "woman"), ("نساء", None, "woman"),
    ("شاب", 1, "person"), ("شابا", 1, "person"), ("شابين", 2, "person"), ("شبان", None, "person"),
    ("عسكري", 1, "person"), ("عسكريا", 1, "person"), ("ضابط", 1, "person"), ("مجند", 1, "person"),
    ("عنصر", 1, "person"), ("ناشط", 1, "person"), ("ناشطا", 1, "person"), ("ناشطة", 1, "woman"),
    ("إعلامي", 1, "person"), ("إعلاميا", 1, "person"), ("صحفي", 1, "person"), ("صحفيا", 1, "person"),
    ("عامل", 1, "person"), ("عاملا", 1, "person"), ("موظف", 1, "person"), ("موظفا", 1, "person"),
    ("طبيب", 1, "person"), ("طبيبا", 1, "person"), ("ممرض", 1, "person"), ("ممرضة", 1, "woman"),
    ("متطوع", 1, "person"), ("مزارع", 1, "person"), ("راعي", 1, "person"), ("معتقل", 1, "person"),
    ("معتقلا", 1, "person"), ("سجين", 1, "person"), ("لاجئ", 1, "person"), ("نازح", 1, "person"),
    ("مواطن", 1, "person"), ("مواطنا", 1, "person"), ("مواطنين", None, "person"), ("مواطنان", 2, "person"),
    ("مواطنون", None, "person"), ("عسكريين", None, "person"), ("ناشطين", None, "person"),
    ("إعلاميين", None, "person"), ("صحفيين", None, "person"), ("موظفين", None, "person"),
    ("معتقلين", None, "person"), ("لاجئين", None, "person"), ("عمال", None, "person"), ("شخصان", 2, "person"), ("شخص", 1, "person"), ("شخصا", 1, "person"),
    ("شخصين", 2, "person"), ("أشخاص", None, "person"), ("مسن", 1, "person"), ("مسنة", 1, "woman"),
    ("زوجته", 1, "woman"), ("والدته", 1, "woman"), ("أمه", 1, "woman"), ("ابنته", 1, "person"),
    ("ابنه", 1, "person"), ("شقيقه", 1, "person"), ("شقيقته", 1, "woman"), ("والده", 1, "person"),
    ("زوجها", 1, "person"), ("أطفاله", None, "child"), ("آخرين", None, "person"), ("آخرون", None, "person"),
    ("آخر", 1, "person"), ("أخرى", 1, "woman"),
)  # fmt: skip
#: Count words before the noun ("ثلاثة مدنيين") and after it ("مدنيين اثنين").
AR_NUMBERS: dict[str, int] = {
    "ثلاثة": 3, "ثلاث": 3, "أربعة": 4, "أربع": 4, "خمسة": 5, "خمس": 5, "ستة": 6, "ست": 6,
    "سبعة": 7, "سبع": 7, "ثمانية": 8, "ثماني": 8, "ثمان": 8, "تسعة": 9, "تسع": 9, "عشرة": 10,
    "عشر": 10, "أحد عشر": 11, "إحدى عشرة": 11, "اثنا عشر": 12, "اثني عشر": 12, "اثنتا عشرة": 12,
    "ثلاثة عشر": 13, "أربعة عشر": 14, "خمسة عشر": 15, "ستة عشر": 16, "سبعة عشر": 17,
    "ثمانية عشر": 18, "تسعة عشر": 19, "عشرين": 20, "عشرون": 20, "ثلاثين": 30, "ثلاثون": 30,
}  # fmt: skip
AR_NUMBERS_AFTER: dict[str, int] = {
    "واحد": 1, "واحدة": 1, "اثنين": 2, "اثنان": 2, "اثنتين": 2, "اثنتان": 2,
}  # fmt: skip
#: Words that may follow a victim noun and belong to it ("طفلين شقيقين", "عسكري منشق").
AR_VICTIM_TAILS = r"شقيقين|شقيقان|أشقاء|شقيقتين|مسن|مسنة|منشق|منشقا|نازحين|نازحا|مهجرين|مهجرا|آخرين|آخرون|مدنيين|مدنيا"
AR_SUBSET = r"بينهم|بينهن|منهم"
AR_NAME_MARKERS = r"يدعى|تدعى|المدعو|المدعوة|اسمه|اسمها"
#: Words a name never runs into: what follows a name in a title.
AR_NAME_STOPS = (
    "على", "يد", "في", "إثر", "اثر", "جراء", "برصاص", "بسبب", "من", "قرب", "داخل", "خلال", "عند", "بعد",
    "قبل", "بقصف", "بانفجار", "بريف", "بمدينة", "ببلدة", "بقرية", "بحي", "بلغم", "بطائرة", "أثناء",
    "وإصابة", "واصابة", "ومقتل", "وجرح", "تحت", "بجراح", "بجروح", "لدى", "التعذيب", "مع",
)  # fmt: skip
AR_PLACE_TYPES = r"مدينة|بلدة|قرية|حي|مخيم|منطقة|ناحية|مزرعة|مزارع|بلدتي|قريتي|مدينتي|محيط"
AR_DIRECTIONS = {"شمال": "N", "جنوب": "S", "شرق": "E", "غرب": "W"}
AR_NOT_AN_INCIDENT = (
    r"الحصيلة اليومية|حصيلة|تقرير|التقرير|بيان|البيان|الشبكة السورية لحقوق الإنسان|تدين|يدين|إدانة"
    r"|اليوم الدولي|اليوم العالمي|ذكرى|السنوي|الشهري|مؤتمر|ندوة|فعالية|تطالب|نطالب|يطالب|ترشيح"
)
AR_PERIOD = r"(?:في|خلال|منذ|عام|مطلع|نهاية)\s+(?:عام\s+)?(?:19|20)\d\d|النصف الأول|النصف الثاني|الربع|خلال شهر|منذ عام"
AR_AGGREGATE = r"ما لا يقل عن|حالة|حالات|آلاف|مليون|إحصائية|توثيق|وثقنا"
