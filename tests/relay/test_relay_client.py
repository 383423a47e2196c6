"""Conformance: the desktop app's own RelayClient understands every relay answer."""

from __future__ import annotations

import uuid

import pytest

from app.api.relay_client import RelayClient
from app.domain.errors import BusinessRuleError, NotFoundError, UnauthorizedError
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


def test_client_errors_for_foreign_machine_unknown_key_and_no_offline(standin, client):
    other = activate_upstream(standin, standin.fixtures["valid"], FINGERPRINT, "Elsewhere")
    with pytest.raises(NotFoundError):
        client.deactivate_device(standin.fixtures["seat-limit"], other["id"])
    with pytest.raises(UnauthorizedError):
        client.list_devices("DEMO-" + uuid.uuid4().hex[:14].upper())
    with pytest.raises(BusinessRuleError):
        client.offline_checkout(standin.fixtures["valid"], FINGERPRINT)


def test_client_checks_out_an_offline_file(standin, client):
    certificate = client.offline_checkout(standin.fixtures["offline"], FINGERPRINT)
    assert "-----BEGIN" in certificate
