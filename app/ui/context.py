"""What the wizard's pages share: config, services, and the activation being built."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.config import VendorConfig
from app.domain.errors import WizardError
from app.domain.models import DeviceIdentity


@dataclass
class WizardContext:
    """One per wizard. Held here rather than in QWizard fields so that restarting the wizard
    at another page (retry, re-enter key) keeps what the user already typed."""

    config: VendorConfig
    services: Any  # app.services.factory.Services (kept untyped: ui may not import its deps)
    demo_keys: dict[str, str] = field(default_factory=dict)  # plain label -> key
    key: str = ""
    device_name: str = ""
    identity: DeviceIdentity | None = None
    outcome: Any = None  # ActivationOutcome of the last successful activation
    error: WizardError | None = None  # the problem of the last failed activation
    attempts: int = 0  # how many activations ran (automatic retries included)

    def clear_result(self) -> None:
        self.outcome = None
        self.error = None
