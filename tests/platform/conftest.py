"""Platform test helpers: a real, tiny tmpfs (for genuine ENOSPC / EROFS) when mounting works."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


def _mount(args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, check=False, timeout=10)


@pytest.fixture
def tiny_fs(tmp_path: Path) -> Iterator[Path]:
    """A 16 KiB tmpfs mounted at a fresh dir (needs root and mount rights; else skipped)."""
    if os.name != "posix" or shutil.which("mount") is None:
        pytest.skip("tmpfs mounts need a POSIX system with mount(8)")
    point = tmp_path / "tinyfs"
    point.mkdir()
    done = _mount(["mount", "-t", "tmpfs", "-o", "size=16k,mode=0700", "tmpfs", str(point)])
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root/CAP_SYS_ADMIN): {done.stderr.strip()}")
    try:
        yield point
    finally:
        _mount(["umount", "-l", str(point)])


def remount_read_only(point: Path) -> None:
    done = _mount(["mount", "-o", "remount,ro", str(point)])
    if done.returncode != 0:
        pytest.skip(f"cannot remount read-only: {done.stderr.strip()}")


def fill_up(point: Path) -> None:
    """Write until the filesystem is really full (the kernel answers ENOSPC)."""
    fd = os.open(point / "filler", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while True:
            os.write(fd, b"\0" * 512)
    except OSError as exc:
        assert exc.errno == 28  # ENOSPC: the disk is now genuinely full
    finally:
        os.close(fd)


def private_mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def permissions_enforced(tmp_path: Path) -> bool:
    """False for root with CAP_DAC_OVERRIDE, which writes into a 0500 dir regardless."""
    probe = tmp_path / "perm-probe"
    probe.mkdir()
    probe.chmod(0o500)
    try:
        (probe / "x").write_text("x")
    except PermissionError:
        return True
    finally:
        probe.chmod(0o700)
    return False
