"""What the wizard's pages share: config, services, and the activation being built."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from app.config import VendorConfig
from app.domain.errors import WizardError

if TYPE_CHECKING:  # annotations only: keeps the models off the UI start-up path
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
    failed_step: str | None = None  # the activation step that failed last ("activate"...)
    attempts: int = 0  # how many activations ran (automatic retries included)

    def service_call(self, path: str) -> Callable[..., Any]:
        """``services.<path>`` as a callable that looks the method up when called, in the
        worker: the services are built lazily, and that must not happen on the UI thread."""

        def call(*args: Any, **kwargs: Any) -> Any:
            target = self.services
            for part in path.split("."):
                target = getattr(target, part)
            return target(*args, **kwargs)

        return call

    def clear_result(self) -> None:
        self.outcome = None
        self.error = None
        self.failed_step = None
