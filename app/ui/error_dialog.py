"""The dialog for unexpected errors: plain words and "Copy report"; the technical report
(environment and traceback, key masked) only behind a collapsed "Details" toggle."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QToolButton,
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
        self.setMinimumWidth(480)
        self.message = wrapping_label(
            _(
                "{product} activation ran into an unexpected problem. Your license and any "
                "finished activation are not affected. Please choose “Copy report” and send "
                "the report to {vendor} support; it holds no license key. Then close this "
                "window and try again."
            ).format(product=product, vendor=vendor),
            selectable=True,
        )
        self.details_button = self._details_toggle()
        self.report = self._report_view(report)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton(_("&Copy report"))
        self.copy_button.setAccessibleDescription(
            _("Copies the technical report for {vendor} support. Your key is not included.").format(
                vendor=vendor
            )
        )
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy_report)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(self.details_button, 0, Qt.AlignmentFlag.AlignLeading)
        layout.addWidget(self.report, 1)
        layout.addWidget(buttons)
        self.copy_button.setDefault(True)
        self.copy_button.setFocus()

    def copy_report(self) -> None:
        QGuiApplication.clipboard().setText(self.report.toPlainText())
        self.copy_button.setText(_("Copied"))

    def show_details(self, shown: bool) -> None:
        """Open or close the technical report (the "Details" toggle)."""
        self.details_button.setChecked(shown)

    def _details_toggle(self) -> QToolButton:
        toggle = QToolButton()
        toggle.setText(_("&Details"))
        toggle.setCheckable(True)
        toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toggle.setArrowType(self._closed_arrow())
        toggle.setAutoRaise(True)
        toggle.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        toggle.setAccessibleName(_("Details"))
        toggle.setAccessibleDescription(_("Shows or hides the technical report for support."))
        toggle.toggled.connect(self._on_details_toggled)
        return toggle

    def _closed_arrow(self) -> Qt.ArrowType:
        """Points along the reading direction (left in Arabic)."""
        if self.layoutDirection() == Qt.LayoutDirection.RightToLeft:
            return Qt.ArrowType.LeftArrow
        return Qt.ArrowType.RightArrow

    def _report_view(self, report: str) -> QPlainTextEdit:
        view = QPlainTextEdit(report)
        view.setReadOnly(True)
        view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        view.setMinimumHeight(200)
        view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        view.setAccessibleName(_("Error report"))
        view.setAccessibleDescription(_("Technical details for support; no license key."))
        view.setVisible(False)
        return view

    def _on_details_toggled(self, shown: bool) -> None:
        self.details_button.setArrowType(Qt.ArrowType.DownArrow if shown else self._closed_arrow())
        self.report.setVisible(shown)
        self.adjustSize()
