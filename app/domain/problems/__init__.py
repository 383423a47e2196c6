"""The problems table and its lookup: every error and code -> the situation the user meets.

- ``table.py``: the data (situations, their texts and keys, the phrases their placeholders
  take, the primary actions and their labels). Pure data, no logic.
- ``entry.py``: the shape of a row (``Situation``, ``Key``, ``Plural``, ``Entry``).
- ``lookup.py``: ``entry_for(error)``, ``entry_for_code(code)``, ``exit_code_for(error)``.
Filling the texts in (numbers, links, commands) is ``app.presentation.problems``.

Adding a situation: add one ``Situation`` to ``table.SITUATIONS`` with a ``Key`` per code it
answers (kind ``V`` validation code, ``A`` API error code, ``L`` a local error class's
``default_code``) and a new unique support code ``AW-...``; write its texts with named
placeholders only (see the table's docstring); give it an exit code from
``app.domain.exit_codes``. A new error class needs a ``default_code`` with such a key;
``tests/domain/test_problems.py`` fails for any error class or code without one.
"""

from __future__ import annotations

from app.domain.problems.entry import Entry, Key, Plural, Situation
from app.domain.problems.lookup import (
    CATALOGUE,
    GENERIC,
    covered_codes,
    entry_for,
    entry_for_code,
    exit_code_for,
)
from app.domain.problems.table import Action

__all__ = [
    "CATALOGUE",
    "GENERIC",
    "Action",
    "Entry",
    "Key",
    "Plural",
    "Situation",
    "covered_codes",
    "entry_for",
    "entry_for_code",
    "exit_code_for",
]
