"""Defensive parsing of Licentric (and relay) answers into app.domain.models dataclasses.

Rule: what the product decides on (``valid``, ``code``, ids) must have exactly the expected
type or the whole answer is refused with UnexpectedResponseError; optional display fields of
the wrong type are dropped (None). Nothing else may escape: no KeyError, TypeError, ValueError.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from app.api.failures import RawResponse, unexpected
from app.domain.errors import UnexpectedResponseError
from app.domain.models import (
    DeviceList,
    LicenseSummary,
    LicenseView,
    Machine,
    MachineSummary,
    ValidationResult,
)


def decode_json(resp: RawResponse) -> Any:
    """The JSON document of a 2xx answer (an HTML page or truncated body is refused)."""
    try:
        return json.loads(resp.body)
    except (ValueError, RecursionError):
        raise unexpected(resp, "the answer is not JSON") from None


def data_of(document: Any) -> Any:
    """The ``data`` member of a success envelope."""
    if not isinstance(document, dict) or "data" not in document:
        raise _bad("the answer has no 'data'")
    return document["data"]


def parse_validation(document: Any, server_time: datetime | None = None) -> ValidationResult:
    """``{"data": ValidationResult}`` -> ValidationResult. ``valid`` is True only if it is
    literally ``true`` on the wire."""
    data = data_of(document)
    if not isinstance(data, dict):
        raise _bad("validation 'data' is not an object")
    valid = data.get("valid")
    if not isinstance(valid, bool):
        raise _bad("validation 'valid' is not a boolean")
    code = data.get("code")
    if not isinstance(code, str) or not code.strip():
        raise _bad("validation 'code' is not a string")
    return ValidationResult(
        valid=valid is True,
        code=code.strip(),
        license=_license(data.get("license")),
        machine=_machine_summary(data.get("machine")),
        entitlements=_strings(data.get("entitlements")),
        server_time=server_time,
    )


def parse_machine(value: Any) -> Machine:
    """A Machine object (camelCase wire names)."""
    if not isinstance(value, dict):
        raise _bad("machine is not an object")
    return Machine(
        id=_required_id(value, "machine"),
        license_id=_str(value.get("licenseId")),
        fingerprint=_str(value.get("fingerprint")),
        name=_str(value.get("name")),
        platform=_str(value.get("platform")),
        hostname=_str(value.get("hostname")),
        heartbeat_status=_str(value.get("heartbeatStatus")),
        created_at=parse_timestamp(value.get("createdAt")),
        last_heartbeat_at=parse_timestamp(value.get("lastHeartbeatAt")),
    )


def parse_device_list(document: Any) -> DeviceList:
    """The relay's device list. Accepts ``{"data": {"devices": [...], "maxMachines",
    "machineCount"}}`` and the list form ``{"data": [...], "seats"|"meta": {max, current}}``."""
    data = data_of(document)
    if isinstance(data, dict):
        items, cap, count = data.get("devices"), data.get("maxMachines"), data.get("machineCount")
    elif isinstance(data, list) and isinstance(document, dict):
        seats = document.get("seats", document.get("meta"))
        seats = seats if isinstance(seats, dict) else {}
        items, cap, count = data, seats.get("max"), seats.get("current")
    else:
        raise _bad("device list 'data' is neither an object nor a list")
    if not isinstance(items, list):
        raise _bad("device list has no 'devices' array")
    devices = tuple(parse_machine(item) for item in items)
    machine_count = _int(count)
    return DeviceList(
        devices=devices,
        max_machines=_positive_int(cap),
        machine_count=len(devices) if machine_count is None else machine_count,
    )


def parse_license_view(document: Any) -> LicenseView:
    """The relay's owner view: ``{"data": {id, status, seats: {used, total}, licensee, ...}}``."""
    data = data_of(document)
    if not isinstance(data, dict):
        raise _bad("license view 'data' is not an object")
    status = _str(data.get("status"))
    if status is None:
        raise _bad("license view has no status")
    seats = _dict(data.get("seats"))
    licensee = _dict(data.get("licensee"))
    offline = _dict(data.get("offline"))
    used = _int(seats.get("used"))
    return LicenseView(
        license_id=_required_id(data, "license view"),
        status=status,
        name=_str(data.get("name")),
        expires_at=parse_timestamp(data.get("expiresAt")),
        licensee_name=_str(licensee.get("name")),
        licensee_email=_str(licensee.get("email")),
        seats_used=used or 0,
        seats_total=_positive_int(seats.get("total")),
        require_heartbeat=data.get("requireHeartbeat") is True,
        heartbeat_interval_minutes=_positive_int(data.get("heartbeatIntervalMinutes")),
        offline_allowed=offline.get("allowed") is True,
        offline_max_days=_positive_int(offline.get("maxDays")),
    )


def parse_timestamp(value: Any) -> datetime | None:
    """ISO-8601 (``Z`` or offset) -> aware UTC datetime; anything unreadable -> None."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    try:
        return parsed.astimezone(UTC)
    except (OverflowError, ValueError):
        return None


# --- pieces -----------------------------------------------------------------------------


def _license(value: Any) -> LicenseSummary | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise _bad("validation 'license' is not an object")
    # Only the reduced license's fields: anything else a server adds is not relied on.
    return LicenseSummary(
        id=_required_id(value, "license"),
        status=_str(value.get("status")) or "unknown",
        name=_str(value.get("name")),
        expires_at=parse_timestamp(value.get("expiresAt")),
        uses_count=_int(value.get("usesCount")),
    )


def _machine_summary(value: Any) -> MachineSummary | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise _bad("validation 'machine' is not an object")
    return MachineSummary(
        id=_required_id(value, "machine"),
        fingerprint=_str(value.get("fingerprint")),
        name=_str(value.get("name")),
        heartbeat_status=_str(value.get("heartbeatStatus")),
    )


def _required_id(value: dict[str, Any], what: str) -> str:
    ident = value.get("id")
    if not isinstance(ident, str) or not ident.strip():
        raise _bad(f"{what} has no string 'id'")
    return ident


def _strings(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(item for item in value if isinstance(item, str))


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _int(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return None
    return value


def _positive_int(value: Any) -> int | None:
    number = _int(value)
    return number if number else None


def _bad(why: str) -> UnexpectedResponseError:
    return UnexpectedResponseError(f"unexpected answer: {why}", details={"reason": why})
