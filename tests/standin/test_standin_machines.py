"""Activation, deactivation, heartbeats, culling and machine listing over real HTTP."""

from __future__ import annotations

import pytest

from .conftest import FP, lic_auth


def activate(http, key, fp=FP, **extra):
    return http.post("/machines", json={"fingerprint": fp, **extra}, headers=lic_auth(key))


def test_activation_returns_full_machine(http, fixtures, standin):
    r = activate(http, fixtures["valid"], name="Desk", platform="macos", hostname="desk.local",
                 cores=8)
    assert r.status_code == 201
    m = r.json()["data"]
    assert m["licenseId"] == standin.fixture_details["valid"]["licenseId"]
    assert (m["name"], m["platform"], m["hostname"], m["cores"]) == ("Desk", "macos",
                                                                    "desk.local", 8)
    assert m["heartbeatStatus"] == "NOT_STARTED" and m["lastHeartbeatAt"] is None
    assert "deletedAt" not in m and m["createdAt"].endswith("Z") and len(m["createdAt"]) == 24


def test_duplicate_activation_conflict_by_default(http, fixtures):
    first = activate(http, fixtures["valid"]).json()["data"]
    dup = activate(http, fixtures["valid"])
    assert (dup.status_code, dup.json()["code"]) == (409, "CONFLICT")
    assert dup.json()["details"]["machineId"] == first["id"]


def test_duplicate_activation_other_readings(http, fixtures, standin):
    first = activate(http, fixtures["valid"]).json()["data"]
    standin.configure(duplicate_fingerprint="constraint")
    dup = activate(http, fixtures["valid"])
    assert (dup.status_code, dup.json()["code"]) == (422, "CONSTRAINT_VIOLATION")
    standin.configure(duplicate_fingerprint="existing")
    again = activate(http, fixtures["valid"])
    assert again.status_code == 200 and again.json()["data"]["id"] == first["id"]


@pytest.mark.parametrize("status", [403, 422])
def test_license_state_status_reading(http, fixtures, standin, status):
    standin.configure(license_state_status=status)
    r = activate(http, fixtures["suspended"])
    assert (r.status_code, r.json()["code"]) == (status, "LICENSE_SUSPENDED")


def test_seat_limit_then_free_a_seat(http, fixtures, bearer):
    r = activate(http, fixtures["seat-limit"])
    assert r.status_code == 422
    assert r.json()["code"] == "MACHINE_LIMIT_EXCEEDED"
    assert r.json()["details"] == {"max": 2, "current": 2}
    lic = http.get(f"/licenses/by-key/{fixtures['seat-limit']}", headers=bearer()).json()["data"]
    old = next(m for m in lic["machines"] if m["name"] == "Old laptop")
    assert http.delete(f"/machines/{old['id']}",
                       headers=lic_auth(fixtures["seat-limit"])).status_code == 204
    assert activate(http, fixtures["seat-limit"]).status_code == 201


def test_license_state_blocks_activation(http, fixtures):
    for scenario, code in [("suspended", "LICENSE_SUSPENDED"), ("revoked", "LICENSE_REVOKED"),
                           ("banned", "LICENSE_BANNED"), ("expired", "LICENSE_EXPIRED"),
                           ("expired-revoke", "LICENSE_REVOKED")]:
        r = activate(http, fixtures[scenario])
        assert (r.status_code, r.json()["code"]) == (409, code), scenario
    assert activate(http, fixtures["expired-allow-access"]).status_code == 201


def test_unknown_license_key_is_401(http):
    r = activate(http, "DEMO-NOPE-NOPE-NOPE-NOPE")
    assert (r.status_code, r.json()["code"]) == (401, "UNAUTHORIZED")
    r = http.post("/machines", json={"fingerprint": FP})
    assert r.status_code == 401


def test_deactivate_other_licenses_machine_is_404(http, fixtures):
    m = activate(http, fixtures["valid"]).json()["data"]
    r = http.delete(f"/machines/{m['id']}", headers=lic_auth(fixtures["valid-2"]))
    assert (r.status_code, r.json()["code"]) == (404, "NOT_FOUND")
    assert http.delete("/machines/nope", headers=lic_auth(fixtures["valid"])).status_code == 404


