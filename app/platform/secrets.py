"""Where the license key lives: the OS keychain via keyring, or an honest private-file fallback.

The fallback file (``<data dir>/license.key``, mode 0600 in a 0700 dir) is used only when no
usable keychain exists (no backend, the fail/null backend, a chainer with nothing to chain)
or when the keychain refuses the write (locked, D-Bus error). ``save`` says which place it
used so the UI can tell the user.
"""

from __future__ import annotations

import logging
from pathlib import Path

import keyring
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null
from keyring.errors import KeyringError, PasswordDeleteError

from app.domain.errors import KeychainUnavailableError, StorageError
from app.platform.files import read_bytes, remove, write_private

log = logging.getLogger(__name__)

USERNAME = "license-key"
KEY_FILE_NAME = "license.key"
KEYCHAIN = "keychain"
FILE = "file"


def _backend_errors() -> tuple[type[BaseException], ...]:
    """Errors a keychain call can raise: keyring's own, plus raw D-Bus / OS failures."""
    errors: list[type[BaseException]] = [KeyringError, RuntimeError, OSError, EOFError]
    try:  # Linux only; these escape keyring's SecretService backend unwrapped
        from jeepney.wrappers import DBusErrorResponse
        from secretstorage.exceptions import SecretStorageException

        errors += [SecretStorageException, DBusErrorResponse]
    except ImportError:
        pass
    return tuple(errors)


KEYCHAIN_ERRORS = _backend_errors()


def is_usable_backend(backend: KeyringBackend) -> bool:
    """Judge a backend by its class and priority, without writing probe entries."""
    if isinstance(backend, fail.Keyring | null.Keyring):
        return False
    if isinstance(backend, chainer.ChainerBackend):
        return any(is_usable_backend(b) for b in backend.backends)
    try:
        return float(backend.priority) > 0
    except Exception:  # a backend whose priority check fails is not viable
        return False


def effective_backend(backend: KeyringBackend) -> KeyringBackend:
    """The backend that really stores the key: a chainer writes to its first usable one."""
    if isinstance(backend, chainer.ChainerBackend):
        usable = [b for b in backend.backends if is_usable_backend(b)]
        if usable:
            return usable[0]
    return backend


class SecretStore:
    """The license key of ``app_id``: keychain service ``app_id``, username ``license-key``."""

    def __init__(self, app_id: str, data_dir: Path) -> None:
        self.app_id = app_id
        self.key_file = Path(data_dir) / KEY_FILE_NAME
        self._location: str | None = None  # where the last save/load found the key
        self.fallback_reason: str | None = None

    @property
    def backend_name(self) -> str:
        """The keychain's name (e.g. "SecretService Keyring"), or "file" when falling back."""
        if self.is_fallback:
            return FILE
        return str(effective_backend(self._backend()).name)

    @property
    def is_fallback(self) -> bool:
        return not self._keychain_usable() or self._location == FILE

    def save(self, key: str) -> str:
        """Store ``key``; returns ``"keychain"`` or ``"file"``. Raises StorageError."""
        if not key:
            raise ValueError("refusing to store an empty license key")
        if self._keychain_usable() and self._keychain_set(key):
            self._remove_stale_file()
            self._location = KEYCHAIN
            return KEYCHAIN
        write_private(self.key_file, (key + "\n").encode("utf-8"))
        self._keychain_delete(strict=False)  # a stale keychain copy would win on load
        self._location = FILE
        return FILE

    def load(self) -> str | None:
        """The stored key (keychain first, then the file), or None when none is stored.

        Raises KeychainUnavailableError when the keychain failed and no file copy exists,
        because "not activated" would then be a lie; StorageError when the file is unreadable.
        """
        failure: BaseException | None = None
        if self._keychain_usable():
            try:
                key = self._backend().get_password(self.app_id, USERNAME)
            except KEYCHAIN_ERRORS as exc:
                failure = exc
                self._note_failure("read", exc)
            else:
                if key:
                    self._location = KEYCHAIN
                    return key
        key = decode_key(read_bytes(self.key_file))
        if key:
            self._location = FILE
            return key
        if failure is not None:
            raise KeychainUnavailableError(
                f"the keychain could not be read: {failure}"
            ) from failure
        return None

    def delete(self) -> None:
        """Remove the key from the keychain and the file. Raises StorageError or
        KeychainUnavailableError (after removing the file) when one of them fails."""
        remove(self.key_file)
        self._keychain_delete(strict=True)
        self._location = None

    # --- helpers ----------------------------------------------------------------------

    def _remove_stale_file(self) -> None:
        # An older fallback copy must not outlive the keychain one; if it cannot go (read-only
        # disk) the key is still safely stored, and load() prefers the keychain anyway.
        try:
            remove(self.key_file)
        except StorageError as exc:
            log.warning("could not remove the old key file: %s", exc)

    def _backend(self) -> KeyringBackend:
        return keyring.get_keyring()

    def _keychain_usable(self) -> bool:
        usable = is_usable_backend(self._backend())
        if not usable and self.fallback_reason is None:
            self.fallback_reason = f"no usable keychain ({self._backend().name})"
        return usable

    def _keychain_set(self, key: str) -> bool:
        try:
            self._backend().set_password(self.app_id, USERNAME, key)
        except KEYCHAIN_ERRORS as exc:
            self._note_failure("write", exc)
            return False
        return True

    def _keychain_delete(self, *, strict: bool) -> None:
        if not self._keychain_usable():
            return
        try:
            self._backend().delete_password(self.app_id, USERNAME)
        except PasswordDeleteError:
            pass  # nothing stored there: already the state we want
        except KEYCHAIN_ERRORS as exc:
            self._note_failure("delete", exc)
            if strict:
                raise KeychainUnavailableError(
                    f"the keychain entry could not be removed: {exc}"
                ) from exc

    def _note_failure(self, action: str, exc: BaseException) -> None:
        # The exception text comes from the backend, never from the key itself.
        self.fallback_reason = f"keychain {action} failed: {type(exc).__name__}: {exc}"
        log.warning("%s (service %s)", self.fallback_reason, self.app_id)


def decode_key(raw: bytes | None) -> str:
    if not raw:
        return ""
    try:
        return raw.decode("utf-8").strip()
    except UnicodeDecodeError:
        log.warning("the license key file is damaged (not UTF-8); ignoring it")
        return ""
