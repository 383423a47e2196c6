"""The relay on the open internet, tried as an attacker would, over real HTTP: upstream budgets,
limits that keep customers apart, trusted proxies, own errors only, ids checked first."""

from __future__ import annotations

import socket
import uuid

import httpx

from app.relay import RelayLimits
from app.relay.scopes import probes
from tests.relay.conftest import (
    as_license,
    assert_envelope,
    client_from,
    upstream_requests,
)

STARTUP = len(probes())  # the start-up scope check's API-key calls, paid from the budget


def made_up_key() -> str:
    return "DEMO-" + "-".join(uuid.uuid4().hex[i : i + 4].upper() for i in range(0, 16, 4))


def test_the_bearer_budget_is_never_exceeded_and_past_it_answers_429(standin, make_relay):
    relay = make_relay(RelayLimits(bearer_budget=STARTUP + 3, per_ip=1000, failed_auth_cost=1))
    answers = [
        httpx.get(relay.url + "/v1/license", headers=as_license(made_up_key())) for _ in range(6)
    ]
    assert [a.status_code for a in answers] == [401, 401, 401, 429, 429, 429]
    busy = assert_envelope(answers[3], 429, "RATE_LIMITED")
    assert 1 <= int(answers[3].headers["Retry-After"]) <= 60
    assert "busy" in busy["error"]
    assert len(upstream_requests(standin, "/api/")) == 3  # the stand-in saw exactly the budget


def test_the_start_up_scope_check_is_paid_from_the_budget(standin, make_relay):
    relay = make_relay(RelayLimits(bearer_budget=STARTUP, per_ip=1000))
    response = httpx.get(relay.url + "/v1/license", headers=as_license(standin.fixtures["valid"]))
    assert_envelope(response, 429, "RATE_LIMITED")
    assert upstream_requests(standin, "/api/") == []


def test_a_cached_customer_is_served_while_the_budget_is_spent(standin, make_relay):
    relay = make_relay(RelayLimits(bearer_budget=STARTUP + 2, per_ip=1000, failed_auth_cost=1))
    customer = as_license(standin.fixtures["valid"])
    assert httpx.get(relay.url + "/v1/license", headers=customer).status_code == 200
    httpx.get(relay.url + "/v1/license", headers=as_license(made_up_key()))
    assert httpx.get(relay.url + "/v1/license", headers=as_license(made_up_key())).status_code == 429
    assert httpx.get(relay.url + "/v1/devices", headers=customer).status_code == 200


def test_metrics_count_requests_upstream_calls_cache_hits_and_refusals(standin, make_relay):
    relay = make_relay(RelayLimits(bearer_budget=STARTUP + 1, per_ip=1000, failed_auth_cost=1))
    customer = as_license(standin.fixtures["valid"])
    httpx.get(relay.url + "/v1/license", headers=customer)
    httpx.get(relay.url + "/v1/license", headers=customer)
    httpx.get(relay.url + "/v1/license", headers=as_license(made_up_key()))

    metrics = httpx.get(relay.url + "/metrics")
    health = httpx.get(relay.url + "/healthz")

    assert metrics.headers["content-type"].startswith("text/plain")
    text = metrics.text
    assert f'relay_upstream_calls_total{{tier="bearer"}} {STARTUP + 1}.0' in text
    assert 'relay_cache_lookups_total{result="hit"} 1.0' in text
    assert 'relay_cache_lookups_total{result="miss"} 2.0' in text
    assert 'relay_limited_requests_total{reason="budget"} 1.0' in text
    assert 'relay_requests_total{route="license",status="200"} 2.0' in text
    assert 'relay_requests_total{route="license",status="429"} 1.0' in text
    assert health.json() == {"data": {"status": "ok"}}


def test_100_made_up_keys_from_one_address_then_a_customer_from_another_is_served(
    standin, make_relay
):
    relay = make_relay()  # default limits: 60/min per address, an unknown key weighs 10
    with client_from("127.0.0.2") as attacker:
        answers = [
            attacker.get(relay.url + "/v1/devices", headers=as_license(made_up_key()))
            for _ in range(100)
        ]
    statuses = [a.status_code for a in answers]
    assert set(statuses) == {401, 429}
    assert statuses.count(401) <= 6 and statuses[-1] == 429
    assert len(upstream_requests(standin, "/by-key/")) == statuses.count(401)

    with client_from("127.0.0.3") as customer:
        served = customer.get(relay.url + "/v1/devices", headers=as_license(standin.fixtures["valid"]))
    assert served.status_code == 200, served.text


