"""The dialog for unexpected errors: plain words, plus a redacted report to copy."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from app.ui.widgets import wrapping_label


class ErrorReportDialog(QDialog):
    """Shown by the application's excepthook instead of a silent exit."""

    def __init__(
        self, report: str, *, product: str, vendor: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Something went wrong"))
        self.setMinimumSize(520, 360)
        self.message = wrapping_label(
            _(
                "{product} activation ran into an unexpected problem. Your license and any "
                "finished activation are not affected. Please copy the report below and send "
                "it to {vendor} support."
            ).format(product=product, vendor=vendor),
            selectable=True,
        )
        self.report = QPlainTextEdit(report)
        self.report.setReadOnly(True)
        self.report.setAccessibleName(_("Error report"))
        self.report.setAccessibleDescription(_("Technical details for support; no license key."))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton(_("&Copy report"))
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy_report)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(self.report, 1)
        layout.addWidget(buttons)
        self.copy_button.setDefault(True)
        self.copy_button.setFocus()

    def copy_report(self) -> None:
        QGuiApplication.clipboard().setText(self.report.toPlainText())
        self.copy_button.setText(_("Copied"))
