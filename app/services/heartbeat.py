"""Heartbeats for policies that require them: one ping now, and how often to repeat it."""

from __future__ import annotations

import logging

from app.domain.errors import LicenseInvalidError, NotActivatedError, NotFoundError
from app.domain.models import Machine, ValidationResult
from app.services.ports import KeyStore, LicensingClient, RecordStore

log = logging.getLogger(__name__)

#: Never wait longer than this between heartbeats, whatever the policy's interval.
MAX_PERIOD_SECONDS = 300.0
MIN_PERIOD_SECONDS = 30.0


def heartbeat_required(validation: ValidationResult | None) -> bool:
    if validation is None:
        return False
    lic = validation.license
    return validation.code == "HEARTBEAT_REQUIRED" or bool(lic and lic.require_heartbeat)


def heartbeat_period(validation: ValidationResult | None) -> float | None:
    """Seconds between heartbeats: min(5 min, half the interval); None when not required."""
    if not heartbeat_required(validation):
        return None
    assert validation is not None
    minutes = validation.license.heartbeat_interval_minutes if validation.license else None
    if not minutes:
        return MAX_PERIOD_SECONDS
    return max(MIN_PERIOD_SECONDS, min(MAX_PERIOD_SECONDS, minutes * 60 / 2))


class HeartbeatService:
    """Sends the stored activation's heartbeat (the UI repeats it on a timer)."""

    def __init__(self, client: LicensingClient, secrets: KeyStore, store: RecordStore) -> None:
        self._client = client
        self._secrets = secrets
        self._store = store

    def heartbeat_once(self) -> Machine | None:
        """Ping once for the stored activation. NotActivatedError without one;
        LicenseInvalidError(FINGERPRINT_NOT_FOUND) when the server culled the machine."""
        record = self._store.load()
        key = self._secrets.load() if record else None
        if record is None or not key:
            raise NotActivatedError("no stored activation to send a heartbeat for")
        return beat(self._client, key, record.machine_id)


def beat(client: LicensingClient, key: str, machine_id: str) -> Machine | None:
    """One heartbeat; a 404 means the machine was culled or deactivated elsewhere."""
    try:
        machine = client.heartbeat(key, machine_id)
    except NotFoundError as exc:
        raise LicenseInvalidError("FINGERPRINT_NOT_FOUND", None, "machine is gone") from exc
    log.info("heartbeat sent for machine %s", machine_id)
    return machine
