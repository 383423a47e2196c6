"""What assistive technology reads beyond Qt's defaults: labels as headings, announcements,
names for images Qt leaves unnamed."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent
from PySide6.QtWidgets import QAccessibleWidget, QLabel, QLineEdit, QToolButton, QWidget

log = logging.getLogger(__name__)

HEADING_PROPERTY = "accessibleHeading"  # a QLabel with this property is read as a heading

_installed = False
# Interfaces made here stay referenced: Qt's cache holds only the C++ side, and a Python
# subclass whose wrapper is collected would lose its role() override.
_made: dict[int, QAccessibleWidget] = {}


class HeadingAccessible(QAccessibleWidget):
    """A label read as a heading (ATSPI ROLE_HEADING, UIA Heading, NSAccessibility heading)."""

    def __init__(self, label: QLabel) -> None:
        super().__init__(label, QAccessible.Role.Heading)
        self._label = label

    def text(self, kind: QAccessible.Text) -> str:
        if kind == QAccessible.Text.Name:
            return self._label.accessibleName() or self._label.text()
        return super().text(kind)


def _factory(_class_name: str, obj: QObject) -> QAccessibleWidget | None:
    if isinstance(obj, QLabel) and obj.property(HEADING_PROPERTY):
        interface = HeadingAccessible(obj)
        key = id(obj)
        _made[key] = interface
        obj.destroyed.connect(lambda *_: _made.pop(key, None))
        return interface
    return None


def install_accessibility() -> None:
    """Install the interface factory (once; needs the QApplication to exist)."""
    global _installed
    if not _installed:
        QAccessible.installFactory(_factory)
        _installed = True


def mark_heading(label: QLabel) -> QLabel:
    """Have ``label`` read as a heading (the factory must be installed first)."""
    label.setProperty(HEADING_PROPERTY, True)
    return label


def announce(widget: QWidget, text: str, *, assertive: bool = False) -> None:
    """Have a screen reader speak ``text`` once, without moving focus."""
    text = " ".join(text.split())
    if not text or not QAccessible.isActive():
        return
    event = QAccessibleAnnouncementEvent(widget, text)
    if assertive:
        event.setPoliteness(QAccessible.AnnouncementPoliteness.Assertive)
    QAccessible.updateAccessibility(event)


def name_images(root: QWidget, name: str) -> None:
    """Name every label of ``root`` that shows a picture (the wizard's logo) ``name``."""
    for label in root.findChildren(QLabel):
        if not label.pixmap().isNull() and not label.accessibleName():
            label.setAccessibleName(name)


def name_clear_button(edit: QLineEdit, name: str) -> None:
    """Name the clear button Qt adds to a line edit (it has no text of its own)."""
    for button in edit.findChildren(QToolButton):
        button.setAccessibleName(name)
