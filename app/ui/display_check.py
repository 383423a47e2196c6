"""Whether the window system the wizard would use can start here, asked without Qt.

Qt aborts the whole process (SIGABRT, exit 134) when its platform plugin cannot start, for
example ``xcb`` with no X display. The wizard asks this cheap question first (no child
process, no Qt), and ``--self-check`` reports the same answer as ``qt.display``. What this
cannot see (a display that refuses us, a missing system library) the wizard catches from Qt's
fatal message instead (``app.ui.application``).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

#: Plugins that need no display: they start anywhere (and show nothing a user can see).
HEADLESS_PLATFORMS = frozenset({"offscreen", "minimal", "minimalegl", "vnc", "eglfs", "linuxfb"})
#: The environment variable each display platform needs, on Linux and other X11/Wayland systems.
_DISPLAY_ENV = {"xcb": ("DISPLAY",), "wayland": ("WAYLAND_DISPLAY",)}
#: Qt's default on Linux takes X11 or Wayland, whichever this session has.
_DEFAULT_DISPLAY_ENV = ("DISPLAY", "WAYLAND_DISPLAY")


def wizard_platforms(env: Mapping[str, str] | None = None) -> list[str]:
    """The platform plugins Qt will try, in order (``QT_QPA_PLATFORM``, ``;``-separated);
    ``[""]`` for Qt's own default."""
    env = os.environ if env is None else env
    value = env.get("QT_QPA_PLATFORM", "")
    names = [entry.split(":")[0].strip() for entry in value.split(";")]
    return [name for name in names if name] or [""]


def display_missing(env: Mapping[str, str] | None = None, system: str | None = None) -> bool:
    """True when none of the plugins Qt will try can find a display (Linux and other Unix
    desktops; Windows and macOS always have one)."""
    env = os.environ if env is None else env
    system = sys.platform if system is None else system
    if system in ("win32", "darwin", "cygwin"):
        return False
    return all(_needs_absent_display(name, env) for name in wizard_platforms(env))


def is_headless(env: Mapping[str, str] | None = None) -> bool:
    """True when the first plugin Qt will try shows no window (``offscreen``...)."""
    return wizard_platforms(env)[0] in HEADLESS_PLATFORMS


def _needs_absent_display(name: str, env: Mapping[str, str]) -> bool:
    if name in HEADLESS_PLATFORMS:
        return False
    family = "wayland" if name.startswith("wayland") else name
    needed = _DISPLAY_ENV.get(family, _DEFAULT_DISPLAY_ENV if not name else ())
    return bool(needed) and not any(env.get(variable) for variable in needed)
