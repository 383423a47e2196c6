"""LicentricClient against the real stand-in: the four calls, their answers and API errors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.domain.errors import (
    ConflictError,
    LicenseStateError,
    MachineLimitError,
    NotFoundError,
    UnauthorizedError,
)
from tests.api.conftest import identity

FINGERPRINT = "ab12" * 16


def test_validate_answers_each_fixture_scenario(standin, client):
    details = standin.fixture_details
    assert len(details) >= 10
    for name, detail in details.items():
        expected = detail["expectedCode"]
        # Device checks (and so FINGERPRINT_NOT_FOUND) only happen with a fingerprint.
        fingerprint = FINGERPRINT if expected == "FINGERPRINT_NOT_FOUND" else None
        result = client.validate_key(detail["key"], fingerprint, ("pro",))
        assert result.code == expected, name
        assert result.valid is (expected == "VALID" or name == "expired-allow-access"), name
        assert result.license is not None and result.license.id == detail["licenseId"], name


def test_validate_unknown_key_is_a_negative_answer(client):
    result = client.validate_key("DEMO-0000-0000-0000-0000")
    assert (result.valid, result.code, result.license) == (False, "NOT_FOUND", None)


def test_validate_reports_server_time_and_the_reduced_license(standin, client):
    result = client.validate_key(standin.fixtures["seat-limit"])
    now = datetime.now(UTC)
    assert result.server_time is not None
    assert abs(result.server_time - now) < timedelta(seconds=5)
    assert client.last_server_time == result.server_time
    assert result.license.id == standin.fixture_details["seat-limit"]["licenseId"]
    assert result.license.name == "Studio Pro — Olga Nowak" and result.license.status == "active"
    assert result.license.uses_count == 1


@pytest.mark.parametrize("reading", ["valid-false", "not-found"])
def test_unknown_key_is_not_found_in_either_reading(standin, client, reading):
    standin.configure(unknown_key=reading)
    result = client.validate_key("DEMO-NOPE-NOPE-NOPE-NOPE")
    assert (result.valid, result.code, result.license) == (False, "NOT_FOUND", None)


def test_validate_with_entitlements_missing(standin, client):
    result = client.validate_key(standin.fixtures["entitlements"], None, ["pro"])
    assert (result.valid, result.code) == (False, "ENTITLEMENTS_MISSING")
    assert "basic" in result.entitlements and "pro" not in result.entitlements


def test_activate_heartbeat_deactivate(standin, client):
    key = standin.fixtures["valid"]
    machine = client.activate(key, identity(FINGERPRINT, "Jane's laptop"))
    assert machine.fingerprint == FINGERPRINT and machine.name == "Jane's laptop"
    assert machine.platform == "linux" and machine.heartbeat_status == "NOT_STARTED"
    after_activation = client.validate_key(key, FINGERPRINT)
    assert after_activation.valid is True and after_activation.machine.id == machine.id

    beat = client.heartbeat(key, machine.id)
    assert beat is not None and beat.id == machine.id and beat.heartbeat_status == "ALIVE"

    assert client.deactivate(key, machine.id) is None
    assert client.validate_key(key, FINGERPRINT).code == "FINGERPRINT_NOT_FOUND"


def test_happy_path_uses_one_connection(standin, client):
    key = standin.fixtures["valid"]
    client.validate_key(key, FINGERPRINT)
    machine = client.activate(key, identity(FINGERPRINT))
    client.heartbeat(key, machine.id)
    client.validate_key(key, FINGERPRINT)
    client.deactivate(key, machine.id)
    assert client.connections_opened == 1


def test_second_activation_is_conflict_with_machine_id(standin, client):
    key = standin.fixtures["valid"]
    machine = client.activate(key, identity(FINGERPRINT))
    with pytest.raises(ConflictError) as info:
        client.activate(key, identity(FINGERPRINT))
    assert info.value.status == 409 and info.value.machine_id == machine.id
    assert info.value.request_id


def test_seat_limit_carries_numbers(standin, client):
    with pytest.raises(MachineLimitError) as info:
        client.activate(standin.fixtures["seat-limit"], identity(FINGERPRINT))
    error = info.value
    assert (error.status, error.code) == (422, "MACHINE_LIMIT_EXCEEDED")
    assert (error.max_machines, error.current_machines) == (2, 2)


def test_unknown_key_cannot_activate(client):
    with pytest.raises(UnauthorizedError) as info:
        client.activate("DEMO-0000-0000-0000-0000", identity(FINGERPRINT))
    assert info.value.status == 401


@pytest.mark.parametrize("scenario", ["suspended", "revoked", "banned"])
def test_unusable_license_cannot_activate(standin, client, scenario):
    with pytest.raises(LicenseStateError) as info:
        client.activate(standin.fixtures[scenario], identity(FINGERPRINT))
    assert info.value.code == "LICENSE_" + scenario.upper()


@pytest.mark.parametrize("machine_id", ["no-such-machine", "a b/c?d#e", "ü-🙂"])
def test_deactivate_unknown_machine_is_not_found(standin, client, machine_id):
    # Odd ids are URL-encoded into one path segment: the server answers for that id.
    with pytest.raises(NotFoundError) as info:
        client.deactivate(standin.fixtures["valid"], machine_id)
    assert info.value.status == 404


def test_errors_never_carry_the_key(standin, client):
    key = standin.fixtures["seat-limit"]
    with pytest.raises(MachineLimitError) as info:
        client.activate(key, identity(FINGERPRINT))
    assert key not in str(info.value) and key not in repr(info.value.details)


def test_logs_never_carry_the_key(standin, client, caplog):
    key = standin.fixtures["valid"]
    with caplog.at_level("DEBUG"):
        client.validate_key(key, FINGERPRINT)
        machine = client.activate(key, identity(FINGERPRINT))
        client.heartbeat(key, machine.id)
        client.deactivate(key, machine.id)
    assert any("/api/v1/machines" in r.getMessage() for r in caplog.records)
    assert all(key not in r.getMessage() for r in caplog.records)
