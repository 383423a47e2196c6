"""Offline checkout through the relay: a certificate when the policy allows it, the error otherwise."""

from __future__ import annotations

import httpx

from tests.relay.conftest import as_license, assert_envelope

FINGERPRINT = "c3f1d0a9b2e84f7d9a6c5b4e3f2a1d0c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e"


def test_offline_policy_gets_a_certificate(standin, relay):
    response = httpx.post(
        relay.url + "/v1/offline-checkout",
        json={"fingerprint": FINGERPRINT, "ttl": 3600},
        headers=as_license(standin.fixtures["offline"]),
    )
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert set(data) == {"certificate", "expiresAt"}
    assert "-----BEGIN" in data["certificate"]
    assert data["expiresAt"].endswith("Z")


def test_policy_without_offline_gets_the_upstream_error(standin, relay):
    response = httpx.post(
        relay.url + "/v1/offline-checkout",
        json={"fingerprint": FINGERPRINT},
        headers=as_license(standin.fixtures["valid"]),
    )
    assert_envelope(response, 422, "BUSINESS_RULE_VIOLATION")


def test_bad_bodies_are_400_before_any_upstream_call(standin, relay):
    key = as_license(standin.fixtures["offline"])
    url = relay.url + "/v1/offline-checkout"
    not_json = httpx.post(url, content=b"{nope", headers=key)
    not_object = httpx.post(url, json=[FINGERPRINT], headers=key)
    no_fingerprint = httpx.post(url, json={"ttl": 3600}, headers=key)
    huge = httpx.post(url, json={"fingerprint": FINGERPRINT, "pad": "x" * 70_000}, headers=key)

    for response in (not_json, not_object, no_fingerprint, huge):
        assert_envelope(response, 400, "VALIDATION_ERROR")
    assert huge.json()["details"]["maxBytes"] == 64 * 1024
