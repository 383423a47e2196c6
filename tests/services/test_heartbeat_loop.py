"""HeartbeatLoop on virtual time (its clock and waits given by the test) against the real
stand-in over HTTP: the schedule, back-off that keeps it, re-activation, the plan."""

from __future__ import annotations

import pytest

from app.domain.errors import MachineLimitError, NetworkError, RateLimitedError
from app.domain.models import LicenseView
from app.services.heartbeat import plan_beats
from app.services.heartbeat_helper import helper_loop, helper_plan
from app.services.heartbeat_loop import BeatEvent, StopSignal, retry_delay
from tests.cli.heartbeat_support import machine, make_license
from tests.services.support import make_config


class VirtualTime(StopSignal):
    """The loop's clock and its waits: waiting moves the clock on at once."""

    def __init__(self) -> None:
        super().__init__()
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def wait(self, seconds: float) -> bool:
        self.now += max(0.0, seconds)
        return self.stopped


def _run(services, events_wanted: int, time: VirtualTime | None = None) -> list[tuple]:
    time = time or VirtualTime()
    seen: list[tuple[float, BeatEvent]] = []

    def on_event(event: BeatEvent) -> None:
        seen.append((time.now, event))
        if len(seen) >= events_wanted:
            time.stop("enough")

    plan = helper_plan(services)
    loop = helper_loop(services, plan, stop=time, on_event=on_event, clock=time, poll_seconds=5)
    assert loop.run() == "enough"
    return seen


def test_beats_every_period_and_retries_within_it(services, standin):
    services.activation.activate(make_license(standin), "PC")
    standin.add_fault("heartbeat", "rate_limit", count=2, retryAfter=20)  # over the wait cap
    seen = _run(services, 5)
    kinds = [event.kind for _, event in seen]
    assert kinds == ["retry", "retry", "beat", "beat", "beat"]
    assert all(isinstance(event.error, RateLimitedError) for _, event in seen[:2])
    times = [at for at, _ in seen]
    assert [round(b - a) for a, b in zip(times, times[1:], strict=False)] == [20, 20, 300, 300]
    # no heartbeat_minutes, no relay, the validation does not say: Licentric's 60-minute default


def test_the_vendor_setting_gives_the_period(services, standin):
    services.config = make_config(standin, heartbeat_minutes=1)
    services.use_scope("user")
    services.activation.activate(make_license(standin), "PC")
    times = [at for at, _ in _run(services, 3)]
    assert [round(b - a) for a, b in zip(times, times[1:], strict=False)] == [30, 30]


def test_a_culled_machine_comes_back_on_a_free_seat(services, standin):
    outcome = services.activation.activate(make_license(standin), "PC")
    standin.advance_clock(61)
    seen = _run(services, 2)
    assert [event.kind for _, event in seen] == ["reactivated", "beat"]
    new_id = seen[0][1].machine_id
    assert new_id != outcome.record.machine_id and seen[1][1].machine_id == new_id
    assert machine(standin, new_id)["heartbeatStatus"] == "ALIVE"


def test_no_free_seat_ends_the_loop(services, standin):
    key = make_license(standin, max_machines=1)
    services.activation.activate(key, "PC")
    standin.advance_clock(61)
    standin.add_fault("activate", "status", status=422, code="MACHINE_LIMIT_EXCEEDED")
    with pytest.raises(MachineLimitError):
        _run(services, 1)


def test_retry_delay_doubles_and_never_passes_the_period():
    offline = NetworkError("offline")
    assert [retry_delay(n, offline, 30) for n in range(1, 6)] == [2, 4, 8, 16, 30]
    assert retry_delay(1, RateLimitedError(retry_after=12), 30) == 12
    assert retry_delay(1, RateLimitedError(retry_after=500), 30) == 30


def test_plan_prefers_the_relay_then_the_vendor_setting(standin):
    view = LicenseView("l", "ACTIVE", None, None, None, None, 1, 3, True, 1, False, None)
    config = make_config(standin, heartbeat_minutes=20)
    assert plan_beats(config, view).source == "relay"
    assert plan_beats(config, view).period == 30
    plan = plan_beats(config, None)
    assert (plan.source, plan.period, plan.interval_minutes) == ("config", 300, 20)
    assert plan_beats(make_config(standin), None).source == "default"
