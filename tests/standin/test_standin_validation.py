"""validate-key: check order, usesCount, the reduced response shape, the unknown-key readings."""

from __future__ import annotations

import hashlib
import hmac
import time

from .conftest import FP, lic_auth


def validate(http, key, **body):
    return http.post("/licenses/validate-key", json={"key": key, **body})


def test_not_found_shape(http):
    r = validate(http, "DEMO-NOPE-NOPE-NOPE-NOPE")
    assert r.status_code == 200
    assert r.json() == {"data": {"valid": False, "code": "NOT_FOUND", "license": None,
                                 "machine": None, "entitlements": [], "metadata": {}}}


def test_unknown_key_as_404_reading(http, standin):
    standin.configure(unknown_key="not-found")
    r = validate(http, "DEMO-NOPE-NOPE-NOPE-NOPE")
    assert (r.status_code, r.json()["code"]) == (404, "NOT_FOUND")
    assert r.headers["X-Signature"]  # error answers are signed too


def test_reduced_license_no_extensions(http, fixtures):
    http.post("/machines", json={"fingerprint": FP}, headers=lic_auth(fixtures["valid"]))
    d = validate(http, fixtures["valid"], fingerprint=FP).json()["data"]
    assert set(d) == {"valid", "code", "license", "machine", "entitlements", "metadata"}
    assert set(d["license"]) == {"id", "status", "name", "expiresAt", "maxMachinesOverride",
                                 "maxUsesOverride", "usesCount"}
    assert d["license"]["name"] == "Studio Pro — Jane Doe"
    assert set(d["machine"]) == {"id", "fingerprint", "name", "heartbeatStatus"}
    assert d["entitlements"] == ["basic", "pro"]


def test_each_validation_counts_and_uses_exceeded(http, fixtures):
    first = validate(http, fixtures["valid"]).json()["data"]["license"]["usesCount"]
    second = validate(http, fixtures["valid"]).json()["data"]["license"]["usesCount"]
    assert second == first + 1
    d = validate(http, fixtures["uses-exceeded"]).json()["data"]
    assert (d["valid"], d["code"], d["license"]["usesCount"]) == (False, "USES_EXCEEDED", 6)


def test_allow_access_expired_is_valid_with_code_expired_unless_other_check_fails(http, fixtures):
    key = fixtures["expired-allow-access"]
    d = validate(http, key).json()["data"]
    assert (d["valid"], d["code"], d["license"]["status"]) == (True, "EXPIRED", "expired")
    assert validate(http, key, fingerprint=FP).json()["data"]["code"] == "FINGERPRINT_NOT_FOUND"


def test_check_order_state_before_device(http, fixtures):
    assert validate(http, fixtures["suspended"], fingerprint=FP).json()["data"]["code"] == \
        "SUSPENDED"
    assert validate(http, fixtures["expired"], fingerprint=FP).json()["data"]["code"] == "EXPIRED"
    d = validate(http, fixtures["entitlements"], fingerprint=FP, entitlements=["pro"]).json()
    assert d["data"]["code"] == "FINGERPRINT_NOT_FOUND"


def test_machine_limit_exceeded_only_when_over_cap(http, fixtures, bearer, standin):
    key = fixtures["valid-2"]
    for i in range(3):
        assert http.post("/machines", json={"fingerprint": f"{FP[:-1]}{i}"},
                         headers=lic_auth(key)).status_code == 201
    assert validate(http, key, fingerprint=f"{FP[:-1]}0").json()["data"]["code"] == "VALID"
    lid = standin.fixture_details["valid-2"]["licenseId"]
    # Lowering the cap below the machine count: now the license holds more than its cap.
    with standin.state.store.tx() as db:
        db.execute("UPDATE licenses SET max_machines_override = 2 WHERE id = ?", (lid,))
    d = validate(http, key, fingerprint=f"{FP[:-1]}0").json()["data"]
    assert d["code"] == "MACHINE_LIMIT_EXCEEDED" and d["license"]["maxMachinesOverride"] == 2


def test_signature_headers_match_spec(http, fixtures):
    r = validate(http, fixtures["valid"])
    ts = r.headers["X-Signature-Timestamp"]
    assert abs(int(ts) - time.time()) < 5
    expected = hmac.new(fixtures["signingKey"].encode(), f"{ts}.".encode() + r.content,
                        hashlib.sha256).hexdigest()
    assert r.headers["X-Signature"] == expected


def test_every_response_has_date_and_errors_have_request_id(http):
    r = http.get("/licenses/nope")
    assert r.headers["date"].endswith("GMT")
    assert r.json()["code"] == "UNAUTHORIZED" and r.json()["requestId"]
    r = http.get("/does-not-exist")
    assert (r.status_code, r.json()["code"]) == (404, "NOT_FOUND")
