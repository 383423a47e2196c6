"""SecretStore against a real Secret Service (gnome-keyring). Run under dbus-run-session:

    dbus-run-session -- bash -c 'echo -n pw | gnome-keyring-daemon --unlock \
        --components=secrets >/dev/null; HOME=$(mktemp -d) pytest -m keychain tests/platform'
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

import keyring
import pytest
from keyring.backends import SecretService
from keyring.backends.chainer import ChainerBackend

from app.platform.secrets import KEY_FILE_NAME, USERNAME, SecretStore
from tests.support.system import missing, require_binary

pytestmark = pytest.mark.keychain

KEY = "ABCD-1234-EFGH-5678-WXYZ"
REPO = Path(__file__).resolve().parents[2]


def _items(app_id: str) -> list[str]:
    """Secrets stored for ``app_id``, read straight from the Secret Service (not via keyring)."""
    import secretstorage

    with secretstorage.dbus_init() as connection:
        collection = secretstorage.get_default_collection(connection)
        found = collection.search_items({"service": app_id, "username": USERNAME})
        return [item.get_secret().decode() for item in found]


@pytest.fixture
def app_id():
    """A fresh service name per test, removed afterwards."""
    name = f"com.example.keychain-test.{uuid.uuid4().hex[:12]}"
    yield name
    with contextlib.suppress(keyring.errors.KeyringError):
        keyring.delete_password(name, USERNAME)


@pytest.fixture(autouse=True)
def secret_service():
    """The real Secret Service backend. Under pytest the default keyring is a chainer,
    because keyring also discovers the test-only backend classes (MemoryKeyring...); pick the
    Secret Service out of it and use it directly so no test-only backend takes part."""
    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        missing("no D-Bus session (run under dbus-run-session with gnome-keyring)")
    default = keyring.get_keyring()
    chained = default.backends if isinstance(default, ChainerBackend) else [default]
    backend = next((b for b in chained if isinstance(b, SecretService.Keyring)), None)
    if backend is None:
        missing(f"default keyring is {default.name}, no Secret Service in it")
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(default)


def test_saves_into_the_real_keychain(tmp_path, app_id):
    store = SecretStore(app_id, tmp_path)

    assert store.save(KEY) == "keychain"

    assert _items(app_id) == [KEY]
    assert not (tmp_path / KEY_FILE_NAME).exists()
    assert store.is_fallback is False
    assert store.backend_name == "SecretService Keyring"
    assert SecretStore(app_id, tmp_path).load() == KEY


def test_saving_again_replaces_the_entry(tmp_path, app_id):
    store = SecretStore(app_id, tmp_path)
    store.save(KEY)
    store.save("WXYZ-0000-1111-2222-ABCD")

    assert _items(app_id) == ["WXYZ-0000-1111-2222-ABCD"]


def test_delete_removes_the_entry(tmp_path, app_id):
    store = SecretStore(app_id, tmp_path)
    store.save(KEY)

    store.delete()
    store.delete()

    assert _items(app_id) == []
    assert store.load() is None


def test_old_file_copy_is_removed_when_the_keychain_works(tmp_path, app_id):
    (tmp_path / KEY_FILE_NAME).write_text("OLD-KEY\n")

    assert SecretStore(app_id, tmp_path).save(KEY) == "keychain"
    assert not (tmp_path / KEY_FILE_NAME).exists()


_LOCKED_SCRIPT = textwrap.dedent(
    """
    import json, sys, secretstorage
    from app.platform.secrets import SecretStore
    with secretstorage.dbus_init() as connection:
        secretstorage.get_default_collection(connection).lock()
    store = SecretStore("com.example.locked-test", sys.argv[1])
    saved = store.save(sys.argv[2])
    print(json.dumps({"saved": saved, "fallback": store.is_fallback,
                      "reason": store.fallback_reason, "loaded": store.load() == sys.argv[2]}))
    """
)


@pytest.mark.skipif(
    bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")),
    reason="with a display, gnome-keyring would pop up an unlock prompt",
)
def test_locked_keychain_falls_back_to_the_file(tmp_path):
    """Locks a keychain in a private D-Bus session so the shared one stays unlocked."""
    require_binary("dbus-run-session", "dbus")
    require_binary("gnome-keyring-daemon", "gnome-keyring")
    home = tmp_path / "home"
    home.mkdir()
    shell = (
        "echo -n pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null; "
        f'{sys.executable} -c "$SCRIPT" "$DATA" "$KEY"'
    )
    env = {
        **os.environ,
        "HOME": str(home),
        "SCRIPT": _LOCKED_SCRIPT,
        "DATA": str(tmp_path / "data"),
        "KEY": KEY,
    }
    done = subprocess.run(
        ["dbus-run-session", "--", "sh", "-c", shell],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])

    assert result["saved"] == "file"
    assert result["fallback"] is True
    assert "KeyringLocked" in result["reason"]
    assert result["loaded"] is True
    assert (tmp_path / "data" / KEY_FILE_NAME).read_text().strip() == KEY
