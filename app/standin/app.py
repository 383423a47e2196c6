"""The Starlette application: Licentric routes under /api/v1 and control routes under /_standin.

Admin routes chosen by the stand-in (exact real paths were not retrievable):
POST/GET /api/v1/products, /api/v1/policies, /api/v1/entitlements, /api/v1/licenses and
POST /api/v1/licenses/{id}/actions/{suspend|reinstate|revoke|renew|ban}
(also reachable as POST /api/v1/licenses/{id}/{action}).
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from . import admin
from .licensing import Principal
from .middleware import StandinMiddleware
from .schema import MAX_BODY_BYTES, issue, parse_json_body, validation_error
from .state import StandinState
from .store import entitlement_json, policy_json, product_json
from .wire import ApiError, dumps, error_body, new_request_id

log = logging.getLogger("app.standin")
Endpoint = Callable[[Request], Awaitable[Response]]
LOOPBACK = {"127.0.0.1", "::1", "localhost", "testclient"}
ACTIONS = ("suspend", "reinstate", "revoke", "renew", "ban")


def json_response(
    payload: Any, status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    return Response(dumps(payload), status, headers=headers, media_type="application/json")


def error_response(err: ApiError) -> Response:
    rid = new_request_id()
    return json_response(
        error_body(err, rid), err.status, headers={"X-Request-Id": rid, **err.headers}
    )


def api(fn: Endpoint) -> Endpoint:
    """Turn ApiError into the envelope and anything unexpected into a 500 envelope."""

    @functools.wraps(fn)
    async def wrapper(request: Request) -> Response:
        try:
            return await fn(request)
        except ApiError as err:
            return error_response(err)
        except Exception:
            log.exception("stand-in handler failed")
            return error_response(ApiError(500, "INTERNAL_ERROR", "Internal server error"))

    return wrapper


async def read_json(request: Request, *, required: bool = True) -> dict[str, Any]:
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > MAX_BODY_BYTES:
        raise validation_error(
            [
                issue(
                    [],
                    f"Request body exceeds {MAX_BODY_BYTES} bytes",
                    "too_big",
                    maximum=MAX_BODY_BYTES,
                )
            ]
        )
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise validation_error(
                [
                    issue(
                        [],
                        f"Request body exceeds {MAX_BODY_BYTES} bytes",
                        "too_big",
                        maximum=MAX_BODY_BYTES,
                    )
                ]
            )
        chunks.append(chunk)
    return parse_json_body(b"".join(chunks), required=required)


def page_args(request: Request) -> tuple[str | None, int]:
    q = request.query_params
    raw = q.get("limit", "25")
    if not raw.isdigit() or not 1 <= int(raw) <= 100:
        raise validation_error(
            [
                issue(
                    ["limit"],
                    "Limit must be an integer from 1 to 100",
                    "invalid_type" if not raw.isdigit() else "too_big",
                )
            ]
        )
    return q.get("cursor") or None, int(raw)


def build_app(state: StandinState) -> StandinMiddleware:
    lic = state.licensing
    db_tx = state.store.tx

    def auth(request: Request, scope: str, *, license_ok: bool = False) -> Principal:
        return lic.authenticate(
            request.headers.get("authorization"), scope=scope, license_ok=license_ok
        )

    # ---------------------------------------------------------------- Licentric API

    @api
    async def validate_key(request: Request) -> Response:
        try:
            body = await read_json(request)
            payload: dict[str, Any] = {"data": lic.validate(body)}
            status = 200
        except ApiError as err:
            payload, status = error_body(err, new_request_id()), err.status
        raw = dumps(payload)
        ts = int(time.time() + request.scope.get("standin.clock_offset", 0))
        return Response(
            raw,
            status,
            media_type="application/json",
            headers={
                "X-Signature": state.signer.sign_response(raw, ts),
                "X-Signature-Timestamp": str(ts),
            },
        )

    @api
    async def machines_collection(request: Request) -> Response:
        if request.method == "GET":
            auth(request, "machines:read")
            cursor, limit = page_args(request)
            items, nxt = lic.list_machines(
                request.query_params.get("licenseId") or None, cursor, limit
            )
            return json_response(
                {"data": items, "pagination": {"nextCursor": nxt, "hasMore": nxt is not None}}
            )
        who = auth(request, "machines:write", license_ok=True)
        body = await read_json(request)
        ip = request.client.host if request.client else None
        status, machine = lic.activate(who, body, ip)
        return json_response({"data": machine}, status)

    @api
    async def machine_item(request: Request) -> Response:
        mid = request.path_params["id"]
        if request.method == "DELETE":
            lic.deactivate(auth(request, "machines:write", license_ok=True), mid)
            return Response(status_code=204)
        auth(request, "machines:read")
        return json_response({"data": lic.get_machine(mid)})

    @api
    async def heartbeat(request: Request) -> Response:
        who = auth(request, "machines:write", license_ok=True)
        return json_response({"data": lic.heartbeat(who, request.path_params["id"])})

    @api
    async def license_item(request: Request) -> Response:
        auth(request, "licenses:read")
        return json_response({"data": lic.get_license(license_id=request.path_params["id"])})

    @api
    async def license_by_key(request: Request) -> Response:
        auth(request, "licenses:read")
        return json_response({"data": lic.get_license(key=request.path_params["key"])})

    @api
    async def checkout(request: Request) -> Response:
        auth(request, "licenses:read")
        body = await read_json(request)
        return json_response({"data": lic.checkout(request.path_params["id"], body)})

    @api
    async def license_action(request: Request) -> Response:
        action = request.path_params["action"]
        if action not in ACTIONS:
            raise ApiError(404, "NOT_FOUND", "Not found")
        auth(request, "licenses:write")
        body = await read_json(request, required=False)
        data = lic.lifecycle(request.path_params["id"], action, body)
        return json_response({"data": data})

    # ---------------------------------------------------------------- admin

    def listing(table: str, scope: str, render: Callable[[Any, Any], dict[str, Any]]) -> Endpoint:
        async def handler(request: Request) -> Response:
            auth(request, scope)
            cursor, limit = page_args(request)
            with db_tx() as db:
                after = 0
                if cursor:
                    row = db.execute(
                        f"SELECT rowid FROM {table} WHERE id = ?",  # noqa: S608
                        (cursor,),
                    ).fetchone()
                    if row is None:
                        raise validation_error([issue(["cursor"], "Unknown cursor", "custom")])
                    after = row[0]
                rows = db.execute(
                    f"SELECT rowid AS rid, * FROM {table} WHERE rowid > ? "  # noqa: S608
                    "ORDER BY rowid LIMIT ?",
                    (after, limit + 1),
                ).fetchall()
                items = [render(db, r) for r in rows[:limit]]
            nxt = items[-1]["id"] if len(rows) > limit else None
            return json_response(
                {"data": items, "pagination": {"nextCursor": nxt, "hasMore": nxt is not None}}
            )

        return handler

    def creator(
        scope: str, create: Callable[..., dict[str, Any]], list_handler: Endpoint
    ) -> Endpoint:
        @api
        async def handler(request: Request) -> Response:
            if request.method == "GET":
                return await list_handler(request)
            auth(request, scope)
            body = await read_json(request)
            with db_tx() as db:
                return json_response({"data": create(db, state.clock.now(), body)}, 201)

        return handler

    def render_license(db: Any, row: Any) -> dict[str, Any]:
        return lic.license_json(db, lic._license_by_id(db, row["id"]), state.clock.now())

    def create_license(db: Any, now: float, body: dict[str, Any]) -> dict[str, Any]:
        lid, key = admin.create_license(db, now, body)
        return {**lic.license_json(db, lic._license_by_id(db, lid), now), "key": key}

    products = creator(
        "products:write",
        admin.create_product,
        listing("products", "products:read", lambda _db, r: product_json(r)),
    )
    policies = creator(
        "policies:write",
        admin.create_policy,
        listing("policies", "policies:read", lambda _db, r: policy_json(r)),
    )
    entitlements = creator(
        "entitlements:write",
        admin.create_entitlement,
        listing("entitlements", "entitlements:read", lambda _db, r: entitlement_json(r)),
    )
    licenses = creator(
        "licenses:write", create_license, listing("licenses", "licenses:read", render_license)
    )

    # ---------------------------------------------------------------- /_standin control

    def control(fn: Endpoint) -> Endpoint:
        @api
        @functools.wraps(fn)
        async def wrapper(request: Request) -> Response:
            host = request.client.host if request.client else ""
            if host not in LOOPBACK:
                raise ApiError(403, "FORBIDDEN", "Stand-in control routes are loopback only")
            return await fn(request)

        return wrapper

    @control
    async def c_fixtures(request: Request) -> Response:
        return json_response(state.fixtures)

    @control
    async def c_fixture_details(request: Request) -> Response:
        return json_response(state.fixture_details)

    @control
    async def c_reset(request: Request) -> Response:
        state.reset()
        return json_response(state.fixtures)

    @control
    async def c_faults(request: Request) -> Response:
        if request.method == "DELETE":
            state.faults.clear()
            return Response(status_code=204)
        if request.method == "GET":
            return json_response({"data": state.faults.list()})
        fault = state.faults.add(await read_json(request))
        return json_response({"data": fault.__dict__}, 201)

    @control
    async def c_config(request: Request) -> Response:
        if request.method == "POST":
            body = await read_json(request)
            state.configure(
                duplicate_activation_ok=body.get("duplicateActivationOk"),
                rate_limits=body.get("rateLimits"),
                rate_window=body.get("rateWindowSeconds"),
            )
        return json_response(state.config())

    @control
    async def c_clock(request: Request) -> Response:
        if request.method == "POST":
            body = await read_json(request)
            if "shiftSeconds" in body:
                state.clock.shift = float(body["shiftSeconds"])
            state.clock.shift += float(body.get("advanceSeconds", 0))
        return json_response({"shiftSeconds": state.clock.shift, "now": state.clock.now()})

    @control
    async def c_health(request: Request) -> Response:
        return json_response({"ok": True})

    v1 = "/api/v1"
    routes = [
        Route(f"{v1}/licenses/validate-key", validate_key, methods=["POST"]),
        Route(f"{v1}/machines", machines_collection, methods=["GET", "POST"]),
        Route(f"{v1}/machines/{{id}}", machine_item, methods=["GET", "DELETE"]),
        Route(f"{v1}/machines/{{id}}/heartbeat", heartbeat, methods=["POST"]),
        Route(f"{v1}/licenses/by-key/{{key:path}}", license_by_key, methods=["GET"]),
        Route(f"{v1}/licenses", licenses, methods=["GET", "POST"]),
        Route(f"{v1}/licenses/{{id}}", license_item, methods=["GET"]),
        Route(f"{v1}/licenses/{{id}}/checkout", checkout, methods=["POST"]),
        Route(f"{v1}/licenses/{{id}}/actions/{{action}}", license_action, methods=["POST"]),
        Route(f"{v1}/licenses/{{id}}/{{action}}", license_action, methods=["POST"]),
        Route(f"{v1}/products", products, methods=["GET", "POST"]),
        Route(f"{v1}/policies", policies, methods=["GET", "POST"]),
        Route(f"{v1}/entitlements", entitlements, methods=["GET", "POST"]),
        Route("/_standin/fixtures", c_fixtures, methods=["GET"]),
        Route("/_standin/fixtures/details", c_fixture_details, methods=["GET"]),
        Route("/_standin/reset", c_reset, methods=["POST"]),
        Route("/_standin/faults", c_faults, methods=["GET", "POST", "DELETE"]),
        Route("/_standin/config", c_config, methods=["GET", "POST"]),
        Route("/_standin/clock", c_clock, methods=["GET", "POST"]),
        Route("/_standin/health", c_health, methods=["GET"]),
    ]

    async def http_error(request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        code = {404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED"}.get(status, "INTERNAL_ERROR")
        return error_response(
            ApiError(
                status,
                code,
                "Not found"
                if status == 404
                else "Method not allowed"
                if status == 405
                else "Internal server error",
            )
        )

    app = Starlette(
        routes=routes, exception_handlers={HTTPException: http_error, Exception: http_error}
    )
    return StandinMiddleware(app, state.faults, state.limiter)
