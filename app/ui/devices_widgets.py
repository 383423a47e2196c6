"""The parts the devices dialog is built from: the table of computers, the busy bar, the
buttons, the confirmation box, the help shown without a relay, and their texts."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.config import VendorConfig
from app.domain.models import Machine
from app.i18n import N_, _, ngettext
from app.ui.accessibility import name_images
from app.ui.devices_model import Column, DevicesTableModel
from app.ui.widgets import wrapping_label

EMPTY_TEXT = N_("No other computers use this license.")
# Opened from the seat limit: what to do, in one sentence, and what follows a freed seat.
CHOOSE_TEXT = N_(
    "Choose a computer you no longer use and click Deactivate; the activation then continues."
)
FREED_TEXT = N_("A seat is free. Click Continue activation to finish activating this computer.")
YES = QMessageBox.StandardButton.Yes


def machine_name(machine: Machine) -> str:
    return machine.name or machine.hostname or _("Unnamed computer")


def seats_used_text(used: int, total: int | None) -> str:
    if total is None:
        return ngettext("{n} seat used (no limit)", "{n} seats used (no limit)", used).format(
            n=used
        )
    return ngettext("{used} of {n} seat used", "{used} of {n} seats used", total).format(
        used=used, n=total
    )


def devices_table(model: DevicesTableModel) -> QTableView:
    """One row per computer, selected whole; Tab leaves it, the arrows move within it."""
    table = QTableView()
    table.setModel(model)
    table.setObjectName("devicesTable")
    table.setAccessibleName(_("Computers using this license"))
    table.setAccessibleDescription(
        _("Select a computer and press Delete or Deactivate to free its seat.")
    )
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move within it
    table.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(Column.NAME, QHeaderView.ResizeMode.Stretch)
    header.setMinimumSectionSize(80)
    return table


def busy_bar() -> QProgressBar:
    """A thin moving bar without a percentage: the relay does not report progress."""
    bar = QProgressBar()
    bar.setRange(0, 0)
    bar.setTextVisible(False)
    bar.setMaximumHeight(8)
    return bar


def deactivate_button() -> QPushButton:
    button = QPushButton(_("&Deactivate…"))
    button.setAccessibleName(_("Deactivate"))
    button.setAccessibleDescription(
        _("Deactivates the selected computer so its seat becomes free. Asks first.")
    )
    button.setAutoDefault(False)
    button.setEnabled(False)
    return button


def refresh_button() -> QPushButton:
    button = QPushButton(_("&Refresh"))
    button.setAccessibleDescription(_("Loads the list of computers again."))
    button.setAutoDefault(False)
    return button


def confirmation_box(parent: QWidget) -> QMessageBox:
    """The question before a deactivation; its Yes button reads "Deactivate"."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    # It names a computer as the server lists it: shown as typed, never read as markup.
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setWindowTitle(_("Deactivate computer"))
    box.setStandardButtons(YES | QMessageBox.StandardButton.Cancel)
    box.button(YES).setText(_("&Deactivate"))
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)  # a slip of Enter frees nothing
    box.setEscapeButton(QMessageBox.StandardButton.Cancel)
    name_images(box, _("Question"))
    return box


def pinned_top(widget: QWidget) -> QWidget:
    """``widget`` pinned to the top of a page (stacked pages stretch otherwise)."""
    holder = QWidget()
    box = QVBoxLayout(holder)
    box.setContentsMargins(0, 0, 0, 0)
    box.addWidget(widget)
    box.addStretch(1)
    return holder


def no_relay_label(config: VendorConfig) -> QLabel:
    """Plain steps to free a seat without a device list, with the vendor's links."""
    product = html.escape(config.product_name)
    vendor = html.escape(config.vendor_name)
    steps = [
        _(
            "On the computer you no longer need, open {product} activation and choose "
            "<b>Move to another computer</b>. That frees its seat."
        ).format(product=product),
    ]
    if config.portal_url:
        account = _("your {vendor} account").format(vendor=config.vendor_name)
        steps.append(
            _("If that computer is lost or broken, remove it in {account}.").format(
                account=_link(config.portal_url, account)
            )
        )
    contact = _contact_link(config) or vendor
    steps.append(
        _("Or contact {contact} and ask them to free a seat for you.").format(contact=contact)
    )
    items = "".join(f"<li>{step}</li>" for step in steps)
    intro = _("{product} can't list the computers on your license here. To free a seat:")
    then = _("Then close this window and try the activation again.")
    text = f"<p>{intro.format(product=product)}</p><ol>{items}</ol><p>{then}</p>"
    label = QLabel(text)
    label.setObjectName("noRelayText")
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setWordWrap(True)
    label.setOpenExternalLinks(True)
    # Links reachable by Tab and Enter; no text caret (it looked like an input field).
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
    label.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    label.setAccessibleName(_plain(text))
    return label


def open_support(parent: QWidget, config: VendorConfig) -> None:
    """The vendor's support page or mail, else a box naming the vendor."""
    url = config.support_url or (f"mailto:{config.support_email}" if config.support_email else "")
    if url and QDesktopServices.openUrl(QUrl(url)):
        return
    QMessageBox.information(
        parent,
        _("Contact support"),
        _("Please contact {vendor} about your license.").format(vendor=config.vendor_name),
    )


def _contact_link(config: VendorConfig) -> str:
    vendor = html.escape(config.vendor_name)
    if config.support_url:
        return _link(config.support_url, _("{vendor} support").format(vendor=config.vendor_name))
    if config.support_email:
        email = _link("mailto:" + config.support_email, config.support_email)
        return _("{vendor} at {email}").format(vendor=vendor, email=email)
    return ""


def _link(url: str, text: str) -> str:
    return f'<a href="{html.escape(url, quote=True)}">{html.escape(text, quote=False)}</a>'


def _plain(rich: str) -> str:
    from PySide6.QtGui import QTextDocument

    document = QTextDocument()
    document.setHtml(rich)
    return " ".join(document.toPlainText().split())


def instruction_label(*, shown: bool) -> QLabel:
    """What to do, in one sentence, when the dialog was opened from the seat limit."""
    label = wrapping_label(_(CHOOSE_TEXT), selectable=True)
    label.setVisible(shown)
    return label


def say_seat_freed(instruction: QLabel, close_button: QPushButton) -> None:
    """After a seat was freed from the seat limit: closing continues the activation."""
    instruction.setText(_(FREED_TEXT))
    close_button.setText(_("&Continue activation"))
