"""No user-visible text in the windows or the command line bypasses the catalog: a literal (or
f-string) given straight to a widget's text, a title, a tooltip, an accessible name, a message
box or a usage error is reported with its file and line. (Screens the pseudo-locale tests do not
walk are covered here too.) Wrap it: ``_("...")``, ``ngettext(...)``, ``N_`` in tables."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCANNED = [ROOT / "app" / "ui", ROOT / "app" / "cli"]
# Methods whose first argument is text people read (or hear).
TEXT_METHODS = frozenset({
    "setText", "setTitle", "setSubTitle", "setWindowTitle", "setToolTip", "setPlaceholderText",
    "setAccessibleName", "setAccessibleDescription", "setInformativeText", "setDetailedText",
    "setStatusTip", "setWhatsThis", "setButtonText", "addTab", "setTabText", "set_countdown",
    "_show", "_show_status", "_show_note", "_set_busy",
})  # fmt: skip
# Widgets whose first argument is their text.
TEXT_WIDGETS = frozenset({"QLabel", "QPushButton", "QGroupBox", "QCheckBox", "QRadioButton",
                          "QToolButton", "QAction", "wrapping_label", "UsageError"})  # fmt: skip
MESSAGE_BOXES = frozenset({"information", "warning", "critical", "question"})
WRAPPERS = frozenset({"_", "gettext", "ngettext", "pgettext", "npgettext", "N_"})
_WORDS = re.compile(r"[a-z]{2,}")  # words; all-capital markers (BEGIN, ID) are data


def _is_words(node: ast.expr) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        if node.value.startswith("-"):
            return False  # an option (--online): typed, never translated
        return bool(_WORDS.search(node.value))
    if isinstance(node, ast.JoinedStr):
        literal = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
        return bool(_WORDS.search(literal))
    if isinstance(node, ast.BinOp):
        return _is_words(node.left) or _is_words(node.right)
    return False


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _texts_given(call: ast.Call, *, command_line: bool = False) -> list[ast.expr]:
    name = _name(call.func)
    if command_line and name in ("append", "success", "print"):
        # lines for people, and a command's message
        return call.args[1:2] if name == "success" else call.args[:1]
    if name in TEXT_METHODS or name in TEXT_WIDGETS:
        return call.args[-1:] if name in ("setButtonText", "setTabText") else call.args[:1]
    if name in MESSAGE_BOXES and isinstance(call.func, ast.Attribute):
        return call.args[1:3]
    return []


def unwrapped(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    command_line = "cli" in path.relative_to(ROOT).parts
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        for text in _texts_given(node, command_line=command_line):
            if _is_words(text):
                where = path.relative_to(ROOT)
                found.append(f"{where}:{text.lineno}: {ast.unparse(text)[:80]}")
    return found


def test_the_checker_sees_a_bare_literal(tmp_path):
    sample = ROOT / "app" / "ui" / "__sample_for_test__.py"
    try:
        sample.write_text(
            'label.setText("Hello there")\nlabel.setText(_("Fine"))\nQLabel(f"{n} items")\n'
            'QMessageBox.information(self, "Title", _("Text"))\nbox.setText("")\n',
            encoding="utf-8",
        )
        assert [line.split(": ", 1)[1] for line in unwrapped(sample)] == [
            "'Hello there'", "f'{n} items'", "'Title'",
        ]  # fmt: skip
    finally:
        sample.unlink()


def test_no_user_visible_literal_bypasses_the_catalog():
    found = [line for folder in SCANNED for path in sorted(folder.rglob("*.py"))
             for line in unwrapped(path)]  # fmt: skip
    assert not found, "wrap these for translation:\n" + "\n".join(found)
