"""Machine-wide state: the system folder's rights, trust checks, and a real unprivileged user
who can read the record but neither the key nor change anything."""

from __future__ import annotations

import json
import os
import stat
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.domain.models import ActivationRecord
from app.platform.machine import SYSTEM_DATA_DIR_ENV, system_data_dir
from app.platform.machine_store import MachineActivationStore, MachineKeyStore
from tests.platform.conftest import private_mode
from tests.platform.test_state import _record as state_record
from tests.support.unprivileged import UnprivilegedUser, create_test_user

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX owners and modes")
KEY = "MACH-INEW-IDEK-EY01"


def _record() -> ActivationRecord:
    return state_record(license_id="lic_machine", key_storage="machine file")


def _as_root() -> None:
    if os.geteuid() != 0:
        pytest.skip("writing machine-wide state needs root")


def test_system_folder_per_os(monkeypatch):
    monkeypatch.delenv(SYSTEM_DATA_DIR_ENV, raising=False)
    expected = {"linux": "/var/lib/com.example.product"}
    if sys.platform in expected:
        assert str(system_data_dir("com.example.product")) == expected[sys.platform]
    assert system_data_dir("x.y", environ={SYSTEM_DATA_DIR_ENV: "/srv/aw"}) == Path("/srv/aw")


def test_root_writes_a_record_everyone_reads_and_a_key_only_root_reads(system_data_dir):
    _as_root()
    folder = Path(system_data_dir)
    store, keys = MachineActivationStore(folder), MachineKeyStore("com.example.product", folder)

    keys.save(KEY)
    store.save(_record())

    assert stat.S_IMODE(folder.stat().st_mode) == 0o755
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o644
    assert private_mode(keys.key_file.parent) == 0o700
    assert private_mode(keys.key_file) == 0o600
    assert store.load() == _record()
    assert keys.load() == KEY
    assert KEY not in store.path.read_text()


@pytest.mark.parametrize(
    "spoil",
    [
        lambda p: os.chown(p, 65534, -1),  # owned by someone else
        lambda p: p.chmod(0o666),  # anyone may change it
        lambda p: p.parent.chmod(0o777),  # anyone may replace it
    ],
    ids=["foreign-owner", "world-writable", "folder-world-writable"],
)
def test_a_record_others_could_have_written_is_ignored(system_data_dir, spoil):
    _as_root()
    store = MachineActivationStore(Path(system_data_dir))
    store.save(_record())
    spoil(store.path)

    assert store.load() is None
    assert store.untrusted


def test_a_symlinked_record_is_ignored(system_data_dir, tmp_path):
    _as_root()
    store = MachineActivationStore(Path(system_data_dir))
    store.save(_record())
    planted = tmp_path / "planted.json"
    planted.write_text(store.path.read_text())
    store.path.unlink()
    store.path.symlink_to(planted)

    assert store.load() is None
    assert "symbolic link" in (store.untrusted or "")


def test_an_existing_folder_gets_the_shared_rights(system_data_dir):
    _as_root()
    folder = Path(system_data_dir)
    folder.mkdir(mode=0o777)
    folder.chmod(0o777)

    MachineActivationStore(folder).save(_record())

    assert stat.S_IMODE(folder.stat().st_mode) == 0o755


# --- a real unprivileged user ---------------------------------------------------------


@pytest.fixture(scope="module")
def test_user() -> Iterator[UnprivilegedUser]:
    yield from create_test_user()


@pytest.fixture
def shared_system_dir() -> Iterator[Path]:
    """A system folder the test user can reach (pytest's tmp dirs are root-only)."""
    base = Path(tempfile.mkdtemp(prefix="aw-system-"))
    base.chmod(0o755)
    yield base / "com.example.product"
    import shutil

    shutil.rmtree(base, ignore_errors=True)


_PROBE = """
import json, sys
from pathlib import Path
from app.domain.errors import StorageError
from app.platform.machine_store import MachineActivationStore, MachineKeyStore
folder = Path(sys.argv[1])
store, keys = MachineActivationStore(folder), MachineKeyStore("com.example.product", folder)
out = {"record": store.load() is not None}
for name, call in [("key", keys.load), ("save", lambda: store.save(store.load())),
                   ("clear", store.clear), ("delete_key", keys.delete)]:
    try:
        call()
        out[name] = "ok"
    except StorageError as exc:
        out[name] = [type(exc).__name__, exc.details.get("errno"), exc.details.get("scope")]
print(json.dumps(out))
"""


def test_a_user_reads_the_record_but_not_the_key_and_changes_nothing(test_user, shared_system_dir):
    MachineKeyStore("com.example.product", shared_system_dir).save(KEY)
    MachineActivationStore(shared_system_dir).save(_record())

    done = test_user.python("-c", _PROBE, str(shared_system_dir), env={})

    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    assert seen == {
        "record": True,
        "key": ["AdminRightsError", "EACCES", "machine"],
        "save": ["AdminRightsError", "EACCES", "machine"],
        "clear": ["AdminRightsError", "EACCES", "machine"],
        "delete_key": ["AdminRightsError", "EACCES", "machine"],
    }
    assert MachineKeyStore("com.example.product", shared_system_dir).load() == KEY
    assert MachineActivationStore(shared_system_dir).load() == _record()
