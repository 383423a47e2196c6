"""Parsing of validate-key, machine and device-list answers, including hostile structures."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.api.parse import (
    parse_device_list,
    parse_license_view,
    parse_machine,
    parse_timestamp,
    parse_validation,
)
from app.domain.errors import UnexpectedResponseError
from app.domain.models import DeviceList, LicenseView, Machine, ValidationResult

LICENSE = {
    "id": "lic-1",
    "status": "active",
    "name": "Jane",
    "expiresAt": "2027-06-30T00:00:00.000Z",
    "usesCount": 4,
}


def _validation(**data):
    return {"data": {"valid": True, "code": "VALID", "license": LICENSE, **data}}


def test_full_validation_is_parsed():
    result = parse_validation(
        _validation(
            machine={
                "id": "m-1",
                "fingerprint": "f" * 64,
                "name": "Box",
                "heartbeatStatus": "ALIVE",
            },
            entitlements=["pro", 7, "basic"],
        )
    )
    assert result.valid is True and result.code == "VALID"
    assert result.license.expires_at == datetime(2027, 6, 30, tzinfo=UTC)
    assert result.license.uses_count == 4
    assert result.machine.id == "m-1" and result.machine.heartbeat_status == "ALIVE"
    assert result.entitlements == ("pro", "basic")


def test_only_the_reduced_license_is_read_whatever_else_a_server_adds():
    """Fields the real validate-key does not send (seat counts, product, policy) are not
    read even when a server adds them: nothing may come to lean on them."""
    lic = parse_validation(
        _validation(
            license={
                **LICENSE,
                "maxMachines": 3,
                "machineCount": 2,
                "productName": "Studio",
                "policy": {"requireHeartbeat": True, "heartbeatIntervalMinutes": 10},
            }
        )
    ).license
    assert set(vars(lic)) == {"id", "status", "name", "expires_at", "uses_count"}


def test_reduced_fields_of_wrong_type_are_dropped_not_trusted():
    lic = parse_validation(
        _validation(license={**LICENSE, "usesCount": True, "expiresAt": "soon", "name": 5})
    ).license
    assert (lic.uses_count, lic.expires_at, lic.name) == (None, None, None)


def test_negative_validation_with_unknown_code_is_preserved():
    result = parse_validation({"data": {"valid": False, "code": "SOMETHING_NEW", "license": None}})
    assert result == ValidationResult(valid=False, code="SOMETHING_NEW")


@pytest.mark.parametrize(
    "document",
    [
        {},
        {"data": None},
        {"data": []},
        {"data": {"valid": "true", "code": "VALID"}},
        {"data": {"valid": 1, "code": "VALID"}},
        {"data": {"valid": True, "code": 200}},
        {"data": {"valid": True}},
        {"data": {"valid": True, "code": "VALID", "license": []}},
        {"data": {"valid": True, "code": "VALID", "license": {"status": "active"}}},
        {"data": {"valid": True, "code": "VALID", "machine": "m-1"}},
        [1, 2],
        "VALID",
    ],
)
def test_hostile_validation_shapes_are_refused(document):
    with pytest.raises(UnexpectedResponseError):
        parse_validation(document)


def test_machine_requires_an_id():
    assert parse_machine({"id": "m", "platform": "linux", "createdAt": "2026-01-01T00:00:00Z"})
    with pytest.raises(UnexpectedResponseError):
        parse_machine({"platform": "linux"})


def test_device_list_both_shapes():
    machine = {"id": "m-1", "name": "A"}
    nested = parse_device_list(
        {"data": {"devices": [machine], "maxMachines": 2, "machineCount": 1}}
    )
    listed = parse_device_list(
        {"data": [machine, {"id": "m-2"}], "seats": {"max": 3, "current": 2}}
    )
    assert (nested.max_machines, nested.machine_count, nested.devices[0].name) == (2, 1, "A")
    assert (listed.max_machines, listed.machine_count, len(listed.devices)) == (3, 2, 2)
    unlimited = parse_device_list({"data": {"devices": [], "maxMachines": None}})
    assert unlimited.max_machines is None and unlimited.machine_count == 0
    with pytest.raises(UnexpectedResponseError):
        parse_device_list({"data": {"devices": [{"name": "no id"}]}})


def test_license_view_reads_the_relays_owner_view():
    view = parse_license_view({"data": {
        "id": "lic-1", "status": "expired", "name": "Pro", "expiresAt": "2026-04-02T08:15:00.000Z",
        "licensee": {"name": "Ada", "email": "ada@example.com"}, "seats": {"used": 2, "total": 3},
        "requireHeartbeat": True, "heartbeatIntervalMinutes": 15,
        "offline": {"allowed": True, "maxDays": 14},
    }})  # fmt: skip
    assert (view.license_id, view.status, view.name) == ("lic-1", "expired", "Pro")
    assert view.expires_at == datetime(2026, 4, 2, 8, 15, tzinfo=UTC)
    assert (view.licensee_name, view.licensee_email) == ("Ada", "ada@example.com")
    assert (view.seats_used, view.seats_total) == (2, 3)
    assert (view.require_heartbeat, view.heartbeat_interval_minutes) == (True, 15)
    assert (view.offline_allowed, view.offline_max_days) == (True, 14)


def test_license_view_without_limits_or_with_odd_values():
    view = parse_license_view({"data": {"id": "x", "status": "active", "seats": {"used": -1},
                                        "requireHeartbeat": "yes", "offline": []}})  # fmt: skip
    assert (view.seats_used, view.seats_total, view.require_heartbeat) == (0, None, False)
    assert (view.offline_allowed, view.offline_max_days, view.expires_at) == (False, None, None)
    for broken in ({"data": []}, {"data": {"id": "x"}}, {"data": {"status": "active"}}):
        with pytest.raises(UnexpectedResponseError):
            parse_license_view(broken)


def test_timestamps():
    assert parse_timestamp("2026-04-02T08:15:00.000Z") == datetime(2026, 4, 2, 8, 15, tzinfo=UTC)
    assert parse_timestamp("2026-04-02T10:15:00+02:00") == datetime(2026, 4, 2, 8, 15, tzinfo=UTC)
    assert parse_timestamp(1712045700) is None
    assert parse_timestamp("yesterday") is None


# --- property: arbitrary JSON never crashes the parser and never fakes "valid" ------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=25,
)
keys = st.sampled_from(
    [
        "valid",
        "code",
        "license",
        "machine",
        "entitlements",
        "id",
        "status",
        "expiresAt",
        "maxMachines",
        "policy",
        "requireHeartbeat",
        "usesCount",
    ]
)
validation_like = st.fixed_dictionaries(
    {"data": st.dictionaries(keys, json_values | st.dictionaries(keys, json_values), max_size=6)}
)


@settings(max_examples=400, deadline=None)
@given(st.one_of(json_values, validation_like))
def test_parse_validation_total(document):
    # Round-trip through JSON text so only what a server could really send is fed in.
    document = json.loads(json.dumps(document))
    try:
        result = parse_validation(document)
    except UnexpectedResponseError:
        return
    assert isinstance(result, ValidationResult)
    assert isinstance(result.code, str)
    assert result.valid is (document["data"]["valid"] is True)


@settings(max_examples=200, deadline=None)
@given(st.one_of(json_values, validation_like))
def test_other_parsers_total(document):
    expected = {parse_device_list: DeviceList, parse_license_view: LicenseView,
                parse_machine: Machine}  # fmt: skip
    for parser, kind in expected.items():
        try:
            result = parser(document)
        except UnexpectedResponseError:
            continue
        assert isinstance(result, kind)
