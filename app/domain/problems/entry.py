"""The shape of the problems table: one ``Situation`` per row, seen under one or more ``Key``s.

A situation is what the user meets (a suspended license, no connection...). The service may
name the same situation in more than one way (the validation code ``SUSPENDED`` and the API
code ``LICENSE_SUSPENDED``): one row lists every key, each with its own support code, so the
texts exist once. ``Entry`` is a situation as looked up under one key.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from app.domain.problems.table import Action

VALIDATION, API, LOCAL = "validation", "api", "local"


class Key(NamedTuple):
    """How a situation is looked up: ``kind`` (validation | api | local) and ``code``;
    ``support`` is the stable support code users read out, unique per key."""

    kind: str
    code: str
    support: str


class Plural(NamedTuple):
    """A message with a singular and a plural form, chosen by a count (ngettext-shaped)."""

    one: str
    other: str

    def pick(self, count: int) -> str:
        return self.one if count == 1 else self.other


@dataclass(frozen=True)
class Situation:
    """One row of the table. Texts are messages with named placeholders (``{product}``,
    ``{seats}``, ``{try_again}``...) that ``app.presentation.problems`` fills in."""

    keys: list[Key]
    title: str
    what: str
    steps: tuple[str, ...]
    action: Action
    exit_code: int
    severity: str = "error"  # "error" | "warning"
    action_label: str | None = None  # copy override, e.g. "Upgrade license" for RENEW
    retry: bool = False  # the caller may retry by itself after retry_after
    # The command line has no buttons and no window that retries by itself: where the
    # wording names those, these say which command to run instead.
    cli_title: str | None = None
    cli_steps: tuple[str, ...] | None = None


@dataclass(frozen=True, kw_only=True)
class Entry(Situation):
    """A situation under one of its keys: what ``entry_for(error)`` answers."""

    kind: str
    code: str
    support: str

    @classmethod
    def under(cls, situation: Situation, key: Key) -> Entry:
        texts = {f.name: getattr(situation, f.name) for f in fields(Situation)}
        return cls(**texts, kind=key.kind, code=key.code, support=key.support)


__all__ = ["API", "LOCAL", "VALIDATION", "Entry", "Key", "Plural", "Situation"]
