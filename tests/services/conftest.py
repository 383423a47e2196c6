"""Fixtures for service tests: services built against the stand-in, a relay in front of it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.services import Services, build_services
from tests.services.support import make_config


@pytest.fixture
def relay_server(standin_server) -> Iterator[object]:
    # One per test: the relay caches license answers, and the stand-in is reset per test.
    from app.relay.server import RelayServer

    server = RelayServer(standin_server.url, standin_server.fixtures["apiKeyRelay"])
    server.start()
    yield server
    server.stop()


@pytest.fixture
def relay_services(standin, relay_server) -> Iterator[Services]:
    """Services with the relay configured (license view, device list)."""
    with build_services(make_config(standin, relay_url=relay_server.url)) as built:
        yield built


@pytest.fixture
def config(standin):
    return make_config(standin)


@pytest.fixture
def services(config, data_dir) -> Iterator[Services]:
    built = build_services(config, data_dir=Path(data_dir))
    yield built
    built.close()
