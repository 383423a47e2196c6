"""Response-signature verification (spec §10) and the clock-skew diagnosis, on built answers."""

from __future__ import annotations

import hashlib
import hmac
from email.utils import formatdate

import httpx
import pytest

from app.api.failures import RawResponse
from app.api.signature import verify_signature
from app.domain.errors import ClockSkewError, SignatureInvalidError

KEY = "ab" * 32
BODY = b'{"data":{"valid":true,"code":"VALID"}}'
NOW = 1_775_000_000.0


def _signed(
    ts: int,
    *,
    key: str = KEY,
    body: bytes = BODY,
    date: float | None = None,
    drop: str | None = None,
) -> RawResponse:
    # Built independently of app.api.signature: the recipe as the spec states it.
    sig = hmac.new(key.encode(), f"{ts}.".encode() + body, hashlib.sha256).hexdigest()
    headers = {"X-Signature": sig, "X-Signature-Timestamp": str(ts)}
    if date is not None:
        headers["Date"] = formatdate(date, usegmt=True)
    if drop:
        del headers[drop]
    return RawResponse("POST", "/api/v1/licenses/validate-key", 200, httpx.Headers(headers), body)


def test_good_signature_passes():
    verify_signature(_signed(int(NOW) - 10), KEY, now=NOW)


@pytest.mark.parametrize("drop", ["X-Signature", "X-Signature-Timestamp"])
def test_missing_header_is_invalid(drop):
    with pytest.raises(SignatureInvalidError):
        verify_signature(_signed(int(NOW), drop=drop), KEY, now=NOW)


def test_wrong_key_is_invalid():
    with pytest.raises(SignatureInvalidError):
        verify_signature(_signed(int(NOW), key="cd" * 32), KEY, now=NOW)


def test_tampered_body_is_invalid():
    good = _signed(int(NOW))
    tampered = RawResponse(
        good.method, good.path, 200, good.headers, BODY.replace(b"true", b"TRUE")
    )
    with pytest.raises(SignatureInvalidError):
        verify_signature(tampered, KEY, now=NOW)


def test_stale_signature_with_agreeing_clocks_is_invalid():
    with pytest.raises(SignatureInvalidError):
        verify_signature(_signed(int(NOW) - 301, date=NOW), KEY, now=NOW)


def test_stale_signature_with_skewed_local_clock_is_clock_skew():
    # The server signed "now" by its clock; our clock runs an hour ahead.
    server_now = NOW - 3600
    with pytest.raises(ClockSkewError) as info:
        verify_signature(_signed(int(server_now), date=server_now), KEY, now=NOW)
    assert info.value.skew_seconds == pytest.approx(3600, abs=2)
