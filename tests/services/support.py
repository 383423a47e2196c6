"""Helpers for service and CLI tests: configs against the stand-in and its admin API."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import keyring

from app.config import VendorConfig, with_overrides
from app.platform.secrets import USERNAME

APP_ID = "com.example.tests"


def make_config(standin: Any, **changes: Any) -> VendorConfig:
    """A config pointing at the stand-in; short timeouts keep fault tests quick."""
    base = VendorConfig(api_url=standin.url, app_id=APP_ID, timeout_seconds=5.0)
    return with_overrides(base, **changes)


def admin_get(standin: Any, path: str, **params: Any) -> Any:
    """GET on the stand-in's admin API with the fixtures' Bearer key (not via our code)."""
    headers = {"Authorization": f"Bearer {standin.fixtures['apiKey']}"}
    # trust_env=False: straight to the stand-in even while a test routes the app via a proxy
    response = httpx.get(
        standin.url + "/api/v1" + path, params=params, headers=headers, trust_env=False
    )
    response.raise_for_status()
    return response.json()["data"]


def admin_post(standin: Any, path: str) -> Any:
    headers = {"Authorization": f"Bearer {standin.fixtures['apiKey']}"}
    response = httpx.post(standin.url + "/api/v1" + path, headers=headers)
    response.raise_for_status()
    return response.json().get("data")


def admin_delete(standin: Any, path: str) -> None:
    headers = {"Authorization": f"Bearer {standin.fixtures['apiKey']}"}
    httpx.delete(standin.url + "/api/v1" + path, headers=headers).raise_for_status()


def license_id(standin: Any, scenario: str) -> str:
    return standin.fixture_details[scenario]["licenseId"]


def machines_of(standin: Any, scenario: str) -> list[dict[str, Any]]:
    """The live machines of a fixture license, as the server sees them."""
    machines = admin_get(standin, "/machines", licenseId=license_id(standin, scenario))
    return [m for m in machines if not m.get("deletedAt")]


def request_counter(standin: Any) -> Any:
    """A no-op fault on every route; its ``hits`` counts the requests that arrive."""
    return standin.add_fault("*", "latency", count=None, ms=0)


def stored_key(app_id: str = APP_ID) -> str | None:
    return keyring.get_password(app_id, USERNAME)


def local_files(data_dir: str | Path) -> set[str]:
    """Files that hold state (the lock file is not state)."""
    path = Path(data_dir)
    if not path.exists():
        return set()
    return {p.name for p in path.iterdir() if p.name != "activation.lock"}
