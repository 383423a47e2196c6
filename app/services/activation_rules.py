"""What the activation makes of the server's answers: the checks that stop it (entitlements,
test key against the live service, a wrong clock), the seat-limit error with its numbers, and
the record stored at the end. Pure: no requests, no files."""

from __future__ import annotations

from typing import Any

from app.config import VendorConfig
from app.domain.errors import (
    ClockSkewError,
    EnvironmentMismatchError,
    LicenseInvalidError,
    MachineLimitError,
)
from app.domain.license_key import key_prefix, mask_key
from app.domain.models import ActivationRecord, DeviceIdentity, LicenseView, ValidationResult
from app.platform.diagnostics import CLOCK_TOLERANCE_SECONDS, clock_skew
from app.services.snapshot import iso, now_utc, validation_to_json


def skew_seconds(server_time: Any) -> float | None:
    """This computer's clock minus the server's (None: the server's time is unknown)."""
    return clock_skew(server_time) if server_time is not None else None


def clock_is_off(skew: float | None) -> bool:
    return skew is not None and abs(skew) > CLOCK_TOLERANCE_SECONDS


def check_clock(config: VendorConfig, skew: float | None) -> None:
    """A wrong clock stops the activation only where it decides something: with a
    response-signing key, answers outside the freshness window would look tampered with."""
    if clock_is_off(skew) and config.signing_key:
        raise ClockSkewError(skew_seconds=skew)


def require_entitlements(config: VendorConfig, result: ValidationResult) -> None:
    required = set(config.required_entitlements)
    if required - set(result.entitlements):
        raise LicenseInvalidError("ENTITLEMENTS_MISSING", result)


def check_environment(config: VendorConfig, key: str) -> None:
    """A test key against the live service (or a live key against the test one) is named
    as such instead of a plain "not found"."""
    prefixes = {p.upper() for p in config.test_key_prefixes}
    if not prefixes:
        return
    is_test_key = key_prefix(key) in prefixes
    live = config.environment == "live"
    if is_test_key == live:
        kind = "test" if is_test_key else "live"
        raise EnvironmentMismatchError(
            f"a {kind} key was used against the {config.environment} service",
            details={"keyEnvironment": kind, "serviceEnvironment": config.environment},
        )


def limit_error(error: MachineLimitError | None, view: LicenseView | None) -> MachineLimitError:
    """A MachineLimitError with ``max`` and ``current`` when anything knows them: the
    activation's ``MACHINE_LIMIT_EXCEEDED`` details, else the relay's view (validate-key's
    answer carries no seat count, so without either they stay unknown)."""
    details: dict[str, Any] = dict(error.details) if error else {}
    if view is not None and not isinstance(details.get("max"), int) and view.seats_total:
        details["max"] = view.seats_total
        details.setdefault("current", view.seats_used)
    if not isinstance(details.get("current"), int) and isinstance(details.get("max"), int):
        details["current"] = details["max"]  # at the cap by definition
    if error is not None:
        return MachineLimitError(
            error.message, details=details, status=error.status, request_id=error.request_id
        )
    return MachineLimitError("the license holds more machines than its cap", details=details)


def new_record(
    config: VendorConfig,
    key: str,
    identity: DeviceIdentity,
    final: ValidationResult,
    machine_id: str,
    storage: str,
) -> ActivationRecord:
    """The record stored once the server confirmed the activation (the key masked)."""
    assert final.license is not None  # a usable answer always names its license
    now = now_utc()
    return ActivationRecord(
        license_id=final.license.id,
        machine_id=machine_id,
        fingerprint=identity.fingerprint,
        # Already active: the server keeps the name it has, and the record must say
        # what the device list will show.
        device_name=(final.machine.name if final.machine else None) or identity.name,
        key_masked=mask_key(key),
        api_url=config.api_url,
        activated_at=iso(now) or "",
        last_validation=validation_to_json(final),
        last_validated_at=iso(final.server_time or now),
        key_storage=storage,
    )
