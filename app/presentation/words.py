"""Dates, times and durations in words: one spelling for every screen and command.

Months are spelled out (``3 March 2026``, ``3. März 2026``), so no reader mixes up day and
month; moments with a time zone are shown in this computer's local time. The words and the
order are the active language's (``app.i18n.formats``, Babel's CLDR data).
"""

from __future__ import annotations

from datetime import date, datetime

from app.i18n import _, formats


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
        return _("unknown")
    return formats.format_date(_local(moment))


def format_time(moment: datetime | None) -> str:
    """``3 March 2026 at 14:05`` (``never`` for None)."""
    if moment is None:
        return _("never")
    local = _local(moment)
    # Translators: a date and a time of day, "3 March 2026 at 14:05".
    return _("{date} at {time}").format(date=format_date(local), time=formats.format_clock(local))


def compact_time(moment: datetime | None) -> str:
    """A short local date and time for terminal output: ``2026-03-03 14:05`` in English (as
    scripts have always read it), ``03.03.2026, 14:05`` in German... (``an unknown time`` for
    None)."""
    return formats.format_datetime(moment) if moment else _("an unknown time")


def iso(moment: datetime | None) -> str | None:
    """The moment as ISO 8601 for JSON, or None."""
    return moment.isoformat() if moment else None


def format_duration(seconds: float) -> str:
    """``30 seconds``, ``5 minutes``, ``2 hours``, ``3 days``: rounded, always at least 1."""
    return formats.format_duration(seconds)


__all__ = ["compact_time", "format_date", "format_duration", "format_time", "iso", "plural"]
