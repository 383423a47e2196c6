"""The pseudo-locale checker itself finds what it looks for (so a clean run means something)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from app.i18n.pseudo import pseudo
from tests.ui.pseudo_check import cut_off, untranslated, untranslated_texts


def test_untranslated_words_outside_the_brackets_are_found():
    assert untranslated(pseudo("Try again"), []) == []
    assert untranslated(pseudo("{label}:").format(label=pseudo("Expires")), []) == []
    assert untranslated("Try again", []) == ["Try", "again"]
    assert untranslated(pseudo("Hello {name}").format(name="Jane Doe"), ["Jane Doe"]) == []
    assert untranslated("AW-SEAT-422 · support@example.com · 3 March 2026", []) == []


def test_cut_off_and_untranslated_texts_are_reported(qtbot):
    window = QWidget()
    layout = QVBoxLayout(window)
    label = QLabel("A label far too long for the twenty pixels it was given")
    label.setFixedWidth(20)
    wrapped = QLabel("Words that wrap onto many lines in a short and narrow box")
    wrapped.setWordWrap(True)
    wrapped.setFixedSize(60, 16)
    button = QPushButton(pseudo("A button with a long caption"))
    button.setFixedWidth(30)
    for widget in (label, wrapped, button):
        layout.addWidget(widget)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    found = cut_off(window)
    assert len(found) == 3, found
    texts = untranslated_texts(window, [])
    assert any("A label far too long" in t for t in texts)
    assert not any("button with" in t for t in texts)
