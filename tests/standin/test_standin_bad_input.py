"""Bad input is a 400 VALIDATION_ERROR with Zod-style issues, never a 500."""

from __future__ import annotations

import pytest

from .conftest import FP

VALIDATE = "/licenses/validate-key"
MACHINES = "/machines"

CASES = [
    # (id, path, raw body or json, expected issue path, expected issue code)
    ("fp-too-short", MACHINES, {"fingerprint": "short"}, ["fingerprint"], "too_small"),
    ("fp-too-long", MACHINES, {"fingerprint": "f" * 257}, ["fingerprint"], "too_big"),
    ("fp-missing", MACHINES, {"name": "x"}, ["fingerprint"], "invalid_type"),
    ("fp-number", MACHINES, {"fingerprint": 12345678}, ["fingerprint"], "invalid_type"),
    ("bad-platform", MACHINES, {"fingerprint": FP, "platform": "beos"}, ["platform"],
     "invalid_enum_value"),
    ("name-too-long", MACHINES, {"fingerprint": FP, "name": "n" * 256}, ["name"], "too_big"),
    ("cores-string", MACHINES, {"fingerprint": FP, "cores": "8"}, ["cores"], "invalid_type"),
    ("cores-bool", MACHINES, {"fingerprint": FP, "cores": True}, ["cores"], "invalid_type"),
    ("metadata-list", MACHINES, {"fingerprint": FP, "metadata": []}, ["metadata"],
     "invalid_type"),
    ("not-json", MACHINES, b"{fingerprint:", [], "invalid_json"),
    ("json-array", MACHINES, b"[1,2]", [], "invalid_type"),
    ("empty-body", MACHINES, b"", [], "invalid_type"),
    ("too-big", MACHINES, b'{"fingerprint":"' + b"a" * 70000 + b'"}', [], "too_big"),
    ("key-missing", VALIDATE, {}, ["key"], "invalid_type"),
    ("key-number", VALIDATE, {"key": 5}, ["key"], "invalid_type"),
    ("validate-fp-short", VALIDATE, {"key": "K", "fingerprint": "abc"}, ["fingerprint"],
     "too_small"),
    ("entitlements-not-list", VALIDATE, {"key": "K", "entitlements": "pro"}, ["entitlements"],
     "invalid_type"),
    ("entitlement-item-number", VALIDATE, {"key": "K", "entitlements": ["pro", 3]},
     ["entitlements", 1], "invalid_type"),
    ("validate-not-json", VALIDATE, b"\xff\xfe", [], "invalid_json"),
]


@pytest.mark.parametrize(("path", "body", "issue_path", "issue_code"),
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_is_400(http, fixtures, path, body, issue_path, issue_code):
    headers = {"Authorization": f"License {fixtures['valid']}",
               "Content-Type": "application/json"}
    if isinstance(body, bytes):
        r = http.post(path, content=body, headers=headers)
    else:
        r = http.post(path, json=body, headers=headers)
    assert r.status_code == 400, r.text
    err = r.json()
    assert err["code"] == "VALIDATION_ERROR" and err["requestId"]
    issues = err["details"]["issues"]
    assert any(i["path"] == issue_path and i["code"] == issue_code for i in issues), issues
    assert all(isinstance(i["message"], str) for i in issues)


@pytest.mark.parametrize("limit", ["0", "101", "abc", "-1"])
def test_bad_limit_is_400(http, bearer, limit):
    r = http.get("/machines", params={"limit": limit}, headers=bearer())
    assert (r.status_code, r.json()["code"]) == (400, "VALIDATION_ERROR")


def test_bad_checkout_ttl_is_400(http, bearer, standin):
    lid = standin.fixture_details["offline"]["licenseId"]
    r = http.post(f"/licenses/{lid}/checkout", json={"fingerprint": FP, "ttl": 10},
                  headers=bearer())
    assert r.status_code == 400
