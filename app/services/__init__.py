"""Synchronous, Qt-free orchestration: activation, status, transfer, devices, heartbeat.

Names are loaded on first use (PEP 562), so importing a light module such as
``app.services.steps`` does not pull in the HTTP and keychain stack: the wizard paints its
window before that stack is loaded.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "ActivationOutcome": "activation",
    "ActivationService": "activation",
    "DevicesService": "devices",
    "OwnMachineError": "devices",
    "Services": "factory",
    "build_services": "factory",
    "HeartbeatService": "heartbeat",
    "heartbeat_period": "heartbeat",
    "heartbeat_required": "heartbeat",
    "StatusReport": "status",
    "StatusService": "status",
    "Step": "steps",
    "StepCallback": "steps",
    "StepState": "steps",
    "TransferService": "transfer",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'app.services' has no attribute {name!r}")
    return getattr(importlib.import_module(f"app.services.{module}"), name)
