"""The key page: calm while typing, format feedback on paste, on leaving the field and on
Next (which goes on only with a well-formed key), paste, demo list."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWizard

from app.ui.pages.ids import PageId
from tests.ui.helpers import wait_page


def _next(wizard):
    return wizard.button(QWizard.WizardButton.NextButton)


def test_calm_while_typing_told_on_next(qtbot, make_wizard, standin):
    wizard = make_wizard(key_case="upper")  # as the demo config: keys are case-insensitive
    wait_page(qtbot, wizard, PageId.KEY)
    page = wizard.key_page
    assert not _next(wizard).isEnabled()  # nothing typed yet
    qtbot.keyClicks(page.key_edit, "DEMO-12")
    assert page.feedback.text() == ""  # no red "too short" after a few characters
    assert page.feedback.property("state") != "error"
    qtbot.mouseClick(_next(wizard), Qt.MouseButton.LeftButton)
    assert wizard.currentId() == PageId.KEY  # Next did not go on...
    assert "too short" in page.feedback.text()  # ...it said why
    assert page.feedback.property("state") == "error"
    # The message is on the page, also for screen readers, not in a popup.
    assert page.key_edit.accessibleDescription() == page.feedback.text()
    page.key_edit.clear()
    qtbot.keyClicks(page.key_edit, "  " + standin.fixtures["valid"].lower() + " ")
    assert _next(wizard).isEnabled()
    assert page.feedback.property("state") == "ok"
    assert page.normalised_key() == standin.fixtures["valid"]


def test_format_told_on_leaving_the_field_and_on_paste(qtbot, make_wizard):
    wizard = make_wizard()
    wait_page(qtbot, wizard, PageId.KEY)
    page = wizard.key_page
    qtbot.keyClicks(page.key_edit, "AB")
    assert page.feedback.text() == ""
    page.key_edit.editingFinished.emit()  # what leaving the field (or Enter) sends
    assert "too short" in page.feedback.text()
    page.key_edit.clear()
    assert page.feedback.text() == ""
    QGuiApplication.clipboard().setText("not a key at all")
    qtbot.mouseClick(page.paste_button, Qt.MouseButton.LeftButton)
    assert page.feedback.property("state") == "error" and page.feedback.text()


def test_key_case_is_kept_as_typed_by_default(qtbot, make_wizard, standin):
    wizard = make_wizard()
    wait_page(qtbot, wizard, PageId.KEY)
    qtbot.keyClicks(wizard.key_page.key_edit, "Key: lic-7q2m-k9pd-x4tr")
    assert wizard.key_page.normalised_key() == "lic-7q2m-k9pd-x4tr"
    assert wizard.key_page.feedback.property("state") == "ok"


def test_paste_from_clipboard(qtbot, make_wizard, standin):
    wizard = make_wizard()
    wait_page(qtbot, wizard, PageId.KEY)
    QGuiApplication.clipboard().setText("Your license key is: " + standin.fixtures["valid"])
    qtbot.mouseClick(wizard.key_page.paste_button, Qt.MouseButton.LeftButton)
    assert wizard.key_page.normalised_key() == standin.fixtures["valid"]
    assert _next(wizard).isEnabled()


def test_empty_clipboard_is_explained(qtbot, make_wizard):
    wizard = make_wizard()
    wait_page(qtbot, wizard, PageId.KEY)
    QGuiApplication.clipboard().clear()
    qtbot.mouseClick(wizard.key_page.paste_button, Qt.MouseButton.LeftButton)
    assert "clipboard is empty" in wizard.key_page.feedback.text()


def test_demo_list_names_scenarios_in_plain_words_and_fills_the_field(qtbot, make_wizard, standin):
    wizard = make_wizard(demo=True)
    wait_page(qtbot, wizard, PageId.KEY)
    listing = wizard.key_page.demo_list
    assert listing is not None and listing.isVisible()
    labels = [listing.item(i).text() for i in range(listing.count())]
    assert "Valid license" in labels and "Seat limit reached" in labels
    assert not any(label.startswith("apiKey") or "-" in label.split()[0] for label in labels)
    item = listing.findItems("Seat limit reached", Qt.MatchFlag.MatchExactly)[0]
    rect = listing.visualItemRect(item)
    qtbot.mouseClick(listing.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert wizard.key_page.key_edit.text() == standin.fixtures["seat-limit"]
    assert _next(wizard).isEnabled()


def test_no_demo_list_outside_demo_mode(qtbot, make_wizard):
    wizard = make_wizard()
    wait_page(qtbot, wizard, PageId.KEY)
    assert wizard.key_page.demo_list is None


def test_every_input_has_an_accessible_name(qtbot, make_wizard):
    from PySide6.QtWidgets import QAbstractButton, QLineEdit, QListWidget

    wizard = make_wizard(demo=True)
    wait_page(qtbot, wizard, PageId.KEY)
    pages = [wizard.page(i) for i in wizard.pageIds()]
    for page in pages:
        for widget in page.findChildren(QLineEdit) + page.findChildren(QListWidget):
            assert widget.accessibleName(), widget
            assert widget.accessibleDescription(), widget
        for button in page.findChildren(QAbstractButton):
            if button.isVisibleTo(page):  # the problem's button gets its text with a problem
                assert button.text() or button.accessibleName(), button
