"""The progress steps of an activation and how the service reports them (no Qt)."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum


class Step(StrEnum):
    """The lines of the progress page, in the order they run."""

    CHECK_KEY = "check_key"
    ACTIVATE = "activate"
    HEARTBEAT = "heartbeat"
    CONFIRM = "confirm"
    SAVE = "save"


class StepState(StrEnum):
    """What happened to a step: each step is reported ``STARTED`` then one of the others,
    or only ``SKIPPED`` when the flow does not need it."""

    STARTED = "started"
    DONE = "done"
    SKIPPED = "skipped"
    FAILED = "failed"


#: ``on_step(step, state)``; called on the worker thread, so UI code must marshal it.
StepCallback = Callable[[Step, StepState], None]


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
