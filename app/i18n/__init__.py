"""Translations for every user-visible text: one gettext catalog for the command line and the
windows, the language choice, and locale-aware formatting. Qt-free (docs/i18n.md).

    from app.i18n import _, ngettext, N_
    _("Try again");  ngettext("{n} computer", "{n} computers", n).format(n=n)
"""

from __future__ import annotations

from app.i18n.languages import (
    PSEUDO,
    SHIPPED,
    SOURCE_LANGUAGE,
    UnknownLanguageError,
    choose,
    is_right_to_left,
)
from app.i18n.state import (
    N_,
    activate,
    active_language,
    gettext,
    is_rtl,
    ngettext,
    npgettext,
    pgettext,
)

_ = gettext

__all__ = [
    "N_",
    "PSEUDO",
    "SHIPPED",
    "SOURCE_LANGUAGE",
    "UnknownLanguageError",
    "_",
    "activate",
    "active_language",
    "choose",
    "gettext",
    "is_right_to_left",
    "is_rtl",
    "ngettext",
    "npgettext",
    "pgettext",
]
