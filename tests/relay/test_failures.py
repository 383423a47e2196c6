"""The relay's failure answers: start-up scope check, upstream outages and rate limits."""

from __future__ import annotations

import logging

import httpx
import pytest

from app.domain.license_key import mask_key
from app.relay import RelayLimits, RelayServer, RelayStartupError
from tests.relay.conftest import as_license, assert_envelope


def test_api_key_without_machines_write_is_refused_at_start(standin):
    server = RelayServer(standin.url, standin.fixtures["apiKeyRelayNoWrite"])
    with pytest.raises(RelayStartupError, match="machines:write"):
        server.start()


def test_api_key_without_machines_read_is_refused_at_start(standin):
    server = RelayServer(standin.url, standin.fixtures["apiKeyReadOnly"])
    with pytest.raises(RelayStartupError, match="machines:read"):
        server.start()


def test_unknown_api_key_is_refused_at_start(standin):
    with pytest.raises(RelayStartupError, match="rejected"):
        RelayServer(standin.url, "lk_test_not_a_real_key").start()


def test_unreachable_upstream_starts_with_a_warning_then_answers_502(closed_port, caplog):
    upstream = f"http://127.0.0.1:{closed_port}"
    with (
        caplog.at_level(logging.WARNING, logger="app.relay"),
        RelayServer(upstream, "lk_test_anything") as relay,
    ):
        response = httpx.get(relay.url + "/v1/devices", headers=as_license("DEMO-AAAA-BBBB"))
    assert "unreachable at start-up" in caplog.text
    body = assert_envelope(response, 502, "UPSTREAM_UNAVAILABLE")
    assert "Traceback" not in response.text and "details" not in body


def test_upstream_5xx_becomes_a_clean_502(standin, relay):
    standin.add_fault("license-by-key", "status", status=503)
    response = httpx.get(relay.url + "/v1/devices", headers=as_license(standin.fixtures["valid"]))
    assert_envelope(response, 502, "UPSTREAM_UNAVAILABLE")


def test_upstream_garbage_becomes_a_clean_502(standin, relay):
    standin.add_fault("license-by-key", "html", status=200)
    response = httpx.get(relay.url + "/v1/devices", headers=as_license(standin.fixtures["valid"]))
    assert_envelope(response, 502, "UPSTREAM_UNAVAILABLE")


def test_upstream_timeout_becomes_504(standin):
    limits = RelayLimits(upstream_timeout=0.5)
    with RelayServer(standin.url, standin.fixtures["apiKeyRelay"], limits=limits) as relay:
        standin.add_fault("license-by-key", "latency", ms=2000)
        key = standin.fixtures["valid"]
        response = httpx.get(relay.url + "/v1/devices", headers=as_license(key), timeout=10)
    assert_envelope(response, 504, "UPSTREAM_TIMEOUT")


def test_upstream_429_is_passed_on_with_retry_after(standin, relay):
    standin.add_fault("license-by-key", "rate_limit", retryAfter=7)
    response = httpx.get(relay.url + "/v1/devices", headers=as_license(standin.fixtures["valid"]))
    assert_envelope(response, 429, "RATE_LIMITED")
    assert response.headers["Retry-After"] == "7"


def test_own_per_license_limit_answers_429_with_retry_after(standin, tight_relay):
    key = as_license(standin.fixtures["valid"])
    answers = [httpx.get(tight_relay.url + "/v1/devices", headers=key) for _ in range(3)]

    assert [r.status_code for r in answers[:2]] == [200, 200]
    assert answers[1].headers["X-RateLimit-Remaining"] == "0"
    assert_envelope(answers[2], 429, "RATE_LIMITED")
    assert 1 <= int(answers[2].headers["Retry-After"]) <= 60
    assert answers[2].headers["X-RateLimit-Limit"] == "2"
    # Another license has its own bucket.
    other = httpx.get(
        tight_relay.url + "/v1/devices", headers=as_license(standin.fixtures["valid-2"])
    )
    assert other.status_code == 200


def test_own_per_ip_limit_answers_429(standin):
    limits = RelayLimits(per_license=100, per_ip=1)
    with RelayServer(standin.url, standin.fixtures["apiKeyRelay"], limits=limits) as relay:
        first = httpx.get(relay.url + "/v1/devices")
        second = httpx.get(relay.url + "/v1/devices", headers=as_license(standin.fixtures["valid"]))
    assert_envelope(first, 401, "UNAUTHORIZED")
    assert_envelope(second, 429, "RATE_LIMITED")
    assert second.headers["Retry-After"]


def test_keys_never_reach_the_logs(standin, relay, caplog):
    key = standin.fixtures["seat-limit"]
    wrong = "DEMO-WXYZ-QRST-LMNO-ABCD"
    with caplog.at_level(logging.DEBUG):
        httpx.get(relay.url + "/v1/devices", headers=as_license(key))
        httpx.get(relay.url + "/v1/devices", headers=as_license(wrong))
        machine = httpx.get(relay.url + "/v1/devices", headers=as_license(key))
        victim = machine.json()["data"]["devices"][0]["id"]
        httpx.delete(f"{relay.url}/v1/devices/{victim}", headers=as_license(key))
    assert key not in caplog.text and wrong not in caplog.text
    assert mask_key(wrong) in caplog.text  # the unknown key, masked


def test_upstream_refusing_the_relay_credential_is_502_not_the_callers_fault(standin, relay):
    standin.add_fault("license-by-key", "status", status=403, code="FORBIDDEN")
    response = httpx.get(relay.url + "/v1/devices", headers=as_license(standin.fixtures["valid"]))
    assert_envelope(response, 502, "UPSTREAM_UNAVAILABLE")
