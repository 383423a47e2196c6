"""validate-key signatures as the stand-in sends them: good, wrong key, missing, skewed clock."""

from __future__ import annotations

import pytest

from app.domain.errors import ClockSkewError, SignatureInvalidError


def test_correct_signing_key_verifies(standin, make_client):
    client = make_client(signing_key=standin.fixtures["signingKey"])
    for scenario in ("valid", "expired", "suspended"):
        assert client.validate_key(standin.fixtures[scenario]).license is not None


def test_wrong_signing_key_is_refused(standin, make_client):
    client = make_client(signing_key="0f" * 32)
    with pytest.raises(SignatureInvalidError):
        client.validate_key(standin.fixtures["valid"])


def test_unsigned_answer_is_refused_only_when_signing_is_on(standin, make_client):
    body = {"data": {"valid": True, "code": "VALID", "license": None}}
    standin.add_fault("validate-key", "status", count=2, status=200, body=body)
    with pytest.raises(SignatureInvalidError):
        make_client(signing_key=standin.fixtures["signingKey"]).validate_key("DEMO-AAAA")
    assert make_client().validate_key("DEMO-AAAA").valid is True


def test_stale_signature_from_a_skewed_clock_is_clock_skew(standin, make_client):
    # The server's Date and signature timestamp are an hour ahead of this computer.
    standin.add_fault("validate-key", "clock_offset", count=1, seconds=3600)
    client = make_client(signing_key=standin.fixtures["signingKey"])
    with pytest.raises(ClockSkewError) as info:
        client.validate_key(standin.fixtures["valid"])
    assert info.value.skew_seconds == pytest.approx(-3600, abs=5)
    assert client.last_server_time is not None
