"""One activation at a time per computer: a process lock plus an inter-process file lock.

Two activations for one machine (a double click, two installers) must never take two seats.
The server's 409 recovery already makes a second activation harmless; the lock also keeps
them from racing on the local key and record files.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from app.domain.cancel import CancelToken
from app.domain.errors import StorageError

LOCK_FILE_NAME = "activation.lock"
DEFAULT_WAIT_SECONDS = 120.0
_POLL_SECONDS = 0.05

_registry_guard = threading.Lock()
_thread_locks: dict[str, threading.Lock] = {}


@contextmanager
def activation_lock(
    data_dir: Path, *, cancel: CancelToken | None = None, wait: float = DEFAULT_WAIT_SECONDS
) -> Iterator[None]:
    """Hold the lock for ``data_dir`` (waits, checking ``cancel``; StorageError on timeout)."""
    path = Path(data_dir) / LOCK_FILE_NAME
    thread_lock = _thread_lock_for(path)
    deadline = time.monotonic() + wait
    _acquire(lambda: thread_lock.acquire(blocking=False), deadline, cancel)
    try:
        handle = _open(path)
        try:
            _acquire(lambda: _try_file_lock(handle), deadline, cancel)
            try:
                yield
            finally:
                _file_unlock(handle)
        finally:
            handle.close()
    finally:
        thread_lock.release()


def _thread_lock_for(path: Path) -> threading.Lock:
    key = os.path.abspath(path)
    with _registry_guard:
        return _thread_locks.setdefault(key, threading.Lock())


def _acquire(attempt, deadline: float, cancel: CancelToken | None) -> None:  # noqa: ANN001
    while not attempt():
        if cancel is not None:
            cancel.raise_if_cancelled()
        if time.monotonic() >= deadline:
            raise StorageError("another activation on this computer is still running")
        if cancel is not None:
            cancel.wait(_POLL_SECONDS)
        else:
            time.sleep(_POLL_SECONDS)


def _open(path: Path) -> IO[bytes]:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return open(path, "a+b")  # noqa: SIM115 - closed by activation_lock
    except OSError as exc:
        raise StorageError(f"cannot open the activation lock file: {exc.strerror}") from exc


if sys.platform == "win32":
    import msvcrt

    def _try_file_lock(handle: IO[bytes]) -> bool:
        try:
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _file_unlock(handle: IO[bytes]) -> None:
        try:
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
        except OSError:
            pass

else:
    import fcntl

    def _try_file_lock(handle: IO[bytes]) -> bool:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        except OSError as exc:
            raise StorageError(f"cannot lock the activation lock file: {exc.strerror}") from exc
        return True

    def _file_unlock(handle: IO[bytes]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
