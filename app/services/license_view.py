"""The owner's view of the license (seats, licensee, check-in and offline policy) from the
vendor relay's ``GET /v1/license``, when a relay is configured.

validate-key gives only the reduced license, so these facts exist only through the relay. The
view is best effort: a relay that cannot answer leaves the facts out, it never turns a good
activation or status into a failure.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from app.domain.errors import WizardError
from app.domain.models import LicenseView

if TYPE_CHECKING:
    from app.services.devices import DevicesService

log = logging.getLogger(__name__)


class LicenseViewSource:
    """LicenseView through the devices service's relay client; None when it can't tell."""

    def __init__(self, devices: DevicesService | None) -> None:
        self._devices = devices

    def fetch(self, key: str) -> LicenseView | None:
        if self._devices is None or not self._devices.relay_configured:
            return None
        try:
            return self._devices.license_view(key)
        except WizardError as exc:
            log.info("the relay's license view is unavailable (%s); its facts are left out",
                     exc.code)  # fmt: skip
            return None
