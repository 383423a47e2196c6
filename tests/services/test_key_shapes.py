"""The key shapes the Licentric docs show activate end to end over real HTTP, with the
vendor's key rule (key_pattern, key_case) deciding what is accepted and how it is sent."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from app.config import with_overrides
from app.domain.errors import KeyFormatError, LicenseInvalidError
from app.services import build_services
from tests.services.support import machines_of

DOCS_KEYS = ["DSK-A1B2-C3D4-E5F6-G7H8", "LIC-7Q2M-K9PD-X4TR", "SPR-7Q2M-K8VD-3XTL-W9HC"]


def create_license(standin: Any, key: str) -> str:
    """A license with exactly this key on the stand-in's standard policy (admin API)."""
    headers = {"Authorization": f"Bearer {standin.fixtures['apiKey']}"}
    policy_of_valid = httpx.get(
        f"{standin.api_url}/licenses/{standin.fixture_details['valid']['licenseId']}",
        headers=headers,
    ).json()["data"]["policyId"]
    created = httpx.post(
        f"{standin.api_url}/licenses",
        json={"policyId": policy_of_valid, "key": key, "entitlements": ["basic", "pro"]},
        headers=headers,
    )
    assert created.status_code == 201, created.text
    return created.json()["data"]["id"]


def activated_machines(standin: Any, license_id: str) -> list[dict[str, Any]]:
    headers = {"Authorization": f"Bearer {standin.fixtures['apiKey']}"}
    url = f"{standin.api_url}/machines"
    return httpx.get(url, params={"licenseId": license_id}, headers=headers).json()["data"]


@pytest.mark.parametrize("key", DOCS_KEYS)
def test_docs_key_activates_as_typed(services, standin, key):
    license_id = create_license(standin, key)
    outcome = services.activation.activate(f"Your license key: {key}", "PC")
    assert outcome.record.license_id == license_id
    [machine] = activated_machines(standin, license_id)
    assert machine["id"] == outcome.record.machine_id


@pytest.mark.parametrize("key", DOCS_KEYS)
def test_lower_case_typing_works_when_the_vendor_says_keys_are_upper(
    config, data_dir, standin, key
):
    license_id = create_license(standin, key)
    services = build_services(with_overrides(config, key_case="upper"), data_dir=data_dir)
    try:
        outcome = services.activation.activate(key.lower(), "PC")
    finally:
        services.close()
    assert outcome.record.license_id == license_id


def test_case_is_kept_by_default_so_a_case_sensitive_service_decides(services, standin):
    create_license(standin, DOCS_KEYS[1])
    lower = create_license(standin, DOCS_KEYS[1].lower())  # a different key to the service
    outcome = services.activation.activate(DOCS_KEYS[1].lower(), "PC")
    assert outcome.record.license_id == lower
    with pytest.raises(LicenseInvalidError) as caught:
        services.activation.activate(DOCS_KEYS[2].lower(), "PC")  # only upper case exists
    assert caught.value.code == "NOT_FOUND"


def test_vendor_pattern_refuses_before_any_request(config, data_dir, standin):
    rule = with_overrides(config, key_pattern=r"LIC(-[A-Z0-9]{4}){3}")
    services = build_services(rule, data_dir=data_dir)
    try:
        with pytest.raises(KeyFormatError) as caught:
            services.activation.activate(standin.fixtures["valid"], "PC")
    finally:
        services.close()
    assert caught.value.reason == "pattern"
    assert machines_of(standin, "valid") == []
