"""Dates, times, numbers, durations and lists in the active language, through Babel.

One formatter for the command line and the windows, so both say the same thing the same way.
Babel is imported on first use (it is not needed to paint the first window). English keeps the
day-month-year order the wording rules ask for ("3 March 2026": no 03/04 confusion); the other
languages use their CLDR long date ("3. März 2026", "2026年3月3日").
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from app.i18n import state
from app.i18n.languages import PSEUDO, SOURCE_LANGUAGE

_DATE_PATTERN = {SOURCE_LANGUAGE: "d MMMM y"}
_UNITS = (("second", 1, 90), ("minute", 60, 90 * 60), ("hour", 3600, 36 * 3600))


def babel_locale(language: str | None = None) -> Any:
    """The Babel locale for ``language`` (default: the active one; the pseudo-locale formats
    as English)."""
    from babel import Locale

    name = language or state.active_language()
    return Locale.parse(SOURCE_LANGUAGE if name == PSEUDO else name)


def format_date(moment: date | datetime, language: str | None = None) -> str:
    """A calendar date with the month spelled out."""
    from babel.dates import format_date as babel_format_date

    loc = babel_locale(language)
    day = moment.date() if isinstance(moment, datetime) else moment
    return babel_format_date(day, _DATE_PATTERN.get(str(loc), "long"), locale=loc)


def format_datetime(moment: datetime, language: str | None = None) -> str:
    """A date and time of day in this computer's time zone (``03.03.2026, 14:05``)."""
    from babel.dates import format_date as babel_format_date
    from babel.dates import format_time

    loc = babel_locale(language)
    local = moment.astimezone() if moment.tzinfo else moment
    if str(loc) == SOURCE_LANGUAGE:
        return local.strftime("%Y-%m-%d %H:%M")  # as the English texts always showed it
    glue = str(loc.datetime_formats["medium"])  # "{1}, {0}": date, time in the locale's order
    day = babel_format_date(local.date(), "medium", locale=loc)
    return glue.format(format_time(local.time(), "short", locale=loc), day)


def format_clock(moment: datetime, language: str | None = None) -> str:
    """The time of day: ``14:05`` (English as always), ``下午2:05``/``14:05`` by locale."""
    from babel.dates import format_time

    loc = babel_locale(language)
    if str(loc) == SOURCE_LANGUAGE:
        return f"{moment:%H:%M}"
    return format_time(moment.time(), "short", locale=loc)


def format_number(value: float, language: str | None = None) -> str:
    from babel.numbers import format_decimal

    return format_decimal(value, locale=babel_locale(language))


def duration_parts(seconds: float) -> tuple[int, str]:
    """Rounded ``(count, unit)``: seconds up to 90 s, minutes up to 90 min, hours up to 36 h,
    then days; always at least 1."""
    seconds = abs(seconds)
    for unit, size, limit in _UNITS:
        if seconds < limit:
            count = math.ceil(seconds / size) if unit == "second" else round(seconds / size)
            return max(1, count), unit
    return max(1, round(seconds / 86400)), "day"


def format_duration(seconds: float, language: str | None = None) -> str:
    """``30 seconds``, ``5 Minuten``, ``2 時間``, ``3 أيام``: rounded as ``duration_parts``."""
    from babel.units import format_unit

    count, unit = duration_parts(seconds)
    return format_unit(count, f"duration-{unit}", length="long", locale=babel_locale(language))


def format_list(items: Sequence[str], language: str | None = None) -> str:
    """``a, b and c`` in the language's own way (``a、b、c``; ``a وb``)."""
    from babel.lists import format_list as babel_format_list

    loc = babel_locale(language)
    if str(loc) == SOURCE_LANGUAGE and len(items) > 2:
        return ", ".join(items[:-1]) + " and " + items[-1]  # no serial comma, as before
    return babel_format_list(list(items), locale=loc)
