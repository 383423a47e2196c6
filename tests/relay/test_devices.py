"""Listing and freeing devices through the relay: a license sees and frees only its own."""

from __future__ import annotations

import uuid

import httpx

from tests.relay.conftest import (
    activate_upstream,
    as_license,
    assert_envelope,
    upstream_admin,
    upstream_machines,
)

DEVICE_FIELDS = {
    "id", "name", "platform", "hostname", "createdAt", "lastHeartbeatAt",
    "heartbeatStatus", "fingerprint",
}  # fmt: skip


def test_lists_only_the_callers_devices(standin, relay):
    seat = standin.fixture_details["seat-limit"]
    other = activate_upstream(standin, standin.fixtures["valid"], "f" * 64, "Other person's PC")

    response = httpx.get(relay.url + "/v1/devices", headers=as_license(seat["key"]))

    assert response.status_code == 200, response.text
    data = response.json()["data"]
    upstream = {m["id"]: m for m in upstream_machines(standin, seat["licenseId"])}
    listed = {d["id"]: d for d in data["devices"]}
    assert listed.keys() == upstream.keys() and len(listed) == 2
    assert other["id"] not in listed
    assert data["machineCount"] == 2
    assert data["maxMachines"] == 2  # the two-seats policy
    for device in data["devices"]:
        assert set(device) == DEVICE_FIELDS
        assert device["fingerprint"] == upstream[device["id"]]["fingerprint"]
    assert {d["name"] for d in data["devices"]} == {"Old laptop", "Office PC"}


def test_license_override_is_the_cap(standin, relay):
    response = httpx.get(
        relay.url + "/v1/devices", headers=as_license(standin.fixtures["one-seat"])
    )
    data = response.json()["data"]
    assert (data["maxMachines"], data["machineCount"], data["devices"]) == (1, 0, [])


def test_suspended_license_may_still_list(standin, relay):
    response = httpx.get(
        relay.url + "/v1/devices", headers=as_license(standin.fixtures["suspended"])
    )
    assert response.status_code == 200, response.text
    assert response.json()["data"]["devices"] == []


def test_deactivating_own_device_frees_it_upstream(standin, relay):
    seat = standin.fixture_details["seat-limit"]
    victim = upstream_machines(standin, seat["licenseId"])[0]["id"]

    response = httpx.delete(f"{relay.url}/v1/devices/{victim}", headers=as_license(seat["key"]))

    assert response.status_code == 204, response.text
    remaining = [m["id"] for m in upstream_machines(standin, seat["licenseId"])]
    assert victim not in remaining and len(remaining) == 1


def test_another_licenses_machine_is_refused_like_an_unknown_one(standin, relay):
    seat_key = standin.fixtures["seat-limit"]
    other = activate_upstream(standin, standin.fixtures["valid"], "e" * 64, "Not yours")

    foreign = httpx.delete(f"{relay.url}/v1/devices/{other['id']}", headers=as_license(seat_key))
    unknown = httpx.delete(f"{relay.url}/v1/devices/{uuid.uuid4()}", headers=as_license(seat_key))

    foreign_body = assert_envelope(foreign, 404, "NOT_FOUND")
    unknown_body = assert_envelope(unknown, 404, "NOT_FOUND")
    assert foreign_body["error"] == unknown_body["error"]  # no hint that the id exists
    with upstream_admin(standin) as admin:
        still = admin.get(f"/machines/{other['id']}")
    assert still.status_code == 200 and still.json()["data"]["id"] == other["id"]  # not deleted


def test_path_tricks_do_not_reach_other_routes(standin, relay):
    key = standin.fixtures["seat-limit"]
    response = httpx.delete(f"{relay.url}/v1/devices/..%2F..%2Flicenses", headers=as_license(key))
    assert_envelope(response, 404, "NOT_FOUND")
    assert len(upstream_machines(standin, standin.fixture_details["seat-limit"]["licenseId"])) == 2


def test_wrong_or_missing_license_key_is_401(standin, relay):
    wrong = httpx.get(relay.url + "/v1/devices", headers=as_license("DEMO-NOPE-NOPE-NOPE-NOPE"))
    missing = httpx.get(relay.url + "/v1/devices")
    bearer = httpx.get(
        relay.url + "/v1/devices", headers={"Authorization": f"Bearer {standin.fixtures['apiKey']}"}
    )
    deleting = httpx.delete(f"{relay.url}/v1/devices/{uuid.uuid4()}")

    for response in (wrong, missing, bearer, deleting):
        assert_envelope(response, 401, "UNAUTHORIZED")
    assert "NOPE-NOPE" not in wrong.text
