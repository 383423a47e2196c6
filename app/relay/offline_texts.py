"""The `/offline` page's words in the visitor's language (the browser's Accept-Language).

The page is read on the user's phone, so its language is the phone's, per request; the relay
keeps no language of its own. Texts are messages of the one catalog (``app.i18n``); a
language the catalogs lack, or a relay installed without them, answers in English.
"""

from __future__ import annotations

import re
from datetime import datetime

from app.i18n import N_
from app.i18n.catalog import translations_for
from app.i18n.languages import SOURCE_LANGUAGE, is_right_to_left, negotiate

#: Template name -> message (``offline.html`` has ``$name`` where each goes).
PAGE_TEXTS: dict[str, str] = {
    "title": N_("Activate a computer without internet"),
    "lead": N_(
        "Enter the request shown on that computer and your license key. You get a license "
        "file to copy to the computer."
    ),
    "ready": N_("Your license file is ready"),
    "download": N_("Download the license file"),
    "copy_step": N_(
        "Copy the file to the computer without internet, for example with a USB stick."
    ),
    # Translators: <strong>…</strong> names the button in the activation window.
    "load_step": N_(
        "In the activation window there, choose <strong>Load the license file</strong>."
    ),
    "request_label": N_("Request from the computer"),
    "request_help": N_(
        "It starts with AW1-. If you scanned the QR code on the computer's screen, it is "
        "already filled in."
    ),
    "key_label": N_("License key"),
    "key_help": N_(
        "From your purchase e-mail. It is used to activate the computer and is not written "
        "into the file."
    ),
    "submit": N_("Get the license file"),
    "note": N_(
        "The file works only on the computer that made the request, and only for a limited "
        "time. Once that computer is connected to the internet, it can check the license "
        "online instead."
    ),
    # The page's script shows these (data-* attributes of the form).
    "js_until": N_("It activates the computer until {date}."),
    "js_missing": N_("Enter both the request from the computer and your license key."),
    "js_failed": N_("Something went wrong. Please try again."),
    "js_offline": N_("This page couldn't reach the server. Check the connection and try again."),
}
_RANGE = re.compile(r"^\s*([A-Za-z]{1,8}(?:[-_][A-Za-z0-9]{1,8})*|\*)\s*(?:;\s*q=([0-9.]+))?\s*$")


def page_language(accept_language: str | None) -> str:
    """The shipped language the browser prefers most (``de-DE,de;q=0.9,en;q=0.8`` -> de)."""
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate((accept_language or "").split(",")[:20]):
        match = _RANGE.match(part)
        if not match or match.group(1) == "*":
            continue
        try:
            quality = float(match.group(2)) if match.group(2) else 1.0
        except ValueError:
            continue
        if quality > 0:
            ranked.append((-quality, index, match.group(1)))
    return negotiate(tag for _q, _i, tag in sorted(ranked))


def gettext_for(language: str):  # noqa: ANN201 - gettext's own callable
    return translations_for(language).gettext


def page_texts(language: str) -> dict[str, str]:
    """Every ``$name`` of the page in ``language`` (plus ``lang`` and ``dir``)."""
    translate = gettext_for(language)
    texts = {name: translate(message) for name, message in PAGE_TEXTS.items()}
    texts["lang"] = language.replace("_", "-")
    texts["dir"] = "rtl" if is_right_to_left(language) else "ltr"
    return texts


def long_date(moment: datetime, language: str = SOURCE_LANGUAGE) -> str:
    """`14 December 2026, 09:30 UTC`: the date in words, the time in UTC, in ``language``."""
    from datetime import UTC

    from app.i18n.formats import format_date

    utc = moment.astimezone(UTC) if moment.tzinfo else moment
    # Translators: a date and a time of day in UTC, "14 December 2026, 09:30 UTC".
    text = gettext_for(language)(N_("{date}, {time} UTC"))
    return text.format(date=format_date(utc, language), time=f"{utc:%H:%M}")
