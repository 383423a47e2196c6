"""The license as its key holder may see it: the by-key answer trimmed, cached and served."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from app.relay.envelope import RelayError

DEVICE_FIELDS = (
    "id", "name", "platform", "hostname", "createdAt", "lastHeartbeatAt",
    "heartbeatStatus", "fingerprint",
)  # fmt: skip

# Revoked and banned licenses are finished: their holder may no longer manage anything.
# Expired and suspended ones may still list and free seats (to move to a renewed license).
REFUSED_STATUSES = {
    "REVOKED": ("LICENSE_REVOKED", "This license has been revoked, so its devices can no "
                "longer be managed here. Please contact the vendor."),
    "BANNED": ("LICENSE_BANNED", "This license has been blocked, so its devices can no "
               "longer be managed here. Please contact the vendor."),
}  # fmt: skip


@dataclass(frozen=True)
class OwnerLicense:
    """What the relay keeps (and may share through Redis) about one license: no key, no ids
    of other accounts, only what the owner's view and device list show."""

    id: str
    status: str
    name: str | None
    expires_at: str | None
    licensee_name: str | None
    licensee_email: str | None
    max_machines: int | None
    machines: tuple[dict[str, Any], ...]
    require_heartbeat: bool
    heartbeat_interval_minutes: int | None
    offline_allowed: bool
    offline_max_days: int | None

    @classmethod
    def from_upstream(cls, data: dict[str, Any]) -> OwnerLicense:
        """The upstream's by-key `data`; RelayError 502 when it is not a license."""
        license_id, status = data.get("id"), data.get("status")
        if not isinstance(license_id, str) or not license_id or not isinstance(status, str):
            raise RelayError(502, "UPSTREAM_UNAVAILABLE", "The license server sent no license")
        policy = data.get("policy") if isinstance(data.get("policy"), dict) else {}
        machines = data.get("machines") if isinstance(data.get("machines"), list) else []
        return cls(
            id=license_id,
            status=status,
            name=_text(data.get("name")),
            expires_at=_text(data.get("expiresAt")),
            licensee_name=_text(data.get("userName")),
            licensee_email=_text(data.get("userEmail")),
            max_machines=effective_cap(data),
            machines=tuple(
                {name: m.get(name) for name in DEVICE_FIELDS}
                for m in machines
                if isinstance(m, dict) and m.get("licenseId", license_id) == license_id
            ),
            require_heartbeat=policy.get("requireHeartbeat") is True,
            heartbeat_interval_minutes=_count(policy.get("heartbeatIntervalMinutes")),
            offline_allowed=policy.get("offlineAllowed") is True,
            offline_max_days=_count(policy.get("offlineMaxDays")),
        )

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> OwnerLicense:
        return cls(**{**data, "machines": tuple(data["machines"])})

    def refuse_if_finished(self) -> None:
        """The documented license-state rule: 403 for revoked and banned licenses."""
        refused = REFUSED_STATUSES.get(self.status.upper())
        if refused is not None:
            raise RelayError(403, refused[0], refused[1])

    def owns(self, machine_id: str) -> bool:
        return any(m.get("id") == machine_id for m in self.machines)

    def view(self) -> dict[str, Any]:
        """`GET /v1/license`: status, expiry, seats, licensee, check-in and offline policy."""
        return {
            "id": self.id,
            "name": self.name,
            "status": self.status,
            "expiresAt": self.expires_at,
            "licensee": {"name": self.licensee_name, "email": self.licensee_email},
            "seats": {"used": len(self.machines), "total": self.max_machines},
            "requireHeartbeat": self.require_heartbeat,
            "heartbeatIntervalMinutes": self.heartbeat_interval_minutes,
            "offline": {"allowed": self.offline_allowed, "maxDays": self.offline_max_days},
        }

    def devices(self) -> dict[str, Any]:
        """`GET /v1/devices`: the machines and the seat count."""
        return {
            "devices": list(self.machines),
            "maxMachines": self.max_machines,
            "machineCount": len(self.machines),
        }


def effective_cap(detail: dict[str, Any]) -> int | None:
    """License `maxMachinesOverride` when set (and the policy allows overrides), else the policy's."""
    policy = detail.get("policy") if isinstance(detail.get("policy"), dict) else {}
    override = _count(detail.get("maxMachinesOverride"))
    if override is not None and policy.get("overridable", True) is not False:
        return override
    return _count(policy.get("maxMachines"))


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None
