"""Conformance: the desktop app's own RelayClient understands every relay answer."""

from __future__ import annotations

import uuid

import pytest

from app.api.relay_client import RelayClient
from app.domain.errors import LicenseStateError, NotFoundError, UnauthorizedError
from tests.relay.conftest import activate_upstream, upstream_machines

FINGERPRINT = "a" * 64


@pytest.fixture
def client(relay):
    with RelayClient(relay.url, max_retries=0) as relay_client:
        yield relay_client


def test_client_lists_and_frees_a_seat(standin, client):
    seat = standin.fixture_details["seat-limit"]
    devices = client.list_devices(seat["key"])
    assert (devices.max_machines, devices.machine_count) == (2, 2)
    victim = devices.devices[0]
    assert victim.fingerprint and victim.name

    client.deactivate_device(seat["key"], victim.id)

    assert victim.id not in {m["id"] for m in upstream_machines(standin, seat["licenseId"])}
    assert client.list_devices(seat["key"]).machine_count == 1


def test_client_errors_for_foreign_machine_and_unknown_key(standin, client):
    other = activate_upstream(standin, standin.fixtures["valid"], FINGERPRINT, "Elsewhere")
    with pytest.raises(NotFoundError):
        client.deactivate_device(standin.fixtures["seat-limit"], other["id"])
    with pytest.raises(UnauthorizedError):
        client.list_devices("DEMO-" + uuid.uuid4().hex[:14].upper())


def test_client_reads_the_license_view_as_the_sdk_sees_the_license(standin, client, sdk):
    key = standin.fixtures["seat-limit"]
    view = client.license_view(key)
    upstream = sdk.get_license_by_key(key)
    assert view.license_id == upstream.id and view.status == upstream.status
    assert view.name == upstream.name
    assert view.licensee_name == upstream.user_name
    assert view.licensee_email == upstream.user_email
    assert view.seats_used == len(upstream.machines) == 2
    assert view.seats_total == upstream.policy.max_machines == 2
    assert view.require_heartbeat is upstream.policy.require_heartbeat
    assert view.heartbeat_interval_minutes == upstream.policy.heartbeat_interval_minutes
    assert view.offline_allowed is upstream.policy.offline_allowed
    assert view.offline_max_days == upstream.policy.offline_max_days
    expected_expiry = upstream.expires_at
    assert (view.expires_at is None) == (expected_expiry is None)


def test_client_license_view_of_a_heartbeat_policy_and_a_revoked_license(standin, client):
    view = client.license_view(standin.fixtures["heartbeat"])
    assert view.require_heartbeat is True and view.heartbeat_interval_minutes
    with pytest.raises(LicenseStateError):
        client.license_view(standin.fixtures["revoked"])


def test_client_has_no_offline_checkout():
    assert not hasattr(RelayClient, "offline_checkout")
