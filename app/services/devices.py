"""The license's devices through the vendor's relay: list them, free a seat."""

from __future__ import annotations

import logging
from collections.abc import Callable

from app.config import VendorConfig
from app.domain.errors import NotActivatedError, RelayNotConfiguredError
from app.domain.license_key import normalise_key
from app.domain.models import DeviceList, LicenseView, Machine
from app.platform.fingerprint import fingerprint
from app.services.ports import DeviceRelay, KeyStore, RecordStore

log = logging.getLogger(__name__)


class OwnMachineError(ValueError):
    """Asked to deactivate this computer's own machine here; TransferService does that."""


class DevicesService:
    def __init__(
        self,
        config: VendorConfig,
        relay_factory: Callable[[], DeviceRelay] | None,
        secrets: KeyStore,
        store: RecordStore,
    ) -> None:
        self.config = config
        self._relay_factory = relay_factory
        self._relay: DeviceRelay | None = None
        self._secrets = secrets
        self._store = store

    @property
    def relay_configured(self) -> bool:
        return self._relay_factory is not None

    @property
    def this_fingerprint(self) -> str:
        """For marking "This computer" in the list."""
        return fingerprint(self.config.app_id)

    @property
    def this_machine_id(self) -> str | None:
        record = self._store.load()
        return record.machine_id if record else None

    def is_this_computer(self, machine: Machine) -> bool:
        if machine.fingerprint:
            return machine.fingerprint == self.this_fingerprint
        return machine.id == self.this_machine_id

    def list(self, key: str | None = None) -> DeviceList:
        """The license's machines (``key`` defaults to the stored key)."""
        return self._client().list_devices(self._key(key))

    def license_view(self, key: str | None = None) -> LicenseView:
        """The license as the relay shows its owner: seats, check-in policy, offline policy."""
        return self._client().license_view(self._key(key))

    def deactivate(self, machine_id: str, key: str | None = None) -> None:
        """Free the seat of another computer. This computer's own machine is refused."""
        if machine_id == self.this_machine_id:
            raise OwnMachineError("this computer's machine is deactivated by TransferService")
        self._client().deactivate_device(self._key(key), machine_id)
        log.info("machine %s deactivated through the relay", machine_id)

    def close(self) -> None:
        if self._relay is not None:
            self._relay.close()
            self._relay = None

    def _client(self) -> DeviceRelay:
        if self._relay_factory is None:
            raise RelayNotConfiguredError("no relay_url in the vendor configuration")
        if self._relay is None:
            self._relay = self._relay_factory()
        return self._relay

    def _key(self, key: str | None) -> str:
        if key:
            return normalise_key(key, self.config.key_rule)
        stored = self._secrets.load()
        if not stored:
            raise NotActivatedError("no license key is stored on this computer")
        return stored
