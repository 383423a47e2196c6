"""Dates, times and durations in words: one spelling for every screen and command.

Months are spelled out (``3 March 2026``), so no reader mixes up day and month; moments with a
time zone are shown in this computer's local time.
"""

from __future__ import annotations

import math
from datetime import date, datetime

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")  # fmt: skip


def plural(n: int, word: str) -> str:
    """``1 computer``, ``3 computers``."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _local(moment: datetime | date) -> datetime | date:
    if isinstance(moment, datetime) and moment.tzinfo is not None:
        return moment.astimezone()
    return moment


def format_date(moment: datetime | date | None) -> str:
    """``3 March 2026`` (``unknown`` for None)."""
    if moment is None:
        return "unknown"
    local = _local(moment)
    return f"{local.day} {_MONTHS[local.month - 1]} {local.year}"


def format_time(moment: datetime | None) -> str:
    """``3 March 2026 at 14:05`` (``never`` for None)."""
    if moment is None:
        return "never"
    local = _local(moment)
    return f"{format_date(local)} at {local:%H:%M}"


def compact_time(moment: datetime | None) -> str:
    """``2026-03-03 14:05`` in local time, for terminal output (``an unknown time`` for None)."""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M") if moment else "an unknown time"


def iso(moment: datetime | None) -> str | None:
    """The moment as ISO 8601 for JSON, or None."""
    return moment.isoformat() if moment else None


def format_duration(seconds: float) -> str:
    """``30 seconds``, ``5 minutes``, ``2 hours``, ``3 days``: rounded, always at least 1."""
    seconds = abs(seconds)
    if seconds < 90:
        return plural(max(1, math.ceil(seconds)), "second")
    for unit, size, limit in (("minute", 60, 90 * 60), ("hour", 3600, 36 * 3600)):
        if seconds < limit:
            return plural(round(seconds / size), unit)
    return plural(round(seconds / 86400), "day")


__all__ = ["compact_time", "format_date", "format_duration", "format_time", "iso", "plural"]
