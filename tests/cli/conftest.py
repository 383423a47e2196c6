"""Fixtures for the command-line tests: ``cli`` (``main`` against the stand-in) and ``relay``."""

from __future__ import annotations

import pytest

from tests.cli.support import Cli


@pytest.fixture
def cli(capsys, tmp_path, standin) -> Cli:
    return Cli(capsys, tmp_path, standin)


@pytest.fixture
def relay(standin_server):
    # One per test: the relay caches license answers, and the stand-in is reset per test.
    from app.relay.server import RelayServer

    server = RelayServer(standin_server.url, standin_server.fixtures["apiKeyRelay"]).start()
    yield server
    server.stop()
