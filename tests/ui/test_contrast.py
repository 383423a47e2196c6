"""Contrast of every text on the pages, as rendered with the style sheet and the palette, light
and dark: at least 4.5:1 (WCAG 2.1 AA for normal text), measured on the pixels."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QColor, QGuiApplication
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QWidget

from app.ui.theme import apply_theme
from app.ui.widgets import set_state
from tests.screenshots.make_screenshots import dark_palette
from tests.ui.helpers import WAIT_MS, activate, type_key

MINIMUM = 4.5


def luminance(colour: QColor) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.red())
        + 0.7152 * channel(colour.green())
        + 0.0722 * channel(colour.blue())
    )


def contrast(a: QColor, b: QColor) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def rendered_contrast(widget: QWidget) -> tuple[float, str, str]:
    """The text's contrast as drawn, read from the window's pixels over the widget's area.

    Row by row (buttons may have a vertical gradient): the row's most common colour is the
    background there, and the colour standing out most from it (seen at least 3 times in the
    area) is the text; glyph cores reach the full text colour, anti-aliased edges only lower
    the figure. Buttons are read inside their frame, so borders and corners do not count."""
    window = widget.window()
    inset = 4 if isinstance(widget, QAbstractButton) else 0
    area = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size()).adjusted(
        inset, inset, -inset, -inset
    )
    image = window.grab(area).toImage()
    rows = [[image.pixel(x, y) for x in range(image.width())] for y in range(image.height())]
    seen: Counter[int] = Counter(p for row in rows for p in row)
    best = (1.0, "", "")
    for row in rows:
        background = QColor.fromRgb(Counter(row).most_common(1)[0][0])
        for rgb in set(row):
            if seen[rgb] >= 3:
                ratio = contrast(QColor.fromRgb(rgb), background)
                if ratio > best[0]:
                    best = (ratio, QColor.fromRgb(rgb).name(), background.name())
    return best


def text_widgets(root: QWidget) -> Iterator[QWidget]:
    for widget in root.findChildren(QWidget):
        if not widget.isVisible() or not widget.isEnabled():
            continue  # WCAG exempts disabled controls
        label = isinstance(widget, QLabel) and widget.pixmap().isNull()
        if (label or isinstance(widget, QAbstractButton)) and widget.text().strip():
            yield widget


def low_contrast(root: QWidget, where: str) -> list[str]:
    found = []
    for widget in text_widgets(root):
        ratio, ink, background = rendered_contrast(widget)
        if ratio < MINIMUM:
            text = widget.text().replace("\n", " ")[:50]
            found.append(f"{where}: {text!r} {ink} on {background} = {ratio:.2f}:1")
    return found


@pytest.fixture(params=["light", "dark"])
def themed(request, qapp, make_config) -> Iterator[str]:
    """The application styled as run_gui styles it, over a light or a dark palette."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before_palette, before_sheet = app.palette(), app.styleSheet()
    app.setPalette(dark_palette() if request.param == "dark" else app.style().standardPalette())
    apply_theme(app, make_config())
    yield request.param
    app.setPalette(before_palette)
    app.setStyleSheet(before_sheet)


def test_the_measure_sees_the_known_failure(qtbot):
    """The ruler itself: #777 on #EFEFEF is 3.9:1 (the old support-code line)."""
    assert contrast(QColor("#777777"), QColor("#EFEFEF")) == pytest.approx(3.9, abs=0.05)
    assert contrast(QColor("#000000"), QColor("#FFFFFF")) == pytest.approx(21)


def test_problem_page_text_contrast(qtbot, make_wizard, standin, themed):
    wizard = make_wizard()
    activate(qtbot, wizard, standin.fixtures["expired"])
    qtbot.waitUntil(lambda: wizard.result_page.problem.isVisible(), timeout=WAIT_MS)
    QGuiApplication.processEvents()
    assert list(text_widgets(wizard.result_page.problem))  # something was measured
    assert low_contrast(wizard, f"problem page, {themed}") == []


def test_success_page_text_contrast(qtbot, make_wizard, standin, themed):
    wizard = make_wizard()
    activate(qtbot, wizard, standin.fixtures["valid"])
    qtbot.waitUntil(lambda: wizard.context.outcome is not None, timeout=WAIT_MS)
    assert low_contrast(wizard, f"success page, {themed}") == []


@pytest.mark.parametrize("state", ["error", "ok", "hint"])
def test_key_feedback_contrast(qtbot, make_wizard, themed, state):
    wizard = make_wizard()
    type_key(qtbot, wizard, "ABCD")
    feedback = wizard.key_page.feedback
    feedback.setText("This is how a key check reads.")
    set_state(feedback, state)
    feedback.show()
    assert low_contrast(wizard.key_page, f"key page {state}, {themed}") == []


def test_status_page_text_contrast(qtbot, make_wizard, standin, themed):
    first = make_wizard()
    activate(qtbot, first, standin.fixtures["valid"])
    qtbot.waitUntil(lambda: first.context.outcome is not None, timeout=WAIT_MS)
    first.close()
    wizard = make_wizard()
    page = wizard.status_page
    qtbot.waitUntil(lambda: page.check_button.isEnabled(), timeout=WAIT_MS)
    assert low_contrast(wizard, f"status page, {themed}") == []
