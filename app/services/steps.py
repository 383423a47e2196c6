"""How the activation service reports its progress steps (the steps: ``app.domain.steps``)."""

from __future__ import annotations

from app.domain.steps import Step, StepCallback, StepState

__all__ = ["Step", "StepCallback", "StepReporter", "StepState"]


class StepReporter:
    """Wraps an optional callback; remembers the step in progress so a failure can name it."""

    def __init__(self, callback: StepCallback | None) -> None:
        self._callback = callback
        self.current: Step | None = None
        self.history: list[tuple[Step, StepState]] = []

    def start(self, step: Step) -> None:
        self.current = step
        self._emit(step, StepState.STARTED)

    def done(self, step: Step) -> None:
        self.current = None
        self._emit(step, StepState.DONE)

    def skip(self, step: Step) -> None:
        self._emit(step, StepState.SKIPPED)

    def fail(self) -> None:
        """Mark the step in progress (if any) as failed; called once by the service on error."""
        if self.current is not None:
            step, self.current = self.current, None
            self._emit(step, StepState.FAILED)

    def _emit(self, step: Step, state: StepState) -> None:
        self.history.append((step, state))
        if self._callback is not None:
            self._callback(step, state)
