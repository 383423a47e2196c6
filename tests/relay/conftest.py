"""Relay fixtures: relays in front of the session's stand-in, and helpers to ask either one."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator

import httpx
import pytest
from licentric import Licentric

from app.relay import RelayLimits, RelayServer


@pytest.fixture
def relay(standin) -> Iterator[RelayServer]:
    """A relay with default limits holding the stand-in's relay-scoped API key.

    One per test: the relay caches license answers, and the stand-in is reset per test.
    The stand-in's request log is cleared after the relay's start-up scope check.
    """
    with RelayServer(standin.url, standin.fixtures["apiKeyRelay"]) as server:
        clear_requests(standin)
        yield server


@pytest.fixture
def make_relay(standin) -> Iterator[Callable[..., RelayServer]]:
    """Starts relays with other limits or options; all stopped after the test."""
    started: list[RelayServer] = []

    def make(limits: RelayLimits | None = None, **options: object) -> RelayServer:
        server = RelayServer(standin.url, standin.fixtures["apiKeyRelay"], limits=limits,
                             **options).start()  # fmt: skip
        started.append(server)
        clear_requests(standin)
        return server

    yield make
    for server in started:
        server.stop()


def upstream_requests(standin, path_part: str = "") -> list[dict]:
    """What the stand-in received (its request log), optionally only paths containing a part."""
    response = httpx.get(standin.url + "/_standin/requests", timeout=10)
    response.raise_for_status()
    return [r for r in response.json()["data"] if path_part in r["path"]]


def clear_requests(standin) -> None:
    httpx.delete(standin.url + "/_standin/requests", timeout=10).raise_for_status()


@pytest.fixture
def closed_port() -> int:
    """A loopback port nothing listens on (bound, read, released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def tight_relay(make_relay) -> RelayServer:
    """A relay allowing only two requests per license per window."""
    return make_relay(RelayLimits(per_license=2, per_ip=100, window_seconds=60))


def client_from(address: str, **kwargs: object) -> httpx.Client:
    """An HTTP client whose connections come from `address` (any 127.x.y.z is loopback)."""
    transport = httpx.HTTPTransport(local_address=address)
    return httpx.Client(transport=transport, timeout=10, **kwargs)


def as_license(key: str) -> dict[str, str]:
    return {"Authorization": f"License {key}"}


def upstream_admin(standin) -> httpx.Client:
    """A Bearer client on the stand-in with the full-access API key (to check upstream state)."""
    headers = {"Authorization": f"Bearer {standin.fixtures['apiKey']}"}
    return httpx.Client(base_url=standin.url + "/api/v1", headers=headers, timeout=10)


def upstream_machines(standin, license_id: str) -> list[dict]:
    with upstream_admin(standin) as admin:
        response = admin.get("/machines", params={"licenseId": license_id, "limit": 100})
    response.raise_for_status()
    return response.json()["data"]


def activate_upstream(standin, key: str, fingerprint: str, name: str) -> dict:
    """Activates a machine on `key`'s license straight on the stand-in (License auth)."""
    body = {"fingerprint": fingerprint, "name": name, "platform": "linux", "hostname": name}
    response = httpx.post(
        standin.url + "/api/v1/machines", json=body, headers=as_license(key), timeout=10
    )
    assert response.status_code == 201, response.text
    return response.json()["data"]


def assert_envelope(response: httpx.Response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["code"] == code
    assert isinstance(body["error"], str) and body["error"]
    assert body["requestId"]
    return body


@pytest.fixture
def sdk(standin) -> Iterator[Licentric]:
    """The official SDK as an independent client of the stand-in (full-access API key)."""
    client = Licentric(standin.fixtures["apiKey"], base_url=standin.url, max_retries=0,
                       cache_ttl=0, signing_key=standin.fixtures["signingKey"])  # fmt: skip
    yield client
    client.close()
