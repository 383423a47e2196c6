"""Stand-in test helpers. The server itself is the session-wide `standin_server` from
tests/conftest.py (one per session, reset before each test by the `standin` fixture)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from licentric import Licentric

FP = "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90"


@pytest.fixture
def http(standin) -> Iterator[httpx.Client]:
    """A plain httpx client on the stand-in's /api/v1."""
    with httpx.Client(base_url=standin.api_url, timeout=10) as client:
        yield client


@pytest.fixture
def root(standin) -> Iterator[httpx.Client]:
    """An httpx client on the stand-in's origin (for /_standin routes)."""
    with httpx.Client(base_url=standin.url, timeout=10) as client:
        yield client


@pytest.fixture
def sdk(standin, fixtures) -> Iterator[Licentric]:
    """The official SDK, verifying signatures, no cache, no retries (no sleeps)."""
    client = Licentric(fixtures["apiKey"], base_url=standin.url, max_retries=0, cache_ttl=0,
                       signing_key=fixtures["signingKey"])
    yield client
    client.close()


@pytest.fixture
def bearer(fixtures):
    def headers(name: str = "apiKey") -> dict[str, str]:
        return {"Authorization": f"Bearer {fixtures[name]}"}
    return headers


def lic_auth(key: str) -> dict[str, str]:
    return {"Authorization": f"License {key}"}
