"""Admin routes and license lifecycle transitions (invalid ones are 409 CONFLICT)."""

from __future__ import annotations

import pytest


@pytest.fixture
def new_license(http, bearer):
    product = http.post("/products", json={"name": "Widget"}, headers=bearer())
    assert product.status_code == 201
    policy = http.post("/policies", json={"productId": product.json()["data"]["id"],
                                          "name": "Widget std", "maxMachines": 1,
                                          "durationDays": 30,
                                          "heartbeatIntervalMinutes": 2},
                       headers=bearer())
    assert policy.status_code == 201
    p = policy.json()["data"]
    assert p["heartbeatIntervalMinutes"] == 2 and "heartbeatIntervalSeconds" not in p
    lic = http.post("/licenses", json={"policyId": p["id"], "name": "Widget — Bo",
                                       "userName": "Bo"}, headers=bearer())
    assert lic.status_code == 201
    return lic.json()["data"]


def act(http, bearer, lid, action, **body):
    return http.post(f"/licenses/{lid}/actions/{action}", json=body or None, headers=bearer())


def test_created_license_validates(http, new_license):
    assert new_license["key"].count("-") == 4 and new_license["status"] == "active"
    assert new_license["expiresAt"] is not None
    d = http.post("/licenses/validate-key", json={"key": new_license["key"]}).json()["data"]
    assert d["code"] == "VALID"


def test_transitions(http, bearer, new_license):
    lid, key = new_license["id"], new_license["key"]

    def code() -> str:
        return http.post("/licenses/validate-key", json={"key": key}).json()["data"]["code"]

    assert act(http, bearer, lid, "suspend").json()["data"]["status"] == "suspended"
    assert code() == "SUSPENDED"
    r = act(http, bearer, lid, "suspend")
    assert (r.status_code, r.json()["code"]) == (409, "CONFLICT")
    assert act(http, bearer, lid, "renew").status_code == 409
    assert act(http, bearer, lid, "reinstate").json()["data"]["status"] == "active"
    assert act(http, bearer, lid, "reinstate").status_code == 409
    assert code() == "VALID"
    assert act(http, bearer, lid, "revoke").json()["data"]["status"] == "revoked"
    assert code() == "REVOKED"
    for action in ("reinstate", "suspend", "renew", "revoke"):
        assert act(http, bearer, lid, action).status_code == 409, action
    assert act(http, bearer, lid, "ban").json()["data"]["status"] == "banned"
    assert code() == "BANNED"
    assert act(http, bearer, lid, "ban").status_code == 409


def test_renew_expired(http, bearer, fixtures, standin):
    lid = standin.fixture_details["expired"]["licenseId"]
    r = http.post(f"/licenses/{lid}/renew", json={"days": 30}, headers=bearer())  # alias path
    assert r.status_code == 200 and r.json()["data"]["status"] == "active"
    d = http.post("/licenses/validate-key", json={"key": fixtures["expired"]}).json()["data"]
    assert d["code"] == "VALID"


def test_admin_scopes(http, bearer, standin):
    lid = standin.fixture_details["valid"]["licenseId"]
    r = http.post(f"/licenses/{lid}/actions/suspend", headers=bearer("apiKeyReadOnly"))
    assert (r.status_code, r.json()["code"]) == (403, "FORBIDDEN")
    assert http.post(f"/licenses/{lid}/actions/suspend").status_code == 401
    assert http.get(f"/licenses/{lid}", headers=bearer("apiKeyReadOnly")).status_code == 200
    assert http.post("/products", json={"name": "x"},
                     headers=bearer("apiKeyReadOnly")).status_code == 403


def test_unknown_references(http, bearer):
    r = http.post("/licenses", json={"policyId": "nope"}, headers=bearer())
    assert (r.status_code, r.json()["code"]) == (422, "REFERENCE_NOT_FOUND")
    assert http.post("/licenses/nope/actions/suspend", headers=bearer()).status_code == 404
    assert http.post("/licenses/x/actions/explode", headers=bearer()).status_code == 404


def test_list_licenses_paginates(http, bearer):
    page = http.get("/licenses", params={"limit": 5}, headers=bearer()).json()
    assert len(page["data"]) == 5 and page["pagination"]["hasMore"]
    assert "key" not in page["data"][0]
