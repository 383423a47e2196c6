"""The status page (reopen): the stored activation, checked online, and what to do with it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from app.domain.errors import (
    AdminRightsError,
    NotActivatedError,
    OfflineFileError,
    ProxyAuthRequiredError,
    RateLimitedError,
    WizardError,
)
from app.i18n import _
from app.presentation.license_facts import (
    MACHINE_KEY_STORAGE,
    grace_end,
    key_file_note,
    license_facts,
    machine_wide_note,
)
from app.presentation.offline_words import offline_status_text, renewal_hint
from app.presentation.words import format_date, format_time
from app.ui.context import WizardContext
from app.ui.move_confirmation import move_confirmation_box
from app.ui.problem_text import describe
from app.ui.problem_view import ProblemView
from app.ui.support_report import support_details
from app.ui.widgets import (
    action_button,
    fact_form,
    fill_facts,
    focus_later,
    make_primary,
    set_state,
    wrapping_label,
)
from app.ui.workers import ServiceWorker, run_in_worker

if TYPE_CHECKING:  # annotations only: the models and services load in the first worker
    from app.domain.models import ActivationRecord
    from app.services import StatusReport


class StatusPage(QWizardPage):
    """Start page. Looks up the stored activation in a worker; ``not_activated`` asks the
    wizard for the key page; ``action_requested(id)`` carries the problem and page actions
    (``change_key``, ``manage_devices``) to the wizard."""

    not_activated = Signal()
    action_requested = Signal(str)
    deactivated = Signal()

    def __init__(self, context: WizardContext) -> None:
        super().__init__()
        self._context = context
        self._record: ActivationRecord | None = None
        self._report: StatusReport | None = None
        self._worker: ServiceWorker | None = None
        self._deactivated = False
        self.setTitle(_("{product} license").format(product=context.config.product_name))
        self.setSubTitle(_("The license on this computer, and what you can do with it."))
        self.setFinalPage(True)
        self.headline = wrapping_label("", name="statusTitle", selectable=True)
        self.freshness = wrapping_label("", name="fieldFeedback", selectable=True)
        self.notes = wrapping_label("", selectable=True)
        self.notes.hide()
        self._facts = fact_form()
        self.problem = ProblemView()
        self.last_problem: WizardError | None = None  # the problem shown last (its actions)
        self.problem.action_requested.connect(self._on_problem_action)
        self.problem.hide()
        self.check_button = action_button(_("C&heck now"), _("Asks the licensing service again."))
        make_primary(self.check_button)
        self.devices_button = action_button(
            _("&Manage computers"), _("Shows the computers using this license and frees seats.")
        )
        self.move_button = action_button(
            _("Mo&ve to another computer"), _("Deactivates this computer so its seat is free.")
        )
        self.change_key_button = action_button(
            _("Use a &different key"), _("Enter another license key.")
        )
        self.activate_again_button = action_button(_("&Activate again"), _("Enter a license key."))
        self.activate_again_button.hide()
        self.offline_button = action_button(
            _("&Load a new license file"), _("Renew the activation without internet.")
        )
        self.offline_button.hide()
        self._connect()
        self._lay_out()

    def _connect(self) -> None:
        self.check_button.clicked.connect(self.check_now)
        self.devices_button.clicked.connect(lambda: self.action_requested.emit("manage_devices"))
        self.move_button.clicked.connect(self.move_to_another_computer)
        self.change_key_button.clicked.connect(lambda: self.action_requested.emit("change_key"))
        self.activate_again_button.clicked.connect(lambda: self.action_requested.emit("change_key"))
        self.offline_button.clicked.connect(lambda: self.action_requested.emit("offline"))

    def _lay_out(self) -> None:
        # The main action first, on its own; the rest grouped in one row under it.
        self.buttons = QWidget()
        rows = QVBoxLayout(self.buttons)
        rows.setContentsMargins(0, 0, 0, 0)
        first = QHBoxLayout()
        first.addWidget(self.check_button)
        first.addStretch(1)
        more = QHBoxLayout()
        for button in (self.devices_button, self.move_button, self.change_key_button):
            more.addWidget(button)
        more.addStretch(1)
        rows.addLayout(first)
        rows.addSpacing(6)
        rows.addLayout(more)
        second = QHBoxLayout()
        second.addWidget(self.activate_again_button)
        second.addWidget(self.offline_button)
        second.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        layout.addLayout(self._facts)
        layout.addWidget(self.freshness)
        layout.addWidget(self.notes)
        layout.addWidget(self.problem)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        layout.addLayout(second)

    @property
    def record(self) -> ActivationRecord | None:
        """The activation stored on this computer, once looked up."""
        return self._record

    # --- wizard hooks -------------------------------------------------------------------

    def initializePage(self) -> None:  # noqa: N802 - Qt override
        self._deactivated = False
        self._record = self._report = None
        self._set_busy(_("Looking for an activation on this computer…"))
        services = self._context.services
        self._run(lambda: services.status.stored(), self._on_stored, "status.stored")

    def nextId(self) -> int:  # noqa: N802 - nothing follows the status page
        return -1

    # --- lookup and check ---------------------------------------------------------------

    def check_now(self) -> None:
        if self._record is None or self._worker is not None:
            return
        self._set_busy(_("Checking with the licensing service…"))
        services = self._context.services
        self._run(lambda: services.status.check(online=True), self._on_report, "status.check")

    def _on_stored(self, record: ActivationRecord | None) -> None:
        if record is None:
            self.not_activated.emit()
            return
        self._record = record
        self._show_cached(record)
        self.check_now()

    def _on_report(self, report: StatusReport) -> None:
        self._report = report
        self._record = report.record
        self._show_report(report)

    def _on_failed(self, error: WizardError) -> None:
        if isinstance(error, NotActivatedError):
            self.not_activated.emit()
            return
        self._show_problem(error)
        self._set_idle()

    # --- move to another computer -------------------------------------------------------

    def move_to_another_computer(self) -> None:
        if self._record is None or self._worker is not None:
            return
        if not self.confirm_move():
            return
        self._set_busy(_("Deactivating this computer…"))
        services = self._context.services
        self._run(
            lambda: services.transfer.deactivate_this(), self._on_deactivated, "transfer.deactivate"
        )

    def confirm_move(self) -> bool:
        box = self.move_confirmation()
        return box.exec() == QMessageBox.StandardButton.Yes

    def move_confirmation(self) -> QMessageBox:
        return move_confirmation_box(self, self._product_name())

    def _on_deactivated(self, _record: Any) -> None:
        self._deactivated = True
        self._record = self._report = None
        self.headline.setText(_("This computer is no longer activated"))
        fill_facts(self._facts, [])
        self.freshness.setText(
            _("Its seat is free. You can now activate your license on another computer.")
        )
        set_state(self.freshness, "hint")
        self.notes.hide()
        self.problem.hide()
        self.buttons.hide()
        self.change_key_button.hide()
        self.activate_again_button.show()
        self.setAccessibleDescription(self.headline.text() + ". " + self.freshness.text())
        focus_later(self.activate_again_button)
        self.deactivated.emit()

    # --- showing ------------------------------------------------------------------------

    def _show_cached(self, record: ActivationRecord) -> None:
        # Imported here: it loads the models, which the first paint does not need.
        from app.services.snapshot import validation_from_json

        cached = validation_from_json(record.last_validation)
        self.headline.setText(self._headline(licensed=True))
        fill_facts(self._facts, self._facts_for(cached, record))
        self._show_storage(record.key_storage)

    def _show_report(self, report: StatusReport) -> None:
        self._set_idle()
        fill_facts(self._facts, self._facts_for(report.validation, report.record))
        self._show_storage(report.key_storage)
        offline = report.record.offline_license is not None
        self.offline_button.setVisible(offline and self._context.offline_possible)
        # Without a key saved here (it was typed on another device) the license's devices
        # cannot be reached from this computer: those buttons would only fail.
        keyless = report.key_storage == "none"
        for button in (self.devices_button, self.move_button):
            button.setVisible(not keyless)
        if report.offline_until is not None and report.problem is None:
            self.freshness.setText(offline_status_text(report.offline_until))
            set_state(self.freshness, "hint")
            self._show_renewal_hint(report.offline_until)
        elif report.stale and report.problem is None and _by_an_administrator(report):
            # Every user's activation: users go by the answer an administrator's check saved.
            self.freshness.setText(
                _("Last confirmed by an administrator's check on {time}.").format(
                    time=format_time(report.checked_at)
                )
            )
            set_state(self.freshness, "hint")
        elif report.stale and report.problem is None:
            # A good answer we could not refresh: still licensed, calmly, and for how long.
            self.freshness.setText(self._saved_answer_text(report))
            set_state(self.freshness, "hint")
        else:
            self.freshness.setText(
                _("Last check: {time}").format(time=format_time(report.checked_at))
            )
            set_state(self.freshness, "hint")
        if report.problem is not None:
            self._show_problem(report.problem)
        elif isinstance(report.offline_reason, ProxyAuthRequiredError):
            # Still licensed (the saved answer counts), but only a proxy sign-in lets the
            # next check through: offer it, with the license still shown as activated.
            self._show_problem(report.offline_reason)
            self.headline.setText(self._headline(licensed=True))
        else:
            self.problem.hide()
            self.headline.setText(self._headline(licensed=True))
            self.headline.show()
        self.setAccessibleDescription(self._announcement())
        if not isinstance(QApplication.focusWidget(), QPushButton):
            focus_later(self.check_button)  # not a text caret in the headline

    def _saved_answer_text(self, report: StatusReport) -> str:
        until = grace_end(report.checked_at, self._context.config.offline_grace_hours)
        values = {
            "time": format_time(report.checked_at),
            "product": self._product_name(),
            "until": format_date(until),
        }
        if isinstance(report.offline_reason, RateLimitedError):
            return _(
                "Last confirmed on {time}. The licensing service asked this computer to wait "
                "before checking again; {product} works offline until {until}."
            ).format(**values)
        return _(
            "Last confirmed on {time}. The licensing service can't be reached right now; "
            "{product} works offline until {until}."
        ).format(**values)

    def _show_problem(self, error: WizardError) -> None:
        self.last_problem = error
        config = self._context.config
        info = describe(error, config)
        details = support_details(
            config,
            title=info.title,
            support_code=info.support_code,
            key=self._record.key_masked if self._record else "",
            request_id=info.request_id,
        )
        self.problem.show_problem(info, details)
        self.problem.show()
        self.headline.setText(self._headline(licensed=False))
        self.headline.hide()  # one heading: the problem's title says it
        self.setAccessibleDescription(self._announcement())

    def _show_renewal_hint(self, until: datetime) -> None:
        hint = renewal_hint(until, datetime.now(UTC))
        if hint:
            self.notes.setText("\n\n".join(filter(None, [hint, self.notes.text()])))
            self.notes.show()

    def _show_storage(self, storage: str) -> None:
        notes = {"file": key_file_note, MACHINE_KEY_STORAGE: machine_wide_note}
        note = notes.get(storage)
        self.notes.setText(note() if note else "")
        self.notes.setVisible(note is not None)

    def _product_name(self) -> str:
        """The vendor's product name (validate-key does not name the product)."""
        return self._context.config.product_name

    def _headline(self, *, licensed: bool) -> str:
        product = self._product_name()
        if licensed:
            return _("{product} is activated on this computer.").format(product=product)
        return _("{product} needs your attention.").format(product=product)

    def _facts_for(self, validation: Any, record: ActivationRecord) -> list[tuple[str, str]]:
        report, config = self._report, self._context.config
        return license_facts(
            validation,
            record.device_name,
            config.product_name,
            report.license_view if report is not None else None,
            vendor_minutes=config.heartbeat_minutes,
        )

    def _announcement(self) -> str:
        parts = [self.headline.text(), self.freshness.text()]
        if self.problem.isVisible():
            parts.append(self.problem.announcement())
        return " ".join(p for p in parts if p)

    # --- busy state ---------------------------------------------------------------------

    def _run(self, fn: Callable[[], Any], on_finished: Callable[[Any], None], name: str) -> None:
        """Run ``fn`` in a worker. ``fn`` is a lambda so that ``services.<service>`` is
        reached there: the first reach builds the services, never on the UI thread."""
        self._worker = run_in_worker(
            fn,
            name=name,
            on_finished=self._finished(on_finished),
            on_failed=self._finished(self._on_failed),
            context=self,
        )

    def _finished(self, slot: Any) -> Any:
        def call(value: Any) -> None:
            self._worker = None
            slot(value)

        return call

    def _set_busy(self, text: str) -> None:
        self.freshness.setText(text)
        set_state(self.freshness, "hint")
        for button in (self.check_button, self.devices_button, self.move_button):
            button.setEnabled(False)

    def _set_idle(self) -> None:
        for button in (self.check_button, self.devices_button, self.move_button):
            button.setEnabled(self._record is not None)

    def _on_problem_action(self, action: str) -> None:
        if action == "retry" and isinstance(self.last_problem, OfflineFileError):
            self.action_requested.emit("offline")  # "Load a file": a new one, the same way
        elif action == "retry":
            self.check_now()
        else:
            self.action_requested.emit(action)


def _by_an_administrator(report: StatusReport) -> bool:
    return isinstance(report.offline_reason, AdminRightsError)
