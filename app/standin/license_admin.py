"""The Bearer-only license operations: the rich license view, checkout and lifecycle actions."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from . import records
from .clock import Clock, Settings
from .schema import Field, check
from .signing import Signer
from .store import Store, machine_json, policy_json
from .wire import ApiError, iso, parse_iso

CHECKOUT_TTL_MIN = 3600
CHECKOUT_TTL_MAX = 90 * 86400
TRANSITIONS = {
    "suspend": ("active",),
    "reinstate": ("suspended",),
    "revoke": ("active", "suspended", "expired"),
    "ban": ("active", "suspended", "expired", "revoked"),
    "renew": ("active", "expired"),
}


def license_json(
    db: sqlite3.Connection, lic: sqlite3.Row, now: float, *, rich: bool = False
) -> dict[str, Any]:
    """The SDK's License as the Bearer endpoints give it; `rich` adds machines[] and policy."""
    status = records.license_status(db, lic, now)
    machines = records.machines_of(db, lic["id"])
    out: dict[str, Any] = {
        "id": lic["id"],
        "name": lic["name"],
        "status": status,
        "productId": lic["product_id"],
        "policyId": lic["policy_id"],
        "userEmail": lic["user_email"],
        "userName": lic["user_name"],
        "expiresAt": iso(lic["expires_at"]),
        "maxMachinesOverride": lic["max_machines_override"],
        "maxUsesOverride": lic["max_uses_override"],
        "usesCount": lic["uses_count"],
        "metadata": json.loads(lic["metadata"]),
        "suspendedAt": iso(lic["suspended_at"]),
        "revokedAt": iso(lic["revoked_at"]),
        "bannedAt": iso(lic["banned_at"]),
        "createdAt": iso(lic["created_at"]),
        "updatedAt": iso(lic["updated_at"]),
    }
    if rich:
        out["machines"] = [machine_json(m, now) for m in machines]
        prow = db.execute("SELECT * FROM policies WHERE id = ?", (lic["policy_id"],))
        out["policy"] = policy_json(prow.fetchone())
    return out


def _found(lic: sqlite3.Row | None) -> sqlite3.Row:
    if lic is None:
        raise ApiError(404, "NOT_FOUND", "License not found")
    return lic


class LicenseAdmin:
    """GET licenses/{id} and by-key, checkout, suspend/reinstate/revoke/ban/renew."""

    def __init__(self, store: Store, clock: Clock, signer: Signer, settings: Settings) -> None:
        self.store = store
        self.clock = clock
        self.signer = signer
        self.settings = settings

    def get_license(
        self, *, license_id: str | None = None, key: str | None = None
    ) -> dict[str, Any]:
        with self.store.tx() as db:
            now = self.clock.now()
            lic = _found(
                records.license_by_id(db, license_id)
                if license_id is not None
                else records.license_by_key(db, key or "")
            )
            records.cull(db, now, lic["id"])
            return license_json(db, lic, now, rich=True)

    def checkout(self, license_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """POST /licenses/{id}/checkout: an armored Ed25519-signed license file."""
        data = check(
            body,
            {
                "fingerprint": Field("string", required=True, min=8, max=256),
                "ttl": Field("int", min=CHECKOUT_TTL_MIN, max=CHECKOUT_TTL_MAX),
            },
        )
        ttl, fingerprint = data.get("ttl", 1209600), data["fingerprint"]
        with self.store.tx() as db:
            now = self.clock.now()
            lic = _found(records.license_by_id(db, license_id))
            records.refuse_blocked(db, lic, now, self.settings.license_state_status)
            if not lic["p_offline_allowed"]:
                raise ApiError(
                    422,
                    "BUSINESS_RULE_VIOLATION",
                    "Offline checkout is not allowed by this license's policy",
                )
            full = license_json(db, lic, now)
        expires = now + ttl
        payload = {
            "license": full,
            "fingerprint": fingerprint,
            "entitlements": records.entitlements(lic),
            "ttl": ttl,
            "encrypted": False,
        }  # stand-in: the real payload is encrypted
        cert = self.signer.license_file(
            license_id=lic["id"],
            fingerprint=fingerprint if self.settings.checkout_fingerprint else None,
            issued_at=now,
            expires_at=expires,
            payload=payload,
        )
        return {
            "certificate": cert,
            "license": full,
            "fingerprint": fingerprint,
            "ttl": ttl,
        }

    def lifecycle(self, license_id: str, action: str, body: dict[str, Any]) -> dict[str, Any]:
        """suspend | reinstate | revoke | renew | ban; an invalid transition is 409 CONFLICT."""
        opts = (
            check(body, {"days": Field("int", min=1, max=36500), "expiresAt": Field("datetime")})
            if action == "renew"
            else {}
        )
        with self.store.tx() as db:
            now = self.clock.now()
            lic = _found(records.license_by_id(db, license_id))
            status = records.license_status(db, lic, now)
            if status not in TRANSITIONS[action]:
                raise ApiError(
                    409,
                    "CONFLICT",
                    f"Cannot {action} a license that is {status}",
                    {"status": status, "action": action},
                )
            sets = self._changes(db, lic, action, now, opts)
            cols = ", ".join(f"{k} = ?" for k in sets)
            db.execute(
                f"UPDATE licenses SET {cols} WHERE id = ?",  # noqa: S608
                (*sets.values(), license_id),
            )
            return license_json(db, records.license_by_id(db, license_id), now)

    def _changes(
        self,
        db: sqlite3.Connection,
        lic: sqlite3.Row,
        action: str,
        now: float,
        opts: dict[str, Any],
    ) -> dict[str, Any]:
        sets: dict[str, Any] = {"updated_at": now}
        if action == "suspend":
            sets.update(status="suspended", suspended_at=now)
        elif action == "reinstate":
            sets.update(status="active", suspended_at=None)
        elif action == "revoke":
            sets.update(status="revoked", revoked_at=now)
        elif action == "ban":
            sets.update(status="banned", banned_at=now)
        else:
            sets.update(status="active", expires_at=self._renewed_expiry(db, lic, now, opts))
        return sets

    @staticmethod
    def _renewed_expiry(
        db: sqlite3.Connection, lic: sqlite3.Row, now: float, opts: dict[str, Any]
    ) -> float | None:
        if "expiresAt" in opts:
            return parse_iso(opts["expiresAt"])
        days = opts.get("days")
        if days is None:
            row = db.execute(
                "SELECT duration_days FROM policies WHERE id = ?", (lic["policy_id"],)
            ).fetchone()
            days = row["duration_days"] or 365
        base = max(now, lic["expires_at"] or now)
        return base + days * 86400
