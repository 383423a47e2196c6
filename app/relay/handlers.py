"""The relay's endpoints, each limited to the calling license's own data."""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from app.relay.auth import Authenticator
from app.relay.envelope import RelayError, json_response
from app.relay.metrics import RelayMetrics
from app.relay.offline_signing import OfflineSigner
from app.relay.peers import ClientAddresses
from app.relay.quota import Quotas
from app.relay.settings import RelayLimits
from app.relay.shared import SharedState
from app.relay.upstream import UpstreamClient

log = logging.getLogger("app.relay")

# The upstream's machine id form; anything else is refused before any upstream call.
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)


@dataclass
class RelayContext:
    """What the endpoints share: settings, state, limits, the upstream and authentication."""

    limits: RelayLimits
    shared: SharedState
    metrics: RelayMetrics
    quotas: Quotas
    upstream: UpstreamClient
    auth: Authenticator
    addresses: ClientAddresses
    signer: OfflineSigner | None = None  # the vendor key for offline files, when configured


async def license_view(request: Request, ctx: RelayContext, address: str) -> Response:
    """`GET /v1/license`: the owner's view of their license, from an answer at most
    `devices_fresh_seconds` old like the device list (it carries the seats-used count)."""
    caller = await ctx.auth.caller(
        request.headers.get("authorization"), address, max_age=ctx.limits.devices_fresh_seconds
    )
    return json_response({"data": caller.license.view()}, headers=caller.rate_headers)


async def list_devices(request: Request, ctx: RelayContext, address: str) -> Response:
    """`GET /v1/devices`: from an answer at most `devices_fresh_seconds` old."""
    caller = await ctx.auth.caller(
        request.headers.get("authorization"), address, max_age=ctx.limits.devices_fresh_seconds
    )
    return json_response({"data": caller.license.devices()}, headers=caller.rate_headers)


async def deactivate_device(request: Request, ctx: RelayContext, address: str) -> Response:
    """`DELETE /v1/devices/{id}`: a machine of the caller's license only; 404 otherwise."""
    authorization = request.headers.get("authorization")
    machine_id = request.path_params["machine_id"]
    if not _UUID.match(machine_id):
        ctx.auth.check_header(authorization)  # 401 before 404: nothing is said to strangers
        raise _no_such_device()
    caller = await ctx.auth.caller(authorization, address)
    if not caller.license.owns(machine_id):
        # Maybe activated since the cached answer: look once more, if it is not young already.
        caller = await ctx.auth.refreshed(caller, ctx.limits.devices_fresh_seconds)
    if not caller.license.owns(machine_id):
        await ctx.quotas.failed_authentication(address)  # guessing ids costs like a bad key
        raise _no_such_device()  # another license's machine looks exactly like an unknown id
    found = await ctx.upstream.deactivate(machine_id)
    await ctx.auth.forget(caller)
    if not found:
        raise _no_such_device()
    log.info("license %s deactivated machine %s", caller.masked_key, machine_id)
    return Response(status_code=204, headers=caller.rate_headers)


async def read_body(request: Request, max_bytes: int) -> bytes:
    """The request body; 400 VALIDATION_ERROR as soon as it is larger than `max_bytes`."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise _too_big(max_bytes)
    raw = bytearray()
    async for chunk in request.stream():
        raw.extend(chunk)
        if len(raw) > max_bytes:
            raise _too_big(max_bytes)
    return bytes(raw)


async def read_json(request: Request, max_bytes: int) -> dict[str, Any]:
    """The request's JSON object; 400 VALIDATION_ERROR when too big, not JSON or not an object.

    For routes that take a body (the offline activation): read before anything upstream.
    """
    raw = await read_body(request, max_bytes)
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as err:
        raise RelayError(400, "VALIDATION_ERROR", "Request body is not valid JSON") from err
    if not isinstance(body, dict):
        raise RelayError(400, "VALIDATION_ERROR", "Request body must be a JSON object")
    return body


def _no_such_device() -> RelayError:
    return RelayError(404, "NOT_FOUND", "No such device on this license")


def _too_big(max_bytes: int) -> RelayError:
    return RelayError(
        400, "VALIDATION_ERROR", f"Request body is larger than {max_bytes} bytes",
        details={"maxBytes": max_bytes},
    )  # fmt: skip
