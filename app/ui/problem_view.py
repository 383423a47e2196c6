"""A problem shown in plain words: title, what happened, steps, one primary action button,
"Copy details for support" and the support code line (the only place a code appears)."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QFontMetrics, QGuiApplication
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from app.i18n import _
from app.ui.accessibility import announce
from app.ui.problem_text import ProblemInfo
from app.ui.widgets import wrapping_label

_PADDING_X = 14  # keep in step with QPushButton#primaryAction in resources/styles/wizard.qss


class ProblemView(QWidget):
    """Emits ``action_requested(action_id)`` when the primary button is pressed."""

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
        self.primary.setObjectName("primaryAction")
        bold = self.primary.font()
        bold.setBold(True)  # in code, not QSS, so the size hint measures the bold text
        self.primary.setFont(bold)
        self.primary.setAutoDefault(True)
        self.primary.clicked.connect(self._on_primary)
        self.copy_button = QPushButton(_("&Copy details for support"))
        self.copy_button.setAccessibleDescription(
            _("Copies the support code and your system details. Your key is not included.")
        )
        self.copy_button.clicked.connect(self.copy_details)
        self.support_line = wrapping_label("", name="supportLine", selectable=True)
        self._lay_out()

    def _lay_out(self) -> None:
        buttons = QHBoxLayout()
        buttons.addWidget(self.primary)
        buttons.addWidget(self.copy_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.title, self.happened, self.steps, self.countdown):
            layout.addWidget(widget)
        layout.addSpacing(6)
        layout.addLayout(buttons)
        layout.addWidget(self.support_line)

    def show_problem(self, info: ProblemInfo, details: str) -> None:
        """Fill the view; ``details`` is the ready, redacted text for the clipboard."""
        self._info, self._details = info, details
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


_TAKEN = set("CBNF")  # Copy details, Back, Next, Finish


def _mnemonic(label: str) -> str:
    """An Alt+letter for the primary action that no other button of the page uses."""
    text = label.replace("&", "&&")
    for index, char in enumerate(text):
        if char.isalpha() and char.upper() not in _TAKEN:
            return text[:index] + "&" + text[index:]
    return text
