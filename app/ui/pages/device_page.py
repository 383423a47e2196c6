"""The device page: the name this computer will carry, and exactly what will be sent."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWizard,
    QWizardPage,
)

from app.domain.errors import WizardError
from app.domain.license_key import mask_key
from app.i18n import N_, _
from app.ui.context import WizardContext
from app.ui.problem_text import problem_summary
from app.ui.widgets import fact_form, fill_facts, focus_later, set_state, wrapping_label
from app.ui.workers import ServiceWorker, run_in_worker

if TYPE_CHECKING:  # annotations only: keeps the models off the UI start-up path
    from app.domain.models import DeviceIdentity

PLATFORM_NAMES = {
    "macos": "macOS",
    "windows": "Windows",
    "linux": "Linux",
    "docker": N_("Linux (container)"),
    "kubernetes": N_("Linux (Kubernetes)"),
}
_VIRTUAL = {
    "vm": N_("This computer looks like a virtual machine."),
    "container": N_("This looks like a container rather than a whole computer."),
}


def short_id(fingerprint: str) -> str:
    """The hashed device id shortened for display: enough to recognise, not to copy."""
    return f"{fingerprint[:8]}…{fingerprint[-4:]}" if len(fingerprint) > 14 else fingerprint


class DevicePage(QWizardPage):
    """Reads this computer's identity in a worker; Next ("Activate") is the commit."""

    def __init__(self, context: WizardContext) -> None:
        super().__init__()
        self._context = context
        self._worker: ServiceWorker | None = None
        self.setTitle(_("Name this computer"))
        self.setSubTitle(
            _("This name appears in your list of computers, so you can tell them apart.")
        )
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, _("&Activate"))
        self.name_edit = QLineEdit()
        self.name_edit.setMaxLength(120)
        self.name_edit.setAccessibleName(_("Computer name"))
        self.name_edit.setAccessibleDescription(
            _("The name shown for this computer in your list of computers. You can change it.")
        )
        self.name_edit.textChanged.connect(self._on_name_changed)
        self.status = wrapping_label("", name="fieldFeedback", selectable=True)
        self.retry_button = QPushButton(_("&Try again"))
        self.retry_button.setAccessibleDescription(_("Reads this computer's details again."))
        self.retry_button.clicked.connect(self._load_identity)
        self.retry_button.hide()
        self.warning = wrapping_label("", name="fieldFeedback", selectable=True)
        self.warning.hide()
        self.machine_wide_box = QCheckBox(_("Activate for &every user of this computer"))
        self.machine_wide_box.setAccessibleDescription(
            _(
                "Keeps the activation where every user of this computer finds it. Only an "
                "administrator can change or remove it."
            )
        )
        self.machine_wide_box.hide()  # offered only when running as administrator
        self._facts = fact_form()
        self._lay_out()

    def _lay_out(self) -> None:
        label = QLabel(_("Computer &name:"))
        label.setBuddy(self.name_edit)
        box = QGroupBox(_("What will be sent to the licensing service"))
        box.setLayout(self._facts)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.name_edit)
        layout.addSpacing(8)
        layout.addWidget(box)
        layout.addWidget(self.machine_wide_box)
        layout.addWidget(self.status)
        layout.addWidget(self.retry_button)
        layout.addWidget(self.warning)
        layout.addStretch(1)

    # --- wizard hooks -------------------------------------------------------------------

    def initializePage(self) -> None:  # noqa: N802 - Qt override
        if self._context.identity is None:
            self._load_identity()
        else:
            self._show_identity(self._context.identity)
        focus_later(self.name_edit)

    def cleanupPage(self) -> None:  # noqa: N802 - keep the edited name on restart
        pass

    def isComplete(self) -> bool:  # noqa: N802 - Qt override
        return self._context.identity is not None and bool(self.name_edit.text().strip())

    def validatePage(self) -> bool:  # noqa: N802 - Qt override
        self._context.device_name = self.name_edit.text().strip()
        self._context.machine_wide = (
            not self.machine_wide_box.isHidden() and self.machine_wide_box.isChecked()
        )
        return self.isComplete()

    # --- identity -----------------------------------------------------------------------

    def _load_identity(self) -> None:
        self.retry_button.hide()
        self._show_status(_("Reading this computer's details…"), "hint")
        services, name = self._context.services, self._context.device_name or None
        self._worker = run_in_worker(
            lambda: (
                services.activation.identity(name),
                services.can_change_machine_wide,
                services.machine_wide,
            ),
            name="activation.identity",
            on_finished=self._on_identity,
            on_failed=self._on_identity_failed,
            context=self,
        )

    def _on_identity(self, found: tuple[DeviceIdentity, bool, bool]) -> None:
        identity, admin, machine_wide_now = found
        self._worker = None
        self.machine_wide_box.setVisible(admin)
        if admin and not self._context.identity:
            self.machine_wide_box.setChecked(machine_wide_now or self._context.machine_wide)
        self._context.identity = identity
        self._show_identity(identity)
        self.completeChanged.emit()

    def _on_identity_failed(self, error: WizardError) -> None:
        self._worker = None
        self._show_status(problem_summary(error, self._context.config), "error")
        self.retry_button.show()
        self.completeChanged.emit()

    def _show_identity(self, identity: DeviceIdentity) -> None:
        self._show_status("", "hint")
        if not self.name_edit.text().strip():
            self.name_edit.setText(self._context.device_name or identity.name)
        self._refresh_facts()
        note = _(_VIRTUAL[identity.virtualization]) if identity.virtualization in _VIRTUAL else ""
        self.warning.setVisible(bool(note))
        if note:
            self.warning.setText(
                _(
                    "{note} Its identity can change when it is copied, moved or rebuilt, and "
                    "each new identity uses another seat of your license."
                ).format(note=note)
            )
            set_state(self.warning, "error")

    def _on_name_changed(self, _text: str) -> None:
        self._refresh_facts()
        self.completeChanged.emit()

    def _refresh_facts(self) -> None:
        identity = self._context.identity
        if identity is None:
            fill_facts(self._facts, [])
            return
        platform = getattr(identity.platform, "value", str(identity.platform))
        fill_facts(
            self._facts,
            [
                (_("Computer ID"), short_id(identity.fingerprint)),
                (_("Name"), self.name_edit.text().strip() or _("(enter a name)")),
                (
                    _("Platform"),
                    _(PLATFORM_NAMES[platform]) if platform in PLATFORM_NAMES else platform,
                ),
                (_("Network name"), identity.hostname or _("(none)")),
                (_("License key"), mask_key(self._context.key) if self._context.key else "—"),
            ],
        )

    def _show_status(self, text: str, state: str) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))
        set_state(self.status, state)
        if text:
            self.setAccessibleDescription(text)
