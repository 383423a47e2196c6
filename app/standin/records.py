"""Reading license and machine rows and the facts derived from them (cap, status, culling)."""

from __future__ import annotations

import json
import sqlite3

from .store import LICENSE_SELECT, MACHINE_SELECT
from .wire import ApiError

LICENSE_STATE_ERRORS = {
    "banned": ("LICENSE_BANNED", "License has been banned"),
    "revoked": ("LICENSE_REVOKED", "License has been revoked"),
    "suspended": ("LICENSE_SUSPENDED", "License is suspended"),
    "expired": ("LICENSE_EXPIRED", "License has expired"),
}


def license_by_key(db: sqlite3.Connection, key: str) -> sqlite3.Row | None:
    return db.execute(LICENSE_SELECT + " WHERE l.key = ?", (key,)).fetchone()


def license_by_id(db: sqlite3.Connection, lid: str) -> sqlite3.Row | None:
    return db.execute(LICENSE_SELECT + " WHERE l.id = ?", (lid,)).fetchone()


def machines_of(db: sqlite3.Connection, license_id: str) -> list[sqlite3.Row]:
    return db.execute(
        MACHINE_SELECT + " WHERE m.license_id = ? AND m.deleted_at IS NULL ORDER BY m.seq",
        (license_id,),
    ).fetchall()


def machine_by_id(db: sqlite3.Connection, machine_id: str) -> sqlite3.Row | None:
    return db.execute(
        MACHINE_SELECT + " WHERE m.id = ? AND m.deleted_at IS NULL", (machine_id,)
    ).fetchone()


def cap(lic: sqlite3.Row) -> int | None:
    """The effective machine cap: the license's override when the policy allows one."""
    if lic["max_machines_override"] is not None and lic["p_overridable"]:
        return lic["max_machines_override"]
    return lic["p_max_machines"]


def max_uses(lic: sqlite3.Row) -> int | None:
    if lic["max_uses_override"] is not None and lic["p_overridable"]:
        return lic["max_uses_override"]
    return lic["p_max_uses"]


def entitlements(lic: sqlite3.Row) -> list[str]:
    codes = json.loads(lic["entitlements"]) + json.loads(lic["p_entitlements"])
    return list(dict.fromkeys(codes))


def license_status(db: sqlite3.Connection, lic: sqlite3.Row, now: float) -> str:
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


def blocking_state(status: str, lic: sqlite3.Row) -> str | None:
    """The state that forbids activation/heartbeat/checkout, if any."""
    if status in ("banned", "revoked", "suspended"):
        return status
    if status == "expired" and lic["p_expiration_strategy"] != "ALLOW_ACCESS":
        return "expired"
    return None


def refuse_blocked(db: sqlite3.Connection, lic: sqlite3.Row, now: float, http_status: int) -> None:
    """Raise the LICENSE_* error when the license's state forbids the operation."""
    blocked = blocking_state(license_status(db, lic, now), lic)
    if blocked:
        code, message = LICENSE_STATE_ERRORS[blocked]
        raise ApiError(http_status, code, message)


def cull(db: sqlite3.Connection, now: float, license_id: str | None = None) -> None:
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
