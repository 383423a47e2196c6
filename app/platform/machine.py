"""The system data folder for machine-wide activations: where it is, who may write it (the
administrators), and whether a file found there can be trusted.

Layout: ``<system dir>/activation.json`` readable by every user, ``<system dir>/private/``
(the key file) readable by administrators only. Every user reads the first; only an
administrator (root, or an elevated Windows account) writes either.
"""

from __future__ import annotations

import errno
import logging
import os
import stat
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from app.domain.errors import AdminRightsError
from app.platform.files import storage_error

log = logging.getLogger(__name__)

#: Keeps machine-wide state somewhere else (tests, staging). The trust checks still apply.
SYSTEM_DATA_DIR_ENV = "ACTIVATION_WIZARD_SYSTEM_DATA_DIR"
PRIVATE_DIR_NAME = "private"
SHARED_DIR_MODE = 0o755
SHARED_FILE_MODE = 0o644
ADMIN_DIR_MODE = 0o700
ADMIN_FILE_MODE = 0o600

# Windows well-known SIDs: Administrators, SYSTEM, Users.
_ADMINS, _SYSTEM, _USERS = "*S-1-5-32-544", "*S-1-5-18", "*S-1-5-32-545"


def system_data_dir(app_id: str, *, environ: Mapping[str, str] | None = None) -> Path:
    """The machine-wide folder of ``app_id`` (not created here): ``%ProgramData%\\<id>``,
    ``/Library/Application Support/<id>`` or ``/var/lib/<id>``."""
    env = os.environ if environ is None else environ
    override = env.get(SYSTEM_DATA_DIR_ENV, "").strip()
    if override:
        return Path(override)
    if sys.platform == "win32":
        return Path(env.get("ProgramData") or r"C:\ProgramData") / app_id
    if sys.platform == "darwin":
        return Path("/Library/Application Support") / app_id
    return Path("/var/lib") / app_id


def is_admin() -> bool:
    """True when this process may write machine-wide state (root; an elevated Windows token)."""
    if os.name == "nt":
        import ctypes

        try:
            return bool(ctypes.windll.shell32.IsUserAnAdmin())  # type: ignore[attr-defined]
        except (AttributeError, OSError):
            return False
    return os.geteuid() == 0


def admin_rights_error(action: str, path: Path) -> AdminRightsError:
    """The error for a machine-wide change (or key read) without administrator rights."""
    exc = PermissionError(errno.EACCES, "administrator rights are needed", str(path))
    plain = storage_error(exc, action, path)
    return AdminRightsError(plain.message, details={**plain.details, "scope": "machine"})


def require_admin(action: str, path: Path) -> None:
    """Raise ``admin_rights_error`` unless this process is an administrator."""
    if not is_admin():
        raise admin_rights_error(action, path)


def ensure_shared_dir(path: Path) -> None:
    """Create the system folder: every user may read it, only administrators write it."""
    _make_dir(path, SHARED_DIR_MODE)
    _restrict_windows(path, users_read=True)


def ensure_admin_dir(path: Path) -> None:
    """Create the key folder: only administrators may read or write it (and what is in it)."""
    _make_dir(path, ADMIN_DIR_MODE)
    _restrict_windows(path, users_read=False)


def untrusted_reason(path: Path) -> str | None:
    """Why ``path`` (a file or folder in the system folder) must not be trusted, or None.

    On POSIX it and its folder must belong to root and be writable by nobody else, or a user
    could plant an activation every other user would believe. Windows relies on the ACL set
    when the folder was made (only Administrators and SYSTEM may write there).
    """
    if os.name == "nt":
        return None
    for item in (path, path.parent):
        try:
            info = item.lstat()
        except OSError as exc:
            return f"{item}: {exc.strerror}"
        if stat.S_ISLNK(info.st_mode):
            return f"{item} is a symbolic link"
        if info.st_uid != 0:
            return f"{item} does not belong to root"
        if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            return f"{item} may be changed by other users"
    return None


def _make_dir(path: Path, mode: int) -> None:
    try:
        path.mkdir(mode=mode, parents=True, exist_ok=True)
        if not path.is_dir():
            raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(path))
        if os.name == "posix":
            os.chmod(path, mode)  # an existing folder gets the rights it must have too
    except OSError as exc:
        raise storage_error(exc, "create the folder", path) from exc


def _restrict_windows(path: Path, *, users_read: bool) -> None:
    """Replace the inherited ACL (ProgramData lets Users create files) with our own, and make
    Administrators the owner: a user who made the folder first keeps no say over it."""
    if os.name != "nt":
        return
    grants = [f"{_ADMINS}:(OI)(CI)F", f"{_SYSTEM}:(OI)(CI)F"]
    if users_read:
        grants.append(f"{_USERS}:(OI)(CI)RX")
    _icacls(path, "/inheritance:r", "/grant:r", *grants)
    _icacls(path, "/setowner", _ADMINS, "/T", "/C", "/Q")


def _icacls(path: Path, *args: str) -> None:
    command = ["icacls", str(path), *args]
    done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=30)
    if done.returncode != 0:
        exc = PermissionError(errno.EACCES, done.stderr.strip() or done.stdout.strip())
        raise storage_error(exc, "set the rights of", path)
