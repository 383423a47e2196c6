"""The key entry page: paste or type the license key, with live format feedback."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWizardPage,
)

from app.domain.errors import KeyFormatError
from app.domain.license_key import normalise_key
from app.i18n import _
from app.ui.accessibility import name_clear_button
from app.ui.context import WizardContext
from app.ui.widgets import focus_later, set_state, wrapping_label

_KEY_ROLE = Qt.ItemDataRole.UserRole


class KeyPage(QWizardPage):
    """Next is enabled only for a well-formed key; the reason is shown under the field.
    ``offline_requested``: the user chose "This computer has no internet"."""

    offline_requested = Signal()

    def __init__(self, context: WizardContext) -> None:
        super().__init__()
        self._context = context
        self._normalised: str | None = None
        self._length = 0  # the field's length before the last change (a jump is a paste)
        self._error: str | None = None  # the format problem of the text, shown or not
        self.setTitle(_("Enter your license key"))
        self.setSubTitle(
            _("You find the key for {product} in your purchase e-mail.").format(
                product=context.config.product_name
            )
        )
        self.key_edit = self._build_field()
        self.paste_button = QPushButton(_("&Paste from clipboard"))
        self.paste_button.setAccessibleDescription(_("Puts the copied text into the key field."))
        self.paste_button.clicked.connect(self.paste_from_clipboard)
        self.feedback = wrapping_label("", name="fieldFeedback")
        self.feedback.setAccessibleName(_("Key check"))
        self.demo_list = self._build_demo_list()
        self.offline_button = QPushButton(_("This computer has &no internet"))
        self.offline_button.setAccessibleDescription(
            _("Activate with a license file made on a phone or another computer.")
        )
        self.offline_button.setAutoDefault(False)
        self.offline_button.setVisible(context.offline_possible)
        self.offline_button.clicked.connect(self.offline_requested.emit)
        self._lay_out()
        self.key_edit.textChanged.connect(self._on_text_changed)
        self.key_edit.editingFinished.connect(self._tell_format)  # leaving the field, Enter

    # --- layout -------------------------------------------------------------------------

    def _build_field(self) -> QLineEdit:
        edit = QLineEdit()
        edit.setPlaceholderText(_("For example {key}").format(key="ABCD-1234-EFGH-5678-IJKL"))
        edit.setClearButtonEnabled(True)
        name_clear_button(edit, _("Clear the key"))
        edit.setAccessibleName(_("License key"))
        edit.setAccessibleDescription(
            _("Paste or type your license key. Spaces, dashes and lowercase letters are fine.")
        )
        edit.setMinimumWidth(320)
        return edit

    def _build_demo_list(self) -> QListWidget | None:
        if not self._context.demo_keys:
            return None
        listing = QListWidget()
        listing.setAccessibleName(_("Demo license keys"))
        listing.setAccessibleDescription(_("Choose a demo license to put its key into the field."))
        for label, key in self._context.demo_keys.items():
            item = QListWidgetItem(label)
            item.setData(_KEY_ROLE, key)
            listing.addItem(item)
        listing.itemClicked.connect(self._use_demo_item)
        listing.itemActivated.connect(self._use_demo_item)
        listing.currentItemChanged.connect(lambda item, _old: self._use_demo_item(item))
        return listing

    def _lay_out(self) -> None:
        label = QLabel(_("&License key:"))
        label.setBuddy(self.key_edit)
        row = QHBoxLayout()
        row.addWidget(self.key_edit, 1)
        row.addWidget(self.paste_button)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addLayout(row)
        layout.addWidget(self.feedback)
        if self.demo_list is not None:
            demo_label = QLabel(_("&Demo licenses (choose one to try a situation):"))
            demo_label.setWordWrap(True)
            demo_label.setBuddy(self.demo_list)
            layout.addSpacing(8)
            layout.addWidget(demo_label)
            layout.addWidget(self.demo_list, 1)
        else:
            layout.addStretch(1)
        offline_row = QHBoxLayout()
        offline_row.addWidget(self.offline_button)
        offline_row.addStretch(1)
        layout.addLayout(offline_row)
        self.setTabOrder(self.key_edit, self.paste_button)
        if self.demo_list is not None:
            self.setTabOrder(self.paste_button, self.demo_list)

    # --- behaviour ----------------------------------------------------------------------

    def initializePage(self) -> None:  # noqa: N802 - Qt override
        if self._context.key and not self.key_edit.text():
            self.key_edit.setText(self._context.key)
        focus_later(self.key_edit)

    def cleanupPage(self) -> None:  # noqa: N802 - keep what was typed when the wizard restarts
        pass

    def isComplete(self) -> bool:  # noqa: N802 - Next is there to press: it says what is wrong
        return bool(self.key_edit.text().strip())

    def validatePage(self) -> bool:  # noqa: N802 - Qt override
        if self._normalised is None:
            self._tell_format()
            focus_later(self.key_edit)
            return False
        if self._normalised != self._context.key:
            self._context.identity = None  # a new key: look at this computer afresh
        self._context.key = self._normalised
        return True

    def paste_from_clipboard(self) -> None:
        text = QGuiApplication.clipboard().text()
        if text:
            self.key_edit.setText(text)
        else:
            self._show(_("The clipboard is empty. Copy the key from your e-mail first."), "error")
        focus_later(self.key_edit)

    def normalised_key(self) -> str | None:
        return self._normalised

    def _use_demo_item(self, item: QListWidgetItem | None) -> None:
        if item is not None:
            self.key_edit.setText(str(item.data(_KEY_ROLE)))

    def _on_text_changed(self, text: str) -> None:
        """Calm while typing: a format problem is told on a paste (the text jumps), on leaving
        the field or on Next; one already told follows the typing until it is fixed."""
        pasted = len(text) - self._length > 3
        self._length = len(text)
        try:
            rule = self._context.config.key_rule
            self._normalised, self._error = normalise_key(text, rule), None
        except KeyFormatError as exc:
            self._normalised, self._error = None, exc.message
        if self._normalised is not None:
            self._show(_("This looks like a license key."), "ok")
        elif text.strip() and (pasted or self.feedback.property("state") == "error"):
            self._tell_format()
        else:
            self._show("", "hint")
        self.completeChanged.emit()

    def _tell_format(self) -> None:
        if self._error and self.key_edit.text().strip():
            self._show(self._error, "error")

    def _show(self, message: str, state: str) -> None:
        self.feedback.setText(message)
        set_state(self.feedback, state)
        self.key_edit.setAccessibleDescription(message or _("Paste or type your license key."))
