"""Renders the Windows (.ico) and macOS (.icns) program icons from an SVG logo with Qt.

    python installer/make_icons.py [resources/icons/logo.svg] [--out resources/icons]

Vendors run it on their own logo before building; the spec picks up ``logo.ico`` on Windows
and ``logo.icns`` on macOS when they exist.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def render(svg: Path, out: Path) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QImageWriter, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 - needed
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg} is not a valid SVG file")
    written = []
    for name, fmt, size in (("logo.ico", b"ico", 256), ("logo.icns", b"icns", 512)):
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        renderer.render(painter)
        painter.end()
        target = out / name
        writer = QImageWriter(str(target), fmt)
        if not writer.write(image):
            raise SystemExit(f"could not write {target}: {writer.errorString()}")
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("svg", nargs="?", default=str(ROOT / "resources" / "icons" / "logo.svg"))
    parser.add_argument("--out", default=str(ROOT / "resources" / "icons"))
    args = parser.parse_args(argv)
    for path in render(Path(args.svg), Path(args.out)):
        print(f"wrote {path} ({path.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
