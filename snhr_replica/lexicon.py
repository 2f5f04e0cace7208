"""Words SNHR titles and bodies are built from (English and Arabic side by side).

Each tuple entry is ``(english, arabic)`` so a paired translation describes the
same incident in both languages.
"""

from __future__ import annotations

GOVERNORATES = (
    ("Idlib", "إدلب"), ("Aleppo", "حلب"), ("Daraa", "درعا"), ("Deir Ez-Zour", "دير الزور"),
    ("Hama", "حماة"), ("Homs", "حمص"), ("Raqqa", "الرقة"), ("Hasaka", "الحسكة"),
    ("Damascus suburbs", "ريف دمشق"), ("Latakia", "اللاذقية"), ("Suwayda", "السويداء"),
    ("Quneitra", "القنيطرة"),
)  # fmt: skip

TOWNS = (
    ("Kafranbel", "city", "كفرنبل"), ("Saraqeb", "city", "سراقب"), ("Mardikh", "village", "مرديخ"),
    ("al Bara", "village", "البارة"), ("Jasem", "city", "جاسم"), ("al Ghariya", "town", "الغارية"),
    ("Armanaz", "town", "أرمناز"), ("al Sabha", "village", "الصبحة"), ("Atareb", "city", "الأتارب"),
    ("Tafas", "city", "طفس"), ("Kharba", "village", "خربا"), ("Jdaidet Artouz", "town", "جديدة عرطوز"),
)  # fmt: skip

#: (short abbreviation, long adjective, Arabic adjective for "ريف X ...")
DIRECTIONS = (
    ("N.", "northern", "الشمالي"), ("S.", "southern", "الجنوبي"),
    ("E.", "eastern", "الشرقي"), ("W.", "western", "الغربي"),
)  # fmt: skip

#: (noun phrase, adjective used in "a drone <adj> attack", Arabic)
PERPETRATORS = (
    ("Syrian regime forces", "regime", "قوات النظام السوري"),
    ("Russian forces", "Russian", "القوات الروسية"),
    ("SDF", "SDF", "قوات سوريا الديمقراطية"),
    ("HTS", "HTS", "هيئة تحرير الشام"),
    ("unidentified gunmen", "unidentified", "مسلحين لم نتمكن من تحديد هويتهم"),
    ("I.S.I.S personnel", "I.S.I.S", "عناصر تنظيم داعش"),
    ("Factions of the Armed Opposition/Syrian National Army", "SNA", "فصائل في المعارضة المسلحة"),
)  # fmt: skip

MODES = (("ground", "أرضي"), ("drone", "بطائرة مسيرة"), ("artillery", "مدفعي"))

#: (count word, plural noun, Arabic)
VICTIMS = (
    ("A civilian", "civilian", "مدني"), ("Two civilians", "civilians", "مدنيَّين اثنين"),
    ("Three civilians", "civilians", "ثلاثة مدنيين"), ("Two children siblings", "children", "طفلين شقيقين"),
    ("A child", "child", "طفل"), ("Elderly man", "man", "رجل مسن"), ("A woman", "woman", "سيدة"),
    ("Four civilians", "civilians", "أربعة مدنيين"),
)  # fmt: skip

NAMES = (
    ("Muhajer al-Jaffal", "مهاجر الجفال"), ("Ibrahim al-Smadi", "إبراهيم الصمادي"),
    ("Adnan al-Refa'ie", "عدنان الرفاعي"), ("Ghazi al-Refa'ie", "غازي الرفاعي"),
    ("Nada Mahmoud", "ندى محمود"), ("Hanan Hassan", "حنان حسن"), ("Bashar al Halqi", "بشار الحلقي"),
    ("Abdul Razzaq al-Ma'rouf", "عبد الرزاق المعروف"), ("Anas al-Hariri", "أنس الحريري"),
)  # fmt: skip

FACILITIES = (
    ("a school", "two schools", "مدرسة"), ("a hospital", "two hospitals", "مشفى"),
    ("a mosque", "two mosques", "مسجد"), ("a bakery", "two bakeries", "فرن"),
    ("a market", "two markets", "سوق"), ("a water station", "two water stations", "محطة مياه"),
)  # fmt: skip

CONTROL = (
    ("Syrian regime forces", "قوات النظام السوري"), ("Hay'at Tahrir al Sham", "هيئة تحرير الشام"),
    ("SDF", "قوات سوريا الديمقراطية"), ("the Syrian National Army", "الجيش الوطني السوري"),
)  # fmt: skip

ORDINALS = (
    "First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth", "Ninth", "Tenth",
    "Eleventh", "Twelfth", "Thirteenth", "Fourteenth", "Fifteenth",
)  # fmt: skip

# --- what the phrases above mean, for the incident a title states ----------------------------

#: ISO 3166-2:SY code of each of GOVERNORATES, in order ("Damascus suburbs" is Rif Dimashq).
GOVERNORATE_CODES = (
    "SY-ID", "SY-HL", "SY-DR", "SY-DY", "SY-HM", "SY-HI", "SY-RA", "SY-HA", "SY-RD", "SY-LA",
    "SY-SU", "SY-QU",
)  # fmt: skip

#: Who each of PERPETRATORS names: (as the English noun, as the English adjective, in Arabic).
#: "an unidentified attack" names no gunmen, only an unknown party; the Arabic for the last
#: one says "armed opposition factions" without naming the Syrian National Army.
PERPETRATOR_CODES = (
    ("syrian_regime", "syrian_regime", "syrian_regime"),
    ("russia", "russia", "russia"),
    ("sdf", "sdf", "sdf"),
    ("hts", "hts", "hts"),
    ("unidentified_gunmen", "unknown", "unidentified_gunmen"),
    ("isis", "isis", "isis"),
    ("turkish_backed_opposition", "turkish_backed_opposition", "armed_opposition"),
)

#: (victims, of whom children, of whom women) each of VICTIMS states, the same in both languages.
VICTIM_COUNTS = (
    (1, None, None), (2, None, None), (3, None, None), (2, 2, None), (1, 1, None), (1, None, None),
    (1, None, 1), (4, None, None),
)  # fmt: skip

#: The kind of each of FACILITIES, and each of DIRECTIONS as a compass letter.
FACILITY_CODES = ("school", "hospital", "mosque", "bakery", "market", "water_station")
DIRECTION_CODES = ("N", "S", "E", "W")
