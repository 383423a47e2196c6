"""The licensing rules: validation, activation, heartbeats, lifecycle, checkout."""

from __future__ import annotations

import json
import sqlite3
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from .schema import PLATFORMS, Field, check, issue, validation_error
from .signing import Signer
from .store import (
    LICENSE_SELECT,
    MACHINE_SELECT,
    Store,
    heartbeat_status,
    interval_minutes,
    machine_json,
    policy_json,
)
from .wire import ApiError, iso, parse_iso

LICENSE_STATE_ERRORS = {
    "banned": ("LICENSE_BANNED", "License has been banned"),
    "revoked": ("LICENSE_REVOKED", "License has been revoked"),
    "suspended": ("LICENSE_SUSPENDED", "License is suspended"),
    "expired": ("LICENSE_EXPIRED", "License has expired"),
}
CHECKOUT_TTL_MIN = 3600
CHECKOUT_TTL_MAX = 90 * 86400


class Clock:
    """The server's notion of 'now' for business rules; `shift` moves it (tests only)."""

    def __init__(self) -> None:
        self.shift = 0.0

    def now(self) -> float:
        return round(time.time() + self.shift, 3)


@dataclass
class Settings:
    """Runtime switches (POST /_standin/config)."""

    duplicate_activation_ok: bool = False  # True: same fingerprint -> 200 with the machine


@dataclass
class Principal:
    """Who is calling: a license (License auth) or an API key (Bearer)."""

    kind: str  # "license" | "api_key"
    license: sqlite3.Row | None = None
    scopes: list[str] = field(default_factory=list)

    def allows(self, scope: str) -> bool:
        return self.kind == "api_key" and (not self.scopes or scope in self.scopes)


def _cap(lic: sqlite3.Row) -> int | None:
    if lic["max_machines_override"] is not None and lic["p_overridable"]:
        return lic["max_machines_override"]
    return lic["p_max_machines"]


def _max_uses(lic: sqlite3.Row) -> int | None:
    if lic["max_uses_override"] is not None and lic["p_overridable"]:
        return lic["max_uses_override"]
    return lic["p_max_uses"]


def _entitlements(lic: sqlite3.Row) -> list[str]:
    codes = json.loads(lic["entitlements"]) + json.loads(lic["p_entitlements"])
    return list(dict.fromkeys(codes))


