"""SQLite storage: one connection, one lock, IMMEDIATE transactions, row -> wire mapping."""

from __future__ import annotations

import json
import math
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from .wire import iso

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS products (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, code TEXT, metadata TEXT NOT NULL DEFAULT '{}',
  created_at REAL NOT NULL, updated_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS policies (
  id TEXT PRIMARY KEY, product_id TEXT NOT NULL, name TEXT NOT NULL, template TEXT,
  max_machines INTEGER, max_uses INTEGER, floating INTEGER NOT NULL DEFAULT 0,
  duration_days INTEGER, expiration_strategy TEXT NOT NULL DEFAULT 'RESTRICT_ACCESS',
  require_heartbeat INTEGER NOT NULL DEFAULT 0,
  heartbeat_interval_seconds REAL NOT NULL DEFAULT 3600,
  heartbeat_cull_strategy TEXT NOT NULL DEFAULT 'DEACTIVATE_DEAD',
  require_fingerprint INTEGER NOT NULL DEFAULT 1,
  fingerprint_uniqueness TEXT NOT NULL DEFAULT 'PER_LICENSE',
  offline_allowed INTEGER NOT NULL DEFAULT 1, offline_max_days INTEGER NOT NULL DEFAULT 14,
  allow_machine_transfer INTEGER NOT NULL DEFAULT 0, is_trial INTEGER NOT NULL DEFAULT 0,
  trial_duration_days INTEGER, overridable INTEGER NOT NULL DEFAULT 1,
  entitlements TEXT NOT NULL DEFAULT '[]', metadata TEXT NOT NULL DEFAULT '{}',
  created_at REAL NOT NULL, updated_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS entitlements (
  id TEXT PRIMARY KEY, code TEXT NOT NULL UNIQUE, name TEXT,
  created_at REAL NOT NULL, updated_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS licenses (
  id TEXT PRIMARY KEY, key TEXT NOT NULL UNIQUE, name TEXT, status TEXT NOT NULL,
  product_id TEXT NOT NULL, policy_id TEXT NOT NULL, user_email TEXT, user_name TEXT,
  expires_at REAL, max_machines_override INTEGER, max_uses_override INTEGER,
  uses_count INTEGER NOT NULL DEFAULT 0, entitlements TEXT NOT NULL DEFAULT '[]',
  metadata TEXT NOT NULL DEFAULT '{}', suspended_at REAL, revoked_at REAL, banned_at REAL,
  created_at REAL NOT NULL, updated_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS machines (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, license_id TEXT NOT NULL,
  fingerprint TEXT NOT NULL, name TEXT, platform TEXT, hostname TEXT, cores INTEGER,
  ip_address TEXT, last_heartbeat_at REAL, metadata TEXT NOT NULL DEFAULT '{}',
  created_at REAL NOT NULL, updated_at REAL NOT NULL, deleted_at REAL);
CREATE INDEX IF NOT EXISTS machines_by_license ON machines(license_id, deleted_at);
CREATE INDEX IF NOT EXISTS machines_by_fingerprint ON machines(fingerprint, deleted_at);
CREATE TABLE IF NOT EXISTS api_keys (key TEXT PRIMARY KEY, name TEXT, scopes TEXT NOT NULL);
"""

DATA_TABLES = ("machines", "licenses", "entitlements", "policies", "products", "api_keys")

# The license row with its policy and product, as the hot paths need it.
LICENSE_SELECT = """
SELECT l.*, p.name AS p_name, p.max_machines AS p_max_machines, p.max_uses AS p_max_uses,
  p.expiration_strategy AS p_expiration_strategy, p.require_heartbeat AS p_require_heartbeat,
  p.heartbeat_interval_seconds AS p_heartbeat_interval_seconds,
  p.heartbeat_cull_strategy AS p_heartbeat_cull_strategy,
  p.fingerprint_uniqueness AS p_fingerprint_uniqueness, p.offline_allowed AS p_offline_allowed,
  p.offline_max_days AS p_offline_max_days, p.overridable AS p_overridable,
  p.entitlements AS p_entitlements, pr.name AS product_name
FROM licenses l JOIN policies p ON p.id = l.policy_id LEFT JOIN products pr ON pr.id = l.product_id
"""


class Store:
    """One shared connection; every unit of work runs under the lock in a transaction."""

    def __init__(self, path: str | None) -> None:
        self.path = path or ":memory:"
        self.conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self.conn.row_factory = sqlite3.Row
        if self.path != ":memory:":
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
        self.lock = threading.RLock()
        with self.lock:
            self.conn.executescript(SCHEMA)

    @contextmanager
    def tx(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT under the lock: no reader ever sees half a change."""
        with self.lock:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")

    def meta_get(self, key: str) -> str | None:
        with self.lock:
            row = self.conn.execute("SELECT v FROM meta WHERE k = ?", (key,)).fetchone()
        return row[0] if row else None

    def close(self) -> None:
        with self.lock:
            self.conn.close()


# ---------------------------------------------------------------- row -> wire objects


def _bool(v: Any) -> bool:
    return bool(v)


def interval_minutes(seconds: float) -> int:
    """The documented field is an int >= 1 (the column keeps seconds, always whole minutes)."""
    return max(1, math.ceil(seconds / 60))


def policy_json(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "id": row["id"],
        "productId": row["product_id"],
        "name": row["name"],
        "template": row["template"],
        "maxMachines": row["max_machines"],
        "maxUses": row["max_uses"],
        "floating": _bool(row["floating"]),
        "durationDays": row["duration_days"],
        "expirationStrategy": row["expiration_strategy"],
        "requireHeartbeat": _bool(row["require_heartbeat"]),
        "heartbeatIntervalMinutes": interval_minutes(row["heartbeat_interval_seconds"]),
        "heartbeatCullStrategy": row["heartbeat_cull_strategy"],
        "requireFingerprint": _bool(row["require_fingerprint"]),
        "fingerprintUniqueness": row["fingerprint_uniqueness"],
        "offlineAllowed": _bool(row["offline_allowed"]),
        "offlineMaxDays": row["offline_max_days"],
        "allowMachineTransfer": _bool(row["allow_machine_transfer"]),
        "isTrial": _bool(row["is_trial"]),
        "trialDurationDays": row["trial_duration_days"],
        "overridable": _bool(row["overridable"]),
        "metadata": json.loads(row["metadata"]),
        "createdAt": iso(row["created_at"]),
        "updatedAt": iso(row["updated_at"]),
    }


def product_json(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "id": row["id"],
        "name": row["name"],
        "code": row["code"],
        "metadata": json.loads(row["metadata"]),
        "createdAt": iso(row["created_at"]),
        "updatedAt": iso(row["updated_at"]),
    }


def entitlement_json(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "id": row["id"],
        "code": row["code"],
        "name": row["name"],
        "createdAt": iso(row["created_at"]),
        "updatedAt": iso(row["updated_at"]),
    }


MACHINE_SELECT = """
SELECT m.*, p.require_heartbeat AS p_require_heartbeat,
  p.heartbeat_interval_seconds AS p_heartbeat_interval_seconds
FROM machines m JOIN licenses l ON l.id = m.license_id JOIN policies p ON p.id = l.policy_id
"""


def heartbeat_status(row: sqlite3.Row, now: float) -> str:
    """NOT_STARTED until the first heartbeat, ALIVE after, DEAD once a full interval passed
    without one (only on heartbeat policies; the activation time counts as the start)."""
    last = row["last_heartbeat_at"]
    if row["p_require_heartbeat"]:
        since = last if last is not None else row["created_at"]
        if now - since > row["p_heartbeat_interval_seconds"]:
            return "DEAD"
    return "NOT_STARTED" if last is None else "ALIVE"


def machine_json(row: sqlite3.Row, now: float) -> dict[str, Any]:
    return {
        "id": row["id"],
        "licenseId": row["license_id"],
        "fingerprint": row["fingerprint"],
        "name": row["name"],
        "platform": row["platform"],
        "hostname": row["hostname"],
        "cores": row["cores"],
        "ipAddress": row["ip_address"],
        "heartbeatStatus": heartbeat_status(row, now),
        "lastHeartbeatAt": iso(row["last_heartbeat_at"]),
        "metadata": json.loads(row["metadata"]),
        "createdAt": iso(row["created_at"]),
        "updatedAt": iso(row["updated_at"]),
    }
