"""ActivationService against the stand-in over real HTTP: every code, fault and race."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from app.config import with_overrides
from app.domain.cancel import CancelToken
from app.domain.errors import (
    CancelledError,
    ClockSkewError,
    ConnectFailedError,
    EnvironmentMismatchError,
    KeyFormatError,
    LicenseInvalidError,
    MachineLimitError,
    StorageError,
)
from app.services import Step, StepState, build_services
from app.services.snapshot import validation_from_json
from tests.services.support import (
    license_id,
    local_files,
    machines_of,
    make_config,
    request_counter,
    stored_key,
)

NEGATIVE = [
    ("expired", "EXPIRED"),
    ("suspended", "SUSPENDED"),
    ("revoked", "REVOKED"),
    ("banned", "BANNED"),
    ("uses-exceeded", "USES_EXCEEDED"),
]


def assert_nothing_stored(data_dir: str) -> None:
    assert local_files(data_dir) == set()
    assert stored_key() is None


def test_activation_stores_key_and_record_after_confirmation(services, fixtures, standin, data_dir):
    events: list[tuple[Step, StepState]] = []
    outcome = services.activation.activate(
        fixtures["valid"], "Studio PC", on_step=lambda s, st: events.append((s, st))
    )
    assert outcome.validation.code == "VALID"
    assert outcome.already_active is False
    assert outcome.key_storage == "keychain"
    assert stored_key() == fixtures["valid"]
    record = services.status.stored()
    assert record == outcome.record
    assert record.device_name == "Studio PC"
    assert record.license_id == license_id(standin, "valid")
    assert "…" in record.key_masked and fixtures["valid"] not in record.key_masked
    assert validation_from_json(record.last_validation).code == "VALID"
    [machine] = machines_of(standin, "valid")
    assert machine["id"] == record.machine_id
    assert machine["fingerprint"] == record.fingerprint
    assert events == [
        (Step.CHECK_KEY, StepState.STARTED),
        (Step.CHECK_KEY, StepState.DONE),
        (Step.ACTIVATE, StepState.STARTED),
        (Step.ACTIVATE, StepState.DONE),
        (Step.HEARTBEAT, StepState.SKIPPED),
        (Step.CONFIRM, StepState.STARTED),
        (Step.CONFIRM, StepState.DONE),
        (Step.SAVE, StepState.STARTED),
        (Step.SAVE, StepState.DONE),
    ]


def test_pasted_key_is_normalised_before_sending(config, data_dir, fixtures, standin):
    messy = "  Key: " + fixtures["valid"].lower().replace("-", " - ") + "  "
    services = build_services(with_overrides(config, key_case="upper"), data_dir=data_dir)
    try:
        outcome = services.activation.activate(messy, None)
    finally:
        services.close()
    assert stored_key() == fixtures["valid"]
    assert outcome.record.device_name  # the computer's own name when none was given


def test_second_activation_takes_no_second_seat(services, fixtures, standin):
    first = services.activation.activate(fixtures["valid"], "PC")
    again = services.activation.activate(fixtures["valid"], "PC")
    assert again.already_active is True
    assert again.record.machine_id == first.record.machine_id
    assert len(machines_of(standin, "valid")) == 1


def test_already_active_keeps_the_name_the_device_list_shows(services, fixtures, standin):
    services.activation.activate(fixtures["valid"], "Office PC")
    again = services.activation.activate(fixtures["valid"], "Another name")
    [machine] = machines_of(standin, "valid")
    assert again.already_active is True
    assert again.record.device_name == machine["name"] == "Office PC"


def test_conflict_on_activation_recovers_existing_machine(services, fixtures, standin):
    first = services.activation.activate(fixtures["valid"], "PC")
    # The first validation is made to miss the machine, so activation answers 409.
    standin.add_fault(
        "validate-key",
        "status",
        status=200,
        body={"data": {"valid": False, "code": "FINGERPRINT_NOT_FOUND", "license": None,
                       "machine": None, "entitlements": [], "metadata": {}}},
    )  # fmt: skip
    events: list[tuple[Step, StepState]] = []
    outcome = services.activation.activate(
        fixtures["valid"], "PC", on_step=lambda s, st: events.append((s, st))
    )
    assert (Step.ACTIVATE, StepState.DONE) in events
    assert outcome.record.machine_id == first.record.machine_id
    assert len(machines_of(standin, "valid")) == 1


def test_duplicate_activation_answered_with_existing_machine(services, fixtures, standin):
    standin.configure(duplicate_fingerprint="existing")
    first = services.activation.activate(fixtures["valid"], "PC")
    services.transfer._store.clear()  # local state lost, server still holds the machine
    outcome = services.activation.activate(fixtures["valid"], "PC")
    assert outcome.record.machine_id == first.record.machine_id
    assert len(machines_of(standin, "valid")) == 1


@pytest.mark.parametrize(("scenario", "code"), NEGATIVE)
def test_unusable_license_raises_and_stores_nothing(services, fixtures, standin, data_dir,
                                                    scenario, code):  # fmt: skip
    before = len(machines_of(standin, scenario))
    with pytest.raises(LicenseInvalidError) as caught:
        services.activation.activate(fixtures[scenario], "PC")
    assert caught.value.code == code
    assert caught.value.result is not None and caught.value.result.code == code
    assert len(machines_of(standin, scenario)) == before
    assert_nothing_stored(data_dir)


def test_unknown_key_is_not_found(services, data_dir):
    with pytest.raises(LicenseInvalidError) as caught:
        services.activation.activate("ZZZZ-AAAA-BBBB-CCCC-DDDD", "PC")
    assert caught.value.code == "NOT_FOUND"
    assert_nothing_stored(data_dir)


def test_test_key_against_live_service_is_environment_mismatch(standin, data_dir):
    config = make_config(standin, environment="live", test_key_prefixes=("TEST",))
    with build_services(config) as services, pytest.raises(EnvironmentMismatchError):
        services.activation.activate("TEST-AAAA-BBBB-CCCC-DDDD", "PC")
    assert_nothing_stored(data_dir)


def test_live_key_against_test_service_is_environment_mismatch(standin, data_dir):
    config = make_config(standin, environment="test", test_key_prefixes=("TEST",))
    with build_services(config) as services, pytest.raises(EnvironmentMismatchError):
        services.activation.activate("LIVE-AAAA-BBBB-CCCC-DDDD", "PC")


def test_malformed_key_fails_before_any_request(services, standin, data_dir):
    counter = request_counter(standin)
    with pytest.raises(KeyFormatError):
        services.activation.activate("not a key", "PC")
    assert counter.hits == 0
    assert services.client.connections_opened == 0
    assert_nothing_stored(data_dir)


def test_seat_limit_reports_seat_numbers(services, fixtures, standin, data_dir):
    with pytest.raises(MachineLimitError) as caught:
        services.activation.activate(fixtures["seat-limit"], "PC")
    assert (caught.value.current_machines, caught.value.max_machines) == (2, 2)
    assert len(machines_of(standin, "seat-limit")) == 2
    assert_nothing_stored(data_dir)


def test_seat_limit_without_details_is_left_out_without_a_relay(services, fixtures, standin):
    standin.add_fault("activate", "status", status=422, code="MACHINE_LIMIT_EXCEEDED",
                      message="Machine limit exceeded")  # fmt: skip
    with pytest.raises(MachineLimitError) as caught:
        services.activation.activate(fixtures["seat-limit"], "PC")
    # validate-key tells no seat count: unknown, not guessed
    assert (caught.value.max_machines, caught.value.current_machines) == (None, None)


def test_seat_limit_without_details_is_filled_from_the_relays_view(relay_services, fixtures,
                                                                  standin):  # fmt: skip
    standin.add_fault("activate", "status", status=422, code="MACHINE_LIMIT_EXCEEDED",
                      message="Machine limit exceeded")  # fmt: skip
    with pytest.raises(MachineLimitError) as caught:
        relay_services.activation.activate(fixtures["seat-limit"], "PC")
    assert (caught.value.max_machines, caught.value.current_machines) == (2, 2)


def test_seat_limit_counts_come_from_the_activation_details(services, fixtures):
    with pytest.raises(MachineLimitError) as caught:
        services.activation.activate(fixtures["seat-limit"], "PC")
    assert (caught.value.max_machines, caught.value.current_machines) == (2, 2)


def test_heartbeat_policy_sends_a_heartbeat_at_once(services, fixtures, standin):
    events: list[tuple[Step, StepState]] = []
    outcome = services.activation.activate(
        fixtures["heartbeat"], "PC", on_step=lambda s, st: events.append((s, st))
    )
    assert (Step.HEARTBEAT, StepState.DONE) in events
    assert outcome.validation.code == "VALID"
    [machine] = machines_of(standin, "heartbeat")
    assert machine["heartbeatStatus"] == "ALIVE"


def test_expired_allow_access_is_usable(services, fixtures):
    outcome = services.activation.activate(fixtures["expired-allow-access"], "PC")
    assert outcome.validation.code == "EXPIRED"
    assert outcome.validation.valid is True
    assert outcome.expired_but_usable


def test_missing_entitlement_takes_no_seat(standin, fixtures, data_dir):
    config = make_config(standin, required_entitlements=("pro",))
    with build_services(config) as services, pytest.raises(LicenseInvalidError) as caught:
        services.activation.activate(fixtures["entitlements"], "PC")
    assert caught.value.code == "ENTITLEMENTS_MISSING"
    assert machines_of(standin, "entitlements") == []
    assert_nothing_stored(data_dir)


def test_drop_after_machine_created_is_recovered_by_the_client_retry(services, fixtures, standin):
    standin.add_fault("activate", "drop", after=True)
    outcome = services.activation.activate(fixtures["valid"], "PC")
    [machine] = machines_of(standin, "valid")
    assert machine["id"] == outcome.record.machine_id


def test_interrupted_activation_then_retry_ends_with_one_machine(services, fixtures, standin,
                                                                 data_dir):  # fmt: skip
    standin.add_fault("activate", "drop", after=True, count=None)
    with pytest.raises(ConnectFailedError):
        services.activation.activate(fixtures["valid"], "PC")
    assert_nothing_stored(data_dir)
    assert len(machines_of(standin, "valid")) == 1  # the server did create it
    standin.clear_faults()
    outcome = services.activation.activate(fixtures["valid"], "PC")
    [machine] = machines_of(standin, "valid")
    assert machine["id"] == outcome.record.machine_id
    assert outcome.already_active is True
    assert stored_key() == fixtures["valid"]


def test_two_concurrent_activations_take_one_seat(config, fixtures, standin, data_dir):
    outcomes: list[object] = []
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def run() -> None:
        with build_services(config) as services:
            start.wait()
            try:
                outcomes.append(services.activation.activate(fixtures["one-seat"], "PC"))
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert len(outcomes) == 2
    assert sorted(o.already_active for o in outcomes) == [False, True]
    assert len({o.record.machine_id for o in outcomes}) == 1
    assert len(machines_of(standin, "one-seat")) == 1


def test_cancel_after_activation_deactivates_the_new_machine(services, fixtures, standin,
                                                             data_dir):  # fmt: skip
    cancel = CancelToken()

    def on_step(step: Step, state: StepState) -> None:
        if (step, state) == (Step.ACTIVATE, StepState.DONE):
            cancel.cancel()

    with pytest.raises(CancelledError):
        services.activation.activate(fixtures["valid"], "PC", on_step=on_step, cancel=cancel)
    assert machines_of(standin, "valid") == []
    assert_nothing_stored(data_dir)


def test_cancel_before_start_sends_nothing(services, fixtures, standin, data_dir):
    counter = request_counter(standin)
    cancel = CancelToken()
    cancel.cancel()
    with pytest.raises(CancelledError):
        services.activation.activate(fixtures["valid"], "PC", cancel=cancel)
    assert counter.hits == 0
    assert_nothing_stored(data_dir)


def test_cancel_keeps_a_machine_that_was_active_before(services, fixtures, standin, data_dir):
    first = services.activation.activate(fixtures["valid"], "PC")
    services.transfer._store.clear()
    services.transfer._secrets.delete()
    cancel = CancelToken()

    def on_step(step: Step, state: StepState) -> None:
        if (step, state) == (Step.CONFIRM, StepState.DONE):
            cancel.cancel()

    with pytest.raises(CancelledError):
        services.activation.activate(fixtures["valid"], "PC", on_step=on_step, cancel=cancel)
    assert [m["id"] for m in machines_of(standin, "valid")] == [first.record.machine_id]
    assert_nothing_stored(data_dir)


def test_failed_step_is_reported(services, fixtures, standin):
    standin.add_fault("activate", "status", status=500, count=None)
    events: list[tuple[Step, StepState]] = []
    with pytest.raises(Exception):  # noqa: B017 - the class is checked in the CLI tests
        services.activation.activate(
            fixtures["valid"], "PC", on_step=lambda s, st: events.append((s, st))
        )
    assert events[-1] == (Step.ACTIVATE, StepState.FAILED)


def test_record_write_failure_undoes_everything(services, fixtures, standin, data_dir):
    # A directory where the record file should go makes the atomic replace fail.
    (Path(data_dir) / "activation.json").mkdir(parents=True)
    with pytest.raises(StorageError):
        services.activation.activate(fixtures["valid"], "PC")
    assert stored_key() is None
    assert machines_of(standin, "valid") == []


def test_clock_skew_is_reported_without_signing_key(services, fixtures, standin):
    standin.add_fault("*", "clock_offset", seconds=3600, count=None)
    outcome = services.activation.activate(fixtures["valid"], "PC")
    assert outcome.clock_skew_seconds == pytest.approx(-3600, abs=60)
    assert outcome.clock_is_off


def test_clock_skew_is_an_error_when_signatures_are_checked(standin, fixtures, data_dir):
    config = make_config(standin, signing_key=fixtures["signingKey"])
    standin.add_fault("*", "clock_offset", seconds=3600, count=None)
    with build_services(config) as services, pytest.raises(ClockSkewError) as caught:
        services.activation.activate(fixtures["valid"], "PC")
    assert caught.value.skew_seconds == pytest.approx(-3600, abs=60)
    assert machines_of(standin, "valid") == []
    assert_nothing_stored(data_dir)


def test_signed_answers_activate(standin, fixtures):
    config = make_config(standin, signing_key=fixtures["signingKey"])
    with build_services(config) as services:
        outcome = services.activation.activate(fixtures["valid"], "PC")
    assert outcome.validation.code == "VALID"


def test_another_key_replaces_the_license_and_frees_its_seat(services, fixtures, standin):
    services.activation.activate(fixtures["valid"], "PC")
    outcome = services.activation.activate(fixtures["valid-2"], "PC")
    assert outcome.replaced_key_masked is not None
    assert outcome.replaced_released is True
    assert machines_of(standin, "valid") == []  # the old seat was given back
    assert len(machines_of(standin, "valid-2")) == 1
    assert stored_key() == fixtures["valid-2"]
    assert services.status.stored().license_id == license_id(standin, "valid-2")


def test_replacing_keeps_the_new_license_when_the_old_seat_cannot_be_freed(
    services, fixtures, standin
):
    services.activation.activate(fixtures["valid"], "PC")
    standin.add_fault("deactivate", "status", count=10, status=503)  # beyond the retries
    outcome = services.activation.activate(fixtures["valid-2"], "PC")
    assert outcome.replaced_released is False
    assert len(machines_of(standin, "valid")) == 1  # still counted there, and we say so
    assert stored_key() == fixtures["valid-2"]
    assert services.status.stored().license_id == license_id(standin, "valid-2")


def test_reactivating_the_same_key_replaces_nothing(services, fixtures):
    services.activation.activate(fixtures["valid"], "PC")
    again = services.activation.activate(fixtures["valid"], "PC")
    assert again.replaced_key_masked is None and again.replaced_released is None


@pytest.mark.parametrize("source", ["relay", "vendor setting"])
def test_check_ins_known_in_advance_skip_the_probe(source, config, data_dir, relay_server,
                                                   fixtures, standin):  # fmt: skip
    """validate-key never says a policy needs check-ins until one is due; the relay's view
    (requireHeartbeat) or the vendor's heartbeat_minutes say it before: the heartbeat goes out
    at once, without the probing validation."""
    changes = {"relay_url": relay_server.url} if source == "relay" else {"heartbeat_minutes": 1}
    validations = standin.add_fault("validate-key", "latency", count=None, ms=0)
    with build_services(with_overrides(config, **changes), data_dir=data_dir) as built:
        outcome = built.activation.activate(fixtures["heartbeat"], "PC")
    assert outcome.validation.code == "VALID"
    assert validations.hits == 2  # the first check and the confirmation
    [machine] = machines_of(standin, "heartbeat")
    assert machine["heartbeatStatus"] == "ALIVE"


def test_without_a_hint_the_probe_finds_the_check_in(services, fixtures, standin):
    validations = standin.add_fault("validate-key", "latency", count=None, ms=0)
    outcome = services.activation.activate(fixtures["heartbeat"], "PC")
    assert outcome.validation.code == "VALID"
    assert validations.hits == 3  # first check, the probe (HEARTBEAT_REQUIRED), confirmation
