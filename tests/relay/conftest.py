"""Relay fixtures: relays in front of the session's stand-in, and helpers to ask either one."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import httpx
import pytest

from app.relay import RelayLimits, RelayServer


@pytest.fixture(scope="module")
def relay(standin_server) -> Iterator[RelayServer]:
    """A relay with default limits holding the stand-in's relay-scoped API key.

    Module-scoped: the stand-in's reset keeps its seeded API keys, so the relay stays valid.
    """
    key = standin_server.fixtures["apiKeyRelay"]
    with RelayServer(standin_server.url, key) as server:
        yield server


@pytest.fixture
def closed_port() -> int:
    """A loopback port nothing listens on (bound, read, released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def tight_relay(standin_server) -> Iterator[RelayServer]:
    """A relay allowing only two requests per license per window."""
    key = standin_server.fixtures["apiKeyRelay"]
    limits = RelayLimits(per_license=2, per_ip=100, window_seconds=60)
    with RelayServer(standin_server.url, key, limits=limits) as server:
        yield server


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
