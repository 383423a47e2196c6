"""ValidationResult <-> JSON for the activation record's cached last validation."""

from __future__ import annotations

from dataclasses import asdict, fields
from datetime import UTC, datetime
from typing import Any

from app.domain.models import LicenseSummary, MachineSummary, ValidationResult

#: Codes that mean "the license may be used" (EXPIRED only together with ``valid: true``).
USABLE_CODES = frozenset({"VALID", "EXPIRED"})


def is_usable(result: ValidationResult | None) -> bool:
    """VALID, or EXPIRED under an allow-access policy (the server says ``valid: true``)."""
    return result is not None and result.valid and result.code in USABLE_CODES


def validation_to_json(result: ValidationResult) -> dict[str, Any]:
    data = asdict(result)
    data["entitlements"] = list(result.entitlements)
    return _dates_to_text(data)


def validation_from_json(data: dict[str, Any] | None) -> ValidationResult | None:
    """The cached answer, or None when there is none or it cannot be read (never raises)."""
    if not data:
        return None
    try:
        return ValidationResult(
            valid=bool(data["valid"]),
            code=str(data["code"]),
            license=_build(LicenseSummary, data.get("license")),
            machine=_build(MachineSummary, data.get("machine")),
            entitlements=tuple(str(e) for e in data.get("entitlements") or ()),
            server_time=parse_time(data.get("server_time")),
        )
    except (KeyError, TypeError, ValueError):
        return None


def parse_time(value: Any) -> datetime | None:
    """ISO text (``Z`` allowed) -> aware datetime; None for anything else."""
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def now_utc() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat() if moment else None


def _build(cls: type, data: Any) -> Any:
    if not isinstance(data, dict):
        return None
    known = {f.name for f in fields(cls)}
    values = {k: v for k, v in data.items() if k in known}
    for name in ("expires_at",):
        if name in values:
            values[name] = parse_time(values[name])
    return cls(**values)


def _dates_to_text(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _dates_to_text(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_dates_to_text(v) for v in value]
    if isinstance(value, datetime):
        return iso(value)
    return value
