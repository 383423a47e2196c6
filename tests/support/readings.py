"""The readings of what the Licentric docs leave open, as the stand-in's switches, and the
set-ups the scenarios that depend on them share (CLI and wizard alike).

Each list starts with the stand-in's default reading; the scenarios are parametrised over the
list, so every non-default reading runs once per affected scenario, the other switches at their
defaults (the stand-in is reset before each test).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx

from app.platform.fingerprint import fingerprint

#: An unknown key: 200 {valid: false, code: NOT_FOUND} or a 404 NOT_FOUND error envelope.
UNKNOWN_KEY = ["valid-false", "not-found"]
#: A fingerprint already active on the license: 409 CONFLICT, 422 CONSTRAINT_VIOLATION or
#: 200 with the existing machine.
DUPLICATE_FINGERPRINT = ["conflict", "constraint", "existing"]
#: A fingerprint active on another license (PER_ACCOUNT uniqueness): the same switch, where
#: "existing" cannot apply (the stand-in answers 409 CONFLICT then).
DUPLICATE_ON_ANOTHER_LICENSE = ["conflict", "constraint"]
#: The HTTP status of LICENSE_* errors.
LICENSE_STATE_STATUS = [409, 403, 422]


def _admin(standin: Any, path: str, body: dict[str, Any] | None = None) -> Any:
    headers = {"Authorization": f"Bearer {standin.fixtures['apiKey']}"}
    response = httpx.post(standin.api_url + path, json=body, headers=headers)
    response.raise_for_status()
    return response.json().get("data")


def licenses_sharing_fingerprints(standin: Any) -> tuple[str, str]:
    """Two license keys on a policy where a fingerprint may be on only one license."""
    product = _admin(standin, "/products", {"name": "Studio Pro"})
    policy = _admin(
        standin,
        "/policies",
        {"productId": product["id"], "name": "one license per computer", "maxMachines": 2,
         "fingerprintUniqueness": "PER_ACCOUNT", "entitlements": ["basic", "pro"]},
    )  # fmt: skip
    first = _admin(standin, "/licenses", {"policyId": policy["id"], "name": "Studio Pro — A"})
    second = _admin(standin, "/licenses", {"policyId": policy["id"], "name": "Studio Pro — B"})
    return first["key"], second["key"]


def activate_this_computer_upstream(standin: Any, key: str, app_id: str) -> None:
    """This computer's fingerprint (for ``app_id``) activated on ``key``, without our code."""
    response = httpx.post(
        standin.api_url + "/machines",
        json={"fingerprint": fingerprint(app_id), "name": "Elsewhere"},
        headers={"Authorization": f"License {key}"},
    )
    assert response.status_code == 201, response.text


@contextmanager
def suspended_during_activation(standin: Any, scenario: str) -> Iterator[None]:
    """The license is suspended after its validation passed, while its activation request is
    on the way: the activation meets a LICENSE_SUSPENDED error (the race the readings cover)."""
    arrived = standin.add_fault("activate", "latency", count=1, ms=1500)
    license_id = standin.fixture_details[scenario]["licenseId"]

    def suspend_when_it_arrives() -> None:
        for _ in range(1000):
            if arrived.hits:
                _admin(standin, f"/licenses/{license_id}/actions/suspend")
                return
            threading.Event().wait(0.005)

    thread = threading.Thread(target=suspend_when_it_arrives, daemon=True)
    thread.start()
    try:
        yield
    finally:
        thread.join(10)
