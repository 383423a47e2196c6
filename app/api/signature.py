"""Verification of validate-key response signatures (spec §10), with clock-skew diagnosis."""

from __future__ import annotations

import hashlib
import hmac
import time
from datetime import datetime

from app.api.failures import RawResponse
from app.domain.errors import AnswerMismatchError, ClockSkewError, SignatureInvalidError
from app.domain.models import ValidationResult

#: A signature older or newer than this (seconds) is refused, like the official SDK does.
FRESHNESS_SECONDS = 300.0
#: Beyond this difference between our clock and the server's ``Date`` we blame the clock.
SKEW_TOLERANCE_SECONDS = 300.0


def expected_signature(signing_key: str, timestamp: str, body: bytes) -> str:
    """Lowercase hex HMAC-SHA256 keyed with the hex text's UTF-8 bytes over ``"{ts}." + body``."""
    message = f"{timestamp}.".encode() + body
    return hmac.new(signing_key.encode("utf-8"), message, hashlib.sha256).hexdigest()


def verify_signature(resp: RawResponse, signing_key: str, *, now: float | None = None) -> None:
    """Raise SignatureInvalidError unless ``resp`` carries a good, fresh signature.

    A stale signature whose ``Date`` header shows our clock off by more than the tolerance
    raises ClockSkewError instead: the answer is authentic, this computer's clock is wrong.
    """
    signature = resp.headers.get("x-signature")
    stamp = resp.headers.get("x-signature-timestamp")
    if not signature or not stamp:
        raise _invalid(resp, "the answer is not signed")
    if not stamp.isascii() or not stamp.isdigit():
        raise _invalid(resp, "the signature timestamp is not a number")
    expected = expected_signature(signing_key, stamp, resp.body)
    given = signature.strip().lower()
    if len(given) != len(expected) or not hmac.compare_digest(given, expected):
        raise _invalid(resp, "the signature does not match")
    local = time.time() if now is None else now
    if abs(local - int(stamp)) > FRESHNESS_SECONDS:
        skew = _skew(resp.server_time, local)
        if skew is not None and abs(skew) > SKEW_TOLERANCE_SECONDS:
            raise ClockSkewError(skew_seconds=skew)
        raise _invalid(resp, "the signature is stale")


def check_binding(
    result: ValidationResult,
    fingerprint: str | None,
    license_id: str | None,
    *,
    request_id: str | None = None,
) -> None:
    """Raise AnswerMismatchError when a signed answer was made for another request."""
    if fingerprint and result.machine is not None and result.machine.fingerprint != fingerprint:
        why = "the answer names another computer"
    elif license_id and result.license is not None and result.license.id != license_id:
        why = "the answer names another license"
    else:
        return
    raise AnswerMismatchError(
        f"validate-key: {why}", details={"reason": why}, request_id=request_id
    )


def _skew(server_time: datetime | None, local: float) -> float | None:
    """Seconds our clock is ahead of the server (negative: behind); None without ``Date``."""
    return None if server_time is None else local - server_time.timestamp()


def _invalid(resp: RawResponse, why: str) -> SignatureInvalidError:
    return SignatureInvalidError(
        f"{resp.method} {resp.path}: {why}", status=resp.status, request_id=resp.request_id
    )
