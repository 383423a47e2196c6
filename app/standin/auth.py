"""Who is calling: License and Bearer credentials checked against the store (401 / 403)."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field

from .records import license_by_key
from .store import Store
from .wire import ApiError


@dataclass
class Principal:
    """A license (License auth) or an API key (Bearer) with its scopes."""

    kind: str  # "license" | "api_key"
    license: sqlite3.Row | None = None
    scopes: list[str] = field(default_factory=list)

    def allows(self, scope: str) -> bool:
        return self.kind == "api_key" and (not self.scopes or scope in self.scopes)


def authenticate(
    store: Store, authorization: str | None, *, scope: str, license_ok: bool
) -> Principal:
    """License or Bearer credentials -> Principal, or 401 / 403."""
    if not authorization:
        raise ApiError(401, "UNAUTHORIZED", "Missing Authorization header")
    scheme, _, cred = authorization.strip().partition(" ")
    cred, scheme = cred.strip(), scheme.lower()
    if scheme == "license":
        return _license_principal(store, cred, scope, license_ok)
    if scheme == "bearer":
        return _api_key_principal(store, cred, scope)
    raise ApiError(401, "UNAUTHORIZED", "Unsupported Authorization scheme")


def _license_principal(store: Store, key: str, scope: str, license_ok: bool) -> Principal:
    if not license_ok:
        raise ApiError(
            403,
            "FORBIDDEN",
            "License keys cannot access this endpoint; use an API key",
            {"requiredScope": scope},
        )
    with store.lock:
        lic = license_by_key(store.conn, key)
    if lic is None:
        raise ApiError(401, "UNAUTHORIZED", "Invalid license key")
    return Principal("license", license=lic)


def _api_key_principal(store: Store, key: str, scope: str) -> Principal:
    with store.lock:
        row = store.conn.execute("SELECT scopes FROM api_keys WHERE key = ?", (key,)).fetchone()
    if row is None:
        raise ApiError(401, "UNAUTHORIZED", "Invalid API key")
    principal = Principal("api_key", scopes=json.loads(row["scopes"]))
    if not principal.allows(scope):
        raise ApiError(
            403, "FORBIDDEN", f"API key lacks the '{scope}' scope", {"requiredScope": scope}
        )
    return principal
