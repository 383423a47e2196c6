"""Which language to speak: the shipped languages, the system's preferences, and the choice.

Order of precedence: ``--lang``, then the config's ``language`` (or its environment variable
``ACTIVATION_WIZARD_LANGUAGE``), then the system's languages in the user's order, then English.
On Linux and other POSIX systems the system's languages are GNU gettext's: ``LANGUAGE`` (a
colon-separated list, ignored when the locale is C/POSIX), then the first of ``LC_ALL``,
``LC_MESSAGES`` and ``LANG``. On Windows and macOS the windows pass Qt's
``QLocale.system().uiLanguages()`` (the user's display languages); the command line reads the
environment and, on Windows, the user's display language.
"""

from __future__ import annotations

import locale
import os
import re
import sys
from collections.abc import Iterable, Mapping, Sequence

SOURCE_LANGUAGE = "en"
#: The languages with a catalog, in the order a language menu would list them.
SHIPPED: tuple[str, ...] = ("en", "de", "fr", "es", "ja", "zh_CN", "ar")
#: Accented, ~40 % longer English for tests and screenshots; never picked from the system.
PSEUDO = "en_XA"
_RIGHT_TO_LEFT = frozenset({"ar", "he", "fa", "ur"})
# Chinese written in Simplified characters; Traditional (zh_TW, zh_HK, zh_Hant) is not shipped
# and falls through to the user's next language rather than to the wrong script.
_SIMPLIFIED = re.compile(r"^zh(?:_Hans)?(?:_(?:CN|SG|MY))?$|^zh_Hans_[A-Z]{2}$")
_TAG = re.compile(r"^[A-Za-z]{2,3}(?:[_-][A-Za-z0-9]{2,8})*$")


class UnknownLanguageError(ValueError):
    """A language was asked for by name (``--lang``, config) that is not shipped."""

    def __init__(self, requested: str) -> None:
        self.requested = requested
        super().__init__(
            f"'{requested}' is not a language this program speaks; "
            f"choose one of {', '.join(SHIPPED)}."
        )


def normalise(tag: str) -> str | None:
    """``de_DE.UTF-8@euro`` -> ``de_DE``; ``zh-hans-cn`` -> ``zh_Hans_CN``; C/POSIX -> None."""
    tag = tag.strip().split(".")[0].split("@")[0].replace("-", "_")
    if not tag or tag.upper() in ("C", "POSIX") or not _TAG.match(tag):
        return None
    head, *rest = tag.split("_")
    parts = [head.lower()]
    for part in rest:
        if len(part) == 4 and part.isalpha():
            parts.append(part.title())  # script: Hans, Latn
        elif len(part) in (2, 3):
            parts.append(part.upper())  # territory: DE, 419
        else:
            parts.append(part)
    return "_".join(parts)


def match(tag: str, *, allow_pseudo: bool = False) -> str | None:
    """The shipped language serving ``tag`` (``de_AT`` -> ``de``, ``zh_SG`` -> ``zh_CN``)."""
    norm = normalise(tag)
    if norm is None:
        return None
    if norm == PSEUDO:
        return PSEUDO if allow_pseudo else None
    if _SIMPLIFIED.match(norm):
        return "zh_CN"
    base = norm.split("_")[0]
    if base == "zh":
        return None
    return norm if norm in SHIPPED else (base if base in SHIPPED else None)


def negotiate(candidates: Iterable[str]) -> str:
    """The first candidate this program speaks, else English."""
    for tag in candidates:
        found = match(tag)
        if found:
            return found
    return SOURCE_LANGUAGE


def posix_candidates(environ: Mapping[str, str]) -> list[str]:
    """The user's languages as GNU gettext reads them, most preferred first."""
    posix_locale = next(
        (environ[name] for name in ("LC_ALL", "LC_MESSAGES", "LANG") if environ.get(name)), ""
    )
    if normalise(posix_locale) is None:
        return []  # C/POSIX (or unset): gettext ignores LANGUAGE too and speaks English
    languages = [part for part in environ.get("LANGUAGE", "").split(":") if part]
    return [*languages, posix_locale]


def system_candidates(
    environ: Mapping[str, str] | None = None, platform: str = sys.platform
) -> list[str]:
    """The system's languages without Qt (the command line; the windows add Qt's list)."""
    env = os.environ if environ is None else environ
    found = posix_candidates(env)
    if platform == "win32":
        found += _windows_ui_languages()
    elif platform == "darwin" and not found:
        found += [tag for tag in (locale.getlocale()[0],) if tag]
    return found


def choose(
    requested: str | None = None,
    configured: str | None = None,
    *,
    ui_languages: Sequence[str] = (),
    environ: Mapping[str, str] | None = None,
    platform: str = sys.platform,
) -> str:
    """The language to speak. ``requested`` (``--lang``) and ``configured`` must be shipped
    languages (or ``auto``); ``ui_languages`` are the desktop's (Qt's) on Windows and macOS."""
    for name in (requested, configured):
        if name and name.strip().lower() != "auto":
            found = match(name, allow_pseudo=True)
            if found is None:
                raise UnknownLanguageError(name)
            return found
    on_posix_desktop = platform not in ("win32", "darwin")
    system = system_candidates(environ, platform)
    preferred = system if on_posix_desktop else [*ui_languages, *system]
    return negotiate(preferred)


def is_right_to_left(language: str) -> bool:
    return language.split("_")[0] in _RIGHT_TO_LEFT


def _windows_ui_languages() -> list[str]:
    """The Windows user's display language (``de-DE``), through the stdlib only."""
    try:
        import ctypes

        lcid = ctypes.windll.kernel32.GetUserDefaultUILanguage()  # type: ignore[attr-defined]
    except (AttributeError, OSError):
        return []
    name = locale.windows_locale.get(lcid)
    return [name] if name else []
