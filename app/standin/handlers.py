"""The Licentric API handlers: validate-key, machines, heartbeats, licenses, checkout, actions."""

from __future__ import annotations

import time
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from .auth import Principal, authenticate
from .http import api, json_response, page, page_args, read_json, state_of
from .wire import ApiError, dumps, error_body, new_request_id

ACTIONS = ("suspend", "reinstate", "revoke", "renew", "ban")


def auth(request: Request, scope: str, *, license_ok: bool = False) -> Principal:
    return authenticate(
        state_of(request).store,
        request.headers.get("authorization"),
        scope=scope,
        license_ok=license_ok,
    )


@api
async def validate_key(request: Request) -> Response:
    """Signed: X-Signature is an HMAC over timestamp and body (errors are signed too)."""
    state = state_of(request)
    try:
        body = await read_json(request)
        payload: dict[str, Any] = {"data": state.licensing.validate(body)}
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
    lic = state_of(request).licensing
    if request.method == "GET":
        auth(request, "machines:read")
        cursor, limit = page_args(request)
        items, nxt = lic.list_machines(request.query_params.get("licenseId") or None, cursor, limit)
        return page(items, nxt)
    who = auth(request, "machines:write", license_ok=True)
    body = await read_json(request)
    ip = request.client.host if request.client else None
    status, machine = lic.activate(who, body, ip)
    return json_response({"data": machine}, status)


@api
async def machine_item(request: Request) -> Response:
    lic = state_of(request).licensing
    mid = request.path_params["id"]
    if request.method == "DELETE":
        lic.deactivate(auth(request, "machines:write", license_ok=True), mid)
        return Response(status_code=204)
    auth(request, "machines:read")
    return json_response({"data": lic.get_machine(mid)})


@api
async def heartbeat(request: Request) -> Response:
    who = auth(request, "machines:write", license_ok=True)
    data = state_of(request).licensing.heartbeat(who, request.path_params["id"])
    return json_response({"data": data})


@api
async def license_item(request: Request) -> Response:
    auth(request, "licenses:read")
    data = state_of(request).licenses.get_license(license_id=request.path_params["id"])
    return json_response({"data": data})


@api
async def license_by_key(request: Request) -> Response:
    auth(request, "licenses:read")
    data = state_of(request).licenses.get_license(key=request.path_params["key"])
    return json_response({"data": data})


@api
async def checkout(request: Request) -> Response:
    auth(request, "licenses:read")
    body = await read_json(request)
    data = state_of(request).licenses.checkout(request.path_params["id"], body)
    return json_response({"data": data})


@api
async def license_action(request: Request) -> Response:
    action = request.path_params["action"]
    if action not in ACTIONS:
        raise ApiError(404, "NOT_FOUND", "Not found")
    auth(request, "licenses:write")
    body = await read_json(request, required=False)
    data = state_of(request).licenses.lifecycle(request.path_params["id"], action, body)
    return json_response({"data": data})
