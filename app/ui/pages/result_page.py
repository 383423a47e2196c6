"""The result page: the activated license, or the problem with its one next step."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from app.domain.errors import NetworkError, WizardError
from app.domain.problems import Action
from app.i18n import _
from app.presentation.license_facts import license_facts, outcome_notes
from app.presentation.offline_words import offline_status_text
from app.ui.accessibility import announce
from app.ui.context import WizardContext
from app.ui.problem_text import describe
from app.ui.problem_view import ProblemView
from app.ui.support_report import support_details
from app.ui.widgets import fact_form, fill_facts, focus_later, wrapping_label

if TYPE_CHECKING:  # annotations only: the services load in the first worker
    from app.services import ActivationOutcome, OfflineActivation


#: Besides a problem's primary action, every problem here can be met by trying again with the
#: same key, or by another key (and by Back, the wizard's button).
WAYS_FORWARD = (Action.RETRY, Action.REENTER_KEY)


class ResultPage(QWizardPage):
    """Final page. ``action_requested(action_id)`` asks the wizard to carry out an action;
    a rate limit counts down and asks for ``retry`` by itself."""

    action_requested = Signal(str)

    def __init__(self, context: WizardContext) -> None:
        super().__init__()
        self._context = context
        self._remaining = 0
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._tick)
        self.success = QWidget()
        self.headline = wrapping_label("", name="resultTitle", selectable=True)
        self.notes = wrapping_label("", selectable=True)
        self._facts = fact_form()
        self.problem = ProblemView()
        self.problem.action_requested.connect(self._on_action)
        # No connection: the way forward that needs none (when the vendor set it up).
        self.offline_button = QPushButton(_("Activate &without internet"))
        self.offline_button.setAccessibleDescription(
            _("Get a license file for this computer on a phone or another computer.")
        )
        self.offline_button.setAutoDefault(False)
        self.offline_button.clicked.connect(lambda: self._on_action("offline"))
        self.offline_button.hide()
        self._stack = QStackedWidget()
        self._lay_out()

    def _lay_out(self) -> None:
        inner = QVBoxLayout(self.success)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addWidget(self.headline)
        inner.addLayout(self._facts)
        inner.addWidget(self.notes)
        inner.addStretch(1)
        holder = QWidget()
        box = QVBoxLayout(holder)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.problem)
        offline_row = QHBoxLayout()
        offline_row.addWidget(self.offline_button)
        offline_row.addStretch(1)
        box.addLayout(offline_row)
        box.addStretch(1)
        self._stack.addWidget(self.success)
        self._stack.addWidget(holder)
        layout = QVBoxLayout(self)
        layout.addWidget(self._stack)

    # --- wizard hooks -------------------------------------------------------------------

    def initializePage(self) -> None:  # noqa: N802 - Qt override
        self._timer.stop()
        if self._context.error is not None:
            self._show_problem(self._context.error)
        elif self._context.offline is not None:
            self._show_offline(self._context.offline)
        elif self._context.outcome is not None:
            self._show_success(self._context.outcome)

    def cleanupPage(self) -> None:  # noqa: N802 - Qt override
        self._timer.stop()

    def nextId(self) -> int:  # noqa: N802 - the last page (the offline pages come after in id)
        return -1

    def stop_countdown(self) -> None:
        self._timer.stop()

    @property
    def showing_problem(self) -> bool:
        return self._stack.currentIndex() == 1

    # --- success ------------------------------------------------------------------------

    def _show_success(self, outcome: ActivationOutcome) -> None:
        config = self._context.config
        product = config.product_name  # validate-key does not name the product
        self.setTitle(_("Activation complete"))
        self.setSubTitle(_("Click Finish to close this window."))
        self._finish_reads(finished=True)
        self.headline.setText(_("{product} is activated on this computer.").format(product=product))
        facts = license_facts(
            outcome.validation,
            outcome.record.device_name,
            product,
            outcome.license_view,
            vendor_minutes=config.heartbeat_minutes,
            seats_used_known=False,  # the relay may still count from before this seat
        )
        fill_facts(self._facts, facts)
        notes = outcome_notes(outcome)
        self.notes.setText("\n\n".join(notes))
        self.notes.setVisible(bool(notes))
        self._stack.setCurrentIndex(0)
        self.setAccessibleDescription(" ".join([self.headline.text(), *notes]))
        wizard = self.wizard()
        if wizard is not None:  # the default button; the page description is read with it
            focus_later(wizard.button(wizard.WizardButton.FinishButton))

    def _show_offline(self, activation: OfflineActivation) -> None:
        lic = activation.license
        product = lic.product_name or self._context.config.product_name
        self.setTitle(_("Activation complete"))
        self.setSubTitle(_("Click Finish to close this window."))
        self._finish_reads(finished=True)
        self.headline.setText(
            _("{product} is activated on this computer without internet.").format(product=product)
        )
        facts = license_facts(activation.validation, activation.record.device_name, product)
        fill_facts(self._facts, facts)
        notes = [
            offline_status_text(lic.expires_at),
            _(
                "Before then, get a new file the same way, or connect this computer to the "
                "internet and activate it online."
            ),  # fmt: skip
        ]
        self.notes.setText("\n\n".join(notes))
        self.notes.setVisible(True)
        self._stack.setCurrentIndex(0)
        self.setAccessibleDescription(" ".join([self.headline.text(), *notes]))
        wizard = self.wizard()
        if wizard is not None:
            focus_later(wizard.button(wizard.WizardButton.FinishButton))

    def _finish_reads(self, *, finished: bool) -> None:
        """ "Finish" only after success; after a problem the same button says "Close"."""
        which = QWizard.WizardButton.FinishButton
        wizard = self.wizard()
        if wizard is not None:
            self.setButtonText(which, wizard.buttonText(which) if finished else _("&Close"))

    # --- problem ------------------------------------------------------------------------

    def _show_problem(self, error: WizardError) -> None:
        config = self._context.config
        info = describe(error, config, failed_step=self._context.failed_step)
        self.setTitle(_("Activation did not finish"))
        self.setSubTitle(_("Here is what happened and what you can do now."))
        details = support_details(
            config,
            title=info.title,
            support_code=info.support_code,
            key=self._context.key,
            request_id=info.request_id,
        )
        self.problem.show_problem(info, details, offers=WAYS_FORWARD)
        self._finish_reads(finished=False)
        self.offline_button.setVisible(
            isinstance(error, NetworkError) and self._context.offline_possible
        )
        self._stack.setCurrentIndex(1)
        if info.retry_after is not None:  # counts down in the title; announced at start only
            self._remaining = info.retry_after
            self._timer.start()
        self._announce()
        focus_later(self.problem.primary)

    def _tick(self) -> None:
        self._remaining -= 1
        if self._remaining <= 0:
            self._timer.stop()
            self.problem.set_countdown(_("Trying again now…"))
            announce(self.problem, self.problem.countdown.text())
            self.action_requested.emit("retry")
            return
        self._show_countdown()

    def _show_countdown(self) -> None:
        """The title's wait, in words, a second less; nothing is re-announced (a screen
        reader heard the wait when the problem appeared and hears the retry)."""
        error = self._context.error
        if error is not None:
            info = describe(
                error,
                self._context.config,
                seconds_left=self._remaining,
                failed_step=self._context.failed_step,
            )
            self.problem.update_text(info)

    def _announce(self) -> None:
        text = self.problem.announcement()
        self.setAccessibleDescription(text)
        self.problem.primary.setAccessibleDescription(text)

    def _on_action(self, action: str) -> None:
        self._timer.stop()
        self.action_requested.emit(action)
