"""Driving the wizard like a user: real buttons, real key events, waiting on state."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from app.ui.pages.ids import PageId
from app.ui.wizard import ActivationWizard

WAIT_MS = 15000


def wait_page(qtbot, wizard: ActivationWizard, page: PageId, timeout: int = WAIT_MS) -> None:
    qtbot.waitUntil(lambda: wizard.currentId() == page, timeout=timeout)


def click(qtbot, wizard: ActivationWizard, which: QWizard.WizardButton) -> None:
    button = wizard.button(which)
    qtbot.waitUntil(lambda: button.isEnabled() and button.isVisible(), timeout=WAIT_MS)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def type_key(qtbot, wizard: ActivationWizard, key: str) -> None:
    wait_page(qtbot, wizard, PageId.KEY)
    edit = wizard.key_page.key_edit
    edit.clear()
    qtbot.keyClicks(edit, key)


def activate(qtbot, wizard: ActivationWizard, key: str, *, name: str | None = None) -> None:
    """Key page -> device page -> Activate, then wait for the result page."""
    type_key(qtbot, wizard, key)
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    wait_page(qtbot, wizard, PageId.DEVICE)
    qtbot.waitUntil(wizard.device_page.isComplete, timeout=WAIT_MS)
    if name is not None:
        wizard.device_page.name_edit.clear()
        qtbot.keyClicks(wizard.device_page.name_edit, name)
    click(qtbot, wizard, QWizard.WizardButton.CommitButton)
    wait_page(qtbot, wizard, PageId.RESULT)
