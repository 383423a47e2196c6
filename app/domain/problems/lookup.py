"""Finding the table's entry for an error: by its code first, then by its class, else generic."""

from __future__ import annotations

from collections.abc import Mapping

from app.domain.errors import (
    ApiError,
    LicenseInvalidError,
    RateLimitedError,
    ServerError,
    WizardError,
)
from app.domain.exit_codes import EXIT_OK
from app.domain.problems.entry import API, LOCAL, VALIDATION, Entry
from app.domain.problems.table import GENERIC_KEY, SITUATIONS

#: (kind, code) -> entry, one per key of every situation. Tests iterate it; the UI and CLI go
#: through ``app.presentation.problems.problem_for``.
CATALOGUE: Mapping[tuple[str, str], Entry] = {
    (key.kind, key.code): Entry.under(situation, key)
    for situation in SITUATIONS
    for key in situation.keys
}
GENERIC = CATALOGUE[GENERIC_KEY]
# Errors whose meaning comes from the status, whatever code the body carried.
_CLASS_FIRST: tuple[type[ApiError], ...] = (ServerError, RateLimitedError)


def covered_codes() -> set[tuple[str, str]]:
    """Every (kind, code) with its own entry."""
    return set(CATALOGUE)


def entry_for(error: BaseException | None) -> Entry:
    """The most specific entry for ``error`` (by code, then by class), else the generic one."""
    for key in _candidates(error):
        if key in CATALOGUE:
            return CATALOGUE[key]
    return GENERIC


def entry_for_code(code: str, kind: str | None = None) -> Entry:
    """The entry for a bare code; validation codes win over API codes of the same name
    unless ``kind`` says otherwise."""
    kinds = (kind,) if kind else (VALIDATION, API, LOCAL)
    return next((CATALOGUE[(k, code)] for k in kinds if (k, code) in CATALOGUE), GENERIC)


def exit_code_for(error: BaseException | None) -> int:
    """The CLI exit code for ``error`` (0 for None), from the same table."""
    if error is None:
        return EXIT_OK
    return entry_for(error).exit_code


def _candidates(error: BaseException | None) -> list[tuple[str, str]]:
    if not isinstance(error, WizardError):
        return []
    if isinstance(error, LicenseInvalidError):
        return [(VALIDATION, error.code)]
    if isinstance(error, ApiError):
        by_class = _class_codes(error, ApiError, API)
        if isinstance(error, _CLASS_FIRST):
            return [by_class[0], (API, error.code), *by_class[1:]]
        return [(API, error.code), *by_class]
    return [(LOCAL, error.code), *_class_codes(error, WizardError, LOCAL)]


def _class_codes(error: WizardError, base: type, kind: str) -> list[tuple[str, str]]:
    return [
        (kind, cls.default_code)
        for cls in type(error).__mro__
        if isinstance(cls, type) and issubclass(cls, base) and cls is not WizardError
    ]
