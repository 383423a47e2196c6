"""Deterministic demo/test data: the fixture scenarios, API keys and signing keys.

Everything is derived from one seed string kept in the database, so the same database
(or the same seed) always yields the same keys, ids and signing keys.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import random
import secrets
import sqlite3
import uuid
from typing import Any

from .admin import create_entitlement, create_license, create_policy, create_product, random_key
from .store import DATA_TABLES, Store

DEFAULT_SEED = "licentric-standin-v1"
DAY = 86400.0
HEARTBEAT_FIXTURE_MINUTES = 1  # tests move the clock (/_standin/clock) past it

# `expect`: the code validate-key answers for the key alone with entitlements ["pro"]
# (with an unknown fingerprint every usable license answers FINGERPRINT_NOT_FOUND).
POLICIES: dict[str, dict[str, Any]] = {
    "standard": {"maxMachines": 3, "offlineAllowed": False},
    "allow-access": {
        "maxMachines": 3,
        "offlineAllowed": False,
        "expirationStrategy": "ALLOW_ACCESS",
    },
    "revoke-on-expiry": {"maxMachines": 3, "offlineAllowed": False, "expirationStrategy": "REVOKE"},
    "two-seats": {"maxMachines": 2, "offlineAllowed": False},
    "heartbeat": {
        "maxMachines": 3,
        "offlineAllowed": False,
        "requireHeartbeat": True,
        "heartbeatIntervalMinutes": HEARTBEAT_FIXTURE_MINUTES,
        "heartbeatCullStrategy": "DEACTIVATE_DEAD",
    },
    "heartbeat-keep-dead": {
        "maxMachines": 3,
        "offlineAllowed": False,
        "requireHeartbeat": True,
        "heartbeatIntervalMinutes": HEARTBEAT_FIXTURE_MINUTES,
        "heartbeatCullStrategy": "KEEP_DEAD",
    },
    "metered": {"maxMachines": 3, "offlineAllowed": False, "maxUses": 5},
    "offline": {
        "maxMachines": 3,
        "offlineAllowed": True,
        "offlineMaxDays": 14,
        "template": "desktop_app",
    },
}

BOTH = ["basic", "pro"]
SCENARIOS: list[dict[str, Any]] = [
    {"name": "valid", "policy": "standard", "person": "Jane Doe", "days": 365, "expect": "VALID"},
    {"name": "valid-2", "policy": "standard", "person": "Sam Lee", "days": 365, "expect": "VALID"},
    {
        "name": "expired",
        "policy": "standard",
        "person": "Ada Byron",
        "days": -10,
        "expect": "EXPIRED",
    },
    {
        "name": "expired-allow-access",
        "policy": "allow-access",
        "person": "Grace Park",
        "days": -10,
        "expect": "EXPIRED",
    },
    {
        "name": "expired-revoke",
        "policy": "revoke-on-expiry",
        "person": "Tim Berg",
        "days": -10,
        "expect": "REVOKED",
    },
    {
        "name": "suspended",
        "policy": "standard",
        "person": "Ken Ito",
        "days": 365,
        "status": "suspended",
        "expect": "SUSPENDED",
    },
    {
        "name": "revoked",
        "policy": "standard",
        "person": "Lin Wu",
        "days": 365,
        "status": "revoked",
        "expect": "REVOKED",
    },
    {
        "name": "banned",
        "policy": "standard",
        "person": "Max Ruiz",
        "days": 365,
        "status": "banned",
        "expect": "BANNED",
    },
    {
        "name": "seat-limit",
        "policy": "two-seats",
        "person": "Olga Nowak",
        "days": 365,
        "machines": [
            ("Old laptop", "windows", "old-laptop", 200, None),
            ("Office PC", "windows", "office-pc", 45, 3),
        ],
        "expect": "VALID",
    },
    {
        "name": "heartbeat",
        "policy": "heartbeat",
        "person": "Pia Schulz",
        "days": 365,
        "expect": "VALID",
    },
    {
        "name": "heartbeat-keep-dead",
        "policy": "heartbeat-keep-dead",
        "person": "Raj Patel",
        "days": 365,
        "expect": "VALID",
    },
    {
        "name": "entitlements",
        "policy": "standard",
        "person": "Eve Martin",
        "days": 365,
        "entitlements": ["basic"],
        "expect": "ENTITLEMENTS_MISSING",
    },
    {
        "name": "uses-exceeded",
        "policy": "metered",
        "person": "Noah Kim",
        "days": 365,
        "usesCount": 5,
        "expect": "USES_EXCEEDED",
    },
    {"name": "offline", "policy": "offline", "person": "Uma Rossi", "days": 365, "expect": "VALID"},
    {
        "name": "one-seat",
        "policy": "standard",
        "person": "Ivy Chen",
        "days": 365,
        "maxMachinesOverride": 1,
        "expect": "VALID",
    },
]

API_KEYS = {
    "apiKey": [],
    "apiKeyReadOnly": ["licenses:read"],
    "apiKeyRelay": ["machines:read", "machines:write", "licenses:read"],
    "apiKeyRelayNoWrite": ["machines:read", "licenses:read"],
    "apiKeyMachinesOnly": ["machines:read"],
}


def derive(seed: str, label: str) -> bytes:
    return hmac.new(seed.encode(), label.encode(), hashlib.sha256).digest()


def det_id(seed: str, label: str) -> str:
    return str(uuid.UUID(bytes=derive(seed, "id:" + label)[:16], version=4))


def det_key(seed: str, label: str) -> str:
    return random_key("DEMO", random.Random(derive(seed, "key:" + label)))  # noqa: S311


def api_key(secret: str, label: str) -> str:
    """The API key ``label`` derived from ``secret`` (the seed, or a public database's own)."""
    return "lk_test_" + derive(secret, "api-key:" + label).hex()[:32]


def insert_api_keys(db: sqlite3.Connection, secret: str) -> None:
    """Replace every API key by the ones derived from ``secret``."""
    db.execute("DELETE FROM api_keys")
    for label, scopes in API_KEYS.items():
        db.execute(
            "INSERT INTO api_keys VALUES (?,?,?)",
            (api_key(secret, label), label, json.dumps(scopes)),
        )


def public_api_secret(store: Store) -> str:
    """A random secret for this database's API keys, made once and kept in it: a stand-in
    reachable from other computers must not use keys anyone can derive from the public seed."""
    with store.tx() as db:
        row = db.execute("SELECT v FROM meta WHERE k = 'api_key_secret'").fetchone()
        secret = row[0] if row else secrets.token_hex(32)
        if row is None:
            db.execute("INSERT INTO meta VALUES ('api_key_secret', ?)", (secret,))
        insert_api_keys(db, secret)
    return secret


def ensure_secrets(store: Store, seed: str) -> tuple[str, str, bytes]:
    """(seed, signing key hex, Ed25519 private seed) - kept in the DB on first use."""
    with store.tx() as db:
        row = db.execute("SELECT v FROM meta WHERE k = 'seed'").fetchone()
        if row is None:
            db.execute("INSERT INTO meta VALUES ('seed', ?)", (seed,))
            db.execute(
                "INSERT INTO meta VALUES ('signing_key', ?)", (derive(seed, "signing-key").hex(),)
            )
            db.execute(
                "INSERT INTO meta VALUES ('ed25519_seed', ?)", (derive(seed, "ed25519").hex(),)
            )
        values = dict(db.execute("SELECT k, v FROM meta").fetchall())
    return values["seed"], values["signing_key"], bytes.fromhex(values["ed25519_seed"])


def is_seeded(store: Store) -> bool:
    return store.meta_get("seeded") == "1"


def seed_data(
    db: sqlite3.Connection, seed: str, now: float, api_secret: str | None = None
) -> dict[str, dict[str, Any]]:
    """Wipe all data tables and insert the scenarios. Returns scenario -> details."""
    for table in DATA_TABLES:
        db.execute(f"DELETE FROM {table}")  # noqa: S608
    product = create_product(
        db, now - 400 * DAY, {"name": "Studio Pro", "code": "studio-pro"}, det_id(seed, "product")
    )
    for code in ("basic", "pro"):
        create_entitlement(
            db,
            now - 400 * DAY,
            {"code": code, "name": code.title()},
            det_id(seed, "entitlement:" + code),
        )
    policy_ids = {}
    for pname, fields in POLICIES.items():
        body = {"productId": product["id"], "name": f"Studio Pro — {pname}", **fields}
        policy_ids[pname] = create_policy(
            db, now - 400 * DAY, body, det_id(seed, "policy:" + pname)
        )["id"]
    details: dict[str, dict[str, Any]] = {}
    for sc in SCENARIOS:
        name = sc["name"]
        body: dict[str, Any] = {
            "policyId": policy_ids[sc["policy"]],
            "name": f"Studio Pro — {sc['person']}",
            "userName": sc["person"],
            "userEmail": sc["person"].lower().replace(" ", ".") + "@example.com",
            "entitlements": sc.get("entitlements", BOTH),
            "usesCount": sc.get("usesCount", 0),
        }
        if "maxMachinesOverride" in sc:
            body["maxMachinesOverride"] = sc["maxMachinesOverride"]
        created = now - 120 * DAY
        lid, key = create_license(
            db, created, body, det_id(seed, "license:" + name), det_key(seed, name)
        )
        db.execute("UPDATE licenses SET expires_at = ? WHERE id = ?", (now + sc["days"] * DAY, lid))
        status = sc.get("status")
        if status:
            db.execute(
                f"UPDATE licenses SET status = ?, {status}_at = ? WHERE id = ?",  # noqa: S608
                (status, now - 5 * DAY, lid),
            )
        for mname, platform, host, age_days, seen_days_ago in sc.get("machines", []):
            at = now - age_days * DAY
            seen = None if seen_days_ago is None else now - seen_days_ago * DAY
            db.execute(
                "INSERT INTO machines (id, license_id, fingerprint, name, platform, hostname, "
                "cores, ip_address, last_heartbeat_at, metadata, created_at, updated_at) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    det_id(seed, f"machine:{name}:{host}"),
                    lid,
                    derive(seed, f"fingerprint:{name}:{host}").hex(),
                    mname,
                    platform,
                    host,
                    4,
                    "192.0.2.10",
                    seen,
                    "{}",
                    at,
                    seen or at,
                ),
            )
        details[name] = {
            "key": key,
            "licenseId": lid,
            "expectedCode": sc["expect"],
            "policy": sc["policy"],
        }
    insert_api_keys(db, api_secret or seed)
    db.execute("INSERT OR REPLACE INTO meta VALUES ('seeded', '1')")
    return details


def fixture_map(
    seed: str, signing_key: str, public_key: str, api_secret: str | None = None
) -> dict[str, str]:
    """Flat JSON for --print-fixtures: scenario -> license key, plus API and signing keys."""
    out: dict[str, str] = {}
    for sc in SCENARIOS:
        out[sc["name"]] = det_key(seed, sc["name"])
    for label in API_KEYS:
        out[label] = api_key(api_secret or seed, label)
    out["signingKey"] = signing_key
    out["publicKey"] = public_key
    return out


def fixture_details(seed: str) -> dict[str, dict[str, Any]]:
    return {
        sc["name"]: {
            "key": det_key(seed, sc["name"]),
            "licenseId": det_id(seed, "license:" + sc["name"]),
            "expectedCode": sc["expect"],
            "policy": sc["policy"],
        }
        for sc in SCENARIOS
    }
