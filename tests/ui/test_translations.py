"""The windows' language: Qt's own buttons from PySide6's qtbase catalogs, QLocale, and
right-to-left mirroring for Arabic."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWizard

from app.i18n import active_language
from app.ui.translations import apply_language, qt_translations_dir, remove_language

B = QWizard.WizardButton


@pytest.fixture
def speak(qapp):
    installed = []

    def apply(language: str):
        installed.append(apply_language(qapp, language))
        return installed[-1]

    yield apply
    for item in reversed(installed):
        remove_language(qapp, item)


@pytest.mark.parametrize(
    ("language", "cancel", "back"),
    [
        ("de", "Abbrechen", "Zurück"),
        ("fr", "Annuler", "Précédent"),
        ("es", "Cancelar", "Atrás"),
        ("ja", "キャンセル", "戻る"),
        ("zh_CN", "取消", "上一步"),
        ("ar", "ألغِ", "سّابق"),
    ],
)
def test_qwizard_buttons_speak_the_language(speak, make_wizard, language, cancel, back):
    assert (qt_translations_dir() / f"qtbase_{language}.qm").is_file()
    installed = speak(language)
    assert installed.qt_translator is not None and active_language() == language
    wizard = make_wizard()
    assert cancel in wizard.button(B.CancelButton).text()
    assert back in wizard.button(B.BackButton).text()


def test_message_box_buttons_speak_the_language(speak, qtbot):
    speak("de")
    box = QMessageBox(QMessageBox.Icon.Question, "t", "x",
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)  # fmt: skip
    qtbot.addWidget(box)
    texts = {b.text().replace("&", "") for b in box.buttons()}
    assert texts == {"Ja", "Nein"}


def test_arabic_mirrors_every_window_and_sets_the_locale(speak, make_wizard):
    speak("ar")
    assert QApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert QLocale().language() == QLocale.Language.Arabic
    wizard = make_wizard()
    assert wizard.isRightToLeft()
    assert wizard.key_page.isRightToLeft()
    next_button, cancel_button = wizard.button(B.NextButton), wizard.button(B.CancelButton)
    # Mirrored: the button row runs right to left, so Next sits left of Cancel.
    assert (
        next_button.mapTo(wizard, next_button.rect().center()).x()
        < cancel_button.mapTo(wizard, cancel_button.rect().center()).x()
    )


def test_back_to_english_left_to_right(speak, qapp):
    installed = speak("ar")
    remove_language(qapp, installed)
    assert QApplication.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert active_language() == "en"


@pytest.mark.parametrize(
    ("language", "title", "paste"),
    [
        ("de", "Lizenzschlüssel eingeben", "Aus Zwischenablage einfügen"),
        ("ja", "ライセンスキーの入力", "クリップボードから貼り付け(P)"),
        ("ar", "أدخل مفتاح الترخيص", "لصق من الحافظة"),
    ],
)
def test_our_own_pages_speak_the_language(speak, make_wizard, qtbot, language, title, paste):
    speak(language)
    wizard = make_wizard()
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.key_page, timeout=15000)
    assert wizard.key_page.title() == title
    assert wizard.key_page.paste_button.text().replace("&", "") == paste
    assert "Studio Pro" in wizard.windowTitle() and "activation" not in wizard.windowTitle()


def test_arabic_facts_sit_beside_their_names_whatever_their_script(speak, make_wizard, standin,
                                                                   qtbot):  # fmt: skip
    from app.ui.pages.ids import PageId

    speak("ar")
    first = make_wizard()
    first.context.services.activation.activate(standin.fixtures["valid"], "Desk PC")
    first.close()
    wizard = make_wizard()
    qtbot.waitUntil(lambda: wizard.currentId() == PageId.STATUS, timeout=15000)
    qtbot.waitUntil(lambda: wizard.status_page._report is not None, timeout=15000)
    form = wizard.status_page._facts
    values = [form.itemAt(row, form.ItemRole.FieldRole).widget() for row in range(form.rowCount())]
    assert any(value.text() == "Studio Pro" for value in values)
    for value in values:
        # At the window's leading side (right), not where the text's own script would start.
        wanted = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignAbsolute
        assert value.alignment() & wanted == wanted, value.text()
