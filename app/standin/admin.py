"""Admin writes (products, policies, entitlements, licenses), shared by the API and the seed."""

from __future__ import annotations

import json
import secrets
import sqlite3
import uuid
from typing import Any

from .schema import Field, check, issue, validation_error
from .store import entitlement_json, policy_json, product_json
from .wire import ApiError, parse_iso

KEY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # uppercase alnum without 0/O/1/I

PRODUCT_FIELDS = {
    "name": Field("string", required=True, min=1, max=255),
    "code": Field("string", nullable=True, max=255),
    "metadata": Field("object", nullable=True),
}
ENTITLEMENT_FIELDS = {
    "code": Field("string", required=True, min=1, max=255),
    "name": Field("string", nullable=True, max=255),
}
POLICY_FIELDS = {
    "productId": Field("string", required=True, min=1),
    "name": Field("string", required=True, min=1, max=255),
    "template": Field(
        "string", nullable=True, choices=("desktop_app", "cli_tool", "saas", "trial", "custom")
    ),
    "maxMachines": Field("int", nullable=True, min=1),
    "maxUses": Field("int", nullable=True, min=1),
    "floating": Field("bool"),
    "durationDays": Field("int", nullable=True, min=1),
    "expirationStrategy": Field("string", choices=("RESTRICT_ACCESS", "ALLOW_ACCESS", "REVOKE")),
    "requireHeartbeat": Field("bool"),
    "heartbeatIntervalMinutes": Field("int", min=1),
    "heartbeatCullStrategy": Field("string", choices=("DEACTIVATE_DEAD", "KEEP_DEAD")),
    "requireFingerprint": Field("bool"),
    "fingerprintUniqueness": Field("string", choices=("PER_LICENSE", "PER_POLICY", "PER_ACCOUNT")),
    "offlineAllowed": Field("bool"),
    "offlineMaxDays": Field("int", min=1),
    "allowMachineTransfer": Field("bool"),
    "isTrial": Field("bool"),
    "trialDurationDays": Field("int", nullable=True, min=1),
    "overridable": Field("bool"),
    "entitlements": Field("strings"),  # stand-in extension: entitlement codes
    "metadata": Field("object", nullable=True),
}
LICENSE_FIELDS = {
    "productId": Field("string", min=1),
    "policyId": Field("string", required=True, min=1),
    "name": Field("string", nullable=True, max=255),
    "expiresAt": Field("datetime", nullable=True),
    "maxMachinesOverride": Field("int", nullable=True, min=1),
    "maxUsesOverride": Field("int", nullable=True, min=1),
    "userEmail": Field("string", nullable=True, max=255),
    "userName": Field("string", nullable=True, max=255),
    "entitlementIds": Field("strings"),
    "entitlements": Field("strings"),  # stand-in extension: codes directly
    "metadata": Field("object", nullable=True),
    "key": Field("string", min=4, max=255),  # stand-in extension: choose the key
    "usesCount": Field("int", min=0),  # stand-in extension (seeding)
}


def random_key(prefix: str = "DEMO", rand: Any = None) -> str:
    pick = rand.choice if rand is not None else secrets.choice
    groups = ["".join(pick(KEY_ALPHABET) for _ in range(4)) for _ in range(4)]
    return "-".join([prefix, *groups])


def create_product(
    db: sqlite3.Connection, now: float, body: dict[str, Any], pid: str | None = None
) -> dict[str, Any]:
    data = check(body, PRODUCT_FIELDS)
    pid = pid or str(uuid.uuid4())
    db.execute(
        "INSERT INTO products (id, name, code, metadata, created_at, updated_at) "
        "VALUES (?,?,?,?,?,?)",
        (pid, data["name"], data.get("code"), json.dumps(data.get("metadata") or {}), now, now),
    )
    return product_json(db.execute("SELECT * FROM products WHERE id=?", (pid,)).fetchone())


def create_entitlement(
    db: sqlite3.Connection, now: float, body: dict[str, Any], eid: str | None = None
) -> dict[str, Any]:
    data = check(body, ENTITLEMENT_FIELDS)
    if db.execute("SELECT 1 FROM entitlements WHERE code=?", (data["code"],)).fetchone():
        raise ApiError(409, "CONFLICT", "Entitlement code already exists")
    eid = eid or str(uuid.uuid4())
    db.execute(
        "INSERT INTO entitlements (id, code, name, created_at, updated_at) VALUES (?,?,?,?,?)",
        (eid, data["code"], data.get("name"), now, now),
    )
    return entitlement_json(db.execute("SELECT * FROM entitlements WHERE id=?", (eid,)).fetchone())


