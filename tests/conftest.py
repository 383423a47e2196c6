"""Shared fixtures: one stand-in server per session (reset per test), private user and
machine-wide data dirs and an in-memory keyring for every test, and an offscreen Qt platform."""

from __future__ import annotations

import os
from collections.abc import Iterator

import keyring
import pytest

from tests.support.memory_keyring import MemoryKeyring

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The suite's own expectations are English: whatever language the machine running it speaks,
# its "system language" here is the C locale (tests of other languages ask for them).
os.environ["LC_ALL"] = "C.UTF-8"
os.environ.pop("LANGUAGE", None)


@pytest.fixture(autouse=True)
def memory_keyring(request: pytest.FixtureRequest) -> Iterator[MemoryKeyring | None]:
    """Every test gets an empty in-memory keyring, except those marked ``keychain``."""
    if request.node.get_closest_marker("keychain"):
        yield None
        return
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch) -> str:
    """A private user-data dir per test, so no test touches the real one."""
    path = tmp_path / "userdata"
    monkeypatch.setenv("ACTIVATION_WIZARD_DATA_DIR", str(path))
    return str(path)


@pytest.fixture(autouse=True)
def system_data_dir(tmp_path, monkeypatch) -> str:
    """A machine-wide data dir per test, so no test reads or writes the real /var/lib one."""
    path = tmp_path / "systemdata"
    monkeypatch.setenv("ACTIVATION_WIZARD_SYSTEM_DATA_DIR", str(path))
    return str(path)


@pytest.fixture(scope="session")
def standin_server(tmp_path_factory):
    """The stand-in, started once per session on a free loopback port with a fresh SQLite file."""
    from app.standin.server import StandinServer

    db = tmp_path_factory.mktemp("standin") / "standin.sqlite3"
    server = StandinServer(db_path=str(db), port=0, seed=True)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def standin(standin_server):
    """The session's stand-in, reset to its seeded state (faults and rate counters cleared)."""
    standin_server.reset()
    return standin_server


@pytest.fixture
def fixtures(standin) -> dict:
    """Scenario name -> license key (plus the API keys and public keys)."""
    return standin.fixtures