class Licensing:
    """All business operations; each public method is one transaction."""

    def __init__(self, store: Store, clock: Clock, signer: Signer, settings: Settings) -> None:
        self.store = store
        self.clock = clock
        self.signer = signer
        self.settings = settings

    # ------------------------------------------------------------ helpers

    def _license_by_key(self, db: sqlite3.Connection, key: str) -> sqlite3.Row | None:
        return db.execute(LICENSE_SELECT + " WHERE l.key = ?", (key,)).fetchone()

    def _license_by_id(self, db: sqlite3.Connection, lid: str) -> sqlite3.Row | None:
        return db.execute(LICENSE_SELECT + " WHERE l.id = ?", (lid,)).fetchone()

    def _status(self, db: sqlite3.Connection, lic: sqlite3.Row, now: float) -> str:
        """Stored status, with expiry applied (REVOKE strategy persists the revocation)."""
        status = lic["status"]
        if status == "active" and lic["expires_at"] is not None and lic["expires_at"] <= now:
            if lic["p_expiration_strategy"] == "REVOKE":
                db.execute(
                    "UPDATE licenses SET status='revoked', revoked_at=?, updated_at=? WHERE id=?",
                    (now, now, lic["id"]),
                )
                return "revoked"
            return "expired"
        return status

    def _blocking_state(self, status: str, lic: sqlite3.Row) -> str | None:
        """The state that forbids activation/heartbeat/checkout, if any."""
        if status in ("banned", "revoked", "suspended"):
            return status
        if status == "expired" and lic["p_expiration_strategy"] != "ALLOW_ACCESS":
            return "expired"
        return None

    def _raise_state(self, state: str) -> None:
        code, message = LICENSE_STATE_ERRORS[state]
        raise ApiError(409, code, message)

    def _cull(self, db: sqlite3.Connection, now: float, license_id: str | None = None) -> None:
        """DEACTIVATE_DEAD: soft-delete machines overdue by a full heartbeat interval."""
        sql = """UPDATE machines SET deleted_at = :now, updated_at = :now
            WHERE deleted_at IS NULL AND id IN (
              SELECT m.id FROM machines m JOIN licenses l ON l.id = m.license_id
              JOIN policies p ON p.id = l.policy_id
              WHERE m.deleted_at IS NULL AND p.require_heartbeat = 1
                AND p.heartbeat_cull_strategy = 'DEACTIVATE_DEAD'
                AND :now - COALESCE(m.last_heartbeat_at, m.created_at)
                    > p.heartbeat_interval_seconds {extra})"""
        if license_id is None:
            db.execute(sql.format(extra=""), {"now": now})
        else:
            db.execute(sql.format(extra="AND m.license_id = :lid"), {"now": now, "lid": license_id})

    def _machines(self, db: sqlite3.Connection, license_id: str) -> list[sqlite3.Row]:
        return db.execute(
            MACHINE_SELECT + " WHERE m.license_id = ? AND m.deleted_at IS NULL ORDER BY m.seq",
            (license_id,),
        ).fetchall()

    def _machine(self, db: sqlite3.Connection, machine_id: str) -> sqlite3.Row | None:
        return db.execute(
            MACHINE_SELECT + " WHERE m.id = ? AND m.deleted_at IS NULL", (machine_id,)
        ).fetchone()

    def license_json(
        self, db: sqlite3.Connection, lic: sqlite3.Row, now: float, *, rich: bool = False
    ) -> dict[str, Any]:
        """The admin (API-key) license object; `rich` adds machines[] and policy."""
        status = self._status(db, lic, now)
        machines = self._machines(db, lic["id"])
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
            "machineCount": len(machines),
            "entitlements": _entitlements(lic),
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

    # ------------------------------------------------------------ validation

    def validate(self, body: dict[str, Any]) -> dict[str, Any]:
        """POST /licenses/validate-key.

        Stand-in extensions (unknown to the SDK models, which ignore them):
        `license.maxMachines` (effective cap), `license.machineCount`, `license.productName`,
        and a top-level `policy` {requireHeartbeat, heartbeatIntervalMinutes,
        heartbeatIntervalSeconds, offlineAllowed, maxMachines}.
        """
        data = check(
            body,
            {
                "key": Field("string", required=True, min=1, max=512),
                "fingerprint": Field("string", nullable=True, min=8, max=256),
                "entitlements": Field("strings", nullable=True),
            },
        )
        fingerprint = data.get("fingerprint")
        wanted = data.get("entitlements") or []
        with self.store.tx() as db:
            now = self.clock.now()
            lic = self._license_by_key(db, data["key"])
            if lic is None:
                return {
                    "valid": False,
                    "code": "NOT_FOUND",
                    "license": None,
                    "machine": None,
                    "entitlements": [],
                    "metadata": {},
                }
            db.execute("UPDATE licenses SET uses_count = uses_count + 1 WHERE id = ?", (lic["id"],))
            uses = lic["uses_count"] + 1
            status = self._status(db, lic, now)
            if lic["p_require_heartbeat"]:
                self._cull(db, now, lic["id"])
            machines = self._machines(db, lic["id"])
            machine = None
            if fingerprint is not None:
                machine = next((m for m in machines if m["fingerprint"] == fingerprint), None)
            code, valid = self._decide(lic, status, uses, fingerprint, machine, machines, wanted)
            cap = _cap(lic)
            entitlements = _entitlements(lic)
            return {
                "valid": valid,
                "code": code,
                "license": {
                    "id": lic["id"],
                    "status": status,
                    "name": lic["name"],
                    "expiresAt": iso(lic["expires_at"]),
                    "maxMachinesOverride": lic["max_machines_override"],
                    "maxUsesOverride": lic["max_uses_override"],
                    "usesCount": uses,
                    "maxMachines": cap,
                    "machineCount": len(machines),
                    "productName": lic["product_name"],
                },
                "machine": None
                if machine is None
                else {
                    "id": machine["id"],
                    "fingerprint": machine["fingerprint"],
                    "name": machine["name"],
                    "heartbeatStatus": heartbeat_status(machine, now),
                },
                "entitlements": entitlements,
                "metadata": {},
                "policy": {
                    "requireHeartbeat": bool(lic["p_require_heartbeat"]),
                    "heartbeatIntervalMinutes": interval_minutes(
                        lic["p_heartbeat_interval_seconds"]
                    ),
                    "heartbeatIntervalSeconds": lic["p_heartbeat_interval_seconds"],
                    "offlineAllowed": bool(lic["p_offline_allowed"]),
                    "maxMachines": cap,
                },
            }

    def _decide(
        self,
        lic: sqlite3.Row,
        status: str,
        uses: int,
        fingerprint: str | None,
        machine: sqlite3.Row | None,
        machines: list[sqlite3.Row],
        wanted: list[str],
    ) -> tuple[str, bool]:
        """Check order fixed by DESIGN.md 'Stand-in decisions'."""
        if status in ("banned", "revoked", "suspended"):
            return status.upper(), False
        expired_ok = False
        if status == "expired":
            if lic["p_expiration_strategy"] != "ALLOW_ACCESS":
                return "EXPIRED", False
            expired_ok = True
        max_uses = _max_uses(lic)
        if max_uses is not None and uses > max_uses:
            return "USES_EXCEEDED", False
        if fingerprint is not None:
            if machine is None:
                return "FINGERPRINT_NOT_FOUND", False
            cap = _cap(lic)
            if cap is not None and len(machines) > cap:
                return "MACHINE_LIMIT_EXCEEDED", False
            now = self.clock.now()
            if lic["p_require_heartbeat"] and heartbeat_status(machine, now) != "ALIVE":
                return "HEARTBEAT_REQUIRED", False
        if wanted:
            held = set(_entitlements(lic))
            if any(code not in held for code in wanted):
                return "ENTITLEMENTS_MISSING", False
        return ("EXPIRED", True) if expired_ok else ("VALID", True)

    # ------------------------------------------------------------ auth

    def authenticate(self, authorization: str | None, *, scope: str, license_ok: bool) -> Principal:
        """License or Bearer credentials -> Principal, or 401 / 403."""
        if not authorization:
            raise ApiError(401, "UNAUTHORIZED", "Missing Authorization header")
        scheme, _, cred = authorization.strip().partition(" ")
        cred = cred.strip()
        scheme = scheme.lower()
        if scheme == "license":
            if not license_ok:
                raise ApiError(
                    403,
                    "FORBIDDEN",
                    "License keys cannot access this endpoint; use an API key",
                    {"requiredScope": scope},
                )
            with self.store.lock:
                lic = self._license_by_key(self.store.conn, cred)
            if lic is None:
                raise ApiError(401, "UNAUTHORIZED", "Invalid license key")
            return Principal("license", license=lic)
        if scheme == "bearer":
            with self.store.lock:
                row = self.store.conn.execute(
                    "SELECT scopes FROM api_keys WHERE key = ?", (cred,)
                ).fetchone()
            if row is None:
                raise ApiError(401, "UNAUTHORIZED", "Invalid API key")
            principal = Principal("api_key", scopes=json.loads(row["scopes"]))
            if not principal.allows(scope):
                raise ApiError(
                    403, "FORBIDDEN", f"API key lacks the '{scope}' scope", {"requiredScope": scope}
                )
            return principal
        raise ApiError(401, "UNAUTHORIZED", "Unsupported Authorization scheme")

    # ------------------------------------------------------------ machines

    def activate(
        self, who: Principal, body: dict[str, Any], ip: str | None
    ) -> tuple[int, dict[str, Any]]:
        """POST /machines -> (201 | 200, Machine)."""
        fields = {
            "fingerprint": Field("string", required=True, min=8, max=256),
            "name": Field("string", nullable=True, max=255),
            "platform": Field("string", nullable=True, choices=PLATFORMS),
            "hostname": Field("string", nullable=True, max=255),
            "cores": Field("int", nullable=True, min=1, max=100000),
            "metadata": Field("object", nullable=True),
            "licenseId": Field("string", required=who.kind == "api_key", min=1),
        }
        data = check(body, fields)
        with self.store.tx() as db:
            now = self.clock.now()
            if who.kind == "license":
                lic = self._license_by_id(db, who.license["id"])
            else:
                lic = self._license_by_id(db, data["licenseId"])
                if lic is None:
                    raise ApiError(404, "NOT_FOUND", "License not found")
            blocked = self._blocking_state(self._status(db, lic, now), lic)
            if blocked:
                self._raise_state(blocked)
            if lic["p_require_heartbeat"]:
                self._cull(db, now, lic["id"])
            machines = self._machines(db, lic["id"])
            fp = data["fingerprint"]
            same = next((m for m in machines if m["fingerprint"] == fp), None)
            if same is not None:
                if self.settings.duplicate_activation_ok:
                    return 200, machine_json(same, now)
                raise ApiError(
                    409,
                    "CONFLICT",
                    "Fingerprint is already activated for this license",
                    {"machineId": same["id"]},
                )
            self._check_uniqueness(db, lic, fp)
            cap = _cap(lic)
            if cap is not None and len(machines) >= cap:
                raise ApiError(
                    422,
                    "MACHINE_LIMIT_EXCEEDED",
                    f"License has reached its machine limit of {cap}",
                    {"max": cap, "current": len(machines)},
                )
            mid = str(uuid.uuid4())
            db.execute(
                "INSERT INTO machines (id, license_id, fingerprint, name, platform, hostname, "
                "cores, ip_address, metadata, created_at, updated_at) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (
                    mid,
                    lic["id"],
                    fp,
                    data.get("name"),
                    data.get("platform"),
                    data.get("hostname"),
                    data.get("cores"),
                    ip,
                    json.dumps(data.get("metadata") or {}),
                    now,
                    now,
                ),
            )
            return 201, machine_json(self._machine(db, mid), now)

    def _check_uniqueness(self, db: sqlite3.Connection, lic: sqlite3.Row, fp: str) -> None:
        scope = lic["p_fingerprint_uniqueness"]
        if scope == "PER_LICENSE":
            return
        sql = (
            "SELECT m.id FROM machines m JOIN licenses l ON l.id = m.license_id "
            "WHERE m.fingerprint = ? AND m.deleted_at IS NULL AND m.license_id != ?"
        )
        args: tuple[Any, ...] = (fp, lic["id"])
        if scope == "PER_POLICY":
            sql += " AND l.policy_id = ?"
            args += (lic["policy_id"],)
        if db.execute(sql, args).fetchone() is not None:
            raise ApiError(
                409,
                "CONFLICT",
                "Fingerprint is already activated on another license",
                {"fingerprintUniqueness": scope},
            )

    def _owned_machine(
        self, db: sqlite3.Connection, who: Principal, machine_id: str
    ) -> sqlite3.Row:
        m = self._machine(db, machine_id)
        if m is None or (who.kind == "license" and m["license_id"] != who.license["id"]):
            raise ApiError(404, "NOT_FOUND", "Machine not found")
        return m

    def deactivate(self, who: Principal, machine_id: str) -> None:
        with self.store.tx() as db:
            now = self.clock.now()
            self._owned_machine(db, who, machine_id)
            db.execute(
                "UPDATE machines SET deleted_at = ?, updated_at = ? WHERE id = ?",
                (now, now, machine_id),
            )

    def heartbeat(self, who: Principal, machine_id: str) -> dict[str, Any]:
        with self.store.tx() as db:
            now = self.clock.now()
            m = self._machine(db, machine_id)
            if m is not None:
                self._cull(db, now, m["license_id"])
            m = self._owned_machine(db, who, machine_id)
            lic = self._license_by_id(db, m["license_id"])
            blocked = self._blocking_state(self._status(db, lic, now), lic)
            if blocked:
                self._raise_state(blocked)
            db.execute(
                "UPDATE machines SET last_heartbeat_at = ?, updated_at = ? WHERE id = ?",
                (now, now, machine_id),
            )
            return machine_json(self._machine(db, machine_id), now)

    def get_machine(self, machine_id: str) -> dict[str, Any]:
        with self.store.tx() as db:
            now = self.clock.now()
            self._cull(db, now)
            m = self._machine(db, machine_id)
            if m is None:
                raise ApiError(404, "NOT_FOUND", "Machine not found")
            return machine_json(m, now)

    def list_machines(
        self, license_id: str | None, cursor: str | None, limit: int
    ) -> tuple[list[dict[str, Any]], str | None]:
        with self.store.tx() as db:
            now = self.clock.now()
            self._cull(db, now, license_id)
            where, args = "m.deleted_at IS NULL", []
            if license_id is not None:
                where += " AND m.license_id = ?"
                args.append(license_id)
            if cursor is not None:
                row = db.execute("SELECT seq FROM machines WHERE id = ?", (cursor,)).fetchone()
                if row is None:
                    raise validation_error([issue(["cursor"], "Unknown cursor", "custom")])
                where += " AND m.seq > ?"
                args.append(row["seq"])
            rows = db.execute(
                MACHINE_SELECT + f" WHERE {where} ORDER BY m.seq LIMIT ?",  # noqa: S608
                (*args, limit + 1),
            ).fetchall()
            more = len(rows) > limit
            items = [machine_json(m, now) for m in rows[:limit]]
            return items, (items[-1]["id"] if more else None)

    # ------------------------------------------------------------ licenses

    def get_license(
        self, *, license_id: str | None = None, key: str | None = None
    ) -> dict[str, Any]:
        with self.store.tx() as db:
            now = self.clock.now()
            lic = (
                self._license_by_id(db, license_id)
                if license_id is not None
                else self._license_by_key(db, key or "")
            )
            if lic is None:
                raise ApiError(404, "NOT_FOUND", "License not found")
            self._cull(db, now, lic["id"])
            return self.license_json(db, lic, now, rich=True)

    def checkout(self, license_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """POST /licenses/{id}/checkout: an armored Ed25519-signed license file."""
        data = check(
            body,
            {
                "fingerprint": Field("string", required=True, min=8, max=256),
                "ttl": Field("int", min=CHECKOUT_TTL_MIN, max=CHECKOUT_TTL_MAX),
            },
        )
        ttl = data.get("ttl", 1209600)
        with self.store.tx() as db:
            now = self.clock.now()
            lic = self._license_by_id(db, license_id)
            if lic is None:
                raise ApiError(404, "NOT_FOUND", "License not found")
            blocked = self._blocking_state(self._status(db, lic, now), lic)
            if blocked:
                self._raise_state(blocked)
            if not lic["p_offline_allowed"]:
                raise ApiError(
                    422,
                    "BUSINESS_RULE_VIOLATION",
                    "Offline checkout is not allowed by this license's policy",
                )
            full = self.license_json(db, lic, now)
            expires = now + ttl
            payload = {
                "license": full,
                "fingerprint": data["fingerprint"],
                "entitlements": full["entitlements"],
                "ttl": ttl,
                "encrypted": False,
            }  # stand-in: the real payload is encrypted
            cert = self.signer.license_file(
                license_id=lic["id"],
                fingerprint=data["fingerprint"],
                issued_at=now,
                expires_at=expires,
                payload=payload,
            )
            return {
                "certificate": cert,
                "license": full,
                "fingerprint": data["fingerprint"],
                "ttl": ttl,
                "issuedAt": iso(now),
                "expiresAt": iso(expires),
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
            lic = self._license_by_id(db, license_id)
            if lic is None:
                raise ApiError(404, "NOT_FOUND", "License not found")
            status = self._status(db, lic, now)
            allowed = {
                "suspend": ("active",),
                "reinstate": ("suspended",),
                "revoke": ("active", "suspended", "expired"),
                "ban": ("active", "suspended", "expired", "revoked"),
                "renew": ("active", "expired"),
            }[action]
            if status not in allowed:
                raise ApiError(
                    409,
                    "CONFLICT",
                    f"Cannot {action} a license that is {status}",
                    {"status": status, "action": action},
                )
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
            cols = ", ".join(f"{k} = ?" for k in sets)
            db.execute(
                f"UPDATE licenses SET {cols} WHERE id = ?",  # noqa: S608
                (*sets.values(), license_id),
            )
            return self.license_json(db, self._license_by_id(db, license_id), now)

    def _renewed_expiry(
        self, db: sqlite3.Connection, lic: sqlite3.Row, now: float, opts: dict[str, Any]
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
