"""The activating page: runs the activation in a worker and ticks off its steps."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWizard, QWizardPage

from app.domain.cancel import CancelToken
from app.domain.errors import CancelledError, WizardError
from app.domain.steps import Step, StepState
from app.i18n import N_, _
from app.ui.context import WizardContext
from app.ui.widgets import wrapping_label
from app.ui.workers import ServiceWorker, run_in_worker

if TYPE_CHECKING:  # annotations only: the services load in the first worker
    from app.services import ActivationOutcome

log = logging.getLogger(__name__)

STEP_TEXT = {
    Step.CHECK_KEY: N_("Check your license key"),
    Step.ACTIVATE: N_("Register this computer"),
    Step.HEARTBEAT: N_("Tell the service this computer is in use"),
    Step.CONFIRM: N_("Confirm the license"),
    Step.SAVE: N_("Save the activation on this computer"),
}
# A glyph for the eye and a word for screen readers, per state.
_MARKS = {
    None: ("○", N_("waiting")),
    StepState.STARTED: ("➜", N_("in progress")),
    StepState.DONE: ("✓", N_("done")),
    StepState.SKIPPED: ("–", N_("not needed")),
    StepState.FAILED: ("✗", N_("did not work")),
}


class ActivatingPage(QWizardPage):
    """Commit page: no way back once it ran. ``finished`` fires when the worker ended."""

    finished = Signal()

    def __init__(self, context: WizardContext) -> None:
        super().__init__()
        self._context = context
        self._token: CancelToken | None = None
        self._worker: ServiceWorker | None = None
        self._done = False
        self.setTitle(_("Activating"))
        self.setSubTitle(
            _("Activating {product} on this computer.").format(product=context.config.product_name)
        )
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, _("&Next"))
        self._marks: dict[Step, QLabel] = {}
        self._texts: dict[Step, QLabel] = {}
        self.note = wrapping_label("", selectable=True)
        self._lay_out()

    def _lay_out(self) -> None:
        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        for row, step in enumerate(Step):
            mark = QLabel()
            text = wrapping_label(_(STEP_TEXT[step]))
            self._marks[step], self._texts[step] = mark, text
            grid.addWidget(mark, row, 0)
            grid.addWidget(text, row, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addSpacing(12)
        layout.addWidget(self.note)
        layout.addStretch(1)

    # --- wizard hooks -------------------------------------------------------------------

    def initializePage(self) -> None:  # noqa: N802 - Qt override
        self._done = False
        for step in Step:
            self._mark(step, None)
        self.note.setText(_("You can cancel at any time; nothing is kept unless it all works."))
        self._start()

    def isComplete(self) -> bool:  # noqa: N802 - Qt override
        return self._done

    @property
    def running(self) -> bool:
        return self._worker is not None

    def request_cancel(self) -> bool:
        """Ask the activation to stop; True when one was running (``finished`` will follow)."""
        if self._token is None or self._worker is None:
            return False
        self._token.cancel()
        self.note.setText(_("Stopping… Anything already done is being undone."))
        return True

    # --- the activation -----------------------------------------------------------------

    def _start(self) -> None:
        ctx = self._context
        ctx.clear_result()
        ctx.attempts += 1
        services, key, name = ctx.services, ctx.key, ctx.device_name or None
        scope = "machine" if ctx.machine_wide else "user"
        self._token = token = CancelToken()

        def activate(on_step: Any) -> ActivationOutcome:
            services.use_scope(scope)  # this user's own activation, or every user's
            return services.activation.activate(key, name, on_step=on_step, cancel=token)

        self._worker = run_in_worker(
            activate,
            name="activation.activate",
            progress_kwarg="on_step",
            on_progress=self._on_step,
            on_finished=self._on_finished,
            on_failed=self._on_failed,
            context=self,
        )

    def _on_step(self, event: Any) -> None:
        step, state = event
        if StepState(state) is StepState.FAILED:
            self._context.failed_step = str(Step(step).value)
        self._mark(Step(step), StepState(state))

    def _on_finished(self, outcome: ActivationOutcome) -> None:
        self._context.outcome = outcome
        self._end()

    def _on_failed(self, error: WizardError) -> None:
        if not isinstance(error, CancelledError):
            log.info("activation failed: %r", error)
        self._context.error = error
        self._end()

    def _end(self) -> None:
        self._worker = None
        self._token = None
        self._done = True
        self.completeChanged.emit()
        self.finished.emit()
        # Leave the slot before switching pages: the wizard may restart or close on this.
        QTimer.singleShot(0, self._advance)

    def _advance(self) -> None:
        wizard = self.wizard()
        cancelled = isinstance(self._context.error, CancelledError)
        if wizard is not None and wizard.currentPage() is self and not cancelled:
            wizard.next()

    def _mark(self, step: Step, state: StepState | None) -> None:
        glyph, word = _MARKS[state]
        self._marks[step].setText(glyph)
        # Translators: a step of the activation and its state, for screen readers.
        self._texts[step].setAccessibleName(
            _("{step}: {state}").format(step=_(STEP_TEXT[step]), state=_(word))
        )
        font = self._texts[step].font()
        font.setBold(state is StepState.STARTED)
        self._texts[step].setFont(font)
        self._texts[step].setEnabled(state is not StepState.SKIPPED)
