"""Keyboard only: a first activation with Tab, typing and Return, then Escape to close."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.ui.pages.ids import PageId
from tests.ui.helpers import WAIT_MS, wait_page


def _focused():
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def test_keyboard_only_activation(qtbot, make_wizard, standin):
    wizard = make_wizard()
    wizard.activateWindow()
    qtbot.waitUntil(wizard.isActiveWindow, timeout=WAIT_MS)
    wait_page(qtbot, wizard, PageId.KEY)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is wizard.key_page.key_edit)

    QTest.keyClicks(_focused(), standin.fixtures["valid"])
    # Tab reaches the paste button and Shift+Tab comes back: the order is the reading order.
    QTest.keyClick(_focused(), Qt.Key.Key_Tab)
    assert _focused() is wizard.key_page.paste_button
    QTest.keyClick(_focused(), Qt.Key.Key_Backtab)
    assert _focused() is wizard.key_page.key_edit
    QTest.keyClick(_focused(), Qt.Key.Key_Return)

    wait_page(qtbot, wizard, PageId.DEVICE)
    qtbot.waitUntil(wizard.device_page.isComplete, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is wizard.device_page.name_edit)
    QTest.keyClick(_focused(), Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(_focused(), "Keyboard PC")
    QTest.keyClick(_focused(), Qt.Key.Key_Return)

    wait_page(qtbot, wizard, PageId.RESULT, timeout=WAIT_MS)
    assert not wizard.result_page.showing_problem
    assert wizard.context.outcome.record.device_name == "Keyboard PC"
    QTest.keyClick(_focused(), Qt.Key.Key_Return)  # Finish
    qtbot.waitUntil(lambda: not wizard.isVisible(), timeout=WAIT_MS)


def test_escape_closes_the_wizard(qtbot, make_wizard):
    wizard = make_wizard()
    wizard.activateWindow()
    wait_page(qtbot, wizard, PageId.KEY)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is wizard.key_page.key_edit)
    with qtbot.waitSignal(wizard.closed, timeout=WAIT_MS):
        QTest.keyClick(_focused(), Qt.Key.Key_Escape)
    assert not wizard.isVisible()
