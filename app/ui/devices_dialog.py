"""The devices dialog: the license's computers, and freeing a seat by deactivating one."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.config import VendorConfig
from app.domain.errors import RelayNotConfiguredError, WizardError
from app.domain.models import Machine
from app.i18n import _, ngettext
from app.ui.devices_model import (
    DevicesSnapshot,
    DevicesTableModel,
    deactivate_device,
    fetch_devices,
)
from app.ui.devices_widgets import (
    EMPTY_TEXT,
    YES,
    busy_bar,
    confirmation_box,
    deactivate_button,
    devices_table,
    instruction_label,
    machine_name,
    no_relay_label,
    open_support,
    pinned_top,
    refresh_button,
    say_seat_freed,
    seats_used_text,
)
from app.ui.problem_text import describe
from app.ui.problem_view import ProblemView
from app.ui.support_report import support_details
from app.ui.widgets import focus_later, set_state, wrapping_label
from app.ui.workers import run_in_worker

if TYPE_CHECKING:  # annotations only: the services are built in the first worker
    from app.services import Services


class _State:
    LOADING, LIST, PROBLEM, NO_RELAY = range(4)


class DevicesDialog(QDialog):
    """Lists the license's computers and deactivates the chosen one (after confirmation).

    ``key``: the key typed in the wizard (empty: the stored one); ``resuming``: opened from
    the seat limit. ``seatFreed(machine_id)`` fires after each deactivation; ``freed_seat``
    stays True, so the wizard resumes then. ``services``: reached only in workers."""

    seatFreed = Signal(str)  # noqa: N815 - Qt signal naming

    def __init__(
        self,
        config: VendorConfig,
        services: Services,
        *,
        key: str = "",
        resuming: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._resuming = resuming  # opened from the seat limit: closing resumes activation
        self._services = services
        self._config = config
        self._relay_configured = bool(self._config.relay_url)
        self._key = key or None  # None: the service uses the stored key
        self._busy = False
        self._deactivating: Machine | None = None
        self._close_when_done = False
        self.freed_seat = False
        self.confirmation: QMessageBox | None = None  # made on first use, then reused
        self._asked: Machine | None = None  # the computer the confirmation names
        self.model = DevicesTableModel(self)
        self.setWindowTitle(_("Manage computers"))
        self.setMinimumSize(600, 380)
        self.resize(700, 440)
        self._build()
        self._lay_out()
        if self._relay_configured:
            self.load()
        else:
            self._show_no_relay()

    # --- widgets --------------------------------------------------------------------------

    def _build(self) -> None:
        product = self._config.product_name
        self.heading = wrapping_label(
            _("Computers using your {product} license").format(product=product), name="statusTitle"
        )
        self.instruction = instruction_label(shown=self._resuming)
        self.seats = wrapping_label("", name="seatsLine")
        bold = self.seats.font()
        bold.setBold(True)
        self.seats.setFont(bold)
        self.busy_text = wrapping_label("", name="busyText")
        self.busy_bar = busy_bar()
        self.table = devices_table(self.model)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)
        self.table.installEventFilter(self)  # Delete on a row: see eventFilter
        self.empty = wrapping_label(_(EMPTY_TEXT), name="emptyText", selectable=True)
        self.note = wrapping_label("", name="fieldFeedback", selectable=True)
        self.note.hide()
        self.problem = ProblemView()
        self.problem.action_requested.connect(self._on_problem_action)
        self.no_relay = no_relay_label(self._config)
        self.deactivate_button = deactivate_button()
        self.deactivate_button.clicked.connect(self.deactivate_selected)
        self.refresh_button = refresh_button()
        self.refresh_button.clicked.connect(self.load)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        self.close_button = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        self.close_button.setAutoDefault(False)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        """Delete (and Backspace, as on macOS) in the table asks to deactivate the row."""
        if (
            watched is self.table
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
        ):
            self.deactivate_selected()
            return True
        return super().eventFilter(watched, event)

    def _lay_out(self) -> None:
        busy = QWidget()
        busy_box = QVBoxLayout(busy)
        busy_box.setContentsMargins(0, 0, 0, 0)
        busy_box.addWidget(self.busy_text)
        busy_box.addWidget(self.busy_bar)
        busy_box.addStretch(1)
        listing = QWidget()
        list_box = QVBoxLayout(listing)
        list_box.setContentsMargins(0, 0, 0, 0)
        list_box.addWidget(self.table, 1)
        list_box.addWidget(self.empty)
        list_box.addStretch(0)  # keeps the empty text at the top when the table is hidden
        self.stack = QStackedWidget()
        for widget in (busy, listing, pinned_top(self.problem), pinned_top(self.no_relay)):
            self.stack.addWidget(widget)
        actions = QHBoxLayout()
        actions.addWidget(self.deactivate_button)
        actions.addWidget(self.refresh_button)
        actions.addStretch(1)
        actions.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.instruction)
        layout.addWidget(self.seats)
        layout.addSpacing(6)  # the problem's own title must not run into the heading
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.note)
        layout.addLayout(actions)

    # --- state ----------------------------------------------------------------------------

    @property
    def state(self) -> str:
        """ "loading", "list", "empty", "problem" or "no_relay" (for tests and screenshots)."""
        index = self.stack.currentIndex()
        if index == _State.LIST:
            return "list" if self.model.removable_count() else "empty"
        return ("loading", "list", "problem", "no_relay")[index]

    @property
    def busy(self) -> bool:
        return self._busy

    # --- loading --------------------------------------------------------------------------

    def load(self) -> None:
        """Ask the relay for the license's computers (in a worker)."""
        if self._busy or not self._relay_configured:
            return
        self._set_busy(_("Loading the computers on your license…"))
        run_in_worker(
            fetch_devices,
            self._services,
            self._key,
            name="devices.list",
            on_finished=self._on_loaded,
            on_failed=self._on_failed,
            context=self,
        )

    def _on_loaded(self, snapshot: DevicesSnapshot) -> None:
        self._set_idle()
        listing = snapshot.listing
        self.model.set_devices(
            listing.devices,
            this_fingerprint=snapshot.this_fingerprint,
            this_machine_id=snapshot.this_machine_id,
        )
        self.seats.setText(seats_used_text(listing.machine_count, listing.max_machines))
        self.seats.show()
        self.table.setVisible(self.model.rowCount() > 0)
        self.empty.setVisible(self.model.removable_count() == 0)
        self.stack.setCurrentIndex(_State.LIST)
        self.refresh_button.show()
        self.deactivate_button.show()
        self._announce_list()
        first = self.model.first_removable()
        if first is not None:  # current and selected: Deactivate works at once
            self.table.selectRow(first)
        done = first is None or (self._resuming and self.freed_seat)
        focus_later(self.close_button if done else self.table)

    def _announce_list(self) -> None:
        count = self.model.rowCount()
        listed = ngettext("{n} computer listed.", "{n} computers listed.", count).format(n=count)
        parts = [self.seats.text(), listed]
        if self.model.removable_count() == 0:
            parts.append(_(EMPTY_TEXT))
        if self.note.isVisible():
            parts.insert(0, self.note.text())
        self.setAccessibleDescription(" ".join(parts))
        self.table.setAccessibleDescription(" ".join(parts))

    # --- deactivation ---------------------------------------------------------------------

    def selected_row(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def select_machine(self, machine_id: str) -> bool:
        """Select the row of ``machine_id`` (tests, and keeping a selection after a refresh)."""
        row = self.model.row_of(machine_id)
        if row is None:
            return False
        self.table.selectRow(row)
        return True

    def deactivate_selected(self) -> None:
        """Confirm, then deactivate the selected computer; this computer is never offered."""
        row = self.selected_row()
        if self._busy or row is None or not self.model.is_removable(row):
            return
        machine = self.model.machine(row)
        assert machine is not None
        self._asked = machine
        self.confirmation_box(machine).open()  # window-modal, no nested event loop

    def confirmation_box(self, machine: Machine) -> QMessageBox:
        """The question naming ``machine``; its Yes button reads "Deactivate". One box is
        reused: deleting a box from its own ``finished`` signal crashes PySide."""
        if self.confirmation is None:
            self.confirmation = confirmation_box(self)
            self.confirmation.finished.connect(self._confirmed)
        self.confirmation.setText(_("Deactivate “{name}”?").format(name=machine_name(machine)))
        self.confirmation.setInformativeText(
            _(
                "It will stop working with {product} until it is activated again. Its seat "
                "becomes free for this or another computer."
            ).format(product=self._config.product_name)
        )
        return self.confirmation

    def _confirmed(self, _result: int) -> None:
        box, machine, self._asked = self.confirmation, self._asked, None
        assert box is not None
        if machine is not None and box.clickedButton() is box.button(YES):
            self._deactivate(machine)
        else:
            focus_later(self.table)

    def _deactivate(self, machine: Machine) -> None:
        self._deactivating = machine
        self._set_busy(_("Deactivating “{name}”…").format(name=machine_name(machine)))
        run_in_worker(
            deactivate_device,
            self._services,
            machine.id,
            self._key,
            name="devices.deactivate",
            on_finished=self._on_deactivated,
            on_failed=self._on_failed,
            context=self,
        )

    def _on_deactivated(self, _result: object) -> None:
        machine, self._deactivating = self._deactivating, None
        assert machine is not None
        self._busy = False
        self.freed_seat = True
        self._show_note(
            _("“{name}” was deactivated. Its seat is free.").format(name=machine_name(machine)),
            "ok",
        )
        self.seatFreed.emit(machine.id)
        if self._resuming:  # the way on is closing this: say so, on the button too
            say_seat_freed(self.instruction, self.close_button)
        if self._close_when_done:
            self._close_when_done = False
            super().reject()
            return
        self.load()

    # --- problems -------------------------------------------------------------------------

    def _on_failed(self, error: WizardError) -> None:
        if isinstance(error, RelayNotConfiguredError):  # the services know better than config
            self._busy = self._relay_configured = False
            self._show_no_relay()
            return
        self._deactivating = None
        self._close_when_done = False  # stay open: the user must see that nothing was freed
        self._set_idle()
        info = describe(error, self._config)
        details = support_details(
            self._config,
            title=info.title,
            support_code=info.support_code,
            key=self._key or "",
            request_id=info.request_id,
        )
        self.problem.show_problem(info, details)
        self.seats.hide()
        self.note.hide()
        self.refresh_button.hide()
        self.deactivate_button.hide()
        self.stack.setCurrentIndex(_State.PROBLEM)
        self.setAccessibleDescription(self.problem.announcement())
        self.problem.primary.setAccessibleDescription(self.problem.announcement())
        focus_later(self.problem.primary)

    def _on_problem_action(self, action: str) -> None:
        if action == "retry":
            self.load()
        elif action == "contact_support":
            open_support(self, self._config)
        else:  # re-enter a key, activate, close: all happen outside this dialog
            self.reject()

    # --- no relay -------------------------------------------------------------------------

    def _show_no_relay(self) -> None:
        self.seats.hide()
        self.refresh_button.hide()
        self.deactivate_button.hide()
        self.heading.setText(_("How to free a seat"))
        self.stack.setCurrentIndex(_State.NO_RELAY)
        self.setAccessibleDescription(self.no_relay.accessibleName())
        focus_later(self.no_relay)

    # --- busy and buttons -----------------------------------------------------------------

    def _set_busy(self, text: str) -> None:
        self._busy = True
        self.busy_text.setText(text)
        self.busy_bar.setAccessibleName(text)
        self.stack.setCurrentIndex(_State.LOADING)
        self.setAccessibleDescription(text)
        self._update_buttons()

    def _set_idle(self) -> None:
        self._busy = False
        self._update_buttons()

    def _show_note(self, text: str, state: str) -> None:
        self.note.setText(text)
        set_state(self.note, state)
        self.note.show()

    def _update_buttons(self, *_args: Any) -> None:
        row = self.selected_row()
        removable = row is not None and self.model.is_removable(row)
        self.deactivate_button.setEnabled(removable and not self._busy)
        self.refresh_button.setEnabled(not self._busy)

    # --- closing --------------------------------------------------------------------------

    def reject(self) -> None:
        """Close/Escape. A running deactivation finishes first, so its result is not lost."""
        if self._deactivating is not None:
            self._close_when_done = True
            self._show_note(_("Closing once the computer is deactivated…"), "hint")
            return
        super().reject()
