"""Plain data the layers pass around: licenses, machines, devices and the stored activation."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class Platform(StrEnum):
    """The documented machine platform enum (spec 5.1)."""

    MACOS = "macos"
    WINDOWS = "windows"
    LINUX = "linux"
    DOCKER = "docker"
    KUBERNETES = "kubernetes"


@dataclass(frozen=True)
class LicenseSummary:
    """The reduced license of a validate-key answer: what the public endpoint gives (the SDK's
    model), nothing more. Seats, licensee and policy come from the relay's LicenseView."""

    id: str
    status: str
    name: str | None = None
    expires_at: datetime | None = None
    uses_count: int | None = None


@dataclass(frozen=True)
class MachineSummary:
    id: str
    fingerprint: str | None = None
    name: str | None = None
    heartbeat_status: str | None = None


@dataclass(frozen=True)
class ValidationResult:
    valid: bool
    code: str
    license: LicenseSummary | None = None
    machine: MachineSummary | None = None
    entitlements: tuple[str, ...] = ()
    server_time: datetime | None = None
    entitlements_known: bool = True  # False: an old offline file that lists none


@dataclass(frozen=True)
class Machine:
    """A machine as activation or the relay returns it."""

    id: str
    license_id: str | None = None
    fingerprint: str | None = None
    name: str | None = None
    platform: str | None = None
    hostname: str | None = None
    heartbeat_status: str | None = None
    created_at: datetime | None = None
    last_heartbeat_at: datetime | None = None


@dataclass(frozen=True)
class DeviceList:
    """The license's machines as the relay lists them, with the seat count."""

    devices: tuple[Machine, ...]
    max_machines: int | None
    machine_count: int


@dataclass(frozen=True)
class LicenseView:
    """The license as its owner sees it through the relay (``GET /v1/license``)."""

    license_id: str
    status: str
    name: str | None
    expires_at: datetime | None
    licensee_name: str | None
    licensee_email: str | None
    seats_used: int
    seats_total: int | None  # None: no seat limit
    require_heartbeat: bool
    heartbeat_interval_minutes: int | None
    offline_allowed: bool
    offline_max_days: int | None


@dataclass(frozen=True)
class DeviceIdentity:
    """What this computer sends when it activates."""

    fingerprint: str
    name: str
    platform: Platform
    hostname: str
    virtualization: str | None = None  # "container", "vm" or None


@dataclass
class ActivationRecord:
    """The local record of an activation; written only after the server confirmed it."""

    license_id: str
    machine_id: str
    fingerprint: str
    device_name: str
    key_masked: str
    api_url: str
    activated_at: str
    last_validation: dict[str, Any] = field(default_factory=dict)
    last_validated_at: str | None = None  # server time of the last good validation (ISO)
    # "keychain", "file", "machine file" (machine-wide: a file only administrators can read),
    # or "none" (activated offline, no key)
    key_storage: str = "keychain"
    # Activated without internet: the relay-signed license file, verified on every check.
    offline_license: str | None = None
    # The latest time this computer has seen (ISO): a clock set back never extends the file.
    latest_seen_at: str | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ActivationRecord:
        known = {f for f in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in data.items() if k in known})
