"""Small widget helpers shared by the pages: wrapping labels, state styling, fact lists."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QFormLayout, QLabel, QPushButton, QWidget

from app.i18n import _
from app.ui.accessibility import mark_heading

# Labels styled as titles (resources/styles/wizard.qss) are read as headings too.
HEADING_NAMES = frozenset({"problemTitle", "resultTitle", "statusTitle"})


def wrapping_label(text: str = "", *, name: str = "", selectable: bool = False) -> QLabel:
    """A label that wraps instead of being cut; ``selectable`` makes it reachable by Tab
    and readable by screen readers (used for problems and results)."""
    label = QLabel()
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
    if name in HEADING_NAMES:
        mark_heading(label)
    # Text last: with a screen reader active, setting it creates the accessible interface,
    # and the heading role must be known by then.
    label.setText(text)
    return label


def set_state(widget: QWidget, state: str) -> None:
    """Set the ``state`` property the style sheet keys on and re-apply the style."""
    widget.setProperty("state", state)
    # A widget not polished yet picks the property up when it is; skipping style() then
    # keeps the first paint fast (its first call builds QStyle's large Python enums).
    if widget.testAttribute(Qt.WidgetAttribute.WA_WState_Polished):
        widget.style().unpolish(widget)
        widget.style().polish(widget)


def leading_alignment(widget: QWidget) -> Qt.AlignmentFlag:
    """The side a line starts on in the window's direction, not in the text's own: a Latin
    value on a right-to-left page stays at the right, beside its label."""
    side = Qt.AlignmentFlag.AlignRight if widget.isRightToLeft() else Qt.AlignmentFlag.AlignLeft
    return side | Qt.AlignmentFlag.AlignAbsolute | Qt.AlignmentFlag.AlignVCenter


def fill_facts(form: QFormLayout, facts: list[tuple[str, str]]) -> None:
    """Replace the rows of ``form`` with label: value pairs (values selectable, wrapping).

    The value keeps its text as its accessible name and the field label is its buddy, so a
    screen reader reads "Expires: 30 November 2027" (label-for / labelled-by relations)."""
    while form.rowCount():
        form.removeRow(0)
    for name, value in facts:
        shown = wrapping_label(value, selectable=True)
        shown.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab stops only at actions
        # Next to its name whatever script the value is in ("Studio Pro" on an Arabic page).
        shown.setAlignment(leading_alignment(shown))
        # Translators: a fact's name before its value ("Expires:"); French adds a space.
        label = wrapping_label(_("{label}:").format(label=name))
        label.setBuddy(shown)
        form.addRow(label, shown)


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


def make_primary(button: QPushButton) -> None:
    """Style ``button`` as its window's primary action (QPushButton#primaryAction, wizard.qss)."""
    button.setObjectName("primaryAction")
    bold = button.font()
    bold.setBold(True)  # in code, not QSS, so the size hint measures the bold text
    button.setFont(bold)


def action_button(text: str, description: str) -> QPushButton:
    """A button of a page's action row: described for screen readers, never the default."""
    button = QPushButton(text)
    button.setAccessibleDescription(description)
    button.setAutoDefault(False)
    return button
