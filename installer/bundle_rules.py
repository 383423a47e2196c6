"""What goes into the frozen bundle: module excludes, the Qt plugins kept, unused Qt libraries.

Pure functions used by activation-wizard.spec (and unit-tested), so the rules can be read and
changed in one place. TOC entries are PyInstaller's ``(dest_name, src_name, typecode)`` tuples.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path

Entry = tuple[str, str, str]

#: Never in the desktop bundle: the two servers, the test tools, build tools.
EXCLUDED_MODULES: tuple[str, ...] = (
    "app.standin",
    "app.relay",
    "tests",
    "pytest",
    "_pytest",
    "pytestqt",
    "pluggy",
    "hypothesis",
    "starlette",
    "uvicorn",
    "licentric",
    "PyInstaller",
    "setuptools",
    "pkg_resources",
    "pip",
    "tkinter",
    "_tkinter",
    "unittest",
    "pydoc",
    "lib2to3",
)

#: PySide6 modules the wizard always needs; the spec adds any others app/ imports.
BASE_QT_MODULES = frozenset({"QtCore", "QtGui", "QtWidgets"})

#: Plugin folders -> plugin names kept (``None`` keeps all). Folders not listed are dropped.
KEPT_PLUGINS: dict[str, frozenset[str] | None] = {
    # xcb/wayland for Linux desktops, offscreen for headless runs and the self-check.
    "platforms": frozenset({"xcb", "wayland", "wayland-generic", "offscreen", "windows", "cocoa"}),
    "platformthemes": frozenset({"xdgdesktopportal"}),  # gtk3 would pull in GTK itself
    "platforminputcontexts": frozenset(
        {"composeplatforminputcontextplugin", "ibusplatforminputcontextplugin"}
    ),
    "imageformats": frozenset({"svg", "ico", "jpeg"}),  # PNG is built into QtGui
    "iconengines": frozenset({"svgicon"}),
    "styles": None,  # the Windows / macOS native styles
    "accessiblebridge": None,
    "wayland-shell-integration": frozenset({"xdg-shell"}),
    "wayland-decoration-client": None,
}

#: Stored uncompressed in the one-file build: the three big Qt libraries, which compress only
#: about 2.5:1 and whose unpacking (zlib inflate, ~150 MB/s on a 2-core Linux machine) on every
#: start costs more than the extra bytes: ~0.13 s less unpacking for +16 MB. (Also storing
#: cryptography's _rust.abi3.so saved 0.05 s more but put the one file at 64.8 MB.)
STORED_IN_ONEFILE: frozenset[str] = frozenset(
    {"libQt6Core.so.6", "libQt6Gui.so.6", "libQt6Widgets.so.6"}
)

_QT_IMPORT = re.compile(r"PySide6\.(Qt\w+)|from PySide6 import ([\w ,()]+)")
_QT_LIB = re.compile(r"^(?:lib)?Qt6\w+(?:\.so\.6|\.dll)$")
_QT_FRAMEWORK = re.compile(r"^Qt\w+$")
# PySide6/Qt/plugins/... on Linux and macOS, PySide6/plugins/... on Windows.
_PLUGIN_PATH = re.compile(r"(?:^|/)PySide6/(?:Qt/)?plugins/([^/]+)/([^/]+)$")
_TRANSLATIONS = re.compile(r"(?:^|/)PySide6/(?:Qt/)?translations/([^/]+)$")
_BABEL_DATA = re.compile(r"(?:^|/)babel/locale-data/([^/]+)\.dat$")

#: The languages the wizard speaks besides English (app.i18n.languages.SHIPPED; a test keeps
#: the two in step). Qt's own texts (QWizard's buttons, message boxes) come from qtbase_*.qm.
TRANSLATED_LANGUAGES: frozenset[str] = frozenset({"de", "fr", "es", "ja", "zh_CN", "ar"})
KEPT_QT_TRANSLATIONS: frozenset[str] = frozenset(
    f"qtbase_{language}.qm" for language in TRANSLATED_LANGUAGES
)
#: Babel's CLDR data for those languages and their parents (all of it is ~35 MB, these ~1.6
#: MB); tests/installer checks that formatting in every shipped language loads no other.
KEPT_BABEL_LOCALES: frozenset[str] = frozenset(
    {"root", "en", "de", "fr", "es", "ja", "zh", "zh_Hans", "zh_Hans_CN", "ar"}
)


def used_qt_modules(source_dir: Path) -> set[str]:
    """PySide6 modules imported anywhere under ``source_dir`` (plus the base three)."""
    used = set(BASE_QT_MODULES)
    for path in source_dir.rglob("*.py"):
        for match in _QT_IMPORT.finditer(path.read_text(encoding="utf-8", errors="replace")):
            if match.group(1):
                used.add(match.group(1))
            else:
                used.update(n for n in re.findall(r"Qt\w+", match.group(2)))
    return used


def pyside_excludes(available: Iterable[str], used: set[str]) -> list[str]:
    """``PySide6.<X>`` for every available Qt module the app does not import."""
    return sorted(f"PySide6.{name}" for name in available if name not in used)


def plugin_name(filename: str) -> str:
    """``libqxcb.so`` -> ``xcb``; ``qwindows.dll`` -> ``windows``; ``libxdg-shell.so`` ->
    ``xdg-shell``."""
    stem = filename.split(".")[0].removeprefix("lib")
    return stem[1:] if stem.startswith("q") else stem


def keep_entry(dest: str) -> bool:
    """False for Qt translations and Babel locale data of languages the wizard does not
    speak, and for plugins the wizard never loads."""
    dest = dest.replace("\\", "/")
    translation = _TRANSLATIONS.search(dest)
    if translation:
        return translation.group(1) in KEPT_QT_TRANSLATIONS
    babel_data = _BABEL_DATA.search(dest)
    if babel_data:
        return babel_data.group(1) in KEPT_BABEL_LOCALES
    match = _PLUGIN_PATH.search(dest)
    if not match:
        return True
    folder, filename = match.groups()
    if folder not in KEPT_PLUGINS:
        return False
    names = KEPT_PLUGINS[folder]
    return names is None or plugin_name(filename) in names


def is_qt_library(dest: str) -> bool:
    """A Qt shared library: ``libQt6Gui.so.6``, ``Qt6Gui.dll``, ``QtGui.framework/.../QtGui``."""
    path = dest.replace("\\", "/")
    name = _base(path)
    return bool(_QT_LIB.match(name)) or (".framework/" in path and bool(_QT_FRAMEWORK.match(name)))


def prune_qt_libraries(
    binaries: list[Entry], imports_of: Callable[[str], Iterable[str]]
) -> tuple[list[Entry], list[str]]:
    """Drop Qt libraries that no kept binary needs any more (they came with dropped plugins).

    ``imports_of(src)`` names the libraries a binary links against. Returns (kept, dropped).
    """
    libs = {_base(dest): (dest, src) for dest, src, _ in binaries if is_qt_library(dest)}
    roots = [src for dest, src, _ in binaries if not is_qt_library(dest)]
    needed: set[str] = set()
    todo = list(roots)
    while todo:
        for name in imports_of(todo.pop()):
            base = _base(name)
            if base in libs and base not in needed:
                needed.add(base)
                todo.append(libs[base][1])
    kept = [e for e in binaries if not is_qt_library(e[0]) or _base(e[0]) in needed]
    dropped = sorted(libs[b][0] for b in libs if b not in needed)
    return kept, dropped


def prune_orphans(
    kept: list[Entry], dropped: list[Entry], imports_of: Callable[[str], Iterable[str]]
) -> tuple[list[Entry], list[str]]:
    """Drop libraries that came into the bundle only for binaries that were dropped (the GTK
    stack of the gtk3 theme plugin, EGL device support...). Returns (kept, dropped names)."""
    by_base = {_base(dest): (dest, src) for dest, src, _ in kept}
    candidates = _closure([src for _, src, _ in dropped], by_base, imports_of)
    roots = [src for dest, src, _ in kept if _base(dest) not in candidates]
    needed = _closure(roots, by_base, imports_of)
    orphans = candidates - needed
    return [e for e in kept if _base(e[0]) not in orphans], sorted(orphans)


def store_uncompressed(
    archive_toc: list[tuple[str, str, bool, str]], names: frozenset[str]
) -> list[tuple[str, str, bool, str]]:
    """Clear the compress flag of the one-file archive's ``(dest, src, compress, type)``
    entries whose file name is in ``names``."""
    return [(d, s, c and _base(d) not in names, t) for d, s, c, t in archive_toc]


def drop_dangling_symlinks(entries: list[Entry], kept: set[str]) -> list[Entry]:
    """Drop PyInstaller's ``SYMLINK`` entries whose target was pruned."""
    return [e for e in entries if e[2] != "SYMLINK" or _norm(e[1]) in kept]


def _norm(dest: str) -> str:
    return dest.replace("\\", "/")


def _closure(
    starts: list[str],
    by_base: dict[str, tuple[str, str]],
    imports_of: Callable[[str], Iterable[str]],
) -> set[str]:
    """Base names of the bundled libraries that ``starts`` need, directly or not."""
    found: set[str] = set()
    todo = list(starts)
    while todo:
        for name in imports_of(todo.pop()):
            base = _base(name)
            if base in by_base and base not in found:
                found.add(base)
                todo.append(by_base[base][1])
    return found


def _base(name: str) -> str:
    return name.replace("\\", "/").rsplit("/", 1)[-1]
