from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import machineid
import pytest

from app.domain.models import Platform
from app.platform.fingerprint import (
    DEFAULT_DEVICE_NAME,
    MACHINE_ID_ENV,
    MAX_NAME_LENGTH,
    default_device_name,
    detect_platform,
    device_identity,
    fingerprint,
)

HEX64 = re.compile(r"^[0-9a-f]{64}$")
MACHINE_ID_FILES = ("/var/lib/dbus/machine-id", "/etc/machine-id")


@pytest.fixture(autouse=True)
def no_override(monkeypatch):
    monkeypatch.delenv(MACHINE_ID_ENV, raising=False)


def _raw_machine_ids() -> list[str]:
    ids = []
    for name in MACHINE_ID_FILES:
        with contextlib.suppress(OSError):
            ids.append(Path(name).read_text().strip())
    return [i for i in ids if i]


def test_fingerprint_is_stable_hex_and_matches_py_machineid():
    first = device_identity("com.example.product").fingerprint

    assert HEX64.match(first)
    assert device_identity("com.example.product").fingerprint == first
    assert first == machineid.hashed_id("com.example.product")


def test_fingerprint_differs_per_app_id():
    assert fingerprint("com.vendor-a.app") != fingerprint("com.vendor-b.app")


def test_fingerprint_never_exposes_the_raw_machine_id():
    raws = _raw_machine_ids()
    if not raws:
        pytest.skip("this system has no machine-id file to compare against")
    value = fingerprint("com.example.product")
    for raw in raws:
        assert raw.lower() not in value
        assert value != raw


def test_env_override_simulates_another_computer(monkeypatch):
    real = fingerprint("com.example.product")
    monkeypatch.setenv(MACHINE_ID_ENV, "another-computer-0001")

    other = fingerprint("com.example.product")

    expected = hmac.new(b"another-computer-0001", b"com.example.product", hashlib.sha256)
    assert other == expected.hexdigest()
    assert other != real
    assert "another-computer" not in other
    assert device_identity("com.example.product").fingerprint == other


def test_override_values_give_different_fingerprints():
    first = fingerprint("com.example.product", environ={MACHINE_ID_ENV: "box-1"})
    second = fingerprint("com.example.product", environ={MACHINE_ID_ENV: "box-2"})

    assert first != second
    assert HEX64.match(first) and HEX64.match(second)


def test_override_is_sanitized_like_py_machineid():
    spaced = fingerprint("com.example.product", environ={MACHINE_ID_ENV: " box-1\n"})
    assert spaced == fingerprint("com.example.product", environ={MACHINE_ID_ENV: "box-1"})


def test_blank_override_falls_back_to_the_os_id():
    blank = fingerprint("com.example.product", environ={MACHINE_ID_ENV: "  "})
    assert blank == machineid.hashed_id("com.example.product")


def _run_without_machine_id(tmp_path: Path, content: bytes) -> subprocess.CompletedProcess[str]:
    """Run device_identity in a private mount namespace where the machine-id files hold
    ``content`` (bind-mounted over them): a real machine with a missing/broken id."""
    if not sys.platform.startswith("linux") or shutil.which("unshare") is None:
        pytest.skip("needs Linux unshare(1) to hide the machine id")
    fake = tmp_path / "machine-id"
    fake.write_bytes(content)
    binds = " && ".join(
        f"mount --bind {fake} {name}" for name in MACHINE_ID_FILES if os.path.exists(name)
    )
    code = (
        "from app.domain.errors import FingerprintUnavailableError\n"
        "from app.platform.fingerprint import device_identity\n"
        "try:\n    device_identity('com.example.product')\n"
        "except FingerprintUnavailableError as exc:\n"
        "    print('UNAVAILABLE', type(exc.__cause__).__name__, exc)\n"
        "else:\n    print('FOUND')\n"
    )
    script = f'{binds} && {sys.executable} -c "$CODE"'
    env = {**os.environ, "CODE": code}
    env.pop(MACHINE_ID_ENV, None)
    done = subprocess.run(
        ["unshare", "-m", "sh", "-c", script],
        capture_output=True,
        text=True,
        env=env,
        cwd=Path(__file__).resolve().parents[2],
        timeout=60,
    )
    if "Operation not permitted" in done.stderr or "unshare failed" in done.stderr:
        pytest.skip(f"no permission for a mount namespace: {done.stderr.strip()}")
    assert done.returncode == 0, done.stderr
    return done


