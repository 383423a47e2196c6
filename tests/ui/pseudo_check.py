"""Reading a window as the pseudo-locale test does: every text it shows (labels, buttons,
titles, placeholders, accessible names), which of them never went through the catalog, and
which do not fit their widget."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtGui import QFontMetrics, QTextDocument
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QWidget,
    QWizard,
)

from app.i18n.pseudo import CLOSE, OPEN

_PSEUDO = re.compile(re.escape(OPEN) + r"[^" + re.escape(OPEN + CLOSE) + r"]*" + re.escape(CLOSE))
# Data, not words: addresses, codes, ids, keys, numbers, dates and times, file paths.
_DATA = re.compile(
    r"https?://\S+|mailto:\S+|[\w.+-]+@[\w-]+\.[\w.]+|AW-[A-Z0-9-]+|\b[A-Z0-9]{4}(?:-[A-Z0-9…]{1,4})+\b"
    r"|\b[0-9a-f]{8}…[0-9a-f]{4}\b|/\S+|\b\d[\d:.,/ -]*\b"
    # The pseudo-locale formats dates as English does (its words are data, not messages).
    r"|\b(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Monday|Tuesday|Wednesday|Thursday"
    r"|Friday|Saturday|Sunday)\b"
)
_WORD = re.compile(r"[A-Za-z]{2,}")
_SLACK = 2  # pixels of rounding between a size hint and the laid-out size


def plain(text: str) -> str:
    if "<" in text and ">" in text:
        document = QTextDocument()
        document.setHtml(text)
        return document.toPlainText()
    return text


def untranslated(text: str, data: Iterable[str]) -> list[str]:
    """English words in ``text`` outside pseudo-translated parts and known data values."""
    rest = plain(text)
    while True:  # nested messages ("{label}:" around a label): innermost first
        stripped = _PSEUDO.sub(" ", rest)
        if stripped == rest:
            break
        rest = stripped
    for value in sorted((d for d in data if d), key=len, reverse=True):
        rest = rest.replace(value, " ")
    return _WORD.findall(_DATA.sub(" ", rest))


def shown_widgets(window: QWidget) -> Iterator[QWidget]:
    for widget in window.findChildren(QWidget):
        if widget.isVisibleTo(window) and not widget.visibleRegion().isEmpty():
            yield widget


def texts_of(window: QWidget) -> Iterator[tuple[str, str]]:
    """(where, text) for every text ``window`` shows or gives to screen readers."""
    yield "window title", window.windowTitle()
    for widget in [window, *shown_widgets(window)]:
        name = f"{type(widget).__name__} {widget.objectName() or ''}".strip()
        if isinstance(widget, QLabel | QAbstractButton):
            yield name, widget.text()
        if isinstance(widget, QGroupBox):
            yield name, widget.title()
        if isinstance(widget, QLineEdit):
            yield f"{name} placeholder", widget.placeholderText()
        if isinstance(widget, QListWidget):
            for row in range(widget.count()):
                yield f"{name} row {row}", widget.item(row).text()
        elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
            yield from _model_texts(name, widget.model())
        yield f"{name} accessible name", widget.accessibleName()
        yield f"{name} accessible description", widget.accessibleDescription()
    if isinstance(window, QWizard):
        page = window.currentPage()
        yield "page title", page.title()
        yield "page subtitle", page.subTitle()


def _model_texts(name: str, model: QAbstractItemModel) -> Iterator[tuple[str, str]]:
    """Column headers, and every cell's text, tooltip and screen-reader text."""
    roles = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
             Qt.ItemDataRole.AccessibleTextRole)  # fmt: skip
    for column in range(model.columnCount()):
        header = model.headerData(column, Qt.Orientation.Horizontal)
        yield f"{name} header {column}", str(header or "")
        for row in range(model.rowCount()):
            for role in roles:
                value = model.data(model.index(row, column), role)
                yield f"{name} cell {row},{column}", str(value or "")


def untranslated_texts(window: QWidget, data: Iterable[str]) -> list[str]:
    data = list(data)
    found = []
    for where, text in texts_of(window):
        words = untranslated(text, data) if text else []
        if words:
            found.append(f"{where}: {text!r} (untranslated: {words})")
    return found


def cut_off(window: QWidget) -> list[str]:
    """Labels and buttons whose text needs more room than they got."""
    found = []
    for widget in shown_widgets(window):
        problem = _cut_off(widget)
        if problem:
            found.append(f"{type(widget).__name__} {widget.objectName()!r}: {problem}")
    return found


def _cut_off(widget: QWidget) -> str | None:
    if isinstance(widget, QLabel) and widget.text() and widget.pixmap().isNull():
        room = widget.contentsRect()
        if widget.wordWrap():
            needed = widget.heightForWidth(widget.width())
            if needed > widget.height() + _SLACK:
                return f"needs {needed}px high, has {widget.height()}: {widget.text()!r}"
            return None
        width = QFontMetrics(widget.font()).horizontalAdvance(plain(widget.text()).split("\n")[0])
        if width > room.width() + _SLACK:
            return f"needs {width}px wide, has {room.width()}: {widget.text()!r}"
        return None
    if isinstance(widget, QAbstractButton) and widget.text():
        hint = widget.sizeHint()
        if hint.width() > widget.width() + _SLACK and widget.testAttribute(
            Qt.WidgetAttribute.WA_WState_Visible
        ):
            return f"needs {hint.width()}px wide, has {widget.width()}: {widget.text()!r}"
    return None
