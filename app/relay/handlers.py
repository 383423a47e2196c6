"""The relay's three endpoints, each limited to the calling license's own data."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from app.relay.envelope import RelayError, json_response
from app.relay.keys import license_key_from, mask_key
from app.relay.limits import FixedWindowLimiter, RelayLimits, WindowState
from app.relay.upstream import UpstreamClient

log = logging.getLogger("app.relay")

_DEVICE_FIELDS = (
    "id", "name", "platform", "hostname", "createdAt", "lastHeartbeatAt",
    "heartbeatStatus", "fingerprint",
)  # fmt: skip


@dataclass
class RelayState:
    """What the handlers share: the upstream client and the rate-limit counters."""

    upstream: UpstreamClient
    limits: RelayLimits
    per_ip: FixedWindowLimiter = field(init=False)
    per_license: FixedWindowLimiter = field(init=False)
    # Buckets are keyed by an HMAC of the key under a per-process secret: the limit applies
    # before any upstream call, and the counters hold nothing that could be turned back into a key.
    _bucket_secret: bytes = field(default_factory=lambda: secrets.token_bytes(32))

    def __post_init__(self) -> None:
        self.per_ip = FixedWindowLimiter(self.limits.per_ip, self.limits.window_seconds)
        self.per_license = FixedWindowLimiter(self.limits.per_license, self.limits.window_seconds)

    def bucket(self, key: str) -> str:
        return hmac.new(self._bucket_secret, key.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Caller:
    """An authenticated caller: the license they proved they hold."""

    license_id: str
    masked_key: str
    window: WindowState


async def authenticate(request: Request, state: RelayState) -> Caller:
    """Check the `License` header against the upstream; 401 for a key it does not know."""
    key = license_key_from(request.headers.get("authorization"))
    window = state.per_license.hit(state.bucket(key))
    result = await state.upstream.validate_key(key)
    license_ = result.get("license")
    if result.get("code") == "NOT_FOUND" or not isinstance(license_, dict):
        log.info("unknown license key %s", mask_key(key))
        raise RelayError(401, "UNAUTHORIZED", "Unknown license key")
    license_id = license_.get("id")
    if not isinstance(license_id, str) or not license_id:
        raise RelayError(502, "UPSTREAM_UNAVAILABLE", "Upstream validation had no license id")
    return Caller(license_id, mask_key(key), window)


async def list_devices(request: Request, state: RelayState, caller: Caller) -> Response:
    detail = await state.upstream.license(caller.license_id)
    machines = await state.upstream.machines_of(caller.license_id, state.limits.max_pages)
    devices = [
        _device(m) for m in machines if m.get("licenseId", caller.license_id) == caller.license_id
    ]
    body = {"devices": devices, "maxMachines": effective_cap(detail), "machineCount": len(devices)}
    return json_response({"data": body}, headers=caller.window.headers())


async def deactivate_device(request: Request, state: RelayState, caller: Caller) -> Response:
    machine_id = request.path_params["machine_id"]
    machine = None if len(machine_id) > 128 else await state.upstream.machine(machine_id)
    if machine is None or machine.get("licenseId") != caller.license_id or machine.get("deletedAt"):
        # Another license's machine is answered exactly like an unknown id: nothing leaks.
        raise RelayError(404, "NOT_FOUND", "No such device on this license")
    await state.upstream.deactivate(machine_id)
    log.info("license %s deactivated machine %s", caller.masked_key, machine_id)
    return Response(status_code=204, headers=caller.window.headers())


async def offline_checkout(
    request: Request, state: RelayState, caller: Caller, body: dict[str, Any]
) -> Response:
    """`body` is already through checkout_body (checked before the caller is authenticated)."""
    data = await state.upstream.checkout(caller.license_id, body)
    certificate = data.get("certificate")
    if not isinstance(certificate, str) or not certificate:
        raise RelayError(502, "UPSTREAM_UNAVAILABLE", "The license server issued no certificate")
    answer = {"certificate": certificate, "expiresAt": _expires_at(data)}
    return json_response({"data": answer}, headers=caller.window.headers())


async def read_json(request: Request, max_bytes: int) -> dict[str, Any]:
    """The request's JSON object; 400 VALIDATION_ERROR when too big, not JSON or not an object."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise _too_big(max_bytes)
    raw = bytearray()
    async for chunk in request.stream():
        raw.extend(chunk)
        if len(raw) > max_bytes:
            raise _too_big(max_bytes)
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as err:
        raise RelayError(400, "VALIDATION_ERROR", "Request body is not valid JSON") from err
    if not isinstance(body, dict):
        raise RelayError(400, "VALIDATION_ERROR", "Request body must be a JSON object")
    return body


def checkout_body(body: dict[str, Any]) -> dict[str, Any]:
    """Only the fields the upstream checkout takes, type-checked."""
    fingerprint = body.get("fingerprint")
    if not isinstance(fingerprint, str) or not 1 <= len(fingerprint) <= 512:
        raise _invalid("fingerprint", "fingerprint must be a string of 1 to 512 characters")
    out: dict[str, Any] = {"fingerprint": fingerprint}
    ttl = body.get("ttl")
    if ttl is not None:
        if isinstance(ttl, bool) or not isinstance(ttl, int) or ttl <= 0:
            raise _invalid("ttl", "ttl must be a positive whole number of seconds")
        out["ttl"] = ttl
    return out


def effective_cap(detail: dict[str, Any]) -> int | None:
    """License `maxMachinesOverride` when set (and the policy allows overrides), else the policy's."""
    policy = detail.get("policy") if isinstance(detail.get("policy"), dict) else {}
    override = detail.get("maxMachinesOverride")
    if _count(override) and policy.get("overridable", True) is not False:
        return override
    cap = policy.get("maxMachines")
    return cap if _count(cap) else None


def _count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _device(machine: dict[str, Any]) -> dict[str, Any]:
    return {name: machine.get(name) for name in _DEVICE_FIELDS}


def _expires_at(data: dict[str, Any]) -> str | None:
    expires = data.get("expiresAt")
    if isinstance(expires, str):
        return expires
    ttl = data.get("ttl")
    if _count(ttl):
        dt = datetime.fromtimestamp(time.time() + ttl, tz=UTC)
        return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"
    return None


def _invalid(path: str, message: str) -> RelayError:
    issue = {"path": [path], "message": message, "code": "invalid_type"}
    return RelayError(400, "VALIDATION_ERROR", "Validation failed", details={"issues": [issue]})


def _too_big(max_bytes: int) -> RelayError:
    return RelayError(
        400, "VALIDATION_ERROR", f"Request body is larger than {max_bytes} bytes",
        details={"maxBytes": max_bytes},
    )  # fmt: skip
