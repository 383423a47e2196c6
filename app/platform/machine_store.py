"""The machine-wide activation: its record (every user reads it) and its key (administrators
only), in the system data folder. Changing either needs administrator rights."""

from __future__ import annotations

import logging
from pathlib import Path

from app.domain.errors import StorageError
from app.domain.models import ActivationRecord
from app.platform.files import read_bytes, remove, write_atomic
from app.platform.machine import (
    ADMIN_FILE_MODE,
    PRIVATE_DIR_NAME,
    SHARED_FILE_MODE,
    admin_rights_error,
    ensure_admin_dir,
    ensure_shared_dir,
    require_admin,
    untrusted_reason,
)
from app.platform.secrets import KEY_FILE_NAME, decode_key
from app.platform.state import ActivationStore

log = logging.getLogger(__name__)

#: ``key_storage`` of a machine-wide activation: a file only administrators can read.
MACHINE_FILE = "machine file"


class MachineActivationStore(ActivationStore):
    """``<system dir>/activation.json``: mode 0644 in a 0755 folder, both root's.

    A record that anyone but an administrator could have written is ignored (logged), so a
    user cannot plant an activation that every other user would believe.
    """

    def __init__(self, system_dir: Path) -> None:
        super().__init__(system_dir)
        self.untrusted: str | None = None

    def load(self) -> ActivationRecord | None:
        self.untrusted = None
        if not self.path.exists():
            return None
        reason = untrusted_reason(self.path)
        if reason is not None:
            self.untrusted = reason
            log.warning("ignoring the machine-wide activation: %s", reason)
            return None
        return super().load()

    def clear(self) -> None:
        require_admin("delete", self.path)
        super().clear()

    def check_writable(self) -> None:
        """AdminRightsError unless this process may change the machine-wide activation."""
        require_admin("write", self.path)

    def _write(self, data: bytes) -> None:
        require_admin("write", self.path)
        ensure_shared_dir(self.path.parent)
        write_atomic(self.path, data, SHARED_FILE_MODE)


class MachineKeyStore:
    """The machine-wide license key: ``<system dir>/private/license.key``, 0600 in a 0700
    folder (Windows: an ACL for Administrators and SYSTEM only). Same calls as SecretStore."""

    is_fallback = False
    backend_name = MACHINE_FILE
    fallback_reason: str | None = None

    def __init__(self, app_id: str, system_dir: Path) -> None:
        self.app_id = app_id
        self.system_dir = Path(system_dir)
        self.key_file = self.system_dir / PRIVATE_DIR_NAME / KEY_FILE_NAME

    def save(self, key: str) -> str:
        """Store ``key`` for every user; returns ``"machine file"``. AdminRightsError without
        administrator rights."""
        if not key:
            raise ValueError("refusing to store an empty license key")
        require_admin("write", self.key_file)
        ensure_shared_dir(self.system_dir)
        ensure_admin_dir(self.key_file.parent)
        write_atomic(self.key_file, (key + "\n").encode("utf-8"), ADMIN_FILE_MODE)
        return MACHINE_FILE

    def load(self) -> str | None:
        """The key, or None when none is stored. AdminRightsError for a user who is not an
        administrator: every user is licensed through the record, but only admins read the key."""
        try:
            return decode_key(read_bytes(self.key_file)) or None
        except StorageError as exc:
            if exc.details.get("errno") not in ("EACCES", "EPERM"):
                raise
            raise admin_rights_error("read", self.key_file) from exc

    def delete(self) -> None:
        require_admin("delete", self.key_file)
        remove(self.key_file)
