"""Local mode, and the floor under politeness towards live sites.

A source fetched from a loopback origin (``--origin snhr_news=http://127.0.0.1:8001``,
an origins file from ``replica serve``) is a copy on this machine: nobody's
server is at stake, so it gets ``LOOPBACK`` (no delay, no AutoThrottle, 8
requests at a time) without any ``--set``, and the run says so in one line.
An explicit ``--set`` still wins there.

Every other source is a live site, SNHR's small servers: its settings must be
at least as polite as ``LIVE_LIMITS`` (the defaults of ``settings.py``),
whichever way a value came in (``--set``, the ``SNHR_*`` environment, an
edited ``settings.py``). A less polite value is a usage error naming the
setting, so a rehearsal's ``--set DOWNLOAD_DELAY=0`` left in a cron line
cannot hammer the live site.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from scrapy.settings import SETTINGS_PRIORITIES, BaseSettings

#: What a loopback origin is crawled with (the tests' and the demo's own values).
LOOPBACK: dict[str, Any] = {
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0.0,
    "CONCURRENT_REQUESTS": 16,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
}
LOOPBACK_NAMES = frozenset({"localhost", "localhost.", "ip6-localhost"})


class PolitenessError(ValueError):
    """A live source would be crawled less politely than ``LIVE_LIMITS`` allow."""


@dataclass(frozen=True)
class Limit:
    name: str
    allowed: Callable[[Any], bool]
    wanted: str  # "at least 2.0 s", "on"


def _at_least(floor: float) -> Callable[[Any], bool]:
    return lambda value: float(value) >= floor


def _at_most(ceiling: float) -> Callable[[Any], bool]:
    return lambda value: float(value) <= ceiling


def _on(value: Any) -> bool:
    return value is True or str(value).strip().lower() in ("1", "true", "yes", "on")


#: The politeness owed to a live site; ``settings.py``'s defaults sit exactly on it.
LIVE_LIMITS = (
    Limit("DOWNLOAD_DELAY", _at_least(2.0), "at least 2.0 s"),
    Limit("AUTOTHROTTLE_ENABLED", _on, "on"),
    Limit("AUTOTHROTTLE_TARGET_CONCURRENCY", _at_most(0.5), "at most 0.5"),
    Limit("CONCURRENT_REQUESTS_PER_DOMAIN", _at_most(1), "at most 1"),
    Limit("ROBOTSTXT_OBEY", _on, "on"),
    Limit("RETRY_BACKOFF_BASE", _at_least(2.0), "at least 2.0 s"),
    # robots.txt Crawl-delay honoured, and not capped below a minute.
    Limit("ROBOTSTXT_CRAWL_DELAY", _on, "on"),
    Limit("ROBOTSTXT_CRAWL_DELAY_MAX", _at_least(60.0), "at least 60.0 s"),
)


def is_loopback(url: str | None) -> bool:
    """Whether ``url``'s host is this machine (``localhost``, 127.0.0.0/8, ``::1``)."""
    if not url:
        return False
    host = urlsplit(url).hostname or ""
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def local_sources(sources: list[str], origins: Mapping[str, str]) -> list[str]:
    """The sources of this run fetched from a loopback origin."""
    return [source for source in sources if is_loopback(origins.get(source))]


def apply_local_mode(settings: BaseSettings) -> None:
    """``LOOPBACK`` into ``settings``, except where ``--set`` chose a value."""
    cmdline = SETTINGS_PRIORITIES["cmdline"]
    for name, value in LOOPBACK.items():
        if (settings.getpriority(name) or 0) < cmdline:
            settings.set(name, value, priority="cmdline")


def check_live(settings: BaseSettings, source: str) -> None:
    """Raise ``PolitenessError`` if ``settings`` are less polite than ``LIVE_LIMITS``."""
    for limit in LIVE_LIMITS:
        value = settings.get(limit.name)
        try:
            allowed = limit.allowed(value)
        except (TypeError, ValueError):
            allowed = False
        if not allowed:
            raise PolitenessError(
                f"{_given(settings, limit.name, value)}: {source} is fetched from its live site,"
                f" which gets {limit.name} {limit.wanted}; politeness is lowered only for"
                " sources on a loopback --origin (local mode)"
            )


def _given(settings: BaseSettings, name: str, value: Any) -> str:
    """``--set DOWNLOAD_DELAY=0.0``, or where else the value came from."""
    priority = settings.getpriority(name) or 0
    if priority >= SETTINGS_PRIORITIES["cmdline"]:
        return f"--set {name}={value!r}"
    if priority >= SETTINGS_PRIORITIES["project"]:
        return f"{name}={value!r} (settings.py or the SNHR_* environment)"
    return f"{name}={value!r}"


def describe(local: list[str], live: list[str]) -> str:
    """The one line a run prints about local mode (short enough for 80 columns)."""
    line = f"local mode: {_names(local)} on loopback, no delay, no AutoThrottle"
    return line + (f"; live politeness for {_names(live)}" if live else "")


def _names(sources: list[str]) -> str:
    listed = ", ".join(sources)
    return listed if len(sources) == 1 or len(listed) <= 26 else f"{len(sources)} sources"
