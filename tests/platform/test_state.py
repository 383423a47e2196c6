from __future__ import annotations

import errno
import json
import logging
import os
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain.errors import StorageError
from app.domain.models import ActivationRecord
from app.platform.state import SCHEMA_VERSION, STATE_FILE_NAME, ActivationStore
from tests.platform.conftest import (
    fill_up,
    permissions_enforced,
    private_mode,
    remount_read_only,
)


def _record(**changes) -> ActivationRecord:
    base = ActivationRecord(
        license_id="lic_01HZX",
        machine_id="mach_7Q2",
        fingerprint="ab" * 32,
        device_name="Ana's laptop",
        key_masked="ABCD-…-WXYZ",
        api_url="https://www.licentric.com",
        activated_at="2025-03-01T12:00:00Z",
        last_validation={"code": "VALID", "valid": True},
        last_validated_at="2025-03-01T12:00:01Z",
        key_storage="keychain",
    )
    return replace(base, **changes)


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_absent_is_none(tmp_path):
    store = ActivationStore(tmp_path / "state")
    assert store.load() is None
    assert store.corrupt is False


def test_round_trip_with_schema_and_private_modes(tmp_path):
    folder = tmp_path / "state"
    store = ActivationStore(folder)

    store.save(_record())

    assert ActivationStore(folder).load() == _record()
    on_disk = json.loads((folder / STATE_FILE_NAME).read_text())
    assert on_disk["schema"] == SCHEMA_VERSION
    assert private_mode(folder / STATE_FILE_NAME) == 0o600
    assert private_mode(folder) == 0o700
    assert _leftovers(folder) == []


def test_save_replaces_the_previous_record(tmp_path):
    store = ActivationStore(tmp_path)
    store.save(_record())
    store.save(_record(machine_id="mach_second", key_storage="file"))

    loaded = store.load()
    assert loaded is not None
    assert (loaded.machine_id, loaded.key_storage) == ("mach_second", "file")
    assert _leftovers(tmp_path) == []


def test_clear_removes_and_is_idempotent(tmp_path):
    store = ActivationStore(tmp_path)
    store.save(_record())
    store.clear()
    store.clear()
    assert store.load() is None
    assert not (tmp_path / STATE_FILE_NAME).exists()


@pytest.mark.parametrize(
    "content",
    [b"", b"{", b'{"schema": 1, "license_id": "lic', b"\xff\xfe\x00garbage", b"[1, 2]", b"null"],
)
def test_damaged_file_is_absent_and_reported(tmp_path, caplog, content):
    (tmp_path / STATE_FILE_NAME).write_bytes(content)
    store = ActivationStore(tmp_path)

    with caplog.at_level(logging.WARNING, logger="app.platform.state"):
        assert store.load() is None

    assert store.corrupt is True
    assert "damaged" in caplog.text


def test_every_truncation_of_a_good_file_is_survivable(tmp_path):
    store = ActivationStore(tmp_path)
    store.save(_record())
    good = (tmp_path / STATE_FILE_NAME).read_bytes()

    for cut in range(len(good) - 2):  # the last bytes are only "}\n"
        (tmp_path / STATE_FILE_NAME).write_bytes(good[:cut])
        assert store.load() is None
        assert store.corrupt is True


def test_missing_required_fields_is_damaged(tmp_path):
    data = {"schema": SCHEMA_VERSION, **_record().to_json()}
    del data["machine_id"]
    (tmp_path / STATE_FILE_NAME).write_text(json.dumps(data))
    store = ActivationStore(tmp_path)

    assert store.load() is None
    assert store.corrupt is True


def test_unknown_schema_is_absent_but_not_corrupt(tmp_path):
    data = {**_record().to_json(), "schema": 2}
    (tmp_path / STATE_FILE_NAME).write_text(json.dumps(data))
    store = ActivationStore(tmp_path)

    assert store.load() is None
    assert store.unknown_schema is True
    assert store.corrupt is False


def test_unknown_extra_fields_are_ignored(tmp_path):
    data = {"schema": SCHEMA_VERSION, **_record().to_json(), "added_later": 5}
    (tmp_path / STATE_FILE_NAME).write_text(json.dumps(data))

    assert ActivationStore(tmp_path).load() == _record()


text = st.text(min_size=1, max_size=80)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=text, masked=text, validation=st.dictionaries(text, st.integers() | text))
def test_round_trip_any_text(tmp_path, name, masked, validation):
    store = ActivationStore(tmp_path)
    record = _record(device_name=name, key_masked=masked, last_validation=validation)
    store.save(record)
    assert store.load() == record


def test_data_dir_under_a_file_is_a_storage_error(tmp_path):
    (tmp_path / "blocker").write_text("x")
    store = ActivationStore(tmp_path / "blocker" / "state")

    with pytest.raises(StorageError) as caught:
        store.save(_record())
    assert caught.value.__cause__.errno in (errno.ENOTDIR, errno.EEXIST)


def test_disk_full_keeps_the_previous_record(tiny_fs):
    store = ActivationStore(tiny_fs)
    store.save(_record())
    fill_up(tiny_fs)

    with pytest.raises(StorageError) as caught:
        store.save(_record(machine_id="mach_new", last_validation={"pad": "x" * 8000}))

    assert caught.value.details["errno"] == "ENOSPC"
    assert caught.value.__cause__.errno == errno.ENOSPC
    assert store.load() == _record()  # the old record is intact
    assert _leftovers(tiny_fs) == []


def test_read_only_disk_keeps_the_previous_record(tiny_fs):
    store = ActivationStore(tiny_fs)
    store.save(_record())
    remount_read_only(tiny_fs)

    with pytest.raises(StorageError) as caught:
        store.save(_record(machine_id="mach_new"))
    assert caught.value.details["errno"] == "EROFS"
    assert store.load() == _record()

    with pytest.raises(StorageError) as cleared:
        store.clear()
    assert cleared.value.__cause__.errno == errno.EROFS


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_read_only_dir_for_a_normal_user(tmp_path):
    if not permissions_enforced(tmp_path):
        pytest.skip("running as root with CAP_DAC_OVERRIDE: permissions are ignored")
    store = ActivationStore(tmp_path)
    store.save(_record())
    tmp_path.chmod(0o500)
    try:
        with pytest.raises(StorageError) as caught:
            store.save(_record(machine_id="mach_new"))
        assert caught.value.details["errno"] == "EACCES"
        assert store.load() == _record()
    finally:
        tmp_path.chmod(0o700)
