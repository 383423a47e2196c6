"""Synchronous, Qt-free orchestration: activation, status, transfer, devices, heartbeat.

Importing this package loads the HTTP, keychain and crypto stack (through ``factory``). The
wizard therefore imports it only for annotations (``TYPE_CHECKING``) and builds the services
in its first worker (``app.ui.wiring``), after the window painted.
"""

from __future__ import annotations

from app.services.activation import ActivationOutcome, ActivationService
from app.services.devices import DevicesService, OwnMachineError
from app.services.factory import Services, build_services
from app.services.heartbeat import HeartbeatService, heartbeat_period, heartbeat_required
from app.services.offline import OfflineActivation, OfflineRequestInfo, OfflineService
from app.services.status import StatusReport, StatusService
from app.services.steps import Step, StepCallback, StepState
from app.services.transfer import TransferService

__all__ = [
    "ActivationOutcome",
    "ActivationService",
    "DevicesService",
    "HeartbeatService",
    "OfflineActivation",
    "OfflineRequestInfo",
    "OfflineService",
    "OwnMachineError",
    "Services",
    "StatusReport",
    "StatusService",
    "Step",
    "StepCallback",
    "StepState",
    "TransferService",
    "build_services",
    "heartbeat_period",
    "heartbeat_required",
]
