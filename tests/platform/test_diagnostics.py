from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from app.domain.errors import ClockSkewError
from app.platform.diagnostics import (
    check_clock,
    clock_skew,
    container_kind,
    detect_virtualization,
)

SERVER = datetime(2025, 3, 1, 12, 0, 0, tzinfo=UTC)


def _write(root, relative, text=""):
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_bare_metal_tree_is_none(tmp_path):
    _write(tmp_path, "proc/1/cgroup", "0::/init.scope\n")
    _write(tmp_path, "sys/class/dmi/id/product_name", "ThinkPad X1 Carbon Gen 11\n")
    _write(tmp_path, "sys/class/dmi/id/sys_vendor", "LENOVO\n")

    assert detect_virtualization(tmp_path, environ={}) is None
    assert container_kind(tmp_path, environ={}) is None


def test_empty_tree_is_none(tmp_path):
    assert detect_virtualization(tmp_path, environ={}) is None


@pytest.mark.parametrize("marker", [".dockerenv", "run/.containerenv"])
def test_container_marker_files(tmp_path, marker):
    _write(tmp_path, marker)

    assert detect_virtualization(tmp_path, environ={}) == "container"
    assert container_kind(tmp_path, environ={}) == "docker"


@pytest.mark.parametrize(
    ("cgroup", "kind"),
    [
        ("12:pids:/docker/3f2a9c\n", "docker"),
        ("0::/system.slice/containerd.service/abc\n", "docker"),
        ("1:name=systemd:/lxc/web01\n", "docker"),
        ("0::/kubepods/besteffort/pod1234/abcd\n", "kubernetes"),
    ],
)
def test_cgroup_mentions(tmp_path, cgroup, kind):
    _write(tmp_path, "proc/self/cgroup", cgroup)

    assert detect_virtualization(tmp_path, environ={}) == "container"
    assert container_kind(tmp_path, environ={}) == kind


def test_kubernetes_env_wins_over_dockerenv(tmp_path):
    _write(tmp_path, ".dockerenv")
    env = {"KUBERNETES_SERVICE_HOST": "10.0.0.1"}

    assert container_kind(tmp_path, environ=env) == "kubernetes"
    assert detect_virtualization(tmp_path, environ=env) == "container"


@pytest.mark.parametrize(
    ("product", "vendor"),
    [
        ("VirtualBox", "innotek GmbH"),
        ("VMware Virtual Platform", "VMware, Inc."),
        ("Standard PC (Q35 + ICH9, 2009)", "QEMU"),
        ("KVM", "Red Hat"),
        ("HVM domU", "Xen"),
        ("Virtual Machine", "Microsoft Corporation"),
        ("Parallels Virtual Platform", "Parallels Software International Inc."),
        ("Bochs", "Bochs"),
    ],
)
def test_vm_from_dmi(tmp_path, product, vendor):
    _write(tmp_path, "sys/class/dmi/id/product_name", product + "\n")
    _write(tmp_path, "sys/class/dmi/id/sys_vendor", vendor + "\n")

    assert detect_virtualization(tmp_path, environ={}) == "vm"


def test_container_inside_vm_reports_container(tmp_path):
    _write(tmp_path, ".dockerenv")
    _write(tmp_path, "sys/class/dmi/id/sys_vendor", "QEMU\n")

    assert detect_virtualization(tmp_path, environ={}) == "container"


def test_live_system_answer_is_one_of_the_documented_values():
    assert detect_virtualization() in ("container", "vm", None)


def test_skew_sign_is_local_minus_server():
    assert clock_skew(SERVER, SERVER + timedelta(minutes=10)) == 600.0
    assert clock_skew(SERVER, SERVER - timedelta(seconds=90)) == -90.0


def test_skew_compares_across_time_zones_and_naive_is_utc():
    berlin = SERVER.astimezone(timezone(timedelta(hours=1)))
    assert clock_skew(SERVER, berlin) == 0.0
    assert clock_skew(SERVER.replace(tzinfo=None), SERVER + timedelta(seconds=5)) == 5.0


def test_skew_defaults_to_now():
    skew = clock_skew(datetime.now(UTC) - timedelta(hours=2))
    assert 7190 < skew < 7210


def test_check_clock_accepts_small_differences():
    check_clock(SERVER, local_time=SERVER + timedelta(seconds=300))
    check_clock(SERVER, local_time=SERVER - timedelta(seconds=299))


@pytest.mark.parametrize(
    "offset", [timedelta(hours=-3), timedelta(days=400), timedelta(seconds=301)]
)
def test_check_clock_rejects_large_differences(offset):
    with pytest.raises(ClockSkewError) as caught:
        check_clock(SERVER, local_time=SERVER + offset)

    assert caught.value.skew_seconds == offset.total_seconds()
    assert caught.value.code == "CLOCK_SKEW"


def test_check_clock_honours_tolerance():
    with pytest.raises(ClockSkewError):
        check_clock(SERVER, tolerance=30, local_time=SERVER + timedelta(seconds=31))
