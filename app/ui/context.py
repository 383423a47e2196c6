"""What the wizard's pages share: config, services, and the activation being built."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from app.config import VendorConfig
from app.domain.errors import WizardError

if TYPE_CHECKING:  # annotations only: the services and models load in the first worker
    from app.domain.models import DeviceIdentity
    from app.services import ActivationOutcome, OfflineActivation, Services


@dataclass
class WizardContext:
    """One per wizard. Held here rather than in QWizard fields so that restarting the wizard
    at another page (retry, re-enter key) keeps what the user already typed.

    ``services`` is built on first attribute access (``app.ui.wiring.LazyServices``), which
    loads the HTTP and keychain stack: pages touch ``services.<service>`` only inside the
    callables they hand to ``run_in_worker``, never on the UI thread.
    """

    config: VendorConfig
    services: Services
    demo_keys: dict[str, str] = field(default_factory=dict)  # plain label -> key
    key: str = ""
    device_name: str = ""
    identity: DeviceIdentity | None = None
    outcome: ActivationOutcome | None = None  # the last successful activation
    offline: OfflineActivation | None = None  # a license file loaded (activated offline)
    error: WizardError | None = None  # the problem of the last failed activation
    failed_step: str | None = None  # the activation step that failed last ("activate"...)
    attempts: int = 0  # how many activations ran (automatic retries included)
    machine_wide: bool = False  # activate for every user (offered when run as administrator)
    proxy_user: str = ""  # the proxy user name typed last (the password is never kept here)

    @property
    def offline_possible(self) -> bool:
        """Activating without internet is set up: the vendor's key checks the files."""
        return bool(self.config.public_key)

    def clear_result(self) -> None:
        self.outcome = None
        self.offline = None
        self.error = None
        self.failed_step = None
