from __future__ import annotations

import errno
import os

import platformdirs
import pytest

from app.domain.errors import StorageError
from app.platform.paths import DATA_DIR_ENV, data_dir
from tests.platform.conftest import private_mode


def test_env_override_is_used_and_created_private(tmp_path, monkeypatch):
    target = tmp_path / "deep" / "state"
    monkeypatch.setenv(DATA_DIR_ENV, str(target))

    path = data_dir("com.example.product")

    assert path == target
    assert path.is_dir()
    assert private_mode(path) == 0o700


def test_without_override_uses_platformdirs(tmp_path, monkeypatch):
    monkeypatch.delenv(DATA_DIR_ENV, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))

    path = data_dir("com.example.product")

    expected = platformdirs.user_data_dir("com.example.product", appauthor=False)
    assert str(path) == expected
    assert path.is_relative_to(tmp_path)
    assert private_mode(path) == 0o700


def test_blank_override_is_ignored(tmp_path, monkeypatch):
    monkeypatch.setenv(DATA_DIR_ENV, "   ")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))

    assert data_dir("com.example.other") == tmp_path / "xdg" / "com.example.other"


def test_existing_dir_is_reused(tmp_path, monkeypatch):
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path))
    marker = tmp_path / "keep.txt"
    marker.write_text("still here")

    assert data_dir("com.example.product") == tmp_path
    assert marker.read_text() == "still here"


def test_a_file_in_the_way_is_a_storage_error(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    monkeypatch.setenv(DATA_DIR_ENV, str(blocker / "state"))

    with pytest.raises(StorageError) as caught:
        data_dir("com.example.product")

    assert isinstance(caught.value.__cause__, OSError)
    assert caught.value.__cause__.errno in (errno.ENOTDIR, errno.EEXIST)
    assert caught.value.details["path"] == str(blocker / "state")


@pytest.mark.skipif(os.name != "posix", reason="POSIX modes")
@pytest.mark.parametrize("mode", [0o755, 0o777, 0o750, 0o701])
def test_an_existing_data_folder_is_made_private_too(tmp_path, monkeypatch, mode):
    target = tmp_path / "existing"
    target.mkdir()
    target.chmod(mode)
    monkeypatch.setenv(DATA_DIR_ENV, str(target))

    path = data_dir("com.example.product")

    assert private_mode(path) == 0o700


@pytest.mark.skipif(os.name != "posix", reason="POSIX modes")
def test_an_existing_state_folder_is_made_private_when_the_record_is_saved(tmp_path):
    from app.platform.state import ActivationStore
    from tests.platform.test_state import _record

    folder = tmp_path / "state"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    ActivationStore(folder).save(_record())
    assert private_mode(folder) == 0o700
