"""Rate limits: headers on every API response, per-tier windows, 429 with Retry-After."""

from __future__ import annotations

import time

from .conftest import FP, lic_auth


def test_headers_on_every_api_response(http, fixtures, bearer):
    for r in [http.post("/licenses/validate-key", json={"key": fixtures["valid"]}),
              http.get("/machines", headers=bearer()),
              http.get("/machines"),  # even a 401
              http.post("/machines", json={"fingerprint": FP},
                        headers=lic_auth(fixtures["valid"]))]:
        assert {"x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"} <= set(
            r.headers), r.request.url
        assert int(r.headers["x-ratelimit-reset"]) >= time.time()


def test_validation_tier_exhausts_with_retry_after(http, fixtures, standin, root):
    root.post("/_standin/config", json={"rateLimits": {"VALIDATION": 3}})
    remaining = [int(http.post("/licenses/validate-key", json={"key": fixtures["valid"]})
                     .headers["x-ratelimit-remaining"]) for _ in range(3)]
    assert remaining == [2, 1, 0]
    r = http.post("/licenses/validate-key", json={"key": fixtures["valid"]})
    assert (r.status_code, r.json()["code"]) == (429, "RATE_LIMITED")
    assert 1 <= int(r.headers["retry-after"]) <= 60
    assert r.headers["x-ratelimit-limit"] == "3"
    # Other tiers have their own counters.
    assert http.post("/machines", json={"fingerprint": FP},
                     headers=lic_auth(fixtures["valid"])).status_code == 201


def test_management_buckets_by_credential(http, fixtures, bearer, standin):
    standin.configure(rate_limits={"MANAGEMENT": 1})
    assert http.get("/machines", headers=bearer()).status_code == 200
    assert http.get("/machines", headers=bearer()).status_code == 429
    assert http.get("/machines", headers=bearer("apiKeyRelay")).status_code == 200


def test_short_window_resets(http, fixtures, standin):
    standin.configure(rate_limits={"ACTIVATION": 1}, rate_window=1)
    headers = lic_auth(fixtures["valid"])
    # Align to a fresh window so both calls land in the same one.
    time.sleep(1 - (time.time() % 1) + 0.02)
    assert http.post("/machines", json={"fingerprint": FP}, headers=headers).status_code == 201
    assert http.post("/machines", json={"fingerprint": FP + "x"},
                     headers=headers).status_code == 429
    time.sleep(1.05)
    assert http.post("/machines", json={"fingerprint": FP + "x"},
                     headers=headers).status_code == 201


def test_reset_restores_relaxed_limits(http, fixtures, standin):
    standin.configure(rate_limits={"VALIDATION": 1})
    standin.reset()
    for _ in range(3):
        assert http.post("/licenses/validate-key",
                         json={"key": fixtures["valid"]}).status_code == 200
