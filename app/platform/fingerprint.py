"""This computer's identity for activation: hashed machine fingerprint, name, platform.

The fingerprint is py-machineid's ``hashed_id(app_id)``: HMAC-SHA256 of the app id keyed by
the OS machine id. It differs per vendor and never reveals the raw machine id.

``ACTIVATION_WIZARD_MACHINE_ID`` (when set and not blank) replaces the OS machine id before
hashing, exactly as py-machineid hashes it. Tests and the demo use it to play "another
computer"; it is not a vendor setting and never needed in production.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import shutil
import socket
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import machineid

from app.domain.errors import FingerprintUnavailableError
from app.domain.models import DeviceIdentity, Platform
from app.platform.diagnostics import container_kind, detect_virtualization

MACHINE_ID_ENV = "ACTIVATION_WIZARD_MACHINE_ID"
DEFAULT_DEVICE_NAME = "This computer"
MAX_NAME_LENGTH = 255
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_COMMAND_TIMEOUT = 2.0  # seconds; a hung hostnamectl must not stall the wizard


def device_identity(app_id: str, name: str | None = None) -> DeviceIdentity:
    """Everything this computer sends when it activates.

    ``name`` is the user's choice (blank -> the computer's friendly name). Raises
    FingerprintUnavailableError when the OS has no machine id.
    """
    chosen = clean_name(name) if name else ""
    return DeviceIdentity(
        fingerprint=fingerprint(app_id),
        name=chosen or default_device_name(),
        platform=detect_platform(),
        hostname=socket.gethostname(),
        virtualization=detect_virtualization(),
    )


def fingerprint(app_id: str, environ: Mapping[str, str] | None = None) -> str:
    """64 hex chars: HMAC-SHA256(key=machine id, msg=app id), as ``machineid.hashed_id``."""
    env = os.environ if environ is None else environ
    raw = _sanitize(env.get(MACHINE_ID_ENV, ""))
    if not raw:
        raw = _os_machine_id()
    return hmac.new(raw.encode(), app_id.encode(), hashlib.sha256).hexdigest()


def detect_platform(
    system: str | None = None,
    root: Path = Path("/"),
    environ: Mapping[str, str] | None = None,
) -> Platform:
    """The documented platform enum; a container wins over the host OS."""
    kind = container_kind(root, environ)
    if kind:
        return Platform(kind)
    system = system or sys.platform
    if system == "darwin":
        return Platform.MACOS
    if system.startswith(("win", "cygwin", "msys")):
        return Platform.WINDOWS
    return Platform.LINUX


def default_device_name(
    system: str | None = None,
    environ: Mapping[str, str] | None = None,
    root: Path = Path("/"),
    hostname: str | None = None,
) -> str:
    """The name people know this computer by, never empty, at most 255 characters.

    macOS: ``scutil --get ComputerName``; Windows: ``COMPUTERNAME``; Linux and others:
    ``hostnamectl --pretty`` (only for the live system, ``root == /``), then
    ``<root>/etc/hostname``, then the host name, both without their domain part.
    ``hostname`` defaults to ``socket.gethostname()``.
    """
    system = system or sys.platform
    env = os.environ if environ is None else environ
    if system == "darwin":
        name = clean_name(_run(["scutil", "--get", "ComputerName"]))
    elif system.startswith("win"):
        name = clean_name(env.get("COMPUTERNAME", ""))
    else:
        name = _linux_name(root)
    fallback = socket.gethostname() if hostname is None else hostname
    return name or clean_name(_short(fallback)) or DEFAULT_DEVICE_NAME


def clean_name(text: str | None) -> str:
    """Control characters and runs of whitespace become one space; trimmed; max 255 chars."""
    spaced = " ".join(_CONTROL.sub(" ", text or "").split())
    return spaced[:MAX_NAME_LENGTH].strip()


def _linux_name(root: Path) -> str:
    if root == Path("/"):
        name = clean_name(_run(["hostnamectl", "--pretty"]))
        if name:
            return name
    try:
        text = (root / "etc" / "hostname").read_text(encoding="utf-8", errors="replace")
    except OSError:
        text = ""
    return clean_name(_short(text.strip()))


def _short(hostname: str) -> str:
    # "build-07.corp.example.com" -> "build-07"; users know the first label.
    return hostname.split(".", 1)[0]


def _run(command: list[str]) -> str:
    if shutil.which(command[0]) is None:
        return ""
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=_COMMAND_TIMEOUT, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout if done.returncode == 0 else ""


def _os_machine_id() -> str:
    try:
        raw = _sanitize(machineid.id())
    except (machineid.MachineIdNotFound, OSError, UnicodeError) as exc:
        raise FingerprintUnavailableError(f"no machine id on this computer: {exc}") from exc
    if not raw:
        raise FingerprintUnavailableError("the machine id of this computer is empty")
    return raw


def _sanitize(raw: str) -> str:
    # Same clean-up py-machineid applies to the id it reads.
    return re.sub(r"[\x00-\x1f\x7f-\x9f\s]", "", raw or "").strip()
