"""What the windows say about an activation without internet: its end, and when to renew."""

from __future__ import annotations

from datetime import datetime

from app.i18n import _, ngettext
from app.presentation.words import format_time

#: From this many days before a file ends, the status page says how to renew it.
RENEW_HINT_DAYS = 7


def offline_status_text(until: datetime) -> str:
    """``Activated without internet, valid until 14 December 2026 at 09:30.``"""
    return _("Activated without internet, valid until {time}.").format(time=format_time(until))


def renewal_hint(until: datetime, now: datetime) -> str | None:
    """How to renew, once the file ends within ``RENEW_HINT_DAYS`` (None before that)."""
    left = until - now
    if left.total_seconds() > RENEW_HINT_DAYS * 86400:
        return None
    days = max(0, left.days)
    when = (
        _("This license file ends today.")
        if days == 0
        else ngettext(
            "This license file ends in {n} day.", "This license file ends in {n} days.", days
        ).format(n=days)
    )
    return " ".join(
        [
            when,
            _(
                "To keep using it, get a new file the same way (Load a new license file), or "
                "connect this computer to the internet and activate it online with your key."
            ),
        ]
    )