def test_bearer_machines_write_may_activate_and_deactivate(http, fixtures, bearer, standin):
    lid = standin.fixture_details["valid"]["licenseId"]
    r = http.post("/machines", json={"fingerprint": FP, "licenseId": lid},
                  headers=bearer("apiKeyRelay"))
    assert r.status_code == 201
    mid = r.json()["data"]["id"]
    assert http.delete(f"/machines/{mid}", headers=bearer("apiKeyRelayNoWrite")).status_code == 403
    assert http.delete(f"/machines/{mid}", headers=bearer("apiKeyRelay")).status_code == 204


def test_heartbeat_dead_and_culled(http, fixtures, standin):
    key = fixtures["heartbeat"]
    m = activate(http, key).json()["data"]
    hb = http.post(f"/machines/{m['id']}/heartbeat", headers=lic_auth(key))
    assert hb.status_code == 200 and hb.json()["data"]["heartbeatStatus"] == "ALIVE"
    standin.advance_clock(61)  # the fixture's interval is 1 minute; DEACTIVATE_DEAD
    v = http.post("/licenses/validate-key", json={"key": key, "fingerprint": FP}).json()["data"]
    assert v["code"] == "FINGERPRINT_NOT_FOUND"
    r = http.post(f"/machines/{m['id']}/heartbeat", headers=lic_auth(key))
    assert r.status_code == 404


def test_keep_dead_machine_is_dead_then_revived(http, fixtures, standin):
    key = fixtures["heartbeat-keep-dead"]
    m = activate(http, key).json()["data"]
    http.post(f"/machines/{m['id']}/heartbeat", headers=lic_auth(key))
    standin.advance_clock(61)
    v = http.post("/licenses/validate-key", json={"key": key, "fingerprint": FP}).json()["data"]
    assert (v["code"], v["machine"]["heartbeatStatus"]) == ("HEARTBEAT_REQUIRED", "DEAD")
    assert http.post(f"/machines/{m['id']}/heartbeat", headers=lic_auth(key)).status_code == 200
    v = http.post("/licenses/validate-key", json={"key": key, "fingerprint": FP}).json()["data"]
    assert v["code"] == "VALID"


def test_list_machines_paginates_and_needs_scope(http, fixtures, bearer, standin):
    lid = standin.fixture_details["valid"]["licenseId"]
    for i in range(3):
        activate(http, fixtures["valid"], fp=f"{FP[:-1]}{i}")
    page = http.get("/machines", params={"licenseId": lid, "limit": 2}, headers=bearer()).json()
    assert len(page["data"]) == 2 and page["pagination"]["hasMore"] is True
    nxt = http.get("/machines", params={"licenseId": lid, "limit": 2,
                                        "cursor": page["pagination"]["nextCursor"]},
                   headers=bearer()).json()
    assert len(nxt["data"]) == 1
    assert nxt["pagination"] == {"nextCursor": None, "hasMore": False}
    one = http.get(f"/machines/{nxt['data'][0]['id']}", headers=bearer("apiKeyRelayNoWrite"))
    assert one.status_code == 200
    denied = http.get("/machines", params={"licenseId": lid}, headers=lic_auth(fixtures["valid"]))
    assert (denied.status_code, denied.json()["code"]) == (403, "FORBIDDEN")
    assert http.get("/machines", headers=bearer("apiKeyReadOnly")).status_code == 403
    assert http.get("/machines").status_code == 401
    assert http.get("/machines", headers={"Authorization": "Bearer lk_test_x"}).status_code == 401


def test_fingerprint_uniqueness_per_account(http, fixtures, bearer):
    product = http.post("/products", json={"name": "P"}, headers=bearer()).json()["data"]
    policy = http.post("/policies", json={"productId": product["id"], "name": "acct",
                                          "maxMachines": 2,
                                          "fingerprintUniqueness": "PER_ACCOUNT"},
                       headers=bearer()).json()["data"]
    created = http.post("/licenses", json={"policyId": policy["id"]}, headers=bearer())
    key = created.json()["data"]["key"]
    assert activate(http, fixtures["valid"]).status_code == 201
    r = activate(http, key)
    assert (r.status_code, r.json()["code"]) == (409, "CONFLICT")
    assert r.json()["details"] == {"fingerprintUniqueness": "PER_ACCOUNT"}
