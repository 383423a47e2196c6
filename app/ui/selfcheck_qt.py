"""The self-check's Qt probe: run in a child process by ``app.selfcheck.qt_check``.

It lists the platform plugins it can find, then starts a QApplication (Qt aborts the whole
process when no platform plugin loads, which is why this runs apart) and reports the plugin
in use, the image formats and whether the logo renders, one JSON object per line.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

EXIT_OK = 0
EXIT_FAILED = 1


def qt_probe(argv: list[str]) -> int:
    """List platform plugins, then start a QApplication; ``argv[0]``: a logo to render."""
    from PySide6.QtCore import QCoreApplication, QLibraryInfo

    dirs = [QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)]
    dirs += QCoreApplication.libraryPaths()
    # First line before QApplication exists: if Qt aborts, the parent still learns what exists.
    print(json.dumps({"pluginsFound": platform_plugins(dirs)}), flush=True)
    from PySide6.QtGui import QIcon, QImageReader
    from PySide6.QtWidgets import QApplication

    app = QApplication([sys.argv[0]])
    formats = sorted(bytes(f.data()).decode() for f in QImageReader.supportedImageFormats())
    answer: dict[str, Any] = {"platformPlugin": app.platformName(), "imageFormats": formats}
    logo = argv[0] if argv else None
    if logo:
        answer["logoRenders"] = not QIcon(logo).pixmap(64, 64).isNull()
    print(json.dumps(answer), flush=True)
    return EXIT_OK if not logo or answer["logoRenders"] else EXIT_FAILED


def platform_plugins(dirs: list[str]) -> list[str]:
    """Plugin names (``xcb``, ``wayland``, ``offscreen``, ``windows``, ``cocoa``) found."""
    names: set[str] = set()
    for base in dict.fromkeys(dirs):
        folder = Path(base) / "platforms"
        if folder.is_dir():
            names.update(_plugin_name(p.name) for p in folder.iterdir() if p.is_file())
    return sorted(n for n in names if n)


def _plugin_name(filename: str) -> str:
    stem = filename.split(".")[0]
    stem = stem.removeprefix("lib")
    return stem.removeprefix("q") if filename.endswith((".so", ".dll", ".dylib")) else ""
