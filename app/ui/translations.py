"""The windows' language: our catalog, Qt's own texts (qtbase), QLocale and the direction.

The language is chosen by ``app.i18n.choose``; here Qt adds the user's display languages
(``QLocale.system().uiLanguages()``, what Windows and macOS let users order), installs
PySide6's ``qtbase_<language>.qm`` so QWizard's Back / Next / Cancel and the message boxes'
buttons speak it too, and mirrors every window for right-to-left languages.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, Qt, QTranslator
from PySide6.QtWidgets import QApplication

from app.i18n import PSEUDO, activate, choose, is_right_to_left
from app.i18n.pseudo import pseudo

log = logging.getLogger(__name__)


@dataclass
class InstalledLanguage:
    """What ``install_language`` changed, so tests can undo it."""

    language: str
    qt_translator: QTranslator | None


def system_ui_languages() -> list[str]:
    """The desktop's display languages, most preferred first (``de-DE``, ``en-US``...)."""
    return [tag for tag in QLocale.system().uiLanguages() if tag and tag != "C"]


def install_language(app: QApplication, configured: str | None) -> InstalledLanguage:
    """Choose (``configured`` wins: ``--lang`` or the config), then speak it everywhere."""
    language = choose(configured, ui_languages=system_ui_languages())
    return apply_language(app, language)


def apply_language(app: QApplication, language: str) -> InstalledLanguage:
    activate(language)
    translator = _qt_translator(app, language)
    qt_locale = QLocale("en_US" if language == PSEUDO else language)
    QLocale.setDefault(qt_locale)
    direction = (
        Qt.LayoutDirection.RightToLeft
        if is_right_to_left(language)
        else (Qt.LayoutDirection.LeftToRight)
    )
    app.setLayoutDirection(direction)
    log.info("language %s (%s)", language, direction.name)
    return InstalledLanguage(language, translator)


def remove_language(app: QApplication, installed: InstalledLanguage) -> None:
    """Back to English, left to right (tests)."""
    if installed.qt_translator is not None:
        app.removeTranslator(installed.qt_translator)
    activate("en")
    QLocale.setDefault(QLocale("en_US"))
    app.setLayoutDirection(Qt.LayoutDirection.LeftToRight)


def qt_translations_dir() -> Path:
    """PySide6's translations folder (also where the frozen build puts the qtbase files)."""
    return Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))


class PseudoQtTranslator(QTranslator):
    """Qt's own texts (QWizard's buttons, message boxes) in the pseudo-locale as well."""

    def translate(  # noqa: D102 - Qt override
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str:
        return pseudo(source) if source else source

    def isEmpty(self) -> bool:  # noqa: N802 - Qt override
        return False


def _qt_translator(app: QApplication, language: str) -> QTranslator | None:
    if language == "en":
        return None
    if language == PSEUDO:
        translator: QTranslator = PseudoQtTranslator(app)
        app.installTranslator(translator)
        return translator
    translator = QTranslator(app)
    if not translator.load(f"qtbase_{language}", str(qt_translations_dir())):
        log.warning("no qtbase_%s.qm in %s: Qt's own buttons stay English",
                    language, qt_translations_dir())  # fmt: skip
        return None
    app.installTranslator(translator)
    log.info("Qt's own texts from qtbase_%s.qm in %s", language, qt_translations_dir())
    return translator
