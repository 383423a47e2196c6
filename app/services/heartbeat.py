"""Heartbeats for policies that require them: one ping now, and how often to repeat it.

The ``heartbeat`` helper repeats the ping (``heartbeat_loop``); the wizard sends one at
activation and on reopen. Reading the stored activation takes the activation lock only for
the read itself, never across a request.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from app.config import VendorConfig
from app.domain.errors import LicenseInvalidError, NotActivatedError, NotFoundError
from app.domain.models import ActivationRecord, LicenseView, Machine, ValidationResult
from app.services.locking import activation_lock
from app.services.ports import KeyStore, LicensingClient, RecordStore

log = logging.getLogger(__name__)

#: Never wait longer than this between heartbeats, whatever the policy's interval.
MAX_PERIOD_SECONDS = 300.0
MIN_PERIOD_SECONDS = 30.0
#: How long a heartbeat waits for the activation lock before it counts as a failed attempt.
LOCK_WAIT_SECONDS = 5.0


def heartbeat_required(
    validation: ValidationResult | None,
    view: LicenseView | None = None,
    vendor_minutes: float | None = None,
) -> bool:
    """Whether this license needs check-ins. validate-key never says so in advance (only
    ``HEARTBEAT_REQUIRED`` once one is due); the relay's license view (the policy's
    ``requireHeartbeat``) or the vendor's ``heartbeat_minutes`` setting do."""
    if validation is not None and validation.code == "HEARTBEAT_REQUIRED":
        return True
    return bool(view is not None and view.require_heartbeat) or vendor_minutes is not None


def check_in_minutes(view: LicenseView | None, vendor_minutes: float | None) -> float | None:
    """The check-in interval in minutes (the policy's, else the vendor's); None: unknown."""
    minutes = view.heartbeat_interval_minutes if view is not None else None
    return minutes or vendor_minutes


def period_for(interval_minutes: float | None) -> float:
    """Seconds between heartbeats for an interval: min(5 min, half of it), at least 30 s;
    5 minutes when the interval is unknown (Licentric's default interval is 60 minutes)."""
    if not interval_minutes:
        return MAX_PERIOD_SECONDS
    return max(MIN_PERIOD_SECONDS, min(MAX_PERIOD_SECONDS, interval_minutes * 60 / 2))


def heartbeat_period(
    validation: ValidationResult | None,
    view: LicenseView | None = None,
    vendor_minutes: float | None = None,
) -> float | None:
    """Seconds between heartbeats: min(5 min, half the interval); None when not required."""
    if not heartbeat_required(validation, view, vendor_minutes):
        return None
    return period_for(check_in_minutes(view, vendor_minutes))


@dataclass(frozen=True)
class BeatPlan:
    """How often the helper beats and where the interval came from."""

    period: float  # seconds between heartbeats
    interval_minutes: float | None  # the policy's interval, when known
    source: str  # "relay", "config" or "default"
    required: bool | None  # does the policy require heartbeats? None: not known


def plan_beats(config: VendorConfig, view: LicenseView | None) -> BeatPlan:
    """The interval from the relay's license view (the policy itself), else the vendor's
    ``heartbeat_minutes``, else the default (validate-key never tells the interval)."""
    if view is not None and (view.heartbeat_interval_minutes or not view.require_heartbeat):
        minutes = view.heartbeat_interval_minutes
        return BeatPlan(period_for(minutes), minutes, "relay", view.require_heartbeat)
    required = view.require_heartbeat if view is not None else None
    if config.heartbeat_minutes:
        minutes = config.heartbeat_minutes
        return BeatPlan(period_for(minutes), minutes, "config", required)
    return BeatPlan(period_for(None), None, "default", required)


class HeartbeatService:
    """Sends the stored activation's heartbeat (the UI and the helper repeat it)."""

    def __init__(
        self,
        client: LicensingClient,
        secrets: KeyStore,
        store: RecordStore,
        data_dir: Path | None = None,
    ) -> None:
        self._client = client
        self._secrets = secrets
        self._store = store
        self._data_dir = Path(data_dir) if data_dir is not None else None
        self._key: tuple[str, str] | None = None  # (masked key of the record, the key)

    def heartbeat_once(self) -> Machine | None:
        """Ping once for the stored activation. NotActivatedError without one;
        LicenseInvalidError(FINGERPRINT_NOT_FOUND) when the server culled the machine."""
        record, key = self.current()
        return self.send(record, key)

    def send(self, record: ActivationRecord, key: str) -> Machine | None:
        """The ping for ``record`` (no lock held: the request may take a while)."""
        return beat(self._client, key, record.machine_id)

    def current(self) -> tuple[ActivationRecord, str]:
        """The stored activation and its key, read under the activation lock (held for the
        read only). The key is read from the keychain once per license, not per beat."""
        if self._data_dir is None or not os.access(self._data_dir, os.W_OK):
            return self._read()  # nothing to lock (or a folder only an administrator writes)
        with activation_lock(self._data_dir, wait=LOCK_WAIT_SECONDS):
            return self._read()

    def _read(self) -> tuple[ActivationRecord, str]:
        record = self._store.load()
        if record is None:
            raise NotActivatedError("no stored activation to send a heartbeat for")
        if self._key is None or self._key[0] != record.key_masked:
            key = self._secrets.load()
            if not key:
                raise NotActivatedError("no stored license key to send a heartbeat with")
            self._key = (record.key_masked, key)
        return record, self._key[1]


def beat(client: LicensingClient, key: str, machine_id: str) -> Machine | None:
    """One heartbeat; a 404 means the machine was culled or deactivated elsewhere."""
    try:
        machine = client.heartbeat(key, machine_id)
    except NotFoundError as exc:
        raise LicenseInvalidError("FINGERPRINT_NOT_FOUND", None, "machine is gone") from exc
    log.info("heartbeat sent for machine %s", machine_id)
    return machine
