"""The pseudo-locale ``en_XA``: every message accented, bracketed and about 40 % longer.

Tests and screenshots run the program in it: a text on screen without the brackets was never
passed through the catalog (an unwrapped string), and a text cut off shows where a longer
translation would not fit. Placeholders (``{name}``), commands in backticks and Qt's ``&``
mnemonics are kept as they are, so formatting and shortcuts still work.
"""

from __future__ import annotations

import gettext
import math
import re

OPEN, CLOSE = "⟦", "⟧"
GROWTH = 0.4
_ACCENTS = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "àƀçđéƒĝĥíĵķĺɱñöþǫŕšţûṽŵẋýžÀƁÇĐÉƑĜĤÍĴĶĹṀÑÖÞǪŔŠŢÛṼŴẊÝŽ",
)
# Kept verbatim: {placeholders} (with conversions and formats), `commands`, %(printf)s.
_KEEP = re.compile(r"(\{[^{}]*\}|`[^`]*`|%\([a-z_]+\)[sd])")
_FILLER = "ŀöŕéɱ íþšûɱ đöĺöŕ šíţ àɱéţ çöñšéçţéţûŕ àđíþíšçíñĝ éĺíţ šéđ đö éíûšɱöđ"


def pseudo(text: str) -> str:
    """``Try again`` -> ``⟦Ţŕý àĝàíñ ŀöŕé⟧`` (placeholders and backticked commands kept)."""
    if not text:
        return text
    parts = _KEEP.split(text)
    accented = "".join(p if _KEEP.fullmatch(p) else p.translate(_ACCENTS) for p in parts)
    extra = math.ceil(len(text) * GROWTH)
    padding = (_FILLER * (1 + extra // len(_FILLER)))[:extra].rstrip()
    glue = " " if padding and " " in text else ""
    return f"{OPEN}{accented}{glue}{padding}{CLOSE}"


class PseudoTranslations(gettext.NullTranslations):
    """Answers every message with its pseudo-translation (no catalog needed)."""

    def gettext(self, message: str) -> str:
        return pseudo(message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return pseudo(msgid1 if n == 1 else msgid2)

    def pgettext(self, context: str, message: str) -> str:
        return pseudo(message)

    def npgettext(self, context: str, msgid1: str, msgid2: str, n: int) -> str:
        return pseudo(msgid1 if n == 1 else msgid2)
