"""Local checks that explain odd failures: clock skew against the server, container / VM."""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

from app.domain.errors import ClockSkewError

#: Default allowed difference between this computer's clock and the server's.
CLOCK_TOLERANCE_SECONDS = 300.0

_CONTAINER_FILES = (".dockerenv", "run/.containerenv")
_CGROUP_FILES = ("proc/1/cgroup", "proc/self/cgroup")
_CGROUP_MARKERS = ("docker", "kubepods", "containerd", "lxc")
_DMI_FILES = ("sys/class/dmi/id/product_name", "sys/class/dmi/id/sys_vendor")
_VM_MARKERS = (
    "virtualbox",
    "vmware",
    "kvm",
    "qemu",
    "xen",
    "hyper-v",
    "virtual machine",
    "parallels",
    "bochs",
)


def container_kind(root: Path = Path("/"), environ: Mapping[str, str] | None = None) -> str | None:
    """``"kubernetes"``, ``"docker"`` (any other container: Docker, Podman, LXC) or None."""
    env = os.environ if environ is None else environ
    cgroups = " ".join(_read(root / name) for name in _CGROUP_FILES).lower()
    if env.get("KUBERNETES_SERVICE_HOST") or "kubepods" in cgroups:
        return "kubernetes"
    if any((root / name).exists() for name in _CONTAINER_FILES):
        return "docker"
    if any(marker in cgroups for marker in _CGROUP_MARKERS):
        return "docker"
    return None


def detect_virtualization(
    root: Path = Path("/"), environ: Mapping[str, str] | None = None
) -> str | None:
    """``"container"``, ``"vm"`` or None (bare metal, or we cannot tell).

    Why it matters: containers and freshly cloned VMs often share a machine id, so two
    "computers" can end up with one fingerprint. The VM check reads Linux DMI data; on
    other systems it finds nothing and answers None.
    """
    if container_kind(root, environ):
        return "container"
    dmi = " ".join(_read(root / name) for name in _DMI_FILES).lower()
    if any(marker in dmi for marker in _VM_MARKERS):
        return "vm"
    return None


def clock_skew(server_time: datetime, local_time: datetime | None = None) -> float:
    """Seconds this computer is ahead of the server (negative: behind). Naive times are UTC."""
    local = local_time or datetime.now(UTC)
    return (_aware(local) - _aware(server_time)).total_seconds()


def check_clock(
    server_time: datetime,
    tolerance: float = CLOCK_TOLERANCE_SECONDS,
    local_time: datetime | None = None,
) -> None:
    """Raise ClockSkewError(skew_seconds=...) when the clocks differ by more than ``tolerance``."""
    skew = clock_skew(server_time, local_time)
    if abs(skew) > tolerance:
        raise ClockSkewError(skew_seconds=skew)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _read(path: Path) -> str:
    # Missing or unreadable files simply mean "no evidence".
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
