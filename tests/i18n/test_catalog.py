"""Loading a catalog: the compiled .mo when it is current, else the .po compiled in memory;
untranslated, empty and fuzzy entries fall back to English, plural rules come from the file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.i18n.catalog import translations_for
from installer import i18n as tool

ROOT = Path(__file__).resolve().parents[2]

_PO = """msgid ""
msgstr ""
"Language: {language}\\n"
"Content-Type: text/plain; charset=utf-8\\n"
"Plural-Forms: {plural_forms}\\n"

msgid "Try again"
msgstr "{try_again}"

#, fuzzy
msgid "Free a seat"
msgstr "Platz frei (unsure)"

msgid "Close"
msgstr ""

msgid "{{n}} computer"
msgid_plural "{{n}} computers"
{plurals}
"""


def _write_po(directory: Path, language: str, try_again: str, plural_forms: str, forms) -> Path:
    plurals = "\n".join(f'msgstr[{i}] "{form}"' for i, form in enumerate(forms))
    text = _PO.format(language=language, try_again=try_again, plural_forms=plural_forms,
                      plurals=plurals)  # fmt: skip
    path = directory / f"{language}.po"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def german(tmp_path) -> Path:
    _write_po(tmp_path, "de", "Erneut versuchen", "nplurals=2; plural=(n != 1);",
              ["{n} Computer", "{n} Computer"])  # fmt: skip
    return tmp_path


def test_a_po_without_mo_is_compiled_in_memory(german):
    t = translations_for("de", german)
    assert t.gettext("Try again") == "Erneut versuchen"
    assert t.gettext("Free a seat") == "Free a seat"  # fuzzy: English until a human confirms
    assert t.gettext("Close") == "Close"  # empty: English
    assert t.gettext("Never extracted") == "Never extracted"
    assert t.ngettext("{n} computer", "{n} computers", 3).format(n=3) == "3 Computer"


def test_arabic_has_six_plural_forms_picked_by_its_rule(tmp_path):
    rule = ("nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 "
            ": n%100>=11 ? 4 : 5);")  # fmt: skip
    forms = ["zero", "one", "two", "few", "many", "other"]
    _write_po(tmp_path, "ar", "حاول مرة أخرى", rule, forms)
    t = translations_for("ar", tmp_path)
    picked = [t.ngettext("{n} computer", "{n} computers", n) for n in (0, 1, 2, 5, 11, 100)]
    assert picked == forms


def test_the_tool_compiles_mo_files_that_say_the_same(german, tmp_path):
    out = tmp_path / "compiled"
    out.mkdir()
    done = subprocess.run(
        [sys.executable, str(ROOT / "installer" / "i18n.py"), "compile", "--out", str(out)],
        capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert {p.name for p in out.glob("*.mo")} == {f"{lang}.mo" for lang in tool.TRANSLATED}
    # Our own compile of the German test catalog, loaded from the .mo alone:
    (german / "de.mo").write_bytes(tool.compile_po((german / "de.po").read_bytes(), "de"))
    (german / "de.po").unlink()
    t = translations_for("de", german)
    assert t.gettext("Try again") == "Erneut versuchen"
    assert t.gettext("Free a seat") == "Free a seat"


def test_a_stale_mo_loses_to_a_newer_po(german):
    mo = german / "de.mo"
    mo.write_bytes(tool.compile_po((german / "de.po").read_bytes(), "de"))
    po = german / "de.po"
    po.write_text(po.read_text(encoding="utf-8").replace("Erneut versuchen", "Nochmal"),
                  encoding="utf-8")  # fmt: skip
    older = po.stat().st_mtime - 60
    os.utime(mo, (older, older))
    assert translations_for("de", german).gettext("Try again") == "Nochmal"


def test_a_missing_catalog_speaks_english(tmp_path):
    assert translations_for("ja", tmp_path).gettext("Try again") == "Try again"
