"""The /_standin control routes (loopback only): fixtures, reset, faults, switches, clock."""

from __future__ import annotations

import functools

from starlette.requests import Request
from starlette.responses import Response

from .http import Endpoint, api, json_response, read_json, state_of
from .wire import ApiError

LOOPBACK = {"127.0.0.1", "::1", "localhost", "testclient"}


def control(fn: Endpoint) -> Endpoint:
    """Refuse callers that are not on this machine."""

    @api
    @functools.wraps(fn)
    async def wrapper(request: Request) -> Response:
        host = request.client.host if request.client else ""
        if host not in LOOPBACK:
            raise ApiError(403, "FORBIDDEN", "Stand-in control routes are loopback only")
        return await fn(request)

    return wrapper


@control
async def fixtures(request: Request) -> Response:
    return json_response(state_of(request).fixtures)


@control
async def fixture_details(request: Request) -> Response:
    return json_response(state_of(request).fixture_details)


@control
async def reset(request: Request) -> Response:
    state = state_of(request)
    state.reset()
    return json_response(state.fixtures)


@control
async def faults(request: Request) -> Response:
    book = state_of(request).faults
    if request.method == "DELETE":
        book.clear()
        return Response(status_code=204)
    if request.method == "GET":
        return json_response({"data": book.list()})
    fault = book.add(await read_json(request))
    return json_response({"data": fault.__dict__}, 201)


@control
async def config(request: Request) -> Response:
    state = state_of(request)
    if request.method == "POST":
        body = await read_json(request)
        try:
            state.configure(
                unknown_key=body.get("unknownKey"),
                duplicate_fingerprint=body.get("duplicateFingerprint"),
                license_state_status=body.get("licenseStateStatus"),
                rate_limits=body.get("rateLimits"),
                rate_window=body.get("rateWindowSeconds"),
                checkout_fingerprint=body.get("checkoutFingerprint"),
            )
        except ValueError as err:
            raise ApiError(400, "VALIDATION_ERROR", str(err)) from None
    return json_response(state.config())


@control
async def clock(request: Request) -> Response:
    """`{shiftSeconds}` sets the business clock's offset, `{advanceSeconds}` moves it on."""
    state = state_of(request)
    if request.method == "POST":
        body = await read_json(request)
        if "shiftSeconds" in body:
            state.clock.shift = float(body["shiftSeconds"])
        state.clock.shift += float(body.get("advanceSeconds", 0))
    return json_response({"shiftSeconds": state.clock.shift, "now": state.clock.now()})


@control
async def health(request: Request) -> Response:
    return json_response({"ok": True})
