"""TransferService: server first, then local state; failures keep everything."""

from __future__ import annotations

import pytest

from app.domain.errors import ConnectFailedError, NotActivatedError, ServerError
from tests.services.support import admin_delete, local_files, machines_of, stored_key


@pytest.fixture
def activated(services, fixtures):
    return services.activation.activate(fixtures["valid"], "PC")


def test_deactivate_frees_the_seat_and_clears_local_state(services, activated, standin, data_dir):
    cleared = services.transfer.deactivate_this()
    assert cleared.machine_id == activated.record.machine_id
    assert machines_of(standin, "valid") == []
    assert services.status.stored() is None
    assert stored_key() is None
    assert local_files(data_dir) == set()


def test_machine_already_gone_on_server_still_clears(services, activated, standin):
    admin_delete(standin, f"/machines/{activated.record.machine_id}")
    services.transfer.deactivate_this()
    assert services.status.stored() is None
    assert stored_key() is None


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        ({"kind": "status", "status": 500}, ServerError),
        ({"kind": "drop"}, ConnectFailedError),
    ],
)
def test_failure_keeps_local_state(services, activated, standin, fixtures, fault, error):
    standin.add_fault("deactivate", count=None, **fault)
    with pytest.raises(error):
        services.transfer.deactivate_this()
    assert services.status.stored() == activated.record
    assert stored_key() == fixtures["valid"]
    assert len(machines_of(standin, "valid")) == 1


def test_not_activated(services):
    with pytest.raises(NotActivatedError):
        services.transfer.deactivate_this()


def test_changed_fingerprint_clears_locally_without_touching_the_seat(
    services, activated, standin, monkeypatch
):
    monkeypatch.setenv("ACTIVATION_WIZARD_MACHINE_ID", "cloned-disk-elsewhere-01")
    services.transfer.deactivate_this()
    assert services.status.stored() is None
    assert len(machines_of(standin, "valid")) == 1  # the original computer keeps its seat
