"""HeartbeatService and the heartbeat period."""

from __future__ import annotations

import pytest

from app.domain.errors import LicenseInvalidError, NotActivatedError
from app.domain.models import LicenseSummary, LicenseView, ValidationResult
from app.services.heartbeat import MAX_PERIOD_SECONDS, heartbeat_period, heartbeat_required
from tests.services.support import admin_delete, machines_of


def _result(code: str = "VALID") -> ValidationResult:
    return ValidationResult(valid=code == "VALID", code=code,
                            license=LicenseSummary(id="l", status="active"))  # fmt: skip


def _view(require: bool, minutes: int | None) -> LicenseView:
    return LicenseView(license_id="l", status="ACTIVE", name=None, expires_at=None,
                       licensee_name=None, licensee_email=None, seats_used=1, seats_total=3,
                       require_heartbeat=require, heartbeat_interval_minutes=minutes,
                       offline_allowed=False, offline_max_days=None)  # fmt: skip


@pytest.mark.parametrize(
    ("result", "view", "vendor_minutes", "period"),
    [
        (_result(), None, None, None),  # validate-key alone never says so in advance
        (_result(), _view(False, None), None, None),
        (_result(), _view(True, 60), None, MAX_PERIOD_SECONDS),
        (_result(), _view(True, 2), None, 60.0),
        (_result(), _view(True, None), None, MAX_PERIOD_SECONDS),
        (_result(), None, 2, 60.0),  # the vendor's heartbeat_minutes
        (_result(), _view(True, 4), 2, 120.0),  # the policy's interval wins
        (_result(), None, 0.1, 30.0),
        (_result("HEARTBEAT_REQUIRED"), None, None, MAX_PERIOD_SECONDS),
    ],
)
def test_period(result, view, vendor_minutes, period):
    assert heartbeat_period(result, view, vendor_minutes) == period
    assert heartbeat_required(result, view, vendor_minutes) is (period is not None)


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
