"""Time zones and the date spellings SNHR pages use.

The sites' local time is fixed at UTC+03:00 (Damascus): URL dates and
``time[datetime]`` are local, feeds/JSON-LD/REST ``*_gmt`` are UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

LOCAL = timezone(timedelta(hours=3))

EN_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
EN_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

#: Levantine (Syriac) month names, as in news titles and bodies.
AR_LEVANTINE = (
    "كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران",
    "تموز", "آب", "أيلول", "تشرين الأول", "تشرين الثاني", "كانون الأول",
)  # fmt: skip
#: Standard ("Gulf"/Egyptian) month names, used by WordPress's ``ar`` locale.
AR_STANDARD = (
    "يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو",
    "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر",
)  # fmt: skip
AR_WEEKDAYS = ("الإثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد")


def utc_now() -> datetime:
    """The real clock, as an aware UTC datetime."""
    return datetime.now(UTC)


def to_local(moment: datetime) -> datetime:
    return moment.astimezone(LOCAL)


def iso_utc(moment: datetime) -> str:
    """``2021-05-05T09:41:27+00:00``: the JSON-LD / meta spelling."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def iso_local(moment: datetime) -> str:
    """``2021-05-05T12:41:27+03:00``: the ``time[datetime]`` spelling."""
    return to_local(moment).isoformat(timespec="seconds")


def rest_local(moment: datetime) -> str:
    """WordPress REST ``date``: local time without offset."""
    return to_local(moment).strftime("%Y-%m-%dT%H:%M:%S")


def rest_gmt(moment: datetime) -> str:
    """WordPress REST ``date_gmt``: UTC without offset."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")


def rfc822(moment: datetime) -> str:
    """RSS ``pubDate`` in UTC, ``Thu, 10 Dec 2020 13:07:04 +0000``."""
    utc = moment.astimezone(UTC)
    day = EN_WEEKDAYS[utc.weekday()][:3]
    month = EN_MONTHS[utc.month - 1][:3]
    return f"{day}, {utc.day:02d} {month} {utc.year} {utc:%H:%M:%S} +0000"


def header_date(moment: datetime, language: str) -> str:
    """The theme's "today" widget: ``Friday, April 26, 2024`` / ``الجمعة, أبريل 26, 2024``."""
    local = to_local(moment)
    if language == "ar":
        weekday, month = AR_WEEKDAYS[local.weekday()], AR_STANDARD[local.month - 1]
        return f"{weekday}, {month} {local.day}, {local.year}"
    weekday, month = EN_WEEKDAYS[local.weekday()], EN_MONTHS[local.month - 1]
    return f"{weekday}, {month} {local.day}, {local.year}"


def human_date(moment: datetime, language: str) -> str:
    """The listing's visible date, ``April 26, 2024``."""
    local = to_local(moment)
    months = AR_STANDARD if language == "ar" else EN_MONTHS
    return f"{months[local.month - 1]} {local.day}, {local.year}"


def parse_now(text: str) -> datetime:
    """An ISO timestamp for ``--now``; naive values are taken as UTC."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
