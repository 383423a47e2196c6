"""HeartbeatService and the heartbeat period."""

from __future__ import annotations

import pytest

from app.domain.errors import LicenseInvalidError, NotActivatedError
from app.domain.models import LicenseSummary, ValidationResult
from app.services.heartbeat import MAX_PERIOD_SECONDS, heartbeat_period, heartbeat_required
from tests.services.support import admin_delete, machines_of


def _result(code: str = "VALID", require: bool = False, minutes: float | None = None):
    lic = LicenseSummary(id="l", status="active", require_heartbeat=require,
                         heartbeat_interval_minutes=minutes)  # fmt: skip
    return ValidationResult(valid=code == "VALID", code=code, license=lic)


@pytest.mark.parametrize(
    ("result", "period"),
    [
        (_result(), None),
        (_result(require=True, minutes=60), MAX_PERIOD_SECONDS),
        (_result(require=True, minutes=2), 60.0),
        (_result(require=True, minutes=0.1), 30.0),
        (_result(code="HEARTBEAT_REQUIRED"), MAX_PERIOD_SECONDS),
    ],
)
def test_period(result, period):
    assert heartbeat_period(result) == period
    assert heartbeat_required(result) is (period is not None)


def test_heartbeat_once_keeps_the_machine_alive(services, fixtures, standin):
    services.activation.activate(fixtures["heartbeat"], "PC")
    machine = services.heartbeat.heartbeat_once()
    assert machine is not None and machine.heartbeat_status == "ALIVE"
    [server_side] = machines_of(standin, "heartbeat")
    assert server_side["heartbeatStatus"] == "ALIVE"


def test_heartbeat_for_culled_machine_is_fingerprint_not_found(services, fixtures, standin):
    outcome = services.activation.activate(fixtures["heartbeat"], "PC")
    admin_delete(standin, f"/machines/{outcome.record.machine_id}")
    with pytest.raises(LicenseInvalidError) as caught:
        services.heartbeat.heartbeat_once()
    assert caught.value.code == "FINGERPRINT_NOT_FOUND"


def test_heartbeat_without_activation(services):
    with pytest.raises(NotActivatedError):
        services.heartbeat.heartbeat_once()
