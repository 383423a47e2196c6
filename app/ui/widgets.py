"""Small widget helpers shared by the pages: wrapping labels, state styling, fact lists."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QFormLayout, QLabel, QWidget

from app.i18n import _


def wrapping_label(text: str = "", *, name: str = "", selectable: bool = False) -> QLabel:
    """A label that wraps instead of being cut; ``selectable`` makes it reachable by Tab
    and readable by screen readers (used for problems and results)."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    if name:
        label.setObjectName(name)
    if selectable:
        label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        label.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    return label


def set_state(widget: QWidget, state: str) -> None:
    """Set the ``state`` property the style sheet keys on and re-apply the style."""
    widget.setProperty("state", state)
    # A widget not polished yet picks the property up when it is; skipping style() then
    # keeps the first paint fast (its first call builds QStyle's large Python enums).
    if widget.testAttribute(Qt.WidgetAttribute.WA_WState_Polished):
        widget.style().unpolish(widget)
        widget.style().polish(widget)


def fill_facts(form: QFormLayout, facts: list[tuple[str, str]]) -> None:
    """Replace the rows of ``form`` with label: value pairs (values selectable, wrapping)."""
    while form.rowCount():
        form.removeRow(0)
    for name, value in facts:
        shown = wrapping_label(value, selectable=True)
        shown.setAccessibleName(name)
        shown.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab stops only at actions
        # Translators: a fact's name before its value ("Expires:"); French adds a space.
        form.addRow(wrapping_label(_("{label}:").format(label=name)), shown)


def fact_form() -> QFormLayout:
    form = QFormLayout()
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
    return form


def focus_later(widget: QWidget) -> None:
    """Focus ``widget`` once the page is shown (QWizard focuses the page's first widget
    after initializePage, which would override a focus set there)."""
    QTimer.singleShot(0, widget, lambda: widget.setFocus(Qt.FocusReason.OtherFocusReason))
