"""Seat limit: "Free a seat" opens the devices dialog; after a seat was freed there, the
activation resumes by itself and ends activated."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QMessageBox

from app.ui.devices_dialog import DevicesDialog
from tests.ui.helpers import WAIT_MS, activate
from tests.ui.test_outages import _machines


def test_free_a_seat_then_activation_resumes(qtbot, make_wizard, standin, ui_relay):
    wizard = make_wizard(relay_url=ui_relay.url)
    activate(qtbot, wizard, standin.fixtures["seat-limit"])
    assert len(_machines(standin, "seat-limit")) == 2
    attempts = wizard.context.attempts
    done: list[bool] = []

    def free_one_seat() -> None:
        dialog = next(w for w in wizard.findChildren(DevicesDialog) if w.isVisible())
        qtbot.waitUntil(lambda: dialog.state == "list", timeout=WAIT_MS)
        dialog.table.selectRow(0)
        QTimer.singleShot(0, lambda: _confirm(qtbot, dialog))
        qtbot.mouseClick(dialog.deactivate_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.freed_seat, timeout=WAIT_MS)
        qtbot.waitUntil(lambda: dialog.isVisible() is False or dialog.close(), timeout=WAIT_MS)
        done.append(True)

    QTimer.singleShot(0, free_one_seat)
    qtbot.mouseClick(wizard.result_page.problem.primary, Qt.MouseButton.LeftButton)
    assert done == [True]
    qtbot.waitUntil(lambda: wizard.context.attempts == attempts + 1, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: wizard.context.outcome is not None, timeout=WAIT_MS)
    # The activating page switches to the result page on the next event-loop turn.
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.result_page, timeout=WAIT_MS)
    assert not wizard.result_page.showing_problem
    assert len(_machines(standin, "seat-limit")) == 2  # one freed, this computer added


def _confirm(qtbot, dialog) -> None:
    qtbot.waitUntil(lambda: dialog.confirmation is not None, timeout=WAIT_MS)
    box = dialog.confirmation
    yes = box.button(QMessageBox.StandardButton.Yes) or box.defaultButton()
    for button in box.buttons():
        if box.buttonRole(button) in (
            QMessageBox.ButtonRole.AcceptRole,
            QMessageBox.ButtonRole.YesRole,
        ):
            yes = button
    qtbot.mouseClick(yes, Qt.MouseButton.LeftButton)
