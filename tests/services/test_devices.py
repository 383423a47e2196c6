"""DevicesService through the real relay in front of the stand-in."""

from __future__ import annotations

import pytest

from app.domain.errors import NotActivatedError, RelayNotConfiguredError
from app.services import OwnMachineError
from tests.services.support import machines_of


def test_relay_not_configured(services):
    assert services.devices.relay_configured is False
    with pytest.raises(RelayNotConfiguredError):
        services.devices.list()


def test_list_marks_this_computer(relay_services, fixtures):
    outcome = relay_services.activation.activate(fixtures["valid"], "PC")
    listing = relay_services.devices.list()
    assert relay_services.devices.relay_configured
    [mine] = [m for m in listing.devices if relay_services.devices.is_this_computer(m)]
    assert mine.id == outcome.record.machine_id
    assert mine.fingerprint == relay_services.devices.this_fingerprint
    assert listing.machine_count == len(listing.devices) == 1


def test_free_a_seat_then_activation_succeeds(relay_services, fixtures, standin):
    key = fixtures["seat-limit"]
    listing = relay_services.devices.list(key)
    assert (listing.machine_count, listing.max_machines) == (2, 2)
    relay_services.devices.deactivate(listing.devices[0].id, key)
    assert len(machines_of(standin, "seat-limit")) == 1
    outcome = relay_services.activation.activate(key, "PC")
    assert outcome.validation.code == "VALID"


def test_own_machine_is_refused(relay_services, fixtures, standin):
    outcome = relay_services.activation.activate(fixtures["valid"], "PC")
    with pytest.raises(OwnMachineError):
        relay_services.devices.deactivate(outcome.record.machine_id)
    assert len(machines_of(standin, "valid")) == 1


def test_list_without_stored_key(relay_services):
    with pytest.raises(NotActivatedError):
        relay_services.devices.list()
