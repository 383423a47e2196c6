"""A problem shown in plain words: title, what happened, steps, one primary action button,
the other ways forward the steps name (Try again, Enter a different key) where the page can
take them, and the support code line with "Copy details for support" (the only place a code
appears)."""

from __future__ import annotations

from collections.abc import Collection

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QFontMetrics, QGuiApplication
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from app.domain.problems import Action
from app.i18n import _
from app.presentation.problems import action_label
from app.ui.accessibility import announce
from app.ui.problem_text import ProblemInfo
from app.ui.widgets import make_primary, wrapping_label

_PADDING_X = 14  # keep in step with QPushButton#primaryAction in resources/styles/wizard.qss


#: The ways forward a page may offer beside the primary action, in button order.
SECONDARY = (Action.RETRY, Action.REENTER_KEY)


class ProblemView(QWidget):
    """Emits ``action_requested(action_id)`` when the primary or a secondary button is
    pressed."""

    action_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._info: ProblemInfo | None = None
        self._details = ""
        self.title = wrapping_label("", name="problemTitle", selectable=True)
        self.happened = wrapping_label("", selectable=True)
        self.steps = wrapping_label("", selectable=True)
        self.countdown = wrapping_label("", name="countdown", selectable=True)
        self.countdown.hide()
        self.primary = QPushButton()
        make_primary(self.primary)
        self.primary.setAutoDefault(True)
        self.primary.clicked.connect(self._on_primary)
        self.secondary = {action: self._secondary_button(action) for action in SECONDARY}
        self.copy_button = QPushButton(_("&Copy details for support"))
        self.copy_button.setAccessibleDescription(
            _("Copies the support code and your system details. Your key is not included.")
        )
        self.copy_button.clicked.connect(self.copy_details)
        self.support_line = wrapping_label("", name="supportLine", selectable=True)
        self._lay_out()

    def _secondary_button(self, action: Action) -> QPushButton:
        button = QPushButton(_mnemonic(action_label(action), taken=_SECONDARY_TAKEN))
        button.setAutoDefault(False)
        button.clicked.connect(lambda: self.action_requested.emit(action.value))
        button.hide()
        return button

    def _lay_out(self) -> None:
        buttons = QHBoxLayout()
        buttons.addWidget(self.primary)
        for button in self.secondary.values():
            buttons.addWidget(button)
        buttons.addStretch(1)
        support = QHBoxLayout()
        support.addWidget(self.support_line, 1)
        support.addWidget(self.copy_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.title, self.happened, self.steps, self.countdown):
            layout.addWidget(widget)
        layout.addSpacing(6)
        layout.addLayout(buttons)
        layout.addSpacing(6)
        layout.addLayout(support)

    def show_problem(
        self, info: ProblemInfo, details: str, *, offers: Collection[Action] = ()
    ) -> None:
        """Fill the view; ``details`` is the ready, redacted text for the clipboard;
        ``offers`` the ways forward the page can take besides the primary action."""
        self._info, self._details = info, details
        for action, button in self.secondary.items():
            button.setVisible(action in offers and action.value != info.action)
        self.title.setText(info.title)
        self.happened.setText(info.happened)
        self.steps.setText(_numbered(info.steps))
        self.steps.setVisible(bool(info.steps))
        self.primary.setText(_mnemonic(info.action_label))
        self.primary.setAccessibleName(info.action_label)
        # The style sheet's padding is not in the style's width hint: reserve it ourselves.
        text_width = QFontMetrics(self.primary.font()).horizontalAdvance(info.action_label)
        self.primary.setMinimumWidth(text_width + 2 * _PADDING_X + 8)
        self.support_line.setText(_("Support code: {code}").format(code=info.support_code))
        self.countdown.hide()
        announce(self, self.first_words())

    def first_words(self) -> str:
        """What a screen reader announces when the problem appears: title and first step."""
        info = self._info
        if info is None:
            return ""
        first = info.steps[0] if info.steps else info.happened
        return f"{info.title.rstrip('.')}. {first}"

    def update_text(self, info: ProblemInfo) -> None:
        """New wording for the same problem (a countdown's numbers); buttons stay."""
        self._info = info
        self.title.setText(info.title)
        self.happened.setText(info.happened)
        self.steps.setText(_numbered(info.steps))

    def announcement(self) -> str:
        """Everything a screen reader should read, in order."""
        info = self._info
        if info is None:
            return ""
        parts = [info.title, info.happened, *info.steps]
        if self.countdown.isVisible():
            parts.append(self.countdown.text())
        return " ".join(p.strip() for p in parts if p.strip())

    def set_countdown(self, text: str) -> None:
        self.countdown.setText(text)
        self.countdown.setVisible(bool(text))

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self._details)
        self.copy_button.setText(_("Copied"))
        QTimer.singleShot(2000, self._restore_copy_label)

    def details(self) -> str:
        return self._details

    def _restore_copy_label(self) -> None:
        self.copy_button.setText(_("&Copy details for support"))

    def _on_primary(self) -> None:
        if self._info is not None:
            self.action_requested.emit(self._info.action)


def _numbered(steps: tuple[str, ...]) -> str:
    if len(steps) == 1:
        return steps[0]
    return "\n".join(f"{n}. {step}" for n, step in enumerate(steps, start=1))


_SECONDARY_TAKEN = set("CBNF")  # Copy details, Back, Next, Finish
_TAKEN = _SECONDARY_TAKEN | set("TE")  # ... and Try again, Enter a different key


def _mnemonic(label: str, taken: set[str] = _TAKEN) -> str:
    """An Alt+letter for a problem's button that no other button of the page uses."""
    text = label.replace("&", "&&")
    for index, char in enumerate(text):
        if char.isalpha() and char.upper() not in taken:
            return text[:index] + "&" + text[index:]
    return text
