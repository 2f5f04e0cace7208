"""The one check of a number given as text: environment variables and ``--set`` share it.

``settings.py`` reads ``SNHR_DOWNLOAD_DELAY`` and friends through
``number``; the ``snhr-crawler`` commands check each ``--set NAME=VALUE``
with the same function (``ops.overrides``), so a bad value reads the same,
one line and exit 2, whichever way it came in. Kept free of Scrapy and of the
rest of the package: the settings module imports it.
"""

from __future__ import annotations

import math


class NotANumber(ValueError):
    """The text is not the number asked for; the message completes ``NAME=VALUE ...``."""


def number(raw: str, *, whole: bool = False) -> float | int:
    """``raw`` as a finite float (an int with ``whole``); ``NotANumber`` otherwise."""
    text = raw.strip()
    try:
        value = float(text)
    except ValueError:
        raise NotANumber("is not a number") from None
    if not math.isfinite(value):
        raise NotANumber("is not a finite number")
    if whole:
        if not value.is_integer():
            raise NotANumber("is not a whole number")
        return int(value)
    return value
