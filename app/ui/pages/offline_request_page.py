"""Activate without internet, step 1: this computer's request as text, a file and a QR code."""

from __future__ import annotations

import errno
import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QFontDatabase, QGuiApplication, QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWizardPage,
)

from app.domain.errors import StorageError, WizardError
from app.i18n import _
from app.ui.context import WizardContext
from app.ui.pages.ids import PageId
from app.ui.problem_text import problem_summary
from app.ui.widgets import focus_later, set_state, wrapping_label
from app.ui.workers import ServiceWorker, run_in_worker

if TYPE_CHECKING:  # annotations only: the services load in the first worker
    from app.services import OfflineRequestInfo, Services

QR_SCALE = 4  # pixels per module: about 210 px for a request URL, easy for a phone camera


class OfflineRequestPage(QWizardPage):
    """Shows the request (never the key); Next goes on to loading the license file.
    ``online_requested`` asks the wizard for the key page (the computer has internet)."""

    online_requested = Signal()

    def __init__(self, context: WizardContext) -> None:
        super().__init__()
        self._context = context
        self._worker: ServiceWorker | None = None
        self.info: OfflineRequestInfo | None = None
        self.setTitle(_("Activate without internet"))
        self.setSubTitle(
            _("Use a phone or any other device with internet to get a license file for this "
              "computer.")  # fmt: skip
        )
        self.steps = wrapping_label("", selectable=True)
        self.qr = QLabel()
        self.qr.setAccessibleName(_("QR code with this computer's request"))
        self.qr.setAccessibleDescription(_("Scan it with a phone camera to open the page."))
        self.url = wrapping_label("", name="offlineUrl", selectable=True)
        self.url.setAccessibleName(_("Address of the page"))
        self.request_text = self._build_text()
        self.copy_button = QPushButton(_("&Copy the request"))
        self.copy_button.clicked.connect(self.copy_request)
        self.save_button = QPushButton(_("&Save the request to a file…"))
        self.save_button.clicked.connect(self.choose_save_file)
        self.online_button = QPushButton(_("This computer has &internet after all"))
        self.online_button.setAutoDefault(False)
        self.online_button.clicked.connect(self.online_requested.emit)
        self.feedback = wrapping_label("", name="fieldFeedback")
        self._lay_out()

    def _build_text(self) -> QPlainTextEdit:
        text = QPlainTextEdit()
        text.setReadOnly(True)
        text.setMaximumHeight(64)
        text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        text.setAccessibleName(_("Request for this computer"))
        text.setAccessibleDescription(_("It holds this computer's id and name, not your key."))
        return text

    def _lay_out(self) -> None:
        buttons = QHBoxLayout()
        for button in (self.copy_button, self.save_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        buttons.addStretch(1)
        top = QHBoxLayout()
        top.addWidget(self.steps, 1)
        top.addWidget(self.qr)
        label = QLabel(_("&Request:"))
        label.setBuddy(self.request_text)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.url)
        layout.addWidget(label)
        layout.addWidget(self.request_text)
        layout.addLayout(buttons)
        layout.addWidget(self.feedback)
        layout.addStretch(1)
        online_row = QHBoxLayout()
        online_row.addWidget(self.online_button)
        online_row.addStretch(1)
        layout.addLayout(online_row)

    # --- wizard hooks -------------------------------------------------------------------

    def initializePage(self) -> None:  # noqa: N802 - Qt override
        self.info = None
        self._show(_("Preparing this computer's request…"), "hint")
        self.completeChanged.emit()
        services: Services = self._context.services
        name = self._context.device_name or None
        self._worker = run_in_worker(
            lambda: _prepare(services, name),
            name="offline.request",
            on_finished=self._on_ready,
            on_failed=self._on_failed,
            context=self,
        )

    def isComplete(self) -> bool:  # noqa: N802 - Qt override
        return self.info is not None

    def nextId(self) -> int:  # noqa: N802 - Qt override
        return PageId.OFFLINE_LOAD

    # --- behaviour ----------------------------------------------------------------------

    def copy_request(self) -> None:
        if self.info is not None:
            QGuiApplication.clipboard().setText(self.info.code)
            self._show(_("The request is copied. Paste it on the page."), "ok")

    def choose_save_file(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Save the request"), "activation-request.txt", _("Text files (*.txt)")
        )
        if path:
            self.save_request_to(Path(path))

    def save_request_to(self, path: Path) -> None:
        """Write the request (and the page's address) to ``path`` in a worker."""
        if self.info is None:
            return
        text = _request_file_text(self.info)
        run_in_worker(
            lambda: _write(path, text),
            name="offline.save_request",
            on_finished=lambda _done: self._show(
                _("Saved to {path}.").format(path=str(path)), "ok"
            ),
            on_failed=lambda error: self._show(
                problem_summary(error, self._context.config), "error"
            ),
            context=self,
        )

    def _on_ready(self, prepared: tuple[OfflineRequestInfo, bytes | None]) -> None:
        self._worker = None
        self.info, png = prepared
        self.request_text.setPlainText(self.info.code)
        if png is not None and self.info.url:
            pixmap = QPixmap()
            pixmap.loadFromData(png, "PNG")
            self.qr.setPixmap(pixmap)
            self.qr.setFixedSize(pixmap.size())  # never cropped: a cut QR code cannot be read
            self.url.setText(self.info.url)
        self.qr.setVisible(png is not None)
        self.url.setVisible(bool(self.info.url))
        self.steps.setText(_steps_text(self.info))
        self._show("", "hint")
        self.setAccessibleDescription(self.steps.text())
        self.completeChanged.emit()
        focus_later(self.copy_button)

    def _on_failed(self, error: WizardError) -> None:
        self._worker = None
        self._show(problem_summary(error, self._context.config), "error")

    def _show(self, text: str, state: str) -> None:
        self.feedback.setText(text)
        self.feedback.setVisible(bool(text))
        set_state(self.feedback, state)


def _prepare(services: Any, name: str | None) -> tuple[Any, bytes | None]:
    """In the worker: the request, and its QR code as PNG bytes (None without a relay)."""
    info = services.offline.request(name)
    return info, (_qr_png(info.url) if info.url else None)


def _qr_png(url: str) -> bytes:
    import segno  # only here: the QR code is drawn in the worker, once per request

    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=QR_SCALE, border=4)
    return buffer.getvalue()


def _steps_text(info: Any) -> str:
    where = (
        _("Scan the QR code with a phone, or open the address below on any device with "
          "internet.")  # fmt: skip
        if info.url
        else _("Open the seller's page for activating without internet on any device.")
    )
    return "\n".join(
        [
            "1. " + where,
            "2. " + _("Enter your license key there, with the request if it is not filled in, "
                      "and download the license file."),  # fmt: skip
            "3. " + _("Bring the file to this computer, for example on a USB stick, and click "
                      "Next to load it."),  # fmt: skip
        ]
    )


def _request_file_text(info: Any) -> str:
    lines = [_("Request for activating this computer without internet:"), "", info.code, ""]
    if info.url:
        lines += [_("Open this address on a device with internet:"), info.url, ""]
    return "\n".join(lines)


def _write(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as err:
        raise StorageError(
            f"could not write {path}",
            details={"errno": errno.errorcode.get(err.errno or 0, "UNKNOWN"), "path": str(path),
                     "action": "write"},  # fmt: skip
        ) from err


__all__ = ["OfflineRequestPage"]
