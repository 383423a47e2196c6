"""What Qt's accessibility layer hands to screen readers: titles as headings, fact values
tied to their labels, names for the logo and the key field's clear button."""

from __future__ import annotations

from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QFormLayout, QLabel, QWidget

from app.ui.accessibility import install_accessibility
from app.ui.widgets import fact_form, fill_facts, wrapping_label
from tests.ui.helpers import WAIT_MS, activate

Role = QAccessible.Role


def _interface(widget):
    interface = QAccessible.queryAccessibleInterface(widget)
    assert interface is not None and interface.isValid()
    return interface


def test_titles_are_headings_and_other_labels_are_not(qtbot):
    install_accessibility()
    title = wrapping_label("This license has expired", name="problemTitle")
    plain = wrapping_label("What happened")
    qtbot.addWidget(title)
    qtbot.addWidget(plain)
    assert _interface(title).role() == Role.Heading
    assert _interface(title).text(QAccessible.Text.Name) == "This license has expired"
    assert _interface(plain).role() != Role.Heading


def test_fact_values_keep_their_text_and_name_their_label(qtbot):
    holder = QWidget()
    qtbot.addWidget(holder)
    form: QFormLayout = fact_form()
    holder.setLayout(form)
    fill_facts(form, [("Expires", "30 November 2027")])
    label = form.itemAt(0, QFormLayout.ItemRole.LabelRole).widget()
    value = form.itemAt(0, QFormLayout.ItemRole.FieldRole).widget()
    assert isinstance(label, QLabel) and label.buddy() is value
    value_interface = _interface(value)
    assert value_interface.text(QAccessible.Text.Name) == "30 November 2027"
    relations = value_interface.relations(QAccessible.RelationFlag.Label)
    assert [r[0].text(QAccessible.Text.Name) for r in relations] == ["Expires:"]


def test_logo_and_clear_button_are_named(qtbot, make_wizard, standin):
    wizard = make_wizard()
    activate(qtbot, wizard, standin.fixtures["valid"])
    qtbot.waitUntil(lambda: wizard.context.outcome is not None, timeout=WAIT_MS)
    pictures = [w for w in wizard.findChildren(QLabel) if not w.pixmap().isNull()]
    assert pictures and all(w.accessibleName() == "Example Software logo" for w in pictures)
    edit = wizard.key_page.key_edit
    buttons = [w for w in edit.children() if isinstance(w, QWidget) and w.isWidgetType()]
    assert buttons and all(w.accessibleName() == "Clear the key" for w in buttons)
