from __future__ import annotations
import re
from datetime import date
from typing import Any
_ARABIC_LETTER = re.compile("[\u0621-\u064a]")
def looks_arabic(title: str) -> bool:
    return _ARABIC_LETTER.search(title) is not None
def parse(title: str, published: date | None) -> dict[str, Any] | None:
    return None