def test_missing_machine_id_raises_fingerprint_unavailable(tmp_path):
    done = _run_without_machine_id(tmp_path, b"")
    if "FOUND" in done.stdout.split():
        pytest.skip("py-machineid found another id source here (container cgroup/mountinfo)")
    assert done.stdout.startswith("UNAVAILABLE MachineIdNotFound"), done.stdout


def test_machine_id_empty_after_cleanup_raises(tmp_path):
    # "\x01" passes py-machineid's emptiness check but sanitizes to "": an empty id.
    done = _run_without_machine_id(tmp_path, b"\x01")
    assert done.stdout.startswith("UNAVAILABLE NoneType"), done.stdout
    assert "empty" in done.stdout


def test_identity_fields():
    identity = device_identity("com.example.product")

    assert identity.hostname == socket.gethostname()
    assert isinstance(identity.platform, Platform)
    assert identity.virtualization in ("container", "vm", None)
    assert identity.name and len(identity.name) <= MAX_NAME_LENGTH


def test_chosen_name_is_kept_and_cleaned():
    identity = device_identity("com.example.product", name="  Ana's\tlaptop \x00\n")
    assert identity.name == "Ana's laptop"


def test_blank_or_overlong_chosen_name():
    assert device_identity("com.example.product", name="   ").name == default_device_name()
    long_name = device_identity("com.example.product", name="x" * 400).name
    assert long_name == "x" * MAX_NAME_LENGTH


def test_windows_name_comes_from_computername():
    name = default_device_name(system="win32", environ={"COMPUTERNAME": "FRONTDESK-PC"})
    assert name == "FRONTDESK-PC"


def test_linux_name_from_etc_hostname_without_domain(tmp_path):
    (tmp_path / "etc").mkdir()
    (tmp_path / "etc" / "hostname").write_text("build-07.corp.example.com\n")

    assert default_device_name(system="linux", root=tmp_path) == "build-07"


def test_linux_without_hostname_file_uses_the_host_name(tmp_path):
    name = default_device_name(system="linux", root=tmp_path, hostname="kiosk.shop.local")
    assert name == "kiosk"


def test_name_is_never_empty(tmp_path):
    assert default_device_name(system="win32", environ={}, hostname="") == DEFAULT_DEVICE_NAME
    assert default_device_name(system="linux", root=tmp_path, hostname="") == DEFAULT_DEVICE_NAME


def test_live_default_name_is_sane():
    name = default_device_name()
    assert name.strip() == name and 0 < len(name) <= MAX_NAME_LENGTH


@pytest.mark.skipif(sys.platform != "darwin", reason="scutil exists on macOS only")
def test_macos_name_is_the_computer_name():
    done = subprocess.run(["scutil", "--get", "ComputerName"], capture_output=True, text=True)
    assert default_device_name() == done.stdout.strip()


@pytest.mark.parametrize(
    ("system", "expected"),
    [("darwin", Platform.MACOS), ("win32", Platform.WINDOWS), ("linux", Platform.LINUX)],
)
def test_platform_from_os(tmp_path, system, expected):
    assert detect_platform(system, root=tmp_path, environ={}) == expected


def test_platform_in_containers(tmp_path):
    (tmp_path / ".dockerenv").write_text("")
    assert detect_platform("linux", root=tmp_path, environ={}) == Platform.DOCKER
    env = {"KUBERNETES_SERVICE_HOST": "10.0.0.1"}
    assert detect_platform("linux", root=tmp_path, environ=env) == Platform.KUBERNETES
