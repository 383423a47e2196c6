"""Private files on disk: 0700 dirs, atomic 0600 writes, and OSError -> StorageError."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from pathlib import Path

from app.domain.errors import StorageError

PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


def storage_error(exc: OSError, action: str, path: Path) -> StorageError:
    """A StorageError for ``exc`` (kept as the cause by the caller's ``raise ... from``).

    ``details`` carry the errno name (``ENOSPC``, ``EROFS``, ``EACCES``...) so the problem
    catalogue can tell "disk full" from "read-only" from "no permission".
    """
    reason = errno.errorcode.get(exc.errno or 0, "UNKNOWN")
    message = f"could not {action} {path}: {exc.strerror or exc}"
    return StorageError(message, details={"errno": reason, "path": str(path), "action": action})


def ensure_private_dir(path: Path) -> None:
    """Create ``path`` (and parents) if missing; the last level gets mode 0700, also when it
    already existed with wider rights (a folder of ours that others could list or enter)."""
    try:
        path.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
        if not path.is_dir():
            raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(path))
        info = path.stat()
        if os.name == "posix" and info.st_uid == os.geteuid() and info.st_mode & 0o077:
            os.chmod(path, PRIVATE_DIR_MODE)
    except OSError as exc:
        raise storage_error(exc, "create the folder", path) from exc


def write_private(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically: the old content survives any failure.

    Temp file in the same dir (mkstemp: O_CREAT|O_EXCL, mode 0600), flush + fsync,
    os.replace, then fsync the dir so the rename itself is durable.
    """
    ensure_private_dir(path.parent)
    write_atomic(path, data, PRIVATE_FILE_MODE)


def write_atomic(path: Path, data: bytes, mode: int) -> None:
    """As ``write_private`` into an existing dir, the file ending with ``mode``: it gets the
    mode before the rename, so readers never see the new content with the wrong rights."""
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)  # mkstemp uses 0600; a shared file opens up before the rename
        os.replace(tmp, path)
        tmp = None
        _fsync_dir(path.parent)
    except OSError as exc:
        raise storage_error(exc, "write", path) from exc
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def read_bytes(path: Path) -> bytes | None:
    """The content of ``path``, or None when it does not exist. Other OSErrors -> StorageError."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise storage_error(exc, "read", path) from exc


def remove(path: Path) -> None:
    """Delete ``path`` if present; OSErrors other than 'absent' -> StorageError."""
    try:
        path.unlink(missing_ok=True)
    except OSError as exc:
        raise storage_error(exc, "delete", path) from exc


def _fsync_dir(path: Path) -> None:
    # Windows cannot open a directory for fsync; NTFS journals the rename anyway.
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
