"""The language this process speaks, and the translation functions that use it.

The command line and the windows choose once at start-up (``activate``); worker threads only
read. Messages marked at import time (tables) use ``N_`` and are translated where shown.
"""

from __future__ import annotations

import gettext as _gettext

from app.i18n.catalog import translations_for
from app.i18n.languages import SOURCE_LANGUAGE, is_right_to_left

_active_language = SOURCE_LANGUAGE
_active: _gettext.NullTranslations = _gettext.NullTranslations()


def activate(language: str) -> str:
    """Speak ``language`` (a shipped language or the pseudo-locale) from now on."""
    global _active, _active_language
    _active = translations_for(language)
    _active_language = language
    return language


def active_language() -> str:
    return _active_language


def is_rtl() -> bool:
    """Whether the active language is written right to left (the windows mirror)."""
    return is_right_to_left(_active_language)


def gettext(message: str) -> str:
    return _active.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _active.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return _active.pgettext(context, message)


def npgettext(context: str, singular: str, plural: str, n: int) -> str:
    return _active.npgettext(context, singular, plural, n)


def N_(message: str) -> str:  # noqa: N802 - gettext's name for the marker
    """Marks ``message`` for the catalog without translating it (module-level tables)."""
    return message
