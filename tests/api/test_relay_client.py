"""RelayClient against the real relay in front of the stand-in: license view, devices, errors."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.api.client import LicentricClient
from app.api.relay_client import RelayClient
from app.domain.errors import NotFoundError, RateLimitedError, ServerError, UnauthorizedError
from app.relay import RelayLimits, RelayServer
from tests.api.conftest import FAST_BACKOFF, identity

FINGERPRINT = "5eed" * 16


@pytest.fixture
def relay(standin_server) -> Iterator[RelayServer]:
    # One per test: the relay caches license answers, and the stand-in is reset per test.
    with RelayServer(standin_server.url, standin_server.fixtures["apiKeyRelay"]) as server:
        yield server


@pytest.fixture
def relay_client(relay) -> Iterator[RelayClient]:
    with RelayClient(relay.url, backoff_base=FAST_BACKOFF) as client:
        yield client


def test_list_and_free_a_seat_over_one_connection(standin, relay_client):
    key = standin.fixtures["seat-limit"]
    listed = relay_client.list_devices(key)
    assert (listed.max_machines, listed.machine_count, len(listed.devices)) == (2, 2, 2)
    assert {d.name for d in listed.devices} == {"Old laptop", "Office PC"}
    assert all(d.platform == "windows" and d.created_at is not None for d in listed.devices)

    relay_client.deactivate_device(key, listed.devices[0].id)
    after = relay_client.list_devices(key)
    assert after.machine_count == 1 and after.devices[0].id == listed.devices[1].id
    assert relay_client.connections_opened == 1


def test_freed_seat_lets_activation_through(standin, relay_client):
    key = standin.fixtures["seat-limit"]
    relay_client.deactivate_device(key, relay_client.list_devices(key).devices[0].id)
    with LicentricClient(standin.url) as api:
        assert api.activate(key, identity(FINGERPRINT)).fingerprint == FINGERPRINT


def test_unknown_device_and_unknown_key(standin, relay_client):
    with pytest.raises(NotFoundError):
        relay_client.deactivate_device(standin.fixtures["valid"], "no-such-machine")
    with pytest.raises(UnauthorizedError):
        relay_client.list_devices("DEMO-0000-0000-0000-0000")


def test_license_view_is_a_typed_model(standin, relay_client):
    view = relay_client.license_view(standin.fixtures["seat-limit"])
    assert (view.seats_used, view.seats_total) == (2, 2)
    assert view.status == "active" and view.license_id
    assert view.expires_at is None or view.expires_at.tzinfo is not None


def test_upstream_outage_is_a_server_error(standin, relay, count_requests):
    counter = count_requests("license-by-key")
    standin.add_fault("license-by-key", "status", count=None, status=500)
    with (
        RelayClient(relay.url, max_retries=1, backoff_base=FAST_BACKOFF) as client,
        pytest.raises(ServerError) as info,
    ):
        client.list_devices(standin.fixtures["valid"])
    assert info.value.status in (502, 503, 504)
    assert counter.hits >= 2  # our retry reached the relay, which asked upstream again


def test_relay_rate_limit_is_raised_with_its_wait(standin, standin_server):
    limits = RelayLimits(per_license=1, per_ip=100, window_seconds=3600)
    with (
        RelayServer(standin_server.url, standin.fixtures["apiKeyRelay"], limits=limits) as relay,
        RelayClient(relay.url, max_retry_wait=0.5) as client,
    ):
        client.list_devices(standin.fixtures["valid"])
        with pytest.raises(RateLimitedError) as info:
            client.list_devices(standin.fixtures["valid"])
    assert info.value.retry_after > 0.5