def test_a_spoofed_forwarded_for_from_an_untrusted_peer_is_ignored(standin, make_relay):
    relay = make_relay(RelayLimits(per_ip=3))
    with client_from("127.0.0.4") as client:
        answers = [
            client.get(
                relay.url + "/v1/license",
                headers={"X-Forwarded-For": f"203.0.113.{n}", **as_license(standin.fixtures["valid"])},
            )
            for n in range(5)
        ]
    # Every request counted against the real peer, whatever address it claimed.
    assert [a.status_code for a in answers] == [200, 200, 200, 429, 429]


def test_forwarded_for_is_believed_from_a_trusted_proxy(standin, make_relay):
    relay = make_relay(RelayLimits(per_ip=3), trusted_proxies=["127.0.0.5"])
    headers = as_license(standin.fixtures["valid"])
    with client_from("127.0.0.5") as proxy:
        first = [
            proxy.get(relay.url + "/v1/license", headers={**headers, "X-Forwarded-For": "198.51.100.7"})
            for _ in range(4)
        ]
        # The proxy appends the real peer: the left part is the client's own (untrusted) claim.
        other = proxy.get(
            relay.url + "/v1/license",
            headers={**headers, "X-Forwarded-For": "198.51.100.7, 198.51.100.8"},
        )
    assert [a.status_code for a in first] == [200, 200, 200, 429]
    assert other.status_code == 200  # counted against 198.51.100.8, not the spoofable left part


def test_upstream_texts_and_details_are_never_passed_on(standin, relay):
    secret = "internal: account 42 on db-7 says no"
    body = {"error": secret, "code": "INTERNAL_THING", "details": {"sql": "SELECT 1"}}
    key = as_license(standin.fixtures["valid"])
    for status in (400, 409, 422, 500, 403):
        standin.add_fault("license-by-key", "status", status=status, body=body)
        response = httpx.get(relay.url + "/v1/license", headers=key)
        answer = assert_envelope(response, 502, "UPSTREAM_UNAVAILABLE")
        assert secret not in response.text and "SELECT" not in response.text
        assert "details" not in answer and "INTERNAL_THING" not in response.text


def _raw_request(relay_url: str, target: str, key: str) -> bytes:
    host, port = relay_url.removeprefix("http://").split(":")
    request = (f"DELETE {target} HTTP/1.1\r\nHost: {host}\r\nAuthorization: License {key}\r\n"
               "Connection: close\r\n\r\n").encode()  # fmt: skip
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(request)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_dot_segment_and_non_uuid_ids_are_refused_with_no_upstream_call(standin, relay):
    key = standin.fixtures["seat-limit"]
    targets = [
        "/v1/devices/.", "/v1/devices/..", "/v1/devices/%2e", "/v1/devices/%2E%2E",
        "/v1/devices/..%2F..%2Flicenses", "/v1/devices/not-a-uuid",
        "/v1/devices/" + str(uuid.uuid4()).upper()[:-1] + "Z",
    ]  # fmt: skip
    for target in targets:
        answer = _raw_request(relay.url, target, key)
        assert answer.startswith(b"HTTP/1.1 404"), (target, answer[:200])
    assert upstream_requests(standin, "/api/") == []  # the stand-in's log: nothing at all


def test_no_route_signs_an_offline_file(standin, relay):
    key = as_license(standin.fixtures["offline"])
    body = {"fingerprint": "f" * 64, "ttl": 90 * 86400}
    for path in ("/v1/offline-checkout", "/v1/offline-checkout/", "/v1/checkout"):
        response = httpx.post(relay.url + path, json=body, headers=key)
        assert response.status_code in (404, 405), (path, response.status_code)
    for method in ("GET", "POST", "PUT", "PATCH"):
        for path in ("/v1/license", "/v1/devices"):
            response = httpx.request(method, relay.url + path, json=body, headers=key)
            assert "certificate" not in response.text and "BEGIN" not in response.text
    assert upstream_requests(standin, "/checkout") == []
