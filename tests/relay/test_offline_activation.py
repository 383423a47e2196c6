"""POST /v1/offline-activation: a seat first, ttl capped, Licentric's checkout wrapped in the
relay-signed envelope, and every refusal in plain words with no file and no seat taken."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest

from app.relay.settings import RelayLimits
from tests.relay.conftest import (
    activate_upstream,
    as_license,
    assert_envelope,
    upstream_machines,
    upstream_requests,
)
from tests.relay.offline_support import (
    SIGNER,
    ask,
    certificate_header,
    make_license,
    payload_of,
    verified,
)

FP = "0f" * 32
FP2 = "1e" * 32
DAY = 86400


@pytest.fixture
def offline_relay(make_relay, standin):
    # Licentric does not promise a fingerprint in its checkout header: test without one.
    standin.configure(checkout_fingerprint=False)
    # The stand-in's keys are upper case, and the page forgives lower-case typing only when
    # the vendor says keys are case-insensitive (as the demo does).
    return make_relay(RelayLimits(key_case="upper"), offline_signer=SIGNER)


def _live(standin, license_id: str) -> list[dict]:
    return [m for m in upstream_machines(standin, license_id) if not m.get("deletedAt")]


def _ttl(lic) -> float:
    return (lic.expires_at - lic.issued_at).total_seconds()


def test_issues_a_signed_file_after_taking_a_seat(offline_relay, standin, fixtures, caplog):
    caplog.set_level(logging.DEBUG)
    key, license_id = fixtures["offline"], standin.fixture_details["offline"]["licenseId"]
    response = ask(offline_relay, key, FP, name="Lab PC")
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    data = response.json()["data"]
    lic = verified(data["license"], FP)
    assert (lic.license_id, lic.device_name, lic.machine_id) == (
        license_id, "Lab PC", data["machineId"],
    )  # fmt: skip
    assert data["fileName"] == "license-Lab-PC.lic"
    # The offline computer holds a seat: it is among the license's devices, by name.
    machines = {m["id"]: m for m in _live(standin, license_id)}
    assert machines[lic.machine_id]["fingerprint"] == FP
    assert machines[lic.machine_id]["name"] == "Lab PC"
    devices = offline_relay_devices(offline_relay, key)
    assert lic.machine_id in {d["id"] for d in devices}
    # Licentric's own file rides along as issued (here without a fingerprint in its header).
    header = certificate_header(lic)
    assert header["licenseId"] == license_id and "fingerprint" not in header
    assert key not in data["license"] and key not in response.text
    assert any("offline file" in record.getMessage() for record in caplog.records)
    assert all(key not in record.getMessage() for record in caplog.records)


def test_the_file_carries_the_license_entitlements(offline_relay, standin, fixtures, sdk):
    text = ask(offline_relay, fixtures["offline"], FP).json()["data"]["license"]
    granted = sdk.validate(fixtures["offline"]).entitlements  # the official SDK's reading
    assert granted and payload_of(text)["version"] == 2
    assert verified(text, FP).entitlements == tuple(granted)
    basic = make_license(standin, offlineAllowed=True, entitlements=["basic"],
                         expires_at="2099-01-01T00:00:00.000Z")  # fmt: skip
    response = ask(offline_relay, basic["key"], FP2)
    assert response.status_code == 200, response.text
    lic = verified(response.json()["data"]["license"], FP2)
    assert lic.entitlements == ("basic",)
    assert payload_of(response.json()["data"]["license"])["entitlements"] == ["basic"]
    assert lic.license_expires_at == datetime(2099, 1, 1, tzinfo=UTC)


def offline_relay_devices(relay, key):
    import httpx

    response = httpx.get(relay.url + "/v1/devices", headers=as_license(key), timeout=10)
    assert response.status_code == 200, response.text
    return response.json()["data"]["devices"]


def test_a_computer_already_activated_is_reused(offline_relay, standin, fixtures):
    key, license_id = fixtures["offline"], standin.fixture_details["offline"]["licenseId"]
    first = ask(offline_relay, key, FP).json()["data"]["machineId"]
    second = ask(offline_relay, key, FP).json()["data"]["machineId"]
    assert first == second
    assert [m["id"] for m in _live(standin, license_id)] == [first]


@pytest.mark.parametrize("reading", ["conflict-422", "duplicate-200"])
def test_reuse_under_each_reading_of_a_duplicate(offline_relay, standin, fixtures, reading):
    key, license_id = fixtures["offline"], standin.fixture_details["offline"]["licenseId"]
    existing = activate_upstream(standin, key, FP, "Lab PC")["id"]
    if reading == "duplicate-200":
        standin.configure(duplicate_fingerprint="existing")
    else:
        standin.add_fault("activate", "status", status=422, code="CONSTRAINT_VIOLATION")
    response = ask(offline_relay, key, FP)
    assert response.status_code == 200, response.text
    assert response.json()["data"]["machineId"] == existing
    assert [m["id"] for m in _live(standin, license_id)] == [existing]


def test_ttl_is_the_policys_offline_days(offline_relay, standin, fixtures):
    lic = verified(ask(offline_relay, fixtures["offline"], FP).json()["data"]["license"], FP)
    assert _ttl(lic) == 14 * DAY
    cert = certificate_header(lic)
    issued = datetime.fromisoformat(cert["issuedAt"].replace("Z", "+00:00"))
    expires = datetime.fromisoformat(cert["expiresAt"].replace("Z", "+00:00"))
    assert (expires - issued).total_seconds() == 14 * DAY  # the ttl asked upstream


def test_ttl_never_exceeds_90_days(offline_relay, standin):
    new = make_license(standin, maxMachines=2, offlineAllowed=True, offlineMaxDays=365,
                       durationDays=1000)  # fmt: skip
    lic = verified(ask(offline_relay, new["key"], FP).json()["data"]["license"], FP)
    assert _ttl(lic) == 90 * DAY


def test_ttl_never_outlasts_the_license(offline_relay, standin):
    ends = datetime.now(UTC) + timedelta(days=3)
    new = make_license(standin, maxMachines=2, offlineAllowed=True, offlineMaxDays=30,
                       expires_at=ends.isoformat())  # fmt: skip
    lic = verified(ask(offline_relay, new["key"], FP).json()["data"]["license"], FP)
    assert abs((lic.expires_at - ends).total_seconds()) < 5
    assert payload_of(ask(offline_relay, new["key"], FP).json()["data"]["license"])["keyId"] == (
        SIGNER.key_id
    )


def test_no_seat_no_file(offline_relay, standin):
    new = make_license(standin, maxMachines=1, offlineAllowed=True, offlineMaxDays=14)
    activate_upstream(standin, new["key"], FP2, "Office PC")
    response = ask(offline_relay, new["key"], FP)
    body = assert_envelope(response, 422, "MACHINE_LIMIT_EXCEEDED")
    assert body["details"] == {"max": 1, "current": 1}
    assert "1 of 1 computers" in body["error"]
    assert [m["fingerprint"] for m in _live(standin, new["id"])] == [FP2]
    assert not upstream_requests(standin, "/checkout")


def test_checkout_failing_gives_the_new_seat_back(offline_relay, standin, fixtures):
    license_id = standin.fixture_details["offline"]["licenseId"]
    standin.add_fault("checkout", "status", status=503)
    response = ask(offline_relay, fixtures["offline"], FP)
    assert_envelope(response, 502, "UPSTREAM_UNAVAILABLE")
    assert _live(standin, license_id) == []


def test_a_license_without_a_required_feature_gets_no_file_and_no_seat(offline_relay, standin):
    basic = make_license(standin, offlineAllowed=True, entitlements=["basic"])
    response = ask(offline_relay, basic["key"], FP, required=("pro",))
    body = assert_envelope(response, 422, "ENTITLEMENTS_MISSING")
    assert "no seat was used" in body["error"]
    assert _live(standin, basic["id"]) == []
    assert ask(offline_relay, basic["key"], FP, required=("basic",)).status_code == 200


@pytest.mark.parametrize("fault", [{"kind": "status", "status": 503}, {"kind": "malformed"}])
def test_no_entitlements_known_no_file_and_no_seat(offline_relay, standin, fixtures, fault):
    license_id = standin.fixture_details["offline"]["licenseId"]
    kind = fault.pop("kind")
    standin.add_fault("validate-key", kind, **fault)
    response = ask(offline_relay, fixtures["offline"], FP)
    assert_envelope(response, 502, "UPSTREAM_UNAVAILABLE")
    assert _live(standin, license_id) == []


@pytest.mark.parametrize(
    "scenario, status, code",
    [
        ("valid", 422, "OFFLINE_NOT_ALLOWED"),
        ("expired", 409, "LICENSE_EXPIRED"),
        ("suspended", 409, "LICENSE_SUSPENDED"),
        ("revoked", 403, "LICENSE_REVOKED"),
        ("banned", 403, "LICENSE_BANNED"),
    ],
)
def test_refusals_take_no_seat(offline_relay, standin, fixtures, scenario, status, code):
    license_id = standin.fixture_details[scenario]["licenseId"]
    before = _live(standin, license_id)
    body = assert_envelope(ask(offline_relay, fixtures[scenario], FP), status, code)
    assert "license" not in body
    assert _live(standin, license_id) == before
    assert not upstream_requests(standin, "/checkout")
    if code == "OFFLINE_NOT_ALLOWED":
        assert body["details"] == {"reason": "policy"}
        assert "without internet" in body["error"]


def test_policies_with_check_ins_get_no_file(offline_relay, standin):
    new = make_license(standin, maxMachines=2, offlineAllowed=True, requireHeartbeat=True,
                       heartbeatIntervalMinutes=60)  # fmt: skip
    body = assert_envelope(ask(offline_relay, new["key"], FP), 422, "OFFLINE_NOT_ALLOWED")
    assert body["details"] == {"reason": "checkins"}
    assert "check in" in body["error"]
    assert _live(standin, new["id"]) == []


def test_unknown_key_is_401(offline_relay):
    assert_envelope(ask(offline_relay, "DEMO-ZZZZ-ZZZZ-ZZZZ-ZZZZ", FP), 401, "UNAUTHORIZED")


@pytest.mark.parametrize("request_text", ["", "AW1-garbage", "hello", None])
def test_damaged_request_is_refused_before_anything_upstream(
    offline_relay, standin, fixtures, request_text
):
    import httpx

    response = httpx.post(offline_relay.url + "/v1/offline-activation",
                          json={"request": request_text}, headers=as_license(fixtures["offline"]),
                          timeout=10)  # fmt: skip
    body = assert_envelope(response, 400, "VALIDATION_ERROR")
    assert "request code" in body["error"]
    assert upstream_requests(standin) == []


def test_without_a_signing_key_offline_is_not_set_up(make_relay, standin, fixtures):
    relay = make_relay()
    body = assert_envelope(ask(relay, fixtures["offline"], FP), 503, "OFFLINE_UNAVAILABLE")
    assert "isn't set up" in body["error"]
    assert upstream_requests(standin) == []
