"""Authentication by the by-key lookup: no validation, no use counted, answers cached per key,
the license-state rule, and the owner's view (`GET /v1/license`)."""

from __future__ import annotations

import uuid

import httpx

from app.relay import RelayLimits
from tests.relay.conftest import (
    activate_upstream,
    as_license,
    assert_envelope,
    upstream_machines,
    upstream_requests,
)


def test_license_view_is_the_by_key_license_trimmed(standin, relay, sdk):
    key = standin.fixtures["heartbeat"]
    response = httpx.get(relay.url + "/v1/license", headers=as_license(key))

    assert response.status_code == 200, response.text
    view = response.json()["data"]
    upstream = sdk.get_license_by_key(key)
    assert view["id"] == upstream.id and view["status"] == upstream.status
    assert view["expiresAt"] == upstream.expires_at
    assert view["licensee"] == {"name": upstream.user_name, "email": upstream.user_email}
    assert view["seats"]["used"] == len(upstream.machines)
    assert view["requireHeartbeat"] is True
    assert view["heartbeatIntervalMinutes"] == upstream.policy.heartbeat_interval_minutes
    assert view["offline"] == {
        "allowed": upstream.policy.offline_allowed,
        "maxDays": upstream.policy.offline_max_days,
    }
    # Nothing the owner has no business with: no account ids, metadata, or machines' IPs.
    assert not {"productId", "policyId", "metadata", "policy", "machines"} & set(view)


def test_authentication_is_not_a_validation_and_counts_no_use(standin, relay, sdk):
    key = standin.fixtures["valid"]
    uses_before = sdk.get_license_by_key(key).uses_count

    for path in ("/v1/license", "/v1/devices", "/v1/license"):
        assert httpx.get(relay.url + path, headers=as_license(key)).status_code == 200

    assert sdk.get_license_by_key(key).uses_count == uses_before
    assert upstream_requests(standin, "validate-key") == []


def test_a_burst_for_one_key_reaches_upstream_once(standin, relay):
    key = standin.fixtures["valid"]
    with httpx.Client(timeout=10) as client:
        answers = [client.get(relay.url + "/v1/license", headers=as_license(key)) for _ in range(10)]
    assert {a.status_code for a in answers} == {200}
    assert len(upstream_requests(standin, "/by-key/")) == 1


def test_unknown_keys_are_cached_too(standin, relay):
    unknown = as_license("DEMO-" + uuid.uuid4().hex[:19].upper())
    answers = [httpx.get(relay.url + "/v1/license", headers=unknown) for _ in range(3)]
    for answer in answers:
        assert_envelope(answer, 401, "UNAUTHORIZED")
    assert len(upstream_requests(standin, "/by-key/")) == 1


def test_a_deactivation_through_the_relay_refreshes_the_cached_answer(standin, relay):
    seat = standin.fixture_details["seat-limit"]
    headers = as_license(seat["key"])
    before = httpx.get(relay.url + "/v1/license", headers=headers).json()["data"]
    victim = upstream_machines(standin, seat["licenseId"])[0]["id"]

    assert httpx.delete(f"{relay.url}/v1/devices/{victim}", headers=headers).status_code == 204

    after = httpx.get(relay.url + "/v1/license", headers=headers).json()["data"]
    assert (before["seats"]["used"], after["seats"]["used"]) == (2, 1)


def test_a_machine_activated_since_the_cached_answer_is_looked_up_once_more(standin, make_relay):
    relay = make_relay(RelayLimits(devices_fresh_seconds=0))
    key = standin.fixtures["valid"]
    assert httpx.get(relay.url + "/v1/devices", headers=as_license(key)).status_code == 200
    machine = activate_upstream(standin, key, "d" * 64, "New since the cache")

    response = httpx.delete(f"{relay.url}/v1/devices/{machine['id']}", headers=as_license(key))

    assert response.status_code == 204, response.text
    assert len(upstream_requests(standin, "/by-key/")) == 2  # cached, then looked up again


def test_a_just_fetched_answer_is_not_refetched_for_a_guessed_id(standin, relay):
    key = standin.fixtures["valid"]
    assert httpx.get(relay.url + "/v1/devices", headers=as_license(key)).status_code == 200
    response = httpx.delete(f"{relay.url}/v1/devices/{uuid.uuid4()}", headers=as_license(key))
    assert_envelope(response, 404, "NOT_FOUND")
    assert len(upstream_requests(standin, "/by-key/")) == 1
    assert upstream_requests(standin, "/machines/") == []


def test_revoked_and_banned_get_403_with_a_plain_message(standin, relay):
    for scenario, code in (("revoked", "LICENSE_REVOKED"), ("banned", "LICENSE_BANNED")):
        for path in ("/v1/license", "/v1/devices"):
            response = httpx.get(relay.url + path, headers=as_license(standin.fixtures[scenario]))
            body = assert_envelope(response, 403, code)
            assert "contact the vendor" in body["error"]
        deleting = httpx.delete(f"{relay.url}/v1/devices/{uuid.uuid4()}",
                                headers=as_license(standin.fixtures[scenario]))  # fmt: skip
        assert_envelope(deleting, 403, code)
    assert upstream_requests(standin, "/machines") == []  # nothing was deactivated upstream


def test_expired_and_suspended_may_still_list_and_view(standin, relay):
    for scenario in ("expired", "suspended"):
        headers = as_license(standin.fixtures[scenario])
        view = httpx.get(relay.url + "/v1/license", headers=headers)
        devices = httpx.get(relay.url + "/v1/devices", headers=headers)
        assert (view.status_code, devices.status_code) == (200, 200), scenario
        assert view.json()["data"]["status"] == scenario