def _require_row(db: sqlite3.Connection, table: str, rid: str, path: str) -> sqlite3.Row:
    row = db.execute(f"SELECT * FROM {table} WHERE id = ?", (rid,)).fetchone()  # noqa: S608
    if row is None:
        raise ApiError(
            422,
            "REFERENCE_NOT_FOUND",
            f"{path} does not reference an existing row",
            {"field": path},
        )
    return row


def create_policy(
    db: sqlite3.Connection, now: float, body: dict[str, Any], pid: str | None = None
) -> dict[str, Any]:
    d = check(body, POLICY_FIELDS)
    _require_row(db, "products", d["productId"], "productId")
    interval = d.get("heartbeatIntervalMinutes", 60) * 60  # stored in seconds
    pid = pid or str(uuid.uuid4())
    db.execute(
        "INSERT INTO policies (id, product_id, name, template, max_machines, max_uses, floating, "
        "duration_days, expiration_strategy, require_heartbeat, heartbeat_interval_seconds, "
        "heartbeat_cull_strategy, require_fingerprint, fingerprint_uniqueness, offline_allowed, "
        "offline_max_days, allow_machine_transfer, is_trial, trial_duration_days, overridable, "
        "entitlements, metadata, created_at, updated_at) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (
            pid,
            d["productId"],
            d["name"],
            d.get("template"),
            d.get("maxMachines"),
            d.get("maxUses"),
            d.get("floating", False),
            d.get("durationDays"),
            d.get("expirationStrategy", "RESTRICT_ACCESS"),
            d.get("requireHeartbeat", False),
            interval,
            d.get("heartbeatCullStrategy", "DEACTIVATE_DEAD"),
            d.get("requireFingerprint", True),
            d.get("fingerprintUniqueness", "PER_LICENSE"),
            d.get("offlineAllowed", True),
            d.get("offlineMaxDays", 14),
            d.get("allowMachineTransfer", False),
            d.get("isTrial", False),
            d.get("trialDurationDays"),
            d.get("overridable", True),
            json.dumps(d.get("entitlements", [])),
            json.dumps(d.get("metadata") or {}),
            now,
            now,
        ),
    )
    return policy_json(db.execute("SELECT * FROM policies WHERE id=?", (pid,)).fetchone())


def create_license(
    db: sqlite3.Connection,
    now: float,
    body: dict[str, Any],
    lid: str | None = None,
    key: str | None = None,
) -> tuple[str, str]:
    """Insert a license; returns (id, key). The caller renders it."""
    d = check(body, LICENSE_FIELDS)
    policy = _require_row(db, "policies", d["policyId"], "policyId")
    product_id = d.get("productId") or policy["product_id"]
    if product_id != policy["product_id"]:
        raise validation_error(
            [issue(["productId"], "Policy belongs to another product", "custom")]
        )
    _require_row(db, "products", product_id, "productId")
    codes = list(d.get("entitlements", []))
    for eid in d.get("entitlementIds", []):
        codes.append(_require_row(db, "entitlements", eid, "entitlementIds")["code"])
    key = key or d.get("key") or random_key()
    if db.execute("SELECT 1 FROM licenses WHERE key = ?", (key,)).fetchone():
        raise ApiError(409, "CONFLICT", "License key already exists")
    expires = parse_iso(d["expiresAt"]) if d.get("expiresAt") else None
    if "expiresAt" not in d and policy["duration_days"]:
        expires = now + policy["duration_days"] * 86400
    lid = lid or str(uuid.uuid4())
    db.execute(
        "INSERT INTO licenses (id, key, name, status, product_id, policy_id, user_email, "
        "user_name, expires_at, max_machines_override, max_uses_override, uses_count, "
        "entitlements, metadata, created_at, updated_at) "
        "VALUES (?,?,?,'active',?,?,?,?,?,?,?,?,?,?,?,?)",
        (
            lid,
            key,
            d.get("name"),
            product_id,
            d["policyId"],
            d.get("userEmail"),
            d.get("userName"),
            expires,
            d.get("maxMachinesOverride"),
            d.get("maxUsesOverride"),
            d.get("usesCount", 0),
            json.dumps(list(dict.fromkeys(codes))),
            json.dumps(d.get("metadata") or {}),
            now,
            now,
        ),
    )
    return lid, key
