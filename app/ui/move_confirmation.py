"""The question before "Move to another computer": deactivate this computer, and what follows."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from app.i18n import _
from app.ui.accessibility import name_images


def move_confirmation_box(parent: QWidget, product: str) -> QMessageBox:
    """The confirmation, Cancel by default (Escape cancels too); not shown yet."""
    box = QMessageBox(parent)
    box.setTextFormat(Qt.TextFormat.PlainText)  # the product name comes from the server
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(_("Move to another computer"))
    box.setText(_("Deactivate this computer?"))
    box.setInformativeText(
        _(
            "{product} will stop working on this computer, and its seat on your license "
            "becomes free, so you can activate another computer with the same key.\n\n"
            "Your license key is removed from this computer. Keep it to activate again."
        ).format(product=product)
    )
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
    box.button(QMessageBox.StandardButton.Yes).setText(_("&Deactivate this computer"))
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    name_images(box, _("Question"))
    box.setEscapeButton(QMessageBox.StandardButton.Cancel)
    return box
