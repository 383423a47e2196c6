"""Helpers for the client tests: clients with tiny backoff, and a stand-in request counter."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from app.api.client import LicentricClient
from app.domain.models import DeviceIdentity, Platform

#: Retries in tests wait milliseconds, not seconds.
FAST_BACKOFF = 0.001


@pytest.fixture
def make_client(standin) -> Iterator[Callable[..., LicentricClient]]:
    """Build LicentricClients against the stand-in (closed after the test)."""
    made: list[LicentricClient] = []

    def make(**options) -> LicentricClient:
        options.setdefault("backoff_base", FAST_BACKOFF)
        client = LicentricClient(options.pop("base_url", standin.url), **options)
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()


@pytest.fixture
def client(make_client) -> LicentricClient:
    return make_client()


@pytest.fixture
def count_requests(standin) -> Callable[[str], object]:
    """Count the requests the stand-in receives on a route (a zero-latency fault sees them all).

    Add it before any other fault: faults apply in the order they were added.
    """

    def counter(route: str = "*"):
        return standin.add_fault(route, "latency", count=None, ms=0)

    return counter


def identity(fingerprint: str = "c0ffee" * 11, name: str = "Test box") -> DeviceIdentity:
    return DeviceIdentity(
        fingerprint=fingerprint, name=name, platform=Platform.LINUX, hostname="test-box"
    )
