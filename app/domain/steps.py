"""The steps of an activation and their states: the words the activation service reports in
and the progress page shows (pure; the reporting itself is ``app.services.steps``)."""

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
