"""Offline activation on the relay: take a seat for the request's computer, check out, sign.

A file is issued only after the upstream activated the request's fingerprint on the caller's
license (the seat limit applies; a computer already activated is reused), and it lasts
ttl = min(the policy's `offlineMaxDays`, 90 days, the time left on the license). Policies that
forbid offline use or require check-ins get no file: an offline computer cannot check in, and
the server would free its seat while the file stayed valid. The file lists the license's
entitlement codes (from validate-key) so the wizard can hold it to the vendor's requirements.
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx

from app.domain.offline_license import OfflineLicense, iso, parse_iso
from app.domain.offline_request import OfflineRequest, RequestCodeError, decode_request
from app.i18n import N_
from app.relay.auth import Caller
from app.relay.envelope import RelayError
from app.relay.offline_signing import OfflineSigner
from app.relay.quota import Tier
from app.relay.upstream import UpstreamClient, error_code, segment

log = logging.getLogger("app.relay")

DAY = 86400
DEFAULT_OFFLINE_DAYS = 14  # Licentric's own checkout default, when the policy names none
MAX_OFFLINE_SECONDS = 90 * DAY
MIN_OFFLINE_SECONDS = 3600  # Licentric's smallest checkout ttl
_LICENSE_STATES = {
    "EXPIRED": ("LICENSE_EXPIRED", "This license has expired, so no computer can be "
                "activated with it. Renew it, then try again."),
    "SUSPENDED": ("LICENSE_SUSPENDED", "This license is on hold, so no computer can be "
                  "activated with it. Please contact the seller."),
    "REVOKED": ("LICENSE_REVOKED", "This license has been cancelled. Please contact the seller."),
    "BANNED": ("LICENSE_BANNED", "This license is blocked. Please contact the seller."),
}  # fmt: skip
_STATE_MESSAGES = dict(_LICENSE_STATES.values())  # upstream code -> our own words
MISSING_FEATURE = N_(
    "Your license doesn't include a feature this product needs, so no file was made and no "
    "seat was used. Upgrade your license, or contact the seller."
)
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9_-]+")


@dataclass(frozen=True)
class IssuedFile:
    """A signed offline license file and what the page says about it."""

    text: str
    expires_at: datetime
    machine_id: str
    file_name: str

    def to_json(self) -> dict[str, Any]:
        return {
            "license": self.text,
            "expiresAt": iso(self.expires_at),
            "machineId": self.machine_id,
            "fileName": self.file_name,
        }


def parse_request(body: dict[str, Any]) -> OfflineRequest:
    """The request code in `body["request"]`; 400 VALIDATION_ERROR before anything upstream."""
    code = body.get("request")
    try:
        if not isinstance(code, str):
            raise RequestCodeError("no request code", reason="format")
        return decode_request(code)
    except RequestCodeError as err:
        issue = {"path": ["request"], "message": "request code is not valid", "code": err.reason}
        raise RelayError(
            400, "VALIDATION_ERROR",
            "The request code is damaged or incomplete. Copy it again from the computer, "
            "or scan its QR code again.",
            details={"issues": [issue]},
        ) from err  # fmt: skip


def ttl_seconds(caller: Caller, now: float) -> int:
    """min(the policy's offline days, 90 days, the time left on the license), in seconds."""
    lic = caller.license
    caps = [(lic.offline_max_days or DEFAULT_OFFLINE_DAYS) * DAY, MAX_OFFLINE_SECONDS]
    ends = parse_iso(lic.expires_at)
    if ends is not None:
        caps.append(int(ends.timestamp() - now))
    return int(min(caps))


def refuse_unless_allowed(caller: Caller, ttl: int) -> None:
    """The license must be usable, allow offline use, need no check-ins, and last an hour."""
    lic = caller.license
    state = _LICENSE_STATES.get(lic.status.upper())
    if state is not None:
        raise RelayError(409, state[0], state[1])
    if not lic.offline_allowed:
        raise _not_allowed(
            "policy", "Your license doesn't allow activating a computer without internet. "
            "Connect the computer to the internet to activate it, or contact the seller.",
        )  # fmt: skip
    if lic.require_heartbeat:
        raise _not_allowed(
            "checkins", "Your license needs each computer to check in over the internet "
            "regularly, so it can't be used on a computer without internet.",
        )  # fmt: skip
    if ttl < MIN_OFFLINE_SECONDS:
        raise _not_allowed(
            "ends_soon", "This license ends in less than an hour. Renew it, then try again."
        )


async def issue_file(
    upstream: UpstreamClient, caller: Caller, request: OfflineRequest, signer: OfflineSigner
) -> IssuedFile:
    """Activate the request's computer, check out and sign; RelayError for every refusal."""
    now = time.time()
    ttl = ttl_seconds(caller, now)
    refuse_unless_allowed(caller, ttl)
    entitlements = await _entitlements(upstream, caller.key)
    if set(request.required_entitlements) - set(entitlements):
        raise RelayError(422, "ENTITLEMENTS_MISSING", MISSING_FEATURE)  # before any seat
    machine_id, created = await _activate(upstream, caller, request)
    try:
        checkout = await _checkout(upstream, caller.license.id, request.fingerprint, ttl)
    except RelayError:
        if created:  # no file, so no seat: give back the one just taken
            await _release(upstream, machine_id)
        raise
    issued = datetime.fromtimestamp(now, UTC)
    expires = datetime.fromtimestamp(now + ttl, UTC)
    upstream_end = parse_iso(checkout.get("expiresAt"))
    if upstream_end is not None and upstream_end < expires:
        expires = upstream_end
    certificate = checkout.get("certificate")
    lic = OfflineLicense(
        product=request.product,
        fingerprint=request.fingerprint,
        device_name=request.device_name,
        license_id=caller.license.id,
        machine_id=machine_id,
        issued_at=issued,
        expires_at=expires,
        certificate=certificate if isinstance(certificate, str) else None,
        license_name=caller.license.name,
        license_expires_at=parse_iso(caller.license.expires_at),
        key_masked=caller.masked_key,
        entitlements=entitlements,
    )
    name = _UNSAFE_NAME.sub("-", request.device_name).strip("-")[:40] or "computer"
    return IssuedFile(signer.sign(lic), expires, machine_id, f"license-{name}.lic")


async def _entitlements(upstream: UpstreamClient, key: str) -> tuple[str, ...]:
    """The license's entitlement codes: only validate-key names them (the by-key license does
    not), asked without a fingerprint, before any seat is taken."""
    response = await upstream.send(
        "POST", "/licenses/validate-key", auth=False, json={"key": key},
        log_as="/licenses/validate-key (offline)",
    )  # fmt: skip
    codes = _data(response).get("entitlements")
    if not isinstance(codes, list) or not all(isinstance(code, str) for code in codes):
        raise RelayError(502, "UPSTREAM_UNAVAILABLE", "The license server named no entitlements")
    return tuple(codes)


async def _activate(
    upstream: UpstreamClient, caller: Caller, request: OfflineRequest
) -> tuple[str, bool]:
    """(machine id, newly created) for the request's fingerprint on the caller's license."""
    body: dict[str, Any] = {"fingerprint": request.fingerprint, "name": request.device_name}
    if request.platform is not None:
        body["platform"] = request.platform.value
    response = await upstream.send(
        "POST", "/machines", tier=Tier.ACTIVATION, license_key=caller.key, json=body,
        passthrough=(403, 409, 422), log_as="/machines (offline)",
    )  # fmt: skip
    data = _data(response)
    if response.is_success and isinstance(data.get("id"), str):
        return data["id"], response.status_code == 201
    code = error_code(response)
    if code == "MACHINE_LIMIT_EXCEEDED":
        used, total = len(caller.license.machines), caller.license.max_machines
        raise RelayError(
            422, "MACHINE_LIMIT_EXCEEDED",
            f"This license is already in use on {used} of {total or used} computers. Free a "
            "seat you no longer use (in the activation window of any connected computer), "
            "then try again.",
            details={"max": total, "current": used},
        )  # fmt: skip
    if code in _STATE_MESSAGES:
        raise RelayError(409, code, _STATE_MESSAGES[code])
    duplicate = code in (None, "CONFLICT", "CONSTRAINT_VIOLATION")
    if response.status_code in (200, 409, 422) and duplicate:
        return await _existing_machine(upstream, caller, request.fingerprint, response), False
    raise RelayError(502, "UPSTREAM_UNAVAILABLE", "The license server refused the activation")


async def _existing_machine(
    upstream: UpstreamClient, caller: Caller, fingerprint: str, answer: httpx.Response
) -> str:
    """The machine already holding `fingerprint` (a computer activated before is reused)."""
    details = _body(answer).get("details")
    if isinstance(details, dict) and isinstance(details.get("machineId"), str):
        return details["machineId"]
    data = await upstream.license_by_key(caller.key)
    for machine in (data or {}).get("machines") or []:
        if _is_live(machine) and machine.get("fingerprint") == fingerprint:
            return machine["id"]
    raise RelayError(502, "UPSTREAM_UNAVAILABLE", "The license server lost the activation")


async def _checkout(
    upstream: UpstreamClient, license_id: str, fingerprint: str, ttl: int
) -> dict[str, Any]:
    response = await upstream.send(
        "POST", f"/licenses/{segment(license_id)}/checkout",
        json={"fingerprint": fingerprint, "ttl": ttl}, passthrough=(409, 422),
        log_as="/licenses/{id}/checkout",
    )  # fmt: skip
    if response.is_success:
        return _data(response)
    code = error_code(response)
    if code in _STATE_MESSAGES:
        raise RelayError(409, code, _STATE_MESSAGES[code])
    if code == "BUSINESS_RULE_VIOLATION":
        raise _not_allowed(
            "policy", "Your license doesn't allow activating a computer without internet."
        )
    raise RelayError(502, "UPSTREAM_UNAVAILABLE", "The license server refused the checkout")


async def _release(upstream: UpstreamClient, machine_id: str) -> None:
    try:
        await upstream.deactivate(machine_id)
    except RelayError as err:
        log.warning("could not give back machine %s: %s", machine_id, err.code)


def _is_live(machine: Any) -> bool:
    return (
        isinstance(machine, dict)
        and isinstance(machine.get("id"), str)
        and (not machine.get("deletedAt"))
    )


def _not_allowed(reason: str, message: str) -> RelayError:
    return RelayError(422, "OFFLINE_NOT_ALLOWED", message, details={"reason": reason})


def _body(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _data(response: httpx.Response) -> dict[str, Any]:
    data = _body(response).get("data")
    return data if isinstance(data, dict) else {}
