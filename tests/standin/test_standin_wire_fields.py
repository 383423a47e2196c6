"""Every stand-in answer carries exactly the field names of the official SDK's models.

The public endpoint (validate-key) gives the reduced license and machine; the rich license
(machines, policy, licensee) comes only from the Bearer endpoints. A tour over every /api/v1
route records each answer, and each is compared with the `licentric` 0.3.0 model it parses into,
so a field the real service does not send cannot creep back into the stand-in.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from licentric.models import License, LicenseFile, Machine, Policy, ValidationResult
from pydantic import BaseModel

from app.standin.app import ROUTES

from .conftest import FP, lic_auth

REDUCED_LICENSE = {"id", "status", "name", "expiresAt", "maxMachinesOverride",
                   "maxUsesOverride", "usesCount"}  # fmt: skip
REDUCED_MACHINE = {"id", "fingerprint", "name", "heartbeatStatus"}
ERROR_FIELDS = {"error", "code", "details", "requestId"}  # licentric-api.md 1.4, newer form
# No SDK model exists for these admin objects; the stand-in's choice, fixed here.
PRODUCT_FIELDS = {"id", "name", "code", "metadata", "createdAt", "updatedAt"}
ENTITLEMENT_FIELDS = {"id", "code", "name", "createdAt", "updatedAt"}
PAGINATION_FIELDS = {"nextCursor", "hasMore"}


def wire_names(model: type[BaseModel]) -> set[str]:
    return {field.alias or name for name, field in model.model_fields.items()}


LICENSE = wire_names(License)
PLAIN_LICENSE = LICENSE - {"machines", "policy"}


def check_license(value: dict[str, Any], *, rich: bool) -> None:
    assert set(value) == (LICENSE if rich else PLAIN_LICENSE)
    if rich:
        for machine in value["machines"]:
            assert set(machine) == wire_names(Machine)
        assert set(value["policy"]) == wire_names(Policy)


def check_validation(data: dict[str, Any]) -> None:
    assert set(data) == wire_names(ValidationResult)
    assert REDUCED_LICENSE <= LICENSE and wire_names(Machine) >= REDUCED_MACHINE
    if data["license"] is not None:
        assert set(data["license"]) == REDUCED_LICENSE
    if data["machine"] is not None:
        assert set(data["machine"]) == REDUCED_MACHINE


def check_list(document: dict[str, Any], fields: set[str]) -> None:
    assert set(document) == {"data", "pagination"}
    assert set(document["pagination"]) == PAGINATION_FIELDS
    for item in document["data"]:
        assert set(item) == fields


def check_success(method: str, path: str, document: dict[str, Any]) -> None:
    """Compare one 2xx answer with the model its route returns."""
    data = document.get("data")
    item = path.rstrip("/").split("/")[-1]
    if path.endswith("/validate-key"):
        check_validation(data)
    elif "/machines" in path and method == "GET" and item == "machines":
        check_list(document, wire_names(Machine))
    elif "/machines" in path:
        assert set(data) == wire_names(Machine)
    elif path.endswith("/checkout"):
        assert set(data) == wire_names(LicenseFile)
        check_license(data["license"], rich=False)
    elif re.search(r"/licenses/(by-key/[^/]+|[0-9a-f-]{36})$", path) and method == "GET":
        check_license(data, rich=True)
    elif item == "licenses" and method == "GET":
        assert set(document) == {"data", "pagination"}
        for value in data:
            check_license(value, rich=False)
    elif item == "licenses":  # the created license also shows its key, once
        assert "key" in data
        check_license({k: v for k, v in data.items() if k != "key"}, rich=False)
    elif "/licenses/" in path:  # lifecycle actions
        check_license(data, rich=False)
    else:
        fields = {"products": PRODUCT_FIELDS, "entitlements": ENTITLEMENT_FIELDS,
                  "policies": wire_names(Policy)}[item]  # fmt: skip
        if method == "GET":
            check_list(document, fields)
        else:
            assert set(data) == fields


@pytest.fixture
def recorded(standin) -> Iterator[tuple[httpx.Client, list[httpx.Response]]]:
    answers: list[httpx.Response] = []

    def record(response: httpx.Response) -> None:
        response.read()
        answers.append(response)

    hooks = {"response": [record]}
    with httpx.Client(base_url=standin.api_url, timeout=10, event_hooks=hooks) as client:
        yield client, answers


def tour(http: httpx.Client, fixtures: dict[str, str], standin: Any) -> None:
    """Call every /api/v1 route, with answers that succeed and answers that fail."""
    bearer = {"Authorization": f"Bearer {fixtures['apiKey']}"}
    key, lid = fixtures["offline"], standin.fixture_details["offline"]["licenseId"]
    http.post("/licenses/validate-key", json={"key": "DEMO-NOPE-NOPE-NOPE-NOPE"})
    http.post("/licenses/validate-key", json={"key": key, "fingerprint": FP})
    machine = http.post("/machines", json={"fingerprint": FP, "name": "Desk"},
                        headers=lic_auth(key)).json()["data"]  # fmt: skip
    http.post("/machines", json={"fingerprint": FP}, headers=lic_auth(key))  # 409
    http.post("/licenses/validate-key", json={"key": key, "fingerprint": FP, "entitlements": []})
    http.post(f"/machines/{machine['id']}/heartbeat", headers=lic_auth(key))
    http.get(f"/machines/{machine['id']}", headers=bearer)
    http.get("/machines", params={"licenseId": lid}, headers=bearer)
    http.get(f"/licenses/{lid}", headers=bearer)
    http.get(f"/licenses/by-key/{key}", headers=bearer)
    http.get("/licenses/by-key/DEMO-NOPE", headers=bearer)  # 404
    http.post(f"/licenses/{lid}/checkout", json={"fingerprint": FP, "ttl": 86400}, headers=bearer)
    http.delete(f"/machines/{machine['id']}", headers=lic_auth(key))
    product = http.post("/products", json={"name": "W"}, headers=bearer).json()["data"]
    http.get("/products", headers=bearer)
    http.post("/entitlements", json={"code": "w"}, headers=bearer)
    http.get("/entitlements", headers=bearer)
    policy = http.post("/policies", json={"productId": product["id"], "name": "w"},
                       headers=bearer).json()["data"]  # fmt: skip
    http.get("/policies", headers=bearer)
    created = http.post("/licenses", json={"policyId": policy["id"]}, headers=bearer).json()
    http.get("/licenses", headers=bearer)
    new_id = created["data"]["id"]
    http.post(f"/licenses/{new_id}/actions/suspend", headers=bearer)
    http.post(f"/licenses/{new_id}/reinstate", headers=bearer)
    http.post(f"/licenses/{new_id}/actions/reinstate", headers=bearer)  # 409
    http.post("/machines", json={"fingerprint": FP}, headers=lic_auth(fixtures["suspended"]))
    http.post("/machines", json={"fingerprint": "short"}, headers=lic_auth(key))  # 400
    http.get("/machines")  # 401


def test_every_answer_has_exactly_the_sdk_models_fields(recorded, fixtures, standin):
    http, answers = recorded
    tour(http, fixtures, standin)
    seen_routes = set()
    for response in answers:
        path, method = response.request.url.path, response.request.method
        seen_routes.update(r.path for r in ROUTES if r.path.startswith("/api/")
                           and r.matches({"type": "http", "path": path, "method": method})[0].value
                           == 2)  # fmt: skip
        if response.status_code == 204:
            assert response.content == b""
        elif response.is_success:
            check_success(method, path, response.json())
        else:
            body = response.json()
            assert {"error", "code"} <= set(body) <= ERROR_FIELDS, (path, body)
    assert seen_routes == {r.path for r in ROUTES if r.path.startswith("/api/")}
    assert {r.status_code for r in answers} >= {200, 201, 204, 400, 401, 404, 409}


@pytest.mark.parametrize(
    ("switch", "reading"),
    [("unknown_key", "not-found"), ("duplicate_fingerprint", "constraint"),
     ("duplicate_fingerprint", "existing"), ("license_state_status", 403),
     ("license_state_status", 422)],
)  # fmt: skip
def test_every_reading_keeps_the_fields(recorded, fixtures, standin, switch, reading):
    standin.configure(**{switch: reading})
    http, answers = recorded
    tour(http, fixtures, standin)
    for response in answers:
        if response.is_success and response.status_code != 204:
            check_success(response.request.method, response.request.url.path, response.json())
        elif not response.is_success:
            assert {"error", "code"} <= set(response.json()) <= ERROR_FIELDS
