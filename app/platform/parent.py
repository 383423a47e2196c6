"""Is the process that started us still running? Cheap checks, no extra library.

POSIX: ``os.kill(pid, 0)`` (no signal is sent) and, when watching our own parent, a change of
``os.getppid()`` (the parent ended and we were handed to init or a subreaper; this also
covers a process id used again). Windows: a handle opened once with ``SYNCHRONIZE``, asked
with ``WaitForSingleObject(handle, 0)``; holding it keeps the id from being reused meanwhile.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable


def parent_watch(pid: int | None = None) -> Callable[[], bool]:
    """A check that answers True while process ``pid`` (default: our parent) runs."""
    own_parent = os.getppid()
    target = own_parent if pid is None else pid
    if sys.platform == "win32":
        return _windows_watch(target)
    watching_parent = target == own_parent

    def alive() -> bool:
        if watching_parent and os.getppid() != own_parent:
            return False
        return _posix_alive(target)

    return alive


def _posix_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists and belongs to someone else
    return True


def _windows_watch(pid: int) -> Callable[[], bool]:  # pragma: no cover - Windows only
    import ctypes
    from ctypes import wintypes

    synchronize, wait_object_0 = 0x00100000, 0x0
    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
    kernel32.OpenProcess.restype = wintypes.HANDLE
    kernel32.OpenProcess.argtypes = [wintypes.DWORD, wintypes.BOOL, wintypes.DWORD]
    kernel32.WaitForSingleObject.argtypes = [wintypes.HANDLE, wintypes.DWORD]
    kernel32.WaitForSingleObject.restype = wintypes.DWORD
    handle = kernel32.OpenProcess(synchronize, False, pid)
    if not handle:
        access_denied = ctypes.get_last_error() == 5  # runs, but as another user
        return lambda: access_denied  # else: already gone (or never there)

    def alive() -> bool:
        return kernel32.WaitForSingleObject(handle, 0) != wait_object_0

    return alive


__all__ = ["parent_watch"]
