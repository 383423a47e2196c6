"""The ``heartbeat`` helper put together from the services: its plan and its loop.

The plan asks the relay for the policy's interval when one is configured (``GET
/v1/license``); the loop activates a culled computer again with the stored key and device
name through the ordinary activation flow (which takes a seat only when one is free).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from app.domain.errors import WizardError
from app.domain.models import ActivationRecord
from app.services.heartbeat import BeatPlan, plan_beats
from app.services.heartbeat_loop import DEFAULT_POLL_SECONDS, BeatEvent, HeartbeatLoop, StopSignal

if TYPE_CHECKING:
    from app.services.factory import Services

log = logging.getLogger(__name__)


def helper_plan(services: Services) -> BeatPlan:
    """How often to beat for the stored activation (NotActivatedError without one)."""
    record, key = services.heartbeat.current()
    view = None
    if services.devices.relay_configured:
        try:
            view = services.devices.license_view(key)
        except WizardError as exc:  # the vendor setting or the default stands in
            log.warning("the relay did not tell the check-in interval: %s", exc.code)
    return plan_beats(services.config, view)


def helper_loop(
    services: Services,
    plan: BeatPlan,
    *,
    stop: StopSignal,
    on_event: Callable[[BeatEvent], None],
    clock: Callable[[], float] | None = None,
    poll_seconds: float = DEFAULT_POLL_SECONDS,
) -> HeartbeatLoop:
    def reactivate(record: ActivationRecord, key: str) -> str:
        outcome = services.activation.activate(key, record.device_name)
        log.info("activated again as machine %s", outcome.record.machine_id)
        return outcome.record.machine_id

    return HeartbeatLoop(
        services.heartbeat, plan, reactivate=reactivate, stop=stop, on_event=on_event,
        clock=clock, poll_seconds=poll_seconds,
    )  # fmt: skip


__all__ = ["helper_loop", "helper_plan"]
