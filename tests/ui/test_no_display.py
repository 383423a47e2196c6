"""The wizard with no display: one plain message and exit code 1, never Qt's abort (134).

Runs the real program in a child process, as a user over SSH or a script would.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.ui.display_check import display_missing, is_headless, wizard_platforms

ROOT = Path(__file__).resolve().parents[2]
RAW_QT = ("qt.qpa", "could not connect to display", "xcb-cursor0", "Traceback", "Aborted")


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    base.pop("QT_QPA_PLATFORM", None)
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _unused_x_display() -> str:
    number = next(n for n in range(90, 200) if not Path(f"/tmp/.X11-unix/X{n}").exists())
    return f":{number}"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11/Wayland only")
def test_no_display_and_no_platform_is_a_plain_message_and_exit_1(tmp_path):
    done = _run({"ACTIVATION_WIZARD_DATA_DIR": str(tmp_path), "LANGUAGE": "en"}, "--lang", "en")
    assert done.returncode == 1, done.stderr
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "cannot open its activation window" in lines[0]
    assert "activation-wizard activate --key-file FILE" in lines[0]
    assert "activation-wizard check" in lines[0]
    assert not [raw for raw in RAW_QT if raw in done.stderr]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11/Wayland only")
def test_a_display_qt_cannot_reach_is_caught_from_qt_not_aborted(tmp_path):
    env = {"ACTIVATION_WIZARD_DATA_DIR": str(tmp_path), "DISPLAY": _unused_x_display()}
    done = _run(env, "--lang", "en")
    assert done.returncode == 1, done.stderr
    assert "cannot open its activation window" in done.stderr
    assert not [raw for raw in RAW_QT if raw in done.stderr]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11/Wayland only")
def test_the_message_speaks_the_users_language(tmp_path):
    done = _run({"ACTIVATION_WIZARD_DATA_DIR": str(tmp_path)}, "--lang", "de")
    assert done.returncode == 1, done.stderr
    assert "cannot open" not in done.stderr
    assert "activation-wizard activate --key-file FILE" in done.stderr


@pytest.mark.parametrize(
    ("env", "missing"),
    [
        ({}, True),
        ({"DISPLAY": ":0"}, False),
        ({"WAYLAND_DISPLAY": "wayland-0"}, False),
        ({"QT_QPA_PLATFORM": "xcb"}, True),
        ({"QT_QPA_PLATFORM": "xcb", "WAYLAND_DISPLAY": "wayland-0"}, True),
        ({"QT_QPA_PLATFORM": "wayland", "DISPLAY": ":0"}, True),
        ({"QT_QPA_PLATFORM": "wayland-egl", "WAYLAND_DISPLAY": "w"}, False),
        ({"QT_QPA_PLATFORM": "offscreen"}, False),
        ({"QT_QPA_PLATFORM": "xcb;offscreen"}, False),
        ({"QT_QPA_PLATFORM": "xcb:dpi=96"}, True),
    ],
)
def test_display_missing_follows_the_platform_qt_will_try(env, missing):
    assert display_missing(env, "linux") is missing


def test_windows_and_macos_always_have_a_display():
    assert display_missing({}, "win32") is False
    assert display_missing({}, "darwin") is False


def test_platform_list_and_headless():
    assert wizard_platforms({}) == [""]
    assert wizard_platforms({"QT_QPA_PLATFORM": "wayland; xcb"}) == ["wayland", "xcb"]
    assert is_headless({"QT_QPA_PLATFORM": "offscreen"}) is True
    assert is_headless({"QT_QPA_PLATFORM": "xcb"}) is False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11/Wayland only")
def test_with_a_real_x_display_the_wizard_still_opens(tmp_path):
    from tests.support.system import require_binary

    xvfb = require_binary("Xvfb", "xvfb")
    display = _unused_x_display()
    server = subprocess.Popen(
        [xvfb, display, "-screen", "0", "1024x768x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        socket = Path(f"/tmp/.X11-unix/X{display[1:]}")
        for _ in range(100):
            if socket.exists() or server.poll() is not None:
                break
            time.sleep(0.05)
        assert socket.exists(), "Xvfb did not start"
        env = {
            "ACTIVATION_WIZARD_DATA_DIR": str(tmp_path),
            "DISPLAY": display,
            "ACTIVATION_WIZARD_BENCH_EXIT_ON_PAINT": "1",  # quit after the first paint
        }
        done = _run(env, "--lang", "en")
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert done.returncode == 0, done.stderr
    assert "first-paint" in done.stdout
    assert "cannot open its activation window" not in done.stderr
