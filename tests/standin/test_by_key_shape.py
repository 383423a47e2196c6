"""The stand-in's `GET /licenses/by-key/{key}` answer against the official SDK's models: every
field the SDK reads is there, under its wire name, and no other (the relay authenticates with
this answer; every other answer is checked in test_standin_wire_fields.py)."""

from __future__ import annotations

import httpx
from licentric.models import License, Machine, Policy


def _wire_names(model: type) -> set[str]:
    return {field.alias or name for name, field in model.model_fields.items()}


def _by_key(standin, scenario: str) -> dict:
    headers = {"Authorization": f"Bearer {standin.fixtures['apiKey']}"}
    key = standin.fixtures[scenario]
    response = httpx.get(f"{standin.api_url}/licenses/by-key/{key}", headers=headers, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()["data"]


def test_by_key_license_has_exactly_the_sdk_fields(standin):
    data = _by_key(standin, "seat-limit")
    assert set(data) == _wire_names(License)
    assert set(data["policy"]) == _wire_names(Policy)
    assert data["machines"], "the seat-limit license has machines"
    for machine in data["machines"]:
        assert set(machine) == _wire_names(Machine)


def test_by_key_answers_parse_as_the_sdk_models_with_the_values_the_relay_reads(standin):
    for scenario in ("valid", "seat-limit", "heartbeat", "offline", "suspended", "revoked"):
        data = _by_key(standin, scenario)
        license_ = License.model_validate(data)
        assert license_.policy is not None and license_.machines is not None, scenario
        assert license_.status == license_.status.lower()  # the documented lowercase statuses
        assert isinstance(license_.policy.heartbeat_interval_minutes, int)
        assert isinstance(license_.policy.offline_max_days, int)
