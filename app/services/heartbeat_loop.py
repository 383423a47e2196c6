"""The ``heartbeat`` helper's schedule: beat, wait, beat again, until told to stop.

Qt-free and synchronous; the clock, the stop signal and the poll step are given, so the same
loop runs in the helper process (a steady clock that counts a computer's sleep) and in tests
(the stand-in's clock). The schedule:

- a beat at start, then one every ``plan.period`` seconds (a safe fraction of the interval);
- a failure the service may recover from (offline, 5xx, 429, a busy lock) is retried after
  2, 4, 8... seconds, never later than one period (a 429's wait is honoured within that), so
  failures never make the helper beat less often than the schedule;
- a beat answered "this computer is not on the license" (culled) activates it again with the
  stored key and device name; when that fails (no free seat, license not usable) the error
  ends the loop and the caller reports it with its exit code.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from app.domain.errors import (
    KeychainUnavailableError,
    LicenseInvalidError,
    NetworkError,
    RateLimitedError,
    ServerError,
    StorageError,
    WizardError,
)
from app.domain.models import ActivationRecord
from app.services.heartbeat import BeatPlan, HeartbeatService

log = logging.getLogger(__name__)

#: Failures the next attempt may not meet: retried with back-off, the loop goes on.
RETRYABLE = (NetworkError, ServerError, RateLimitedError, KeychainUnavailableError, StorageError)
FIRST_RETRY_SECONDS = 2.0
DEFAULT_POLL_SECONDS = 1.0
#: A wall clock that moved this much further than the monotonic one: the computer slept.
_SLEEP_JUMP_SECONDS = 2.0

Reactivate = Callable[[ActivationRecord, str], str]  # (record, key) -> the new machine id


class StopSignal:
    """Set once, from any thread or a signal handler; remembers why."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self.reason: str | None = None

    def stop(self, reason: str) -> None:
        if not self._event.is_set():
            self.reason = reason
            self._event.set()

    @property
    def stopped(self) -> bool:
        return self._event.is_set()

    def wait(self, seconds: float) -> bool:
        """Sleep up to ``seconds``; True as soon as the loop is told to stop."""
        return self._event.wait(max(0.0, seconds))


class SteadyClock:
    """Seconds that never run backwards and that count a computer's sleep.

    ``time.monotonic`` stops while a laptop sleeps on some systems, so an overdue beat would
    wait on after the lid opens; the wall clock jumps when the user sets it. This clock moves
    by the monotonic step, or by the wall clock's when that is clearly larger (slept).
    """

    def __init__(self) -> None:
        self._mono, self._wall, self._now = time.monotonic(), time.time(), 0.0

    def __call__(self) -> float:
        mono, wall = time.monotonic(), time.time()
        step_mono, step_wall = mono - self._mono, wall - self._wall
        step = step_wall if step_wall > step_mono + _SLEEP_JUMP_SECONDS else step_mono
        self._mono, self._wall, self._now = mono, wall, self._now + max(0.0, step)
        return self._now


@dataclass(frozen=True)
class BeatEvent:
    """One attempt: ``kind`` is "beat", "reactivated" or "retry"."""

    kind: str
    machine_id: str | None
    heartbeat_status: str | None
    next_in: float  # seconds until the next attempt
    failures: int  # failed attempts in a row (0 after a success)
    error: WizardError | None = None


def retry_delay(failures: int, error: WizardError, period: float) -> float:
    """2, 4, 8... seconds (a 429's own wait when longer), never more than one period."""
    delay = FIRST_RETRY_SECONDS * 2 ** (failures - 1)
    if isinstance(error, RateLimitedError):
        delay = max(delay, error.retry_after)
    return min(delay, period)


class HeartbeatLoop:
    """Runs the schedule above; ``run`` returns the stop reason or raises the error that
    ends it (not activated, not usable, no seat to come back to)."""

    def __init__(
        self,
        service: HeartbeatService,
        plan: BeatPlan,
        *,
        reactivate: Reactivate,
        stop: StopSignal,
        on_event: Callable[[BeatEvent], None],
        clock: Callable[[], float] | None = None,
        poll_seconds: float = DEFAULT_POLL_SECONDS,
    ) -> None:
        self._service = service
        self.plan = plan
        self._reactivate = reactivate
        self._stop = stop
        self._on_event = on_event
        self._clock = clock or SteadyClock()
        self._poll = poll_seconds

    def run(self) -> str | None:
        failures = 0
        next_due = self._clock()
        while not self._stop.stopped:
            now = self._clock()
            if now < next_due:
                self._stop.wait(min(next_due - now, self._poll))
                continue
            event = self._attempt(failures)
            failures = event.failures
            next_due = self._clock() + event.next_in
            self._on_event(event)
        return self._stop.reason

    def _attempt(self, failures: int) -> BeatEvent:
        period = self.plan.period
        try:
            record, key = self._service.current()  # the lock, for the read only
            try:
                machine = self._service.send(record, key)
            except LicenseInvalidError as exc:
                if exc.code != "FINGERPRINT_NOT_FOUND":
                    raise
                log.warning("machine %s is no longer on the license; activating again",
                            record.machine_id)  # fmt: skip
                machine_id = self._reactivate(record, key)
                return BeatEvent("reactivated", machine_id, None, period, 0)
        except RETRYABLE as exc:
            failures += 1
            delay = retry_delay(failures, exc, period)
            log.info("heartbeat failed (%s); retrying in %.0f s", exc.code, delay)
            return BeatEvent("retry", None, None, delay, failures, exc)
        status = machine.heartbeat_status if machine is not None else None
        return BeatEvent("beat", record.machine_id, status, period, 0)


__all__ = [
    "RETRYABLE",
    "BeatEvent",
    "HeartbeatLoop",
    "StopSignal",
    "SteadyClock",
    "retry_delay",
]
