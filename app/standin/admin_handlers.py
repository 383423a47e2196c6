"""The admin collections (products, policies, entitlements, licenses): list with cursor, create."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from . import admin, records
from .handlers import auth
from .http import Endpoint, api, json_response, page, page_args, read_json, state_of
from .license_admin import license_json
from .schema import issue, validation_error
from .store import entitlement_json, policy_json, product_json

Render = Callable[[sqlite3.Connection, sqlite3.Row, float], dict[str, Any]]
Create = Callable[[sqlite3.Connection, float, dict[str, Any]], dict[str, Any]]


def _rows_after(
    db: sqlite3.Connection, table: str, cursor: str | None, limit: int
) -> list[sqlite3.Row]:
    after = 0
    if cursor:
        row = db.execute(
            f"SELECT rowid FROM {table} WHERE id = ?",  # noqa: S608
            (cursor,),
        ).fetchone()
        if row is None:
            raise validation_error([issue(["cursor"], "Unknown cursor", "custom")])
        after = row[0]
    return db.execute(
        f"SELECT rowid AS rid, * FROM {table} WHERE rowid > ? "  # noqa: S608
        "ORDER BY rowid LIMIT ?",
        (after, limit + 1),
    ).fetchall()


def collection(table: str, scope: str, render: Render, create: Create) -> Endpoint:
    """GET lists the table page by page (`<table>:read`); POST creates (`<table>:write`)."""

    @api
    async def handler(request: Request) -> Response:
        state = state_of(request)
        if request.method == "POST":
            auth(request, f"{scope}:write")
            body = await read_json(request)
            with state.store.tx() as db:
                return json_response({"data": create(db, state.clock.now(), body)}, 201)
        auth(request, f"{scope}:read")
        cursor, limit = page_args(request)
        with state.store.tx() as db:
            rows = _rows_after(db, table, cursor, limit)
            items = [render(db, r, state.clock.now()) for r in rows[:limit]]
        return page(items, items[-1]["id"] if len(rows) > limit else None)

    return handler


def _render_license(db: sqlite3.Connection, row: sqlite3.Row, now: float) -> dict[str, Any]:
    return license_json(db, records.license_by_id(db, row["id"]), now)


def _create_license(db: sqlite3.Connection, now: float, body: dict[str, Any]) -> dict[str, Any]:
    lid, key = admin.create_license(db, now, body)
    return {**license_json(db, records.license_by_id(db, lid), now), "key": key}


products = collection(
    "products", "products", lambda _db, r, _now: product_json(r), admin.create_product
)
policies = collection(
    "policies", "policies", lambda _db, r, _now: policy_json(r), admin.create_policy
)
entitlements = collection(
    "entitlements",
    "entitlements",
    lambda _db, r, _now: entitlement_json(r),
    admin.create_entitlement,
)
licenses = collection("licenses", "licenses", _render_license, _create_license)
