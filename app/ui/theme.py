"""Look and feel: the vendor's accent, logo and the shared style sheet, palette-aware."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPalette, QPixmap
from PySide6.QtWidgets import QApplication, QWizard

from app.config import VendorConfig

log = logging.getLogger(__name__)

RESOURCES = Path(__file__).resolve().parent.parent.parent / "resources"
DEFAULT_LOGO = RESOURCES / "icons" / "logo.svg"
STYLE_SHEET = RESOURCES / "styles" / "wizard.qss"

# Status tones for light and dark windows: chosen for >= 4.5:1 contrast on either.
_ERROR = {"light": "#B3261E", "dark": "#FFB4AB"}
_OK = {"light": "#1E6B30", "dark": "#8FD8A0"}
# Secondary text (the support code line): quieter than body text, still >= 4.5:1 on the
# window colour (a palette's placeholder grey is not: #777 on #EFEFEF is 3.9:1).
_MUTED = {"light": "#595959", "dark": "#B8B8B8"}


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def on_colour(accent: QColor) -> str:
    """Black or white text on the accent, whichever reads better (WCAG luminance)."""

    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    lum = 0.2126 * channel(accent.red()) + 0.7152 * channel(accent.green())
    lum += 0.0722 * channel(accent.blue())
    return "#000000" if lum > 0.179 else "#FFFFFF"


def style_sheet(config: VendorConfig, palette: QPalette) -> str:
    """The QSS with the accent and the palette-matched status tones filled in."""
    tone = "dark" if is_dark(palette) else "light"
    accent = QColor(config.accent_color)
    try:
        text = STYLE_SHEET.read_text(encoding="utf-8")
    except OSError:  # a broken bundle must not stop activation; native look still works
        log.warning("style sheet %s missing", STYLE_SHEET)
        return ""
    return (
        text.replace("@accent@", accent.name())
        .replace("@on_accent@", on_colour(accent))
        .replace("@error@", _ERROR[tone])
        .replace("@ok@", _OK[tone])
        .replace("@muted@", _MUTED[tone])
    )


def status_colour(kind: str, palette: QPalette) -> str:
    """The error/ok tone for rich text that cannot use the style sheet."""
    tone = "dark" if is_dark(palette) else "light"
    return (_ERROR if kind == "error" else _OK)[tone]


def logo_pixmap(config: VendorConfig, size: int = 64) -> QPixmap:
    """The vendor logo (or the neutral default) at ``size`` logical px, sharp at any scale."""
    path = config.logo_path if config.logo_path and config.logo_path.is_file() else DEFAULT_LOGO
    ratio = QGuiApplication.instance().devicePixelRatio() if QGuiApplication.instance() else 1.0
    icon = QIcon(str(path))
    pixmap = icon.pixmap(size, size, QIcon.Mode.Normal)
    if pixmap.isNull():
        pixmap = QPixmap(str(path))
    if pixmap.isNull():
        return QPixmap()
    if pixmap.devicePixelRatio() < ratio:
        scaled = pixmap.scaled(
            int(size * ratio),
            int(size * ratio),
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
        scaled.setDevicePixelRatio(ratio)
        return scaled
    return pixmap


def wizard_style() -> QWizard.WizardStyle:
    """The platform's own wizard look."""
    if sys.platform == "darwin":
        return QWizard.WizardStyle.MacStyle
    if sys.platform == "win32":
        return QWizard.WizardStyle.AeroStyle
    return QWizard.WizardStyle.ModernStyle


def apply_theme(app: QApplication, config: VendorConfig) -> None:
    """Style the whole application once; the accent also becomes the selection colour."""
    palette = app.palette()
    accent = QColor(config.accent_color)
    # The accent marks selections (demo list, selected text) in both light and dark palettes.
    palette.setColor(QPalette.ColorRole.Highlight, accent)
    palette.setColor(QPalette.ColorRole.HighlightedText, QColor(on_colour(accent)))
    app.setPalette(palette)
    app.setStyleSheet(style_sheet(config, palette))
    app.setWindowIcon(QIcon(str(_logo_file(config))))


def _logo_file(config: VendorConfig) -> Path:
    path = config.logo_path
    return path if path is not None and path.is_file() else DEFAULT_LOGO
