"""``--set NAME=VALUE``: checked before the run, like the environment's numbers.

Scrapy takes any ``-s NAME=VALUE``: a misspelt name is silently ignored, and a
value of the wrong type surfaces as a traceback from deep inside a component
once the crawl has started (one per source). Here both are usage errors,
found before anything starts: one line, exit 2.

* The name must be a setting: one of Scrapy's defaults, the project's
  ``settings.py``, or one the project reads without a default there
  (``EXTRA_SETTINGS``). An unknown one is refused with the closest known
  name as a suggestion.
* The value is converted to the type of the setting's current value: numbers
  through ``setting_values.number`` (the check ``settings.py`` applies to
  ``SNHR_*`` numbers), booleans from ``1/0/true/false/yes/no/on/off``,
  dictionaries from a JSON object, lists from ``a,b`` or a JSON list, and a
  few settings with a fixed set of values (``CHOICES``, checked however they
  were set: ``SNHR_LOG_LEVEL`` too). The typed value is what the run uses.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Mapping
from typing import Any

from scrapy.settings import BaseSettings, default_settings

from snhr_crawler.archive.paths import SETTING as ARCHIVE_DIR_SETTING
from snhr_crawler.setting_values import NotANumber, number

#: Settings the project reads that have no default in settings.py.
EXTRA_SETTINGS = frozenset({ARCHIVE_DIR_SETTING})
#: Settings whose default is a whole number but which Scrapy reads as a float.
READ_AS_FLOAT = frozenset({"DNS_TIMEOUT", "DOWNLOAD_TIMEOUT"})
LOG_LEVELS = ("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG")
CHOICES: dict[str, tuple[str, ...]] = {
    "LOG_LEVEL": LOG_LEVELS,
    "OPS_PROGRESS": ("tty", "log", "off"),  # "relay" is the CLI's own, for host groups
}
_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})


class BadOverride(ValueError):
    """A ``--set`` the run must not start with; the message is the whole error line."""


def known_settings(project_module: Any = None) -> frozenset[str]:
    """Every setting name a ``--set`` may give."""
    if project_module is None:
        from snhr_crawler import settings as project_module
    names = {name for name in dir(default_settings) if name.isupper()}
    names |= {name for name in dir(project_module) if name.isupper()}
    return frozenset(names | EXTRA_SETTINGS)


def suggestion(name: str, known: Iterable[str]) -> str:
    """`` (did you mean DOWNLOAD_DELAY?)`` or ``""``."""
    close = difflib.get_close_matches(name.upper(), sorted(known), n=1, cutoff=0.6)
    return f" (did you mean {close[0]}?)" if close else ""


def typed_value(name: str, raw: str, current: Any) -> Any:
    """``raw`` converted to the type of ``current``; ``BadOverride`` if it does not fit."""
    shown = f"--set {name}={raw!r}"
    if name in CHOICES:
        choices = CHOICES[name]
        value = raw.upper() if name == "LOG_LEVEL" else raw
        if value not in choices:
            raise BadOverride(f"{shown}: expected one of {', '.join(choices)}")
        return value
    if isinstance(current, bool):
        word = raw.strip().lower()
        if word in _TRUE | _FALSE:
            return word in _TRUE
        raise BadOverride(f"{shown}: expected true or false (1 or 0)")
    if isinstance(current, int | float):
        whole = isinstance(current, int) and name not in READ_AS_FLOAT
        try:
            return number(raw, whole=whole)
        except NotANumber as exc:
            raise BadOverride(f"{shown} {exc}") from None
    if isinstance(current, Mapping | BaseSettings):
        try:
            value = json.loads(raw)
        except ValueError as exc:
            raise BadOverride(f"{shown} is not a JSON object ({exc})") from None
        if not isinstance(value, dict):
            raise BadOverride(f"{shown} is not a JSON object")
        return value
    if isinstance(current, list | tuple) and raw.lstrip().startswith("["):
        try:
            value = json.loads(raw)
        except ValueError as exc:
            raise BadOverride(f"{shown} is not a JSON list ({exc})") from None
        if not isinstance(value, list):
            raise BadOverride(f"{shown} is not a JSON list")
        return value
    return raw  # strings, lists as "a,b" (Scrapy splits them) and settings without a default


def parse_overrides(
    pairs: Iterable[tuple[str, str]], settings: BaseSettings, known: frozenset[str] | None = None
) -> dict[str, Any]:
    """``NAME -> typed value`` for each ``--set``; ``BadOverride`` for the first bad one."""
    known = known_settings() if known is None else known
    values: dict[str, Any] = {}
    for name, raw in pairs:
        if name not in known:
            raise BadOverride(f"--set {name}: unknown setting{suggestion(name, known)}")
        values[name] = typed_value(name, raw, settings.get(name))
    return values


def check_choices(settings: BaseSettings) -> None:
    """``CHOICES`` settings however they were set (``SNHR_LOG_LEVEL`` too); ``BadOverride``."""
    for name, choices in CHOICES.items():
        value = settings.get(name)
        shown = str(value).upper() if name == "LOG_LEVEL" else value
        if value is not None and shown not in choices:
            raise BadOverride(f"{name}={value!r}: expected one of {', '.join(choices)}")
