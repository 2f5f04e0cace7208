"""Syria's fourteen governorates: ISO 3166-2:SY codes and every spelling titles use.

The codes come from pycountry, so a code this table invents fails at import.
``SPELLINGS`` is the one place a spelling lives: the English and Arabic
parsers build their patterns from it. English keys match case-insensitively,
with any run of spaces or hyphens between words ("Deir Ez-Zour", "Deir ez
Zor", "deir-ez-zor"); pycountry's own names ("Dayr az Zawr", "Dar'ā") are
added with and without their diacritics.

"Damascus suburbs" (Rif Dimashq, SY-RD) is a governorate of its own around the
city (SY-DI); every other governorate's "suburbs" or "countryside" is still
that governorate. ``RURAL`` holds that one exception for the parsers.
"""

from __future__ import annotations

import re
import unicodedata

import pycountry

from snhr_crawler.incidents.scan import trie
from snhr_crawler.incidents.text import fold_arabic_text

#: code -> (English spellings, Arabic spellings); regional names go with their governorate.
SPELLINGS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "SY-DI": (("Damascus", "Dimashq", "Dimashk"), ("دمشق",)),
    "SY-RD": (
        (
            "Damascus suburbs", "Damascus countryside", "Damascus Rural", "Rural Damascus",
            "Rif Dimashq", "Rif Dimashk", "Reef Dimashq", "Rif Damascus", "Reef Damascus",
            "Rif-Dimashq", "Eastern Ghouta", "Western Ghouta", "Ghouta",
        ),
        ("ريف دمشق", "الغوطة الشرقية", "الغوطة الغربية", "الغوطة"),
    ),
    "SY-DR": (("Daraa", "Dara'a", "Dar'a", "Deraa", "Der'a", "Daraʿa"), ("درعا",)),
    "SY-DY": (
        (
            "Deir Ez-Zour", "Deir ez-Zor", "Deir ez Zor", "Deir Ezzor", "Deir Ezzour", "Deir al-Zour",
            "Deir al-Zor", "Deir el-Zour", "Deir el-Zor", "Deir Alzour", "Deir-Ezzor", "Dayr az Zawr",
            "Dayr al-Zawr", "Deir Ez Zour", "Deir Ez-Zor", "Der Ezzor",
        ),
        ("دير الزور", "ديرالزور", "دير الزوّر"),
    ),
    "SY-HA": (
        ("Hasaka", "Hasakah", "Hassakeh", "Hasakeh", "Hassaka", "Hasseke", "Haseke"),
        ("الحسكة",),
    ),
    "SY-HI": (("Homs", "Hims"), ("حمص",)),
    "SY-HL": (("Aleppo", "Halab"), ("حلب",)),
    "SY-HM": (("Hama", "Hamah", "Hamat"), ("حماة", "حماه")),
    "SY-ID": (("Idlib", "Idleb", "Edlib", "Idlip"), ("إدلب", "ادلب")),
    "SY-LA": (("Latakia", "Lattakia", "Latakiya", "Lattaquie", "Ladhiqiyah"), ("اللاذقية",)),
    "SY-QU": (("Quneitra", "Qunaitra", "Quneitera", "Qunaytirah"), ("القنيطرة",)),
    "SY-RA": (("Raqqa", "Raqqah", "Rakka", "Raqa"), ("الرقة", "رقة")),
    "SY-SU": (
        ("Suwayda", "Sweida", "Suwaida", "Suweida", "Sweyda", "Soueida", "Suwayda'"),
        ("السويداء", "السويدا"),
    ),
    "SY-TA": (("Tartus", "Tartous", "Tartoos", "Tartos"), ("طرطوس",)),
}  # fmt: skip

#: A governorate whose surroundings are another governorate.
RURAL = {"SY-DI": "SY-RD"}

_SY = {
    subdivision.code: subdivision.name
    for subdivision in pycountry.subdivisions.get(country_code="SY")
}
if set(SPELLINGS) != set(_SY):  # a typo in a code, or a governorate missing
    raise RuntimeError(
        f"governorate table differs from ISO 3166-2:SY: {sorted(set(SPELLINGS) ^ set(_SY))}"
    )


def _ascii(name: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))


def english_key(text: str) -> str:
    """The lookup key for an English spelling: case, separators and apostrophes ignored."""
    return re.sub(r"[\s\-]+", " ", text.replace("'", "").replace("ʿ", "")).strip().casefold()


def _pycountry_names(code: str) -> tuple[str, ...]:
    name = _SY[code].removesuffix(" Province")
    bare = _ascii(name)
    # "Al Ḩasakah" is also written without its article: "Hasakah".
    without_article = re.sub(r"^(?:Al|Ar|As|Ad)\s+", "", bare)
    return tuple(dict.fromkeys((name, bare, without_article)))


ENGLISH: dict[str, str] = {}
ARABIC: dict[str, str] = {}
for _code, (_english, _arabic) in SPELLINGS.items():
    for _name in (*_english, *_pycountry_names(_code)):
        ENGLISH.setdefault(english_key(_name), _code)
    for _name in _arabic:
        ARABIC.setdefault(fold_arabic_text(_name), _code)


def english_alternation() -> str:
    """One pattern for every English spelling (a case-insensitive tree: see ``scan.trie``);
    spaces and hyphens between words are interchangeable, and a longer spelling wins
    ("Damascus suburbs" over "Damascus")."""
    spellings = {name for names, _ in SPELLINGS.values() for name in names}
    spellings.update(name for code in SPELLINGS for name in _pycountry_names(code))
    plain = {re.sub(r"[\s\-]+", " ", name).lower() for name in spellings}
    plain.update(name.replace("'", "") for name in list(plain))  # "Dar'a" is also written "Dara"
    return trie(sorted(plain), separator=r"[\s\-]+")


def arabic_alternation() -> str:
    """A regex alternation of every folded Arabic spelling, longest first."""
    return "|".join(re.escape(word) for word in sorted(ARABIC, key=len, reverse=True))


_ARTICLE = re.compile(r"^(?:al|ar|as|ad|el) ")


def english_code(text: str) -> str | None:
    """The code of an English spelling; an Arabic article in front ("al-Hasaka") is allowed."""
    key = english_key(text)
    return ENGLISH.get(key) or ENGLISH.get(_ARTICLE.sub("", key))


def arabic_code(folded: str) -> str | None:
    return ARABIC.get(folded)
