from __future__ import annotations

import errno
import logging

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null
from keyring.errors import KeyringLocked

from app.domain.errors import KeychainUnavailableError, StorageError
from app.platform.secrets import KEY_FILE_NAME, USERNAME, SecretStore, is_usable_backend
from tests.platform.conftest import private_mode, remount_read_only

APP = "com.example.product"
KEY = "ABCD-1234-EFGH-5678-WXYZ"


class LockedKeyring(KeyringBackend):
    """A keychain that exists but refuses every call, as a locked login keychain does."""

    # Low but positive: usable by our rules, yet never ahead of a real keychain when keyring
    # discovers every backend subclass (it would join the chainer in the keychain tests).
    priority = 0.5  # type: ignore[assignment]

    def get_password(self, service, username, *password):
        raise KeyringLocked("Failed to unlock the collection!")

    set_password = delete_password = get_password  # type: ignore[assignment]


@pytest.fixture
def use_backend():
    previous = keyring.get_keyring()
    yield keyring.set_keyring
    keyring.set_keyring(previous)


def test_keychain_round_trip(tmp_path, memory_keyring):
    store = SecretStore(APP, tmp_path)

    assert store.save(KEY) == "keychain"
    assert memory_keyring.store[(APP, USERNAME)] == KEY
    assert not (tmp_path / KEY_FILE_NAME).exists()
    assert SecretStore(APP, tmp_path).load() == KEY
    assert store.is_fallback is False
    assert store.backend_name == memory_keyring.name


def test_saving_to_the_keychain_removes_an_old_file_copy(tmp_path):
    (tmp_path / KEY_FILE_NAME).write_text("OLD-KEY\n")

    assert SecretStore(APP, tmp_path).save(KEY) == "keychain"
    assert not (tmp_path / KEY_FILE_NAME).exists()


@pytest.mark.parametrize("backend", [fail.Keyring(), null.Keyring()], ids=["fail", "null"])
def test_no_backend_falls_back_to_a_private_file(tmp_path, use_backend, backend):
    use_backend(backend)
    folder = tmp_path / "data"
    store = SecretStore(APP, folder)

    assert store.save(KEY) == "file"
    assert (folder / KEY_FILE_NAME).read_text().strip() == KEY
    assert private_mode(folder / KEY_FILE_NAME) == 0o600
    assert private_mode(folder) == 0o700
    assert store.is_fallback is True
    assert store.backend_name == "file"
    assert "no usable keychain" in (store.fallback_reason or "")
    assert SecretStore(APP, folder).load() == KEY


def test_chainer_with_nothing_to_chain_is_not_usable(tmp_path, use_backend, monkeypatch):
    monkeypatch.setattr(keyring.backend, "_limit", lambda backend: False)
    empty = chainer.ChainerBackend()
    assert list(empty.backends) == []
    use_backend(empty)

    assert SecretStore(APP, tmp_path).save(KEY) == "file"


def test_usability_is_judged_by_class_and_priority(memory_keyring):
    assert is_usable_backend(memory_keyring)
    assert not is_usable_backend(fail.Keyring())
    assert not is_usable_backend(null.Keyring())


def test_locked_keychain_falls_back_and_says_why(tmp_path, use_backend, caplog):
    use_backend(LockedKeyring())
    store = SecretStore(APP, tmp_path)

    with caplog.at_level(logging.WARNING):
        assert store.save(KEY) == "file"

    assert store.is_fallback is True
    assert "KeyringLocked" in (store.fallback_reason or "")
    assert KEY not in caplog.text
    assert store.load() == KEY  # keychain read fails, the file answers


def test_locked_keychain_without_file_is_not_reported_as_absent(tmp_path, use_backend):
    use_backend(LockedKeyring())

    with pytest.raises(KeychainUnavailableError) as caught:
        SecretStore(APP, tmp_path).load()
    assert isinstance(caught.value.__cause__, KeyringLocked)


def test_keychain_wins_over_the_file_on_load(tmp_path, memory_keyring):
    memory_keyring.set_password(APP, USERNAME, KEY)
    (tmp_path / KEY_FILE_NAME).write_text("FILE-KEY\n")
    store = SecretStore(APP, tmp_path)

    assert store.load() == KEY
    assert store.is_fallback is False


def test_file_copy_is_found_with_a_working_keychain(tmp_path):
    (tmp_path / KEY_FILE_NAME).write_text(KEY + "\n")
    store = SecretStore(APP, tmp_path)

    assert store.load() == KEY
    assert store.is_fallback is True


def test_nothing_stored_is_none(tmp_path):
    assert SecretStore(APP, tmp_path).load() is None


def test_damaged_key_file_is_ignored(tmp_path, use_backend):
    use_backend(fail.Keyring())
    (tmp_path / KEY_FILE_NAME).write_bytes(b"\xff\xfe\x00")
    assert SecretStore(APP, tmp_path).load() is None


def test_delete_removes_both_places(tmp_path, memory_keyring):
    memory_keyring.set_password(APP, USERNAME, KEY)
    (tmp_path / KEY_FILE_NAME).write_text(KEY + "\n")
    store = SecretStore(APP, tmp_path)

    store.delete()
    store.delete()  # nothing left: still fine

    assert (APP, USERNAME) not in memory_keyring.store
    assert not (tmp_path / KEY_FILE_NAME).exists()
    assert store.load() is None


def test_delete_with_a_locked_keychain_removes_the_file_then_reports(tmp_path, use_backend):
    use_backend(LockedKeyring())
    (tmp_path / KEY_FILE_NAME).write_text(KEY + "\n")

    with pytest.raises(KeychainUnavailableError):
        SecretStore(APP, tmp_path).delete()
    assert not (tmp_path / KEY_FILE_NAME).exists()


def test_other_apps_keys_are_separate(tmp_path, memory_keyring):
    SecretStore("com.vendor-a.app", tmp_path / "a").save("KEY-A")
    SecretStore("com.vendor-b.app", tmp_path / "b").save("KEY-B")

    assert SecretStore("com.vendor-a.app", tmp_path / "a").load() == "KEY-A"
    assert SecretStore("com.vendor-b.app", tmp_path / "b").load() == "KEY-B"


def test_empty_key_is_refused(tmp_path):
    with pytest.raises(ValueError):
        SecretStore(APP, tmp_path).save("")


def test_fallback_on_an_unwritable_dir_is_a_storage_error(tmp_path, use_backend):
    use_backend(fail.Keyring())
    (tmp_path / "blocker").write_text("x")

    with pytest.raises(StorageError) as caught:
        SecretStore(APP, tmp_path / "blocker" / "data").save(KEY)
    assert KEY not in str(caught.value)


def test_fallback_on_a_read_only_disk(tiny_fs, use_backend):
    use_backend(fail.Keyring())
    store = SecretStore(APP, tiny_fs)
    store.save(KEY)
    remount_read_only(tiny_fs)

    with pytest.raises(StorageError) as caught:
        store.save("NEW-KEY-0000")
    assert caught.value.__cause__.errno == errno.EROFS
    assert store.load() == KEY
