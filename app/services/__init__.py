"""Synchronous, Qt-free orchestration: activation, status, transfer, devices, heartbeat."""

from app.services.activation import ActivationOutcome, ActivationService
from app.services.devices import DevicesService, OwnMachineError
from app.services.factory import Services, build_services
from app.services.heartbeat import HeartbeatService, heartbeat_period, heartbeat_required
from app.services.status import StatusReport, StatusService
from app.services.steps import Step, StepCallback, StepState
from app.services.transfer import TransferService

__all__ = [
    "ActivationOutcome",
    "ActivationService",
    "DevicesService",
    "HeartbeatService",
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
