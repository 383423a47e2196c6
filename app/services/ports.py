"""What the services need from the API client and the local stores (structural types)."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from app.domain.cancel import CancelToken
from app.domain.models import (
    ActivationRecord,
    DeviceIdentity,
    DeviceList,
    LicenseView,
    Machine,
    ValidationResult,
)


class LicensingClient(Protocol):
    last_server_time: datetime | None

    def validate_key(
        self,
        key: str,
        fingerprint: str | None = None,
        entitlements: tuple[str, ...] | list[str] = (),
        *,
        license_id: str | None = None,
        cancel: CancelToken | None = None,
    ) -> ValidationResult: ...

    def activate(
        self, key: str, identity: DeviceIdentity, *, cancel: CancelToken | None = None
    ) -> Machine: ...

    def deactivate(
        self, key: str, machine_id: str, *, cancel: CancelToken | None = None
    ) -> None: ...

    def heartbeat(
        self, key: str, machine_id: str, *, cancel: CancelToken | None = None
    ) -> Machine | None: ...

    def close(self) -> None: ...


class DeviceRelay(Protocol):
    def license_view(self, key: str) -> LicenseView: ...

    def list_devices(self, key: str) -> DeviceList: ...

    def deactivate_device(self, key: str, machine_id: str) -> None: ...

    def close(self) -> None: ...


class KeyStore(Protocol):
    def save(self, key: str) -> str: ...

    def load(self) -> str | None: ...

    def delete(self) -> None: ...


class RecordStore(Protocol):
    def load(self) -> ActivationRecord | None: ...

    def save(self, record: ActivationRecord) -> None: ...

    def clear(self) -> None: ...

    def check_writable(self) -> None: ...
