"""Machine-wide activation end to end: root activates with ``--machine-wide`` (as an elevated
installer does), a real unprivileged user created for the test finds it with ``check``, and is
refused, in plain words, when trying to deactivate it or to activate machine-wide itself."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.support import write_config
from tests.services.support import machines_of
from tests.support.unprivileged import UnprivilegedUser, create_test_user

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX accounts")


@pytest.fixture(scope="module")
def test_user() -> Iterator[UnprivilegedUser]:
    yield from create_test_user()


@pytest.fixture
def shared(monkeypatch) -> Iterator[Path]:
    """A folder the test user can reach: the system data folder and the vendor config."""
    base = Path(tempfile.mkdtemp(prefix="aw-machine-"))
    base.chmod(0o755)
    monkeypatch.setenv("ACTIVATION_WIZARD_SYSTEM_DATA_DIR", str(base / "system"))
    yield base
    shutil.rmtree(base, ignore_errors=True)


def _as_user(
    user: UnprivilegedUser, shared: Path, config: Path, *args: str, stdin: str | None = None
) -> tuple[int, dict]:
    env = {
        "ACTIVATION_WIZARD_SYSTEM_DATA_DIR": str(shared / "system"),
        "ACTIVATION_WIZARD_DATA_DIR": str(user.home / "data"),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",  # no keychain for them
    }
    machine_id = os.environ.get("ACTIVATION_WIZARD_MACHINE_ID")
    if machine_id:
        env["ACTIVATION_WIZARD_MACHINE_ID"] = machine_id  # the same computer as root's run
    done = user.python("-m", "app", "--config", str(config), *args, "--json", env=env, stdin=stdin)
    lines = done.stdout.splitlines()
    assert len(lines) == 1, (done.stdout, done.stderr)
    return done.returncode, json.loads(lines[0])


def test_machine_wide_activation_is_found_by_every_user_and_kept_from_them(
    cli, test_user, shared, fixtures, standin, tmp_path
):
    config = write_config(shared, standin.url)
    config.chmod(0o644)
    cli.config = config
    key_file = tmp_path / "key.txt"
    key_file.write_text(fixtures["valid"])

    rc, activated = cli.json("activate", "--machine-wide", "--key-file", str(key_file))
    assert rc == 0, activated
    assert activated["machineWide"] is True
    assert activated["keyStorage"] == "machine file"
    assert activated["keyFile"] == str(shared / "system" / "private" / "license.key")

    rc, checked = _as_user(test_user, shared, config, "check")
    assert rc == 0, checked
    assert checked["licensed"] is True and checked["machineWide"] is True
    assert checked["machineId"] == activated["machineId"]
    assert fixtures["valid"] not in json.dumps(checked)
    # The user may not read the key: the answer root's activation saved is what counts.
    assert checked["stale"] is True and checked["offlineUntil"]

    rc, strict = _as_user(test_user, shared, config, "check", "--online")
    assert rc == 7 and strict["code"] == "ADMIN_REQUIRED"  # only an administrator checks online

    rc, refused = _as_user(test_user, shared, config, "deactivate")
    assert rc == 7, refused
    assert refused["code"] == "ADMIN_REQUIRED"
    assert "administrator" in refused["message"]
    assert len(machines_of(standin, "valid")) == 1  # the seat stays taken, the record stays
    assert (shared / "system" / "activation.json").exists()

    key = fixtures["valid"] + "\n"
    rc, refused = _as_user(
        test_user, shared, config, "activate", "--machine-wide", "--key", "-", stdin=key
    )
    assert rc == 7 and refused["code"] == "ADMIN_REQUIRED"  # refused before any request
    assert len(machines_of(standin, "valid")) == 1

    rc, deactivated = cli.json("deactivate", "--machine-wide")
    assert rc == 0, deactivated
    assert machines_of(standin, "valid") == []
    rc, gone = _as_user(test_user, shared, config, "check")
    assert rc == 8 and gone["code"] == "NOT_ACTIVATED"
