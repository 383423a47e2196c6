"""Activate without internet, step 2: load the license file (choose, drop, or paste it)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QMimeData
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QFontDatabase
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWizardPage,
)

from app.domain.errors import WizardError
from app.domain.problems import Action
from app.i18n import _
from app.ui.context import WizardContext
from app.ui.pages.ids import PageId
from app.ui.problem_text import describe
from app.ui.problem_view import ProblemView
from app.ui.support_report import support_details
from app.ui.widgets import focus_later, set_state, wrapping_label
from app.ui.workers import ServiceWorker, run_in_worker

if TYPE_CHECKING:  # annotations only: the services load in the first worker
    from app.services import OfflineActivation, Services


class OfflineLoadPage(QWizardPage):
    """Verifies and stores the file in a worker; a good file goes on to the result page, a
    refused one is explained here (the shared problem view: title, steps, support code, Copy
    details) so another file can be tried at once."""

    def __init__(self, context: WizardContext) -> None:
        super().__init__()
        self._context = context
        self._worker: ServiceWorker | None = None
        self.setTitle(_("Load the license file"))
        self.setSubTitle(
            _("Choose the file you downloaded, drop it on this window, or paste its text.")
        )
        self.setAcceptDrops(True)
        self.choose_button = QPushButton(_("&Choose the license file…"))
        self.choose_button.clicked.connect(self.choose_file)
        self.drop_hint = wrapping_label(_("Or drop the file here."), name="dropArea")
        self.paste_edit = QPlainTextEdit()
        self.paste_edit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.paste_edit.setPlaceholderText(
            "-----BEGIN ACTIVATION LICENSE-----\n…\n-----END ACTIVATION LICENSE-----"
        )
        self.paste_edit.setAccessibleName(_("License file text"))
        self.paste_edit.setAccessibleDescription(
            _("Paste all of the file's text, from the BEGIN line to the END line.")
        )
        self.paste_edit.setTabChangesFocus(True)
        self.paste_button = QPushButton(_("&Use the pasted text"))
        self.paste_button.setEnabled(False)
        self.paste_button.clicked.connect(lambda: self.load_text(self.paste_edit.toPlainText()))
        self.paste_edit.textChanged.connect(
            lambda: self.paste_button.setEnabled(bool(self.paste_edit.toPlainText().strip()))
        )
        self.feedback = wrapping_label("", name="fieldFeedback", selectable=True)
        self.feedback.setAccessibleName(_("License file check"))
        self.feedback.hide()
        self.last_problem: WizardError | None = None  # the refusal shown, for tests and tools
        self.problem = ProblemView()
        self.problem.action_requested.connect(self._on_problem_action)
        self.problem.hide()
        self._lay_out()

    def _lay_out(self) -> None:
        row = QHBoxLayout()
        row.addWidget(self.choose_button)
        row.addWidget(self.drop_hint, 1)
        label = QLabel(_("Or &paste the text of the license file:"))
        label.setBuddy(self.paste_edit)
        paste_row = QHBoxLayout()
        paste_row.addStretch(1)
        paste_row.addWidget(self.paste_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(label)
        layout.addWidget(self.paste_edit, 1)
        layout.addLayout(paste_row)
        layout.addWidget(self.feedback)
        layout.addWidget(self.problem)
        for button in (self.choose_button, self.paste_button):
            button.setAutoDefault(False)

    # --- wizard hooks -------------------------------------------------------------------

    def initializePage(self) -> None:  # noqa: N802 - Qt override
        self._context.offline = None
        self._clear_problem()
        self._show("", "hint")
        focus_later(self.choose_button)

    def isComplete(self) -> bool:  # noqa: N802 - Next only once a file was accepted
        return self._context.offline is not None

    def nextId(self) -> int:  # noqa: N802 - Qt override
        return PageId.RESULT

    @property
    def busy(self) -> bool:
        return self._worker is not None

    # --- the three ways in --------------------------------------------------------------

    def choose_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Choose the license file"), "", _("License files (*.lic);;All files (*)")
        )
        if path:
            self.load_file(Path(path))

    def load_file(self, path: Path) -> None:
        """Read ``path`` and load it (both in a worker)."""
        services: Services = self._context.services
        self._load(lambda: services.offline.read_file(path), from_file=True)

    def load_text(self, text: str) -> None:
        self._load(lambda: text, from_file=False)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        if _dropped(event.mimeData()) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        dropped = _dropped(event.mimeData())
        if dropped is None:
            return
        event.acceptProposedAction()
        if isinstance(dropped, Path):
            self.load_file(dropped)
        else:
            self.paste_edit.setPlainText(dropped)
            self.load_text(dropped)

    # --- loading ------------------------------------------------------------------------

    def _load(self, read: Any, *, from_file: bool) -> None:
        if self._worker is not None:
            return
        services: Services = self._context.services
        key = self._context.key or None  # typed here before: kept so it can check online later
        self._clear_problem()
        self._show(_("Checking the license file…"), "hint")
        for button in (self.choose_button, self.paste_button):
            button.setEnabled(False)
        self._worker = run_in_worker(
            lambda: services.offline.load(read(), key=key),
            name="offline.load",
            on_finished=self._on_loaded,
            on_failed=self._on_failed,
            context=self,
        )

    def _on_loaded(self, activation: OfflineActivation) -> None:
        self._worker = None
        self._context.clear_result()
        self._context.offline = activation
        self._show(_("The license file is valid for this computer."), "ok")
        self.completeChanged.emit()
        wizard = self.wizard()
        if wizard is not None:
            wizard.next()

    def _on_failed(self, error: WizardError) -> None:
        self._worker = None
        self.choose_button.setEnabled(True)
        self.paste_button.setEnabled(bool(self.paste_edit.toPlainText().strip()))
        config = self._context.config
        info = describe(error, config)
        details = support_details(config, title=info.title, support_code=info.support_code,
                                  key=self._context.key or "", request_id=info.request_id)  # fmt: skip
        self._show("", "hint")
        self.last_problem = error
        self.problem.show_problem(info, details)
        self.problem.show()
        self.setAccessibleDescription(self.problem.announcement())
        self.problem.primary.setAccessibleDescription(self.problem.announcement())
        focus_later(self.problem.primary)

    def _on_problem_action(self, action: str) -> None:
        """Retry ("Load a file") chooses another file here; the others (renew, contact
        support...) are the wizard's, as on the result page."""
        if action == Action.RETRY.value:
            self.choose_file()
            return
        wizard = self.wizard()
        handle = getattr(wizard, "handle_action", None)
        if handle is not None:
            handle(action)

    def _clear_problem(self) -> None:
        self.last_problem = None
        self.problem.hide()
        self.setAccessibleDescription("")

    def _show(self, text: str, state: str) -> None:
        self.feedback.setText(text)
        self.feedback.setVisible(bool(text))
        set_state(self.feedback, state)


def _dropped(mime: QMimeData) -> Path | str | None:
    """A local file dropped on the page, or dropped text; None for anything else."""
    if mime.hasUrls():
        local = [url.toLocalFile() for url in mime.urls() if url.isLocalFile()]
        return Path(local[0]) if local else None
    if mime.hasText() and mime.text().strip():
        return mime.text()
    return None


__all__ = ["OfflineLoadPage"]
