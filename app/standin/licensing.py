"""The licensing rules a license key holder meets: validation, activation, heartbeats."""

from __future__ import annotations

import json
import sqlite3
import uuid
from typing import Any

from . import records
from .auth import Principal
from .clock import Clock, Settings
from .schema import PLATFORMS, Field, check, issue, validation_error
from .store import MACHINE_SELECT, Store, heartbeat_status, machine_json
from .wire import ApiError, iso


class Licensing:
    """The key holder's operations and machine reads; each public method is one transaction."""

    def __init__(self, store: Store, clock: Clock, settings: Settings) -> None:
        self.store = store
        self.clock = clock
        self.settings = settings

    # ------------------------------------------------------------ validation

    def validate(self, body: dict[str, Any]) -> dict[str, Any]:
        """POST /licenses/validate-key: exactly the fields of the SDK's ValidationResult, with
        the reduced license and machine the public endpoint gives (no policy, no seat count)."""
        data = check(
            body,
            {
                "key": Field("string", required=True, min=1, max=512),
                "fingerprint": Field("string", nullable=True, min=8, max=256),
                "entitlements": Field("strings", nullable=True),
            },
        )
        fingerprint = data.get("fingerprint")
        with self.store.tx() as db:
            now = self.clock.now()
            lic = records.license_by_key(db, data["key"])
            if lic is None:
                return self._unknown_key()
            db.execute("UPDATE licenses SET uses_count = uses_count + 1 WHERE id = ?", (lic["id"],))
            uses = lic["uses_count"] + 1
            status = records.license_status(db, lic, now)
            if lic["p_require_heartbeat"]:
                records.cull(db, now, lic["id"])
            machines = records.machines_of(db, lic["id"])
            machine = None
            if fingerprint is not None:
                machine = next((m for m in machines if m["fingerprint"] == fingerprint), None)
            wanted = data.get("entitlements") or []
            code, valid = self._decide(lic, status, uses, fingerprint, machine, machines, wanted)
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
                },
                "machine": None if machine is None else _reduced_machine(machine, now),
                "entitlements": records.entitlements(lic),
                "metadata": {},
            }

    def _unknown_key(self) -> dict[str, Any]:
        if self.settings.unknown_key == "not-found":
            raise ApiError(404, "NOT_FOUND", "License not found")
        return {
            "valid": False,
            "code": "NOT_FOUND",
            "license": None,
            "machine": None,
            "entitlements": [],
            "metadata": {},
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
        max_uses = records.max_uses(lic)
        if max_uses is not None and uses > max_uses:
            return "USES_EXCEEDED", False
        if fingerprint is not None:
            if machine is None:
                return "FINGERPRINT_NOT_FOUND", False
            cap = records.cap(lic)
            if cap is not None and len(machines) > cap:
                return "MACHINE_LIMIT_EXCEEDED", False
            now = self.clock.now()
            if lic["p_require_heartbeat"] and heartbeat_status(machine, now) != "ALIVE":
                return "HEARTBEAT_REQUIRED", False
        if wanted:
            held = set(records.entitlements(lic))
            if any(code not in held for code in wanted):
                return "ENTITLEMENTS_MISSING", False
        return ("EXPIRED", True) if expired_ok else ("VALID", True)

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
                lic = records.license_by_id(db, who.license["id"])
            else:
                lic = records.license_by_id(db, data["licenseId"])
                if lic is None:
                    raise ApiError(404, "NOT_FOUND", "License not found")
            records.refuse_blocked(db, lic, now, self.settings.license_state_status)
            if lic["p_require_heartbeat"]:
                records.cull(db, now, lic["id"])
            machines = records.machines_of(db, lic["id"])
            fp = data["fingerprint"]
            same = next((m for m in machines if m["fingerprint"] == fp), None)
            if same is not None:
                if self.settings.duplicate_fingerprint == "existing":
                    return 200, machine_json(same, now)
                raise self._duplicate("Fingerprint is already activated for this license",
                                      {"machineId": same["id"]})  # fmt: skip
            self._check_uniqueness(db, lic, fp)
            cap = records.cap(lic)
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
            return 201, machine_json(records.machine_by_id(db, mid), now)

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
            raise self._duplicate("Fingerprint is already activated on another license",
                                  {"fingerprintUniqueness": scope})  # fmt: skip

    def _duplicate(self, message: str, details: dict[str, Any]) -> ApiError:
        """The duplicate-fingerprint reading: 422 CONSTRAINT_VIOLATION, else 409 CONFLICT."""
        if self.settings.duplicate_fingerprint == "constraint":
            return ApiError(422, "CONSTRAINT_VIOLATION", message, details)
        return ApiError(409, "CONFLICT", message, details)

    def _owned_machine(
        self, db: sqlite3.Connection, who: Principal, machine_id: str
    ) -> sqlite3.Row:
        m = records.machine_by_id(db, machine_id)
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
            m = records.machine_by_id(db, machine_id)
            if m is not None:
                records.cull(db, now, m["license_id"])
            m = self._owned_machine(db, who, machine_id)
            lic = records.license_by_id(db, m["license_id"])
            records.refuse_blocked(db, lic, now, self.settings.license_state_status)
            db.execute(
                "UPDATE machines SET last_heartbeat_at = ?, updated_at = ? WHERE id = ?",
                (now, now, machine_id),
            )
            return machine_json(records.machine_by_id(db, machine_id), now)

    def get_machine(self, machine_id: str) -> dict[str, Any]:
        with self.store.tx() as db:
            now = self.clock.now()
            records.cull(db, now)
            m = records.machine_by_id(db, machine_id)
            if m is None:
                raise ApiError(404, "NOT_FOUND", "Machine not found")
            return machine_json(m, now)

    def list_machines(
        self, license_id: str | None, cursor: str | None, limit: int
    ) -> tuple[list[dict[str, Any]], str | None]:
        with self.store.tx() as db:
            now = self.clock.now()
            records.cull(db, now, license_id)
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


def _reduced_machine(machine: sqlite3.Row, now: float) -> dict[str, Any]:
    """The machine as validate-key shows it (the SDK's reduced Machine)."""
    return {
        "id": machine["id"],
        "fingerprint": machine["fingerprint"],
        "name": machine["name"],
        "heartbeatStatus": heartbeat_status(machine, now),
    }
