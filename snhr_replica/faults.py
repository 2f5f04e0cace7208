"""Faults on demand, all off by default, deterministic per (seed, url, attempt).

Spec syntax (``--faults``): comma-separated ``name`` or ``name=value`` items::

    500=0.1,503=0.05,429=0.05,retry_after=2,slow=0.1,slow_s=1.5,truncate=0.05,
    charset=0.5,charset_mode=cp1256,loop,trap,soft404,attempts=1

Rates are shares of eligible answers (0..1). A fault only fires on the first
``attempts`` requests of a URL (default 1), so a retry of the same URL succeeds.
The status faults (500, 503, 429; ``5xx`` splits its rate between 500 and 503)
share one draw per (seed, url, attempt), cut into consecutive bands, so each
status comes back at its configured rate; their rates may sum to at most 1.
``charset`` applies to Arabic HTML pages only: ``cp1256`` sends windows-1256
bytes and declares no charset anywhere; ``wrong`` sends UTF-8 bytes declared as
ISO-8859-1. ``loop`` adds a footer-linked redirect loop, ``trap`` a footer-linked
endless calendar, ``soft404`` answers unknown paths with 200 "Page not found".
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from .rand import unit

_RATES = ("r500", "r503", "r429", "slow", "truncate", "charset")
_ALIASES = {"500": "r500", "503": "r503", "429": "r429", "5xx": "r5xx"}


@dataclass(frozen=True)
class Faults:
    r500: float = 0.0
    r503: float = 0.0
    r429: float = 0.0
    retry_after: int = 1
    slow: float = 0.0
    slow_s: float = 0.5
    truncate: float = 0.0
    charset: float = 0.0
    charset_mode: str = "cp1256"  # cp1256 | wrong
    loop: bool = False
    trap: bool = False
    soft404: bool = False
    attempts: int = 1

    def __post_init__(self) -> None:
        total = self.r500 + self.r503 + self.r429
        if total > 1.0 + 1e-9:
            raise ValueError(
                f"status fault rates sum to {total:g} (500={self.r500:g}, 503={self.r503:g}, "
                f"429={self.r429:g}); at most 1"
            )

    @property
    def any_status(self) -> bool:
        return bool(self.r500 or self.r503 or self.r429)

    def fires(self, seed: int, name: str, url: str, attempt: int) -> bool:
        """Whether fault ``name`` hits this request (``attempt`` counts from 1)."""
        rate = getattr(self, name)
        if not rate or attempt > self.attempts:
            return False
        return unit(seed, "fault", name, url, attempt) < rate

    def status_fault(self, seed: int, url: str, attempt: int) -> int | None:
        """500, 503 or 429 when one of them fires for this request, else None.

        One draw in [0, 1) per request, mapped to consecutive bands
        ``[0, r500)`` → 500, ``[r500, r500 + r503)`` → 503, then 429: the
        statuses exclude each other, so each fires at exactly its own rate
        (independent draws tried in turn would shrink every later one).
        """
        if attempt > self.attempts or not self.any_status:
            return None
        draw = unit(seed, "fault", "status", url, attempt)
        edge = 0.0
        for rate, status in ((self.r500, 500), (self.r503, 503), (self.r429, 429)):
            edge += rate
            if draw < edge:
                return status
        return None


def parse_faults(spec: str | None) -> Faults:
    """Parse the ``--faults`` spec; raises ValueError with a one-line reason."""
    if not spec or spec.strip() in ("", "none", "off"):
        return Faults()
    known = {f.name: f.type for f in fields(Faults)}
    values: dict[str, object] = {}
    for raw in spec.split(","):
        item = raw.strip()
        if not item:
            continue
        name, sep, value = item.partition("=")
        name = _ALIASES.get(name.strip(), name.strip())
        if name == "r5xx":  # a share of 5xx answers, split between 500 and 503
            rate = _rate(item, value)
            values["r500"], values["r503"] = rate / 2, rate / 2
            continue
        if name not in known:
            raise ValueError(f"unknown fault {item!r}")
        if name in ("loop", "trap", "soft404"):
            values[name] = value.lower() not in ("0", "off", "false", "no") if sep else True
        elif name in _RATES:
            values[name] = _rate(item, value)
        elif name == "charset_mode":
            if value not in ("cp1256", "wrong"):
                raise ValueError("charset_mode must be cp1256 or wrong")
            values[name] = value
        else:
            try:
                values[name] = float(value) if name == "slow_s" else int(value)
            except ValueError:
                raise ValueError(f"bad number in fault {item!r}") from None
    return Faults(**values)  # type: ignore[arg-type]


def _rate(item: str, value: str) -> float:
    try:
        rate = float(value) if value else 1.0
    except ValueError:
        raise ValueError(f"bad rate in fault {item!r}") from None
    if not 0.0 <= rate <= 1.0:
        raise ValueError(f"rate out of 0..1 in fault {item!r}")
    return rate
