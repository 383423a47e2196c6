"""Signing in to a company proxy that answered 407: a remembered sign-in is tried first (read
from the keychain in a worker); otherwise ``ProxySignInDialog`` asks for a user name and
password and, when the box is ticked, remembers them (again in a worker)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import ProxyAuthFailedError, WizardError
from app.domain.proxy_sign_in import ProxyCredentials
from app.i18n import _
from app.ui.context import WizardContext
from app.ui.problem_text import problem_summary
from app.ui.widgets import focus_later, set_state, wrapping_label
from app.ui.workers import ServiceWorker, run_in_worker

log = logging.getLogger(__name__)


class ProxySignInDialog(QDialog):
    """User name, password (never shown, never logged) and "remember"; Sign in applies them
    in a worker and closes when they are in use (``accepted``)."""

    def __init__(
        self, context: WizardContext, *, wrong: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._worker: ServiceWorker | None = None
        self.setWindowTitle(_("Sign in to your network's proxy"))
        self.intro = wrapping_label(self._intro(wrong), selectable=True)
        self.user_edit = QLineEdit(context.proxy_user)
        self.user_edit.setAccessibleName(_("Proxy user name"))
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setAccessibleName(_("Proxy password"))
        self.remember_box = QCheckBox(_("&Remember this sign-in on this computer"))
        self.remember_box.setAccessibleDescription(
            _("Keeps the user name and password in this computer's password storage.")
        )
        self.status = wrapping_label("", name="fieldFeedback", selectable=True)
        self.status.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.sign_in_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.sign_in_button.setText(_("&Sign in"))
        self.buttons.accepted.connect(self._sign_in)
        self.buttons.rejected.connect(self.reject)
        self.user_edit.textChanged.connect(self._update_button)
        self.password_edit.textChanged.connect(self._update_button)
        self._lay_out()
        self._update_button()
        focus_later(self.password_edit if context.proxy_user else self.user_edit)

    def _lay_out(self) -> None:
        form = QFormLayout()
        form.addRow(_("&User name:"), self.user_edit)
        form.addRow(_("&Password:"), self.password_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.remember_box)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)

    @staticmethod
    def _intro(wrong: bool) -> str:
        if wrong:
            return _(
                "The proxy didn't accept that user name or password. Check them (watch for "
                "Caps Lock) and sign in again."
            )
        return _(
            "Your network reaches the internet through a proxy that asks for a user name and "
            "password. Your IT team can tell you which ones to use; often they are the ones you "
            "use for this computer."
        )

    def _update_button(self) -> None:
        ready = bool(self.user_edit.text().strip() and self.password_edit.text())
        self.sign_in_button.setEnabled(ready and self._worker is None)

    def _sign_in(self) -> None:
        user = self.user_edit.text().strip()
        credentials = ProxyCredentials(user, self.password_edit.text())
        remember = self.remember_box.isChecked()
        self._context.proxy_user = user
        services = self._context.services
        self._worker = run_in_worker(
            lambda: services.proxy_sign_in.use(credentials, remember=remember),
            name="proxy_sign_in.use",
            on_finished=self._on_used,
            on_failed=self._on_failed,
            context=self,
        )
        self._update_button()

    def _on_used(self, remembered: bool) -> None:
        self._worker = None
        if self.remember_box.isChecked() and not remembered:
            log.info("the proxy sign-in is used but could not be remembered (no keychain)")
        self.accept()

    def _on_failed(self, error: WizardError) -> None:
        self._worker = None
        self.status.setText(problem_summary(error, self._context.config))
        self.status.show()
        set_state(self.status, "error")
        self._update_button()


def sign_in_to_proxy(
    parent: QWidget,
    context: WizardContext,
    error: WizardError | None,
    on_signed_in: Callable[[], None],
) -> ServiceWorker | None:
    """After ``error`` (a 407): use the remembered sign-in when there is one and the proxy has
    not just turned a sign-in down, else ask. ``on_signed_in`` runs once one is in use."""
    wrong = isinstance(error, ProxyAuthFailedError)

    def ask() -> None:
        dialog = ProxySignInDialog(context, wrong=wrong, parent=parent)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            on_signed_in()

    if wrong:
        ask()
        return None
    services = context.services
    return run_in_worker(
        lambda: services.proxy_sign_in.use_remembered(),
        name="proxy_sign_in.use_remembered",
        on_finished=lambda used: on_signed_in() if used else ask(),
        on_failed=lambda _error: ask(),
        context=parent,
    )


__all__ = ["ProxySignInDialog", "sign_in_to_proxy"]
