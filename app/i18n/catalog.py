"""Our gettext catalogs: where they are, and loading one (compiled ``.mo``, else its ``.po``).

Sources are ``resources/i18n/<language>.po`` (one per shipped language, made from
``activation-wizard.pot`` by ``installer/i18n.py``). Compiled ``.mo`` files are build outputs,
never committed: ``installer/i18n.py compile`` writes them next to the sources, the frozen build
ships only them. A source tree without an up-to-date ``.mo`` (a fresh checkout, the demo,
README's test command) compiles the ``.po`` in memory with Babel, exactly as the tool does:
untranslated and fuzzy entries are left out, so each of them falls back to English.
"""

from __future__ import annotations

import gettext
import io
import logging
from functools import cache
from pathlib import Path

from app.i18n.languages import PSEUDO, SOURCE_LANGUAGE
from app.i18n.pseudo import PseudoTranslations

log = logging.getLogger(__name__)

DOMAIN = "activation-wizard"
CATALOG_DIR = Path(__file__).resolve().parent.parent.parent / "resources" / "i18n"
TEMPLATE = CATALOG_DIR / f"{DOMAIN}.pot"


def source_path(language: str, directory: Path = CATALOG_DIR) -> Path:
    return directory / f"{language}.po"


def compiled_path(language: str, directory: Path = CATALOG_DIR) -> Path:
    return directory / f"{language}.mo"


class FallbackTranslations(gettext.GNUTranslations):
    """A catalog whose empty translations (a plural form left blank) read as English."""

    def gettext(self, message: str) -> str:
        return super().gettext(message) or message

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return super().ngettext(msgid1, msgid2, n) or (msgid1 if n == 1 else msgid2)

    def pgettext(self, context: str, message: str) -> str:
        return super().pgettext(context, message) or message

    def npgettext(self, context: str, msgid1: str, msgid2: str, n: int) -> str:
        found = super().npgettext(context, msgid1, msgid2, n)
        return found or (msgid1 if n == 1 else msgid2)


@cache
def translations_for(language: str, directory: Path = CATALOG_DIR) -> gettext.NullTranslations:
    """The catalog for ``language`` (English: none, the source texts are English)."""
    if language == PSEUDO:
        return PseudoTranslations()
    if language == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    data = _compiled_bytes(language, directory)
    if data is None:
        log.warning("no catalog for %s in %s: speaking English", language, directory)
        return gettext.NullTranslations()
    return FallbackTranslations(io.BytesIO(data))


def _compiled_bytes(language: str, directory: Path) -> bytes | None:
    source, compiled = source_path(language, directory), compiled_path(language, directory)
    if compiled.is_file() and (
        not source.is_file() or compiled.stat().st_mtime >= source.stat().st_mtime
    ):
        return compiled.read_bytes()
    if source.is_file():
        return compile_po(source.read_bytes(), language)
    return None


def compile_po(po_bytes: bytes, language: str) -> bytes:
    """The ``.mo`` bytes for a ``.po``'s bytes: untranslated and fuzzy entries left out."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    catalog = read_po(io.BytesIO(po_bytes), locale=language)
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()
