"""Each fault switch under /_standin/faults (and the Python API) seen by a real client."""

from __future__ import annotations

import time
from email.utils import parsedate_to_datetime

import httpx
import pytest

from .conftest import FP, lic_auth


def validate(http, key):
    return http.post("/licenses/validate-key", json={"key": key})


def test_latency(http, fixtures, root):
    assert root.post("/_standin/faults", json={"route": "validate-key", "kind": "latency",
                                               "ms": 300}).status_code == 201
    t0 = time.perf_counter()
    assert validate(http, fixtures["valid"]).status_code == 200
    assert time.perf_counter() - t0 >= 0.3
    t0 = time.perf_counter()
    validate(http, fixtures["valid"])
    assert time.perf_counter() - t0 < 0.3  # count defaults to 1


def test_forced_status_with_code_then_until_reset(http, fixtures, standin, root):
    standin.add_fault("activate", "status", status=409, code="LICENSE_SUSPENDED", count=None)
    for _ in range(2):
        r = http.post("/machines", json={"fingerprint": FP}, headers=lic_auth(fixtures["valid"]))
        assert (r.status_code, r.json()["code"]) == (409, "LICENSE_SUSPENDED")
    assert root.delete("/_standin/faults").status_code == 204
    r = http.post("/machines", json={"fingerprint": FP}, headers=lic_auth(fixtures["valid"]))
    assert r.status_code == 201


def test_status_500_default_body(http, fixtures, standin):
    standin.add_fault("*", "status", status=503)
    r = validate(http, fixtures["valid"])
    assert (r.status_code, r.json()["code"]) == (503, "SERVICE_UNAVAILABLE")


def test_malformed_body(http, fixtures, standin):
    standin.add_fault("validate-key", "malformed")
    r = validate(http, fixtures["valid"])
    assert r.status_code == 200
    with pytest.raises(ValueError):
        r.json()


def test_truncated_body(http, fixtures, standin):
    standin.add_fault("validate-key", "truncated")
    r = validate(http, fixtures["valid"])
    with pytest.raises(ValueError):
        r.json()
    standin.add_fault("validate-key", "truncated", incomplete=True)
    with pytest.raises(httpx.RemoteProtocolError):
        validate(http, fixtures["valid"])


def test_html_captive_portal(http, fixtures, standin):
    standin.add_fault("*", "html")
    r = validate(http, fixtures["valid"])
    assert r.headers["content-type"].startswith("text/html") and "<html>" in r.text


def test_drop_before_does_no_work(http, fixtures, standin):
    standin.add_fault("activate", "drop")
    with pytest.raises(httpx.TransportError):
        http.post("/machines", json={"fingerprint": FP}, headers=lic_auth(fixtures["valid"]))
    code = http.post("/licenses/validate-key",
                     json={"key": fixtures["valid"], "fingerprint": FP}).json()["data"]["code"]
    assert code == "FINGERPRINT_NOT_FOUND"


def test_drop_after_does_the_work(http, fixtures, standin):
    standin.add_fault("activate", "drop", after=True)
    with pytest.raises(httpx.TransportError):
        http.post("/machines", json={"fingerprint": FP}, headers=lic_auth(fixtures["valid"]))
    code = http.post("/licenses/validate-key",
                     json={"key": fixtures["valid"], "fingerprint": FP}).json()["data"]["code"]
    assert code == "VALID"


def test_rate_limit_burst(http, fixtures, root):
    root.post("/_standin/faults", json={"route": "validate-key", "kind": "rate_limit",
                                        "retryAfter": 7, "count": 2})
    for _ in range(2):
        r = validate(http, fixtures["valid"])
        assert (r.status_code, r.headers["retry-after"], r.json()["code"]) == (429, "7",
                                                                              "RATE_LIMITED")
    assert validate(http, fixtures["valid"]).status_code == 200


def test_clock_offset_moves_date_header(http, fixtures, standin):
    standin.add_fault("*", "clock_offset", seconds=-7200)
    r = validate(http, fixtures["valid"])
    skew = parsedate_to_datetime(r.headers["date"]).timestamp() - time.time()
    assert -7300 < skew < -7100
    assert int(r.headers["x-signature-timestamp"]) < time.time() - 7000


def test_path_pattern_and_reset_route(http, fixtures, root, standin):
    standin.add_fault("/api/v1/machines/*/heartbeat", "status", status=500)
    m = http.post("/machines", json={"fingerprint": FP},
                  headers=lic_auth(fixtures["valid"])).json()["data"]
    r = http.post(f"/machines/{m['id']}/heartbeat", headers=lic_auth(fixtures["valid"]))
    assert r.status_code == 500
    assert root.post("/_standin/reset").json()["valid"] == fixtures["valid"]
    r = http.post(f"/machines/{m['id']}/heartbeat", headers=lic_auth(fixtures["valid"]))
    assert r.status_code == 404  # the machine went with the reset


def test_bad_fault_spec_is_400(root):
    assert root.post("/_standin/faults", json={"kind": "explode"}).status_code == 400
    assert root.post("/_standin/faults", json={"kind": "latency",
                                               "route": "nowhere"}).status_code == 400


def test_clock_route_shifts_business_time(http, fixtures, root):
    key = fixtures["valid"]
    root.post("/_standin/clock", json={"advanceSeconds": 400 * 86400})
    assert validate(http, key).json()["data"]["code"] == "EXPIRED"
    root.post("/_standin/clock", json={"shiftSeconds": 0})
    assert validate(http, key).json()["data"]["code"] == "VALID"


def test_fixtures_route(root, fixtures):
    assert root.get("/_standin/fixtures").json() == fixtures
    details = root.get("/_standin/fixtures/details").json()
    assert details["seat-limit"]["key"] == fixtures["seat-limit"]
