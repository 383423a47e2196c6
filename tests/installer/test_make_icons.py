"""installer/make_icons.py renders program icons Qt can read back at their full size."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from PySide6.QtGui import QImage

ROOT = Path(__file__).resolve().parents[2]


def _module():
    spec = importlib.util.spec_from_file_location(
        "make_icons", ROOT / "installer" / "make_icons.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_icons_render_from_the_svg_logo(qapp, tmp_path):
    written = _module().render(ROOT / "resources" / "icons" / "logo.svg", tmp_path)
    sizes = {path.suffix: QImage(str(path)).size() for path in written}
    assert sizes[".ico"].width() == 256
    assert sizes[".icns"].width() == 512


def test_shipped_icons_exist_for_windows_and_macos():
    for name in ("logo.ico", "logo.icns"):
        assert (ROOT / "resources" / "icons" / name).stat().st_size > 1000
