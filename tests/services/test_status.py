"""StatusService: online check, the offline grace cache, and what it never does."""

from __future__ import annotations

from dataclasses import replace

import pytest

from app.domain.errors import (
    ConnectFailedError,
    LicenseInvalidError,
    NetworkError,
    NotActivatedError,
    RateLimitedError,
    RequestTimeoutError,
    ServerError,
    SignatureInvalidError,
)
from app.services import build_services
from app.services.snapshot import iso, now_utc, validation_from_json
from tests.services.support import admin_post, license_id, make_config, request_counter

OUTAGES = [
    pytest.param({"kind": "drop"}, ConnectFailedError, id="dropped"),
    pytest.param({"kind": "status", "status": 503}, ServerError, id="5xx"),
    pytest.param({"kind": "rate_limit", "retryAfter": 600}, RateLimitedError, id="429-long"),
    pytest.param({"kind": "html", "status": 200}, NetworkError, id="captive-portal"),
]


@pytest.fixture
def activated(services, fixtures):
    return services.activation.activate(fixtures["valid"], "PC")


def test_not_activated_raises(services):
    assert services.status.stored() is None
    with pytest.raises(NotActivatedError):
        services.status.check()


def test_online_check_costs_one_request_and_updates_the_record(services, activated, standin):
    before = activated.record.last_validated_at
    counter = request_counter(standin)
    report = services.status.check()
    assert counter.hits == 1
    assert report.licensed and report.online and not report.stale
    assert report.problem is None
    assert report.seats == (None, None)  # validate-key tells none; no relay here
    assert report.license_view is None
    assert report.key_storage == "keychain"
    stored = services.status.stored()
    assert stored.last_validated_at >= before
    assert validation_from_json(stored.last_validation).code == "VALID"


def test_with_a_relay_the_owners_view_gives_seats_licensee_and_policy(relay_services, fixtures):
    relay_services.activation.activate(fixtures["heartbeat"], "PC")
    report = relay_services.status.check()
    assert report.licensed
    assert report.seats == (1, 3)
    assert report.licensee == "Pia Schulz"  # the view's userName, not the license's name
    view = report.license_view
    assert (view.require_heartbeat, view.heartbeat_interval_minutes) == (True, 1)
    assert view.offline_allowed is False


def test_reopened_services_check_with_one_request(config, activated, standin):
    counter = request_counter(standin)
    with build_services(config) as fresh:
        assert fresh.status.check().licensed
    assert counter.hits == 1


@pytest.mark.parametrize(("fault", "error"), OUTAGES)
def test_outage_uses_cached_answer_within_grace(services, activated, standin, fault, error):
    standin.add_fault("validate-key", count=None, **fault)
    report = services.status.check()
    assert report.licensed
    assert report.stale and not report.online
    assert isinstance(report.offline_reason, error)
    assert report.validation.code == "VALID"
    assert report.checked_at is not None


def test_timeout_uses_cached_answer(standin, fixtures, data_dir):
    with build_services(make_config(standin, timeout_seconds=0.3)) as services:
        services.activation.activate(fixtures["valid"], "PC")
        standin.add_fault("validate-key", "latency", ms=1500, count=None)
        report = services.status.check()
    assert report.licensed and report.stale
    assert isinstance(report.offline_reason, RequestTimeoutError)


def test_outage_beyond_grace_is_a_network_problem_not_invalid(services, activated, standin):
    record = services.status.stored()
    old = iso(now_utc().replace(year=now_utc().year - 1))
    services.transfer._store.save(replace(record, last_validated_at=old))
    standin.add_fault("validate-key", "drop", count=None)
    report = services.status.check()
    assert not report.licensed
    assert isinstance(report.problem, ConnectFailedError)
    assert report.stale


def test_offline_check_without_request(services, activated, standin):
    counter = request_counter(standin)
    report = services.status.check(online=False)
    assert counter.hits == 0
    assert report.licensed and report.stale


def test_zero_grace_never_uses_the_cache(standin, fixtures):
    with build_services(make_config(standin, offline_grace_hours=0)) as services:
        services.activation.activate(fixtures["valid"], "PC")
        standin.add_fault("validate-key", "drop", count=None)
        report = services.status.check()
    assert not report.licensed
    assert isinstance(report.problem, NetworkError)


def test_changed_fingerprint_never_uses_the_cache(services, activated, standin, monkeypatch):
    monkeypatch.setenv("ACTIVATION_WIZARD_MACHINE_ID", "another-computer-0001")
    counter = request_counter(standin)
    report = services.status.check()
    assert counter.hits == 0
    assert report.fingerprint_changed
    assert not report.licensed
    assert isinstance(report.problem, LicenseInvalidError)
    assert report.problem.code == "FINGERPRINT_NOT_FOUND"
    assert report.validation is None


def test_revoked_license_is_reported_and_not_masked_by_the_cache(services, activated, standin):
    admin_post(standin, f"/licenses/{license_id(standin, 'valid')}/revoke")
    report = services.status.check()
    assert report.problem is not None and report.problem.code == "REVOKED"
    assert not report.licensed
    # The negative answer is remembered: an outage now must not bring back the good one.
    standin.add_fault("validate-key", "drop", count=None)
    assert not services.status.check().licensed


def test_machine_deactivated_elsewhere_is_fingerprint_not_found(services, activated, standin):
    key = services.transfer._secrets.load()
    services.client.deactivate(key, activated.record.machine_id)
    report = services.status.check()
    assert report.problem.code == "FINGERPRINT_NOT_FOUND"


def test_overdue_heartbeat_is_sent_by_status(services, fixtures, standin):
    services.activation.activate(fixtures["heartbeat-keep-dead"], "PC")
    standin.advance_clock(3 * 3600)
    counter = request_counter(standin)
    report = services.status.check()
    assert report.licensed, report.problem
    assert report.online
    assert counter.hits == 3  # validate (HEARTBEAT_REQUIRED), heartbeat, validate


def test_bad_signature_never_falls_back_to_the_cache(standin, fixtures):
    with build_services(make_config(standin)) as plain:
        plain.activation.activate(fixtures["valid"], "PC")
    wrong = "ab" * 32
    with build_services(make_config(standin, signing_key=wrong)) as signed:
        report = signed.status.check()
    assert not report.licensed
    assert isinstance(report.problem, SignatureInvalidError)


def test_missing_stored_key_is_not_activated(services, activated):
    services.transfer._secrets.delete()
    with pytest.raises(NotActivatedError):
        services.status.check()
