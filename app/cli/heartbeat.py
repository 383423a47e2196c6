"""``activation-wizard heartbeat``: the check-in helper a product starts next to itself.

Runs until its parent process ends (``--parent-pid``, default the process that started it),
or until SIGTERM / Ctrl+C (then exit 0), printing one line per attempt (one JSON object per
line with ``--json``: ``started``, ``beat``, ``retry``, ``reactivated``, ``stopped``). It
ends with a problem's exit code when it cannot go on: 8 nothing activated, 4 dropped and no
seat free, 5 license no longer usable. A network outage never ends it: it retries.
"""

from __future__ import annotations

import argparse
import signal
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from app.cli.output import Output
from app.domain.errors import WizardError
from app.i18n import _
from app.platform.parent import parent_watch
from app.presentation.words import format_duration, iso

if TYPE_CHECKING:
    from app.services import Services
    from app.services.heartbeat import BeatPlan
    from app.services.heartbeat_loop import BeatEvent, StopSignal

#: Stop reasons in the ``stopped`` line.
PARENT_EXITED = "parent-exited"
SIGNALLED = "signal"


def heartbeat_command(services: Services, args: argparse.Namespace, out: Output,
                      _key: str | None) -> int:  # fmt: skip
    from app.services.heartbeat_helper import helper_loop, helper_plan
    from app.services.heartbeat_loop import StopSignal

    poll = max(0.05, float(args.poll_seconds))
    alive = parent_watch(args.parent_pid)  # before anything slow: the parent may end early
    stop = StopSignal()
    restore = _stop_on_signals(stop)
    try:
        plan = helper_plan(services)
        loop = helper_loop(
            services, plan, stop=stop, on_event=lambda event: _report(out, event),
            clock=_clock_at(args.clock_url), poll_seconds=poll,
        )  # fmt: skip
        _started(out, plan, args.parent_pid)
        threading.Thread(target=_watch, args=(alive, stop, poll), daemon=True).start()
        reason = loop.run()
    except WizardError as exc:
        return out.failure(exc, {"event": "stopped", "reason": "error"})
    finally:
        stop.stop("done")  # ends the watcher
        restore()
    message = _("Stopped sending check-ins.")
    return out.success("STOPPED", message, {"event": "stopped", "reason": reason}, [message])


def _started(out: Output, plan: BeatPlan, parent_pid: int | None) -> None:
    text = _("Sending check-ins every {duration} while the product runs.")
    message = text.format(duration=format_duration(plan.period))
    fields: dict[str, Any] = {
        "ok": True,
        "code": "STARTED",
        "event": "started",
        "message": message,
        "periodSeconds": plan.period,
        "intervalMinutes": plan.interval_minutes,
        "intervalSource": plan.source,
        "heartbeatRequired": plan.required,
        "parentPid": parent_pid,
    }
    out.event(fields, message)


def _report(out: Output, event: BeatEvent) -> None:
    now = datetime.now(UTC)
    fields: dict[str, Any] = {
        "event": event.kind,
        "at": iso(now),
        "machineId": event.machine_id,
        "nextInSeconds": round(event.next_in, 3),
    }
    if event.error is not None:
        message = out.explain(event.error)
        payload = {"ok": False, "code": event.error.code, "message": message, **fields,
                   "failures": event.failures}  # fmt: skip
        line = _("{message} Trying again in {duration}.")
        out.event(payload, line.format(message=message, duration=format_duration(event.next_in)))
        return
    if event.kind == "reactivated":
        message = _("This computer had been dropped from the license; it is activated again.")
        out.event({"ok": True, "code": "REACTIVATED", "message": message, **fields}, message)
        return
    message = _("Checked in with the licensing service.")
    payload = {"ok": True, "code": "OK", "message": message, **fields,
               "heartbeatStatus": event.heartbeat_status}  # fmt: skip
    line = _("Checked in at {time}; next in {duration}.")
    when, duration = now.astimezone().strftime("%H:%M:%S"), format_duration(event.next_in)
    out.event(payload, line.format(time=when, duration=duration))


def _watch(alive: Callable[[], bool], stop: StopSignal, poll: float) -> None:
    while not stop.wait(poll):
        if not alive():
            stop.stop(PARENT_EXITED)
            return


def _stop_on_signals(stop: StopSignal) -> Callable[[], None]:
    """SIGTERM, Ctrl+C (and Ctrl+Break on Windows) end the loop cleanly; returns the undo."""
    names = ("SIGTERM", "SIGINT", "SIGBREAK", "SIGHUP")
    wanted = [getattr(signal, name) for name in names if hasattr(signal, name)]
    previous: dict[int, Any] = {}
    for number in wanted:
        try:
            previous[number] = signal.signal(number, lambda *_args: stop.stop(SIGNALLED))
        except ValueError:  # not the main thread (an in-process caller): its own business
            break

    def restore() -> None:
        for number, handler in previous.items():
            signal.signal(number, handler)

    return restore


def _clock_at(url: str | None) -> Callable[[], float] | None:
    """Tests only (hidden ``--clock-url``): the schedule follows the stand-in's clock, which
    the tests move on, instead of this computer's (None: the real steady clock)."""
    if not url:
        return None
    import httpx

    def now() -> float:
        response = httpx.get(url, timeout=5, trust_env=False)
        response.raise_for_status()
        return float(response.json()["now"])

    return now


__all__ = ["heartbeat_command"]
