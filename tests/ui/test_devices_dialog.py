"""The devices dialog over real HTTP: the relay in front of the stand-in, or no relay at all."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QWidget

from app.api import LicentricClient
from app.domain.errors import ConnectFailedError, NotFoundError
from app.domain.models import DeviceIdentity, Platform
from app.relay.server import RelayServer
from app.services import build_services
from app.ui import devices_model
from app.ui.devices_dialog import EMPTY_TEXT, DevicesDialog
from app.ui.devices_model import THIS_COMPUTER, Column
from app.ui.pages.ids import PageId
from app.ui.problem_text import describe
from app.ui.wiring import make_services
from app.ui.workers import wait_for_workers
from tests.ui.helpers import WAIT_MS, activate, wait_page
from tests.ui.test_outages import _machines

SLOW_MS = 30000  # a relay that is down is retried with backoff before the problem shows


@pytest.fixture
def relay(standin_server) -> Iterator[RelayServer]:
    # One per test: the relay caches license answers, and the stand-in is reset per test.
    with RelayServer(standin_server.url, standin_server.fixtures["apiKeyRelay"]) as server:
        yield server


@pytest.fixture
def open_dialog(qtbot, make_config) -> Iterator[Callable[..., DevicesDialog]]:
    """A shown dialog with its own services; services close after the workers ended."""
    made: list[Any] = []

    def make(*, key: str = "", **overrides: Any) -> DevicesDialog:
        config = make_config(**overrides)
        services = make_services(config)
        made.append(services)
        dialog = DevicesDialog(config, services, key=key)
        qtbot.addWidget(dialog)
        dialog.show()
        return dialog

    yield make
    wait_for_workers()
    for services in made:
        services.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _rows(dialog: DevicesDialog) -> list[list[str]]:
    model = dialog.model
    return [
        [model.index(r, c).data() for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


def _row_named(dialog: DevicesDialog, name: str) -> int:
    return [row[Column.NAME] for row in _rows(dialog)].index(name)


def _click_row(qtbot, dialog: DevicesDialog, row: int) -> None:
    table = dialog.table
    rect = table.visualRect(dialog.model.index(row, Column.NAME))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _answer_confirmation(qtbot, button: QMessageBox.StandardButton) -> str:
    """Waits for the confirmation, presses ``button`` on it and returns its words."""
    qtbot.waitUntil(
        lambda: isinstance(QApplication.activeModalWidget(), QMessageBox), timeout=WAIT_MS
    )
    box = QApplication.activeModalWidget()
    assert isinstance(box, QMessageBox)
    words = f"{box.text()} {box.informativeText()}"
    qtbot.mouseClick(box.button(button), Qt.MouseButton.LeftButton)
    return words


def _with_modal_dialog(qtbot, trigger: QWidget, drive: Callable[[DevicesDialog], None]) -> None:
    """Clicks ``trigger`` (which runs the dialog's own event loop) and drives the dialog from
    inside that loop; the dialog is closed in any case, so a failure never hangs the test."""

    def run() -> None:
        qtbot.waitUntil(
            lambda: isinstance(QApplication.activeModalWidget(), DevicesDialog), timeout=WAIT_MS
        )
        dialog = QApplication.activeModalWidget()
        try:
            drive(dialog)
        finally:
            qtbot.waitUntil(lambda: not dialog.busy, timeout=WAIT_MS)
            if dialog.isVisible():
                dialog.reject()

    QTimer.singleShot(0, run)
    qtbot.mouseClick(trigger, Qt.MouseButton.LeftButton)


def _result_texts(wizard) -> str:
    page = wizard.result_page
    return " | ".join(label.text() for label in page.findChildren(type(page.headline)))


# --- seat limit: free a seat, activation resumes ----------------------------------------


def test_free_a_seat_resumes_activation_to_success(qtbot, make_wizard, standin, relay):
    wizard = make_wizard(relay_url=relay.url)
    activate(qtbot, wizard, standin.fixtures["seat-limit"], name="New desktop")
    assert wizard.result_page.showing_problem
    primary = wizard.result_page.problem.primary
    assert primary.text().replace("&", "") == "Free a seat"
    seen: dict[str, Any] = {}

    def drive(dialog: DevicesDialog) -> None:
        freed: list[str] = []
        dialog.seatFreed.connect(freed.append)
        qtbot.waitUntil(lambda: dialog.state == "list", timeout=WAIT_MS)
        seen["seats"] = dialog.seats.text()
        seen["names"] = sorted(row[Column.NAME] for row in _rows(dialog))
        # One sentence says what to do; the first row is current and selected, in focus.
        seen["instruction"] = dialog.instruction.text() if dialog.instruction.isVisible() else ""
        assert dialog.selected_row() == 0 and dialog.deactivate_button.isEnabled()
        qtbot.waitUntil(lambda: dialog.table.hasFocus(), timeout=WAIT_MS)
        _click_row(qtbot, dialog, _row_named(dialog, "Old laptop"))
        assert dialog.deactivate_button.isEnabled()
        qtbot.mouseClick(dialog.deactivate_button, Qt.MouseButton.LeftButton)
        seen["question"] = _answer_confirmation(qtbot, QMessageBox.StandardButton.Yes)
        qtbot.waitUntil(lambda: bool(freed) and dialog.state == "list", timeout=WAIT_MS)
        seen["freed"] = list(freed)
        seen["after"] = dialog.seats.text()
        seen["names_after"] = [row[Column.NAME] for row in _rows(dialog)]
        seen["note"] = dialog.note.text()
        seen["then"] = (dialog.instruction.text(), dialog.close_button.text().replace("&", ""))

    _with_modal_dialog(qtbot, primary, drive)

    assert seen["seats"] == "2 of 2 seats used"
    assert seen["names"] == ["Office PC", "Old laptop"]
    assert seen["question"].startswith("Deactivate “Old laptop”?")
    assert "stop working with Studio Pro until it is activated again" in seen["question"]
    assert len(seen["freed"]) == 1
    assert seen["after"] == "1 of 2 seats used"
    assert seen["names_after"] == ["Office PC"]
    assert "“Old laptop” was deactivated" in seen["note"]
    assert "click Deactivate" in seen["instruction"]
    assert seen["then"][1] == "Continue activation" and "Continue activation" in seen["then"][0]
    # The dialog closed with a seat freed: the activation ran again by itself.
    qtbot.waitUntil(
        lambda: wizard.currentId() == PageId.RESULT and wizard.context.outcome is not None,
        timeout=WAIT_MS,
    )
    assert not wizard.result_page.showing_problem
    assert "2 of 2 computers" in _result_texts(wizard)
    names = sorted(m["name"] for m in _machines(standin, "seat-limit"))
    assert names == ["New desktop", "Office PC"]


def test_closing_without_freeing_keeps_the_problem(qtbot, make_wizard, standin, relay):
    wizard = make_wizard(relay_url=relay.url)
    activate(qtbot, wizard, standin.fixtures["seat-limit"])
    attempts = wizard.context.attempts

    def drive(dialog: DevicesDialog) -> None:
        qtbot.waitUntil(lambda: dialog.state == "list", timeout=WAIT_MS)
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        assert not dialog.isVisible()

    _with_modal_dialog(qtbot, wizard.result_page.problem.primary, drive)
    assert wizard.currentId() == PageId.RESULT
    assert wizard.result_page.showing_problem
    assert wizard.context.attempts == attempts
    assert len(_machines(standin, "seat-limit")) == 2


# --- status page: this computer, keyboard -----------------------------------------------


def _second_machine(standin, key: str, name: str) -> None:
    identity = DeviceIdentity(
        fingerprint="f" * 64, name=name, platform=Platform.LINUX, hostname="old-box"
    )
    with LicentricClient(standin.url) as client:
        client.activate(key, identity)


def test_manage_devices_from_status_page_by_keyboard(qtbot, make_wizard, standin, relay):
    key = standin.fixtures["valid"]
    # The other computer first: the relay caches what it last read (the activation reads the
    # license view), and a machine added upstream behind its back shows after that expires.
    _second_machine(standin, key, "Old laptop")
    first = make_wizard(relay_url=relay.url)
    first.context.services.activation.activate(key, "Desk PC")
    first.close()
    wizard = make_wizard(relay_url=relay.url)
    wait_page(qtbot, wizard, PageId.STATUS)
    page = wizard.status_page
    qtbot.waitUntil(lambda: page.devices_button.isEnabled(), timeout=WAIT_MS)
    seen: dict[str, Any] = {}

    def drive(dialog: DevicesDialog) -> None:
        qtbot.waitUntil(lambda: dialog.state == "list", timeout=WAIT_MS)
        qtbot.waitUntil(dialog.table.hasFocus, timeout=WAIT_MS)
        rows = _rows(dialog)
        seen["rows"] = rows
        seen["seats"] = dialog.seats.text()
        mine = [row[Column.NAME] for row in rows if row[Column.STATUS] == THIS_COMPUTER]
        seen["mine"] = mine
        # This computer: selectable, but neither the button nor Delete deactivates it.
        dialog.table.selectRow(_row_named(dialog, "Desk PC"))
        assert not dialog.deactivate_button.isEnabled()
        qtbot.keyClick(dialog.table, Qt.Key.Key_Delete)
        assert QApplication.activeModalWidget() is dialog
        dialog.table.selectRow(_row_named(dialog, "Old laptop"))
        assert dialog.deactivate_button.isEnabled()
        qtbot.keyClick(dialog.table, Qt.Key.Key_Delete)
        seen["question"] = _answer_confirmation(qtbot, QMessageBox.StandardButton.Cancel)
        qtbot.waitUntil(lambda: QApplication.activeModalWidget() is dialog, timeout=WAIT_MS)
        seen["freed"] = dialog.freed_seat
        qtbot.keyClick(dialog.table, Qt.Key.Key_Escape)
        seen["closed"] = not dialog.isVisible()

    _with_modal_dialog(qtbot, page.devices_button, drive)
    assert seen["mine"] == ["Desk PC"]
    assert seen["seats"] == "2 of 3 seats used"
    assert {row[Column.PLATFORM] for row in seen["rows"]} >= {"Linux"}
    assert seen["question"].startswith("Deactivate “Old laptop”?")
    assert seen["freed"] is False and seen["closed"] is True
    assert len(_machines(standin, "valid")) == 2  # Cancel and Delete-on-self removed nothing
    qtbot.waitUntil(lambda: page._worker is None, timeout=WAIT_MS)  # the check after closing


def test_only_this_computer_shows_empty_state(qtbot, open_dialog, make_config, standin, relay):
    with build_services(make_config(relay_url=relay.url)) as services:
        services.activation.activate(standin.fixtures["valid"], "Desk PC")
    dialog = open_dialog(relay_url=relay.url)  # no key given: the stored one is used
    qtbot.waitUntil(lambda: not dialog.busy, timeout=WAIT_MS)
    assert dialog.state == "empty"
    assert dialog.empty.isVisible() and dialog.empty.text() == EMPTY_TEXT
    assert [row[Column.STATUS] for row in _rows(dialog)] == [THIS_COMPUTER]
    assert dialog.seats.text() == "1 of 3 seats used"
    dialog.table.selectRow(0)
    assert not dialog.deactivate_button.isEnabled()


def test_license_without_machines_shows_only_the_empty_text(qtbot, open_dialog, standin, relay):
    dialog = open_dialog(key=standin.fixtures["valid"], relay_url=relay.url)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=WAIT_MS)
    assert dialog.state == "empty"
    assert dialog.empty.isVisible() and not dialog.table.isVisible()
    assert dialog.seats.text() == "0 of 3 seats used"


def test_accessible_names(qtbot, open_dialog, standin, relay):
    dialog = open_dialog(key=standin.fixtures["seat-limit"], relay_url=relay.url)
    qtbot.waitUntil(lambda: dialog.state == "list", timeout=WAIT_MS)
    assert dialog.table.accessibleName() == "Computers using this license"
    assert dialog.deactivate_button.accessibleName() == "Deactivate"
    assert dialog.deactivate_button.accessibleDescription()
    assert "2 of 2 seats used" in dialog.accessibleDescription()
    assert dialog.table.focusPolicy() & Qt.FocusPolicy.TabFocus
    cell = dialog.model.index(0, Column.PLATFORM).data(Qt.ItemDataRole.AccessibleTextRole)
    assert cell == "Platform: Windows"


# --- failures ---------------------------------------------------------------------------


def test_relay_down_shows_problem_and_try_again_recovers(qtbot, open_dialog, standin):
    port = _free_port()  # nothing listens here yet
    dialog = open_dialog(key=standin.fixtures["seat-limit"], relay_url=f"http://127.0.0.1:{port}")
    qtbot.waitUntil(lambda: dialog.state == "problem", timeout=SLOW_MS)
    expected = describe(ConnectFailedError(), dialog._config)
    assert dialog.problem.title.text() == expected.title
    assert dialog.problem.happened.text() == expected.happened
    assert dialog.problem.primary.text().replace("&", "") == "Try again"
    shown = " ".join(
        w.text() for w in (dialog.problem.title, dialog.problem.happened, dialog.problem.steps)
    )
    assert "CONNECT" not in shown and "127.0.0.1" not in shown  # no raw codes or addresses
    assert not dialog.table.isVisible()
    # The relay comes up on that port: Try again lists the computers.
    with RelayServer(standin.url, standin.fixtures["apiKeyRelay"], port=port):
        qtbot.mouseClick(dialog.problem.primary, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.state == "list", timeout=SLOW_MS)
        assert dialog.seats.text() == "2 of 2 seats used"
        wait_for_workers()


def test_machine_gone_meanwhile_shows_problem_then_refreshes(qtbot, open_dialog, standin, relay):
    key = standin.fixtures["seat-limit"]
    dialog = open_dialog(key=key, relay_url=relay.url)
    qtbot.waitUntil(lambda: dialog.state == "list", timeout=WAIT_MS)
    row = _row_named(dialog, "Old laptop")
    old = dialog.model.machine(row)
    with build_services(dialog._config) as other:  # someone else frees it first
        other.devices.deactivate(old.id, key)
    dialog.table.selectRow(row)
    qtbot.mouseClick(dialog.deactivate_button, Qt.MouseButton.LeftButton)
    _answer_confirmation(qtbot, QMessageBox.StandardButton.Yes)
    qtbot.waitUntil(lambda: dialog.state == "problem", timeout=WAIT_MS)
    assert dialog.problem.title.text() == describe(NotFoundError(), dialog._config).title
    assert not dialog.freed_seat
    qtbot.mouseClick(dialog.problem.primary, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.state == "list", timeout=WAIT_MS)
    assert [r[Column.NAME] for r in _rows(dialog)] == ["Office PC"]


def test_escape_during_deactivation_waits_for_it(qtbot, open_dialog, standin, relay):
    dialog = open_dialog(key=standin.fixtures["seat-limit"], relay_url=relay.url)
    qtbot.waitUntil(lambda: dialog.state == "list", timeout=WAIT_MS)
    standin.add_fault("deactivate", "latency", count=1, ms=800)
    dialog.table.selectRow(_row_named(dialog, "Old laptop"))
    qtbot.keyClick(dialog.table, Qt.Key.Key_Delete)
    _answer_confirmation(qtbot, QMessageBox.StandardButton.Yes)
    qtbot.waitUntil(lambda: dialog.busy, timeout=WAIT_MS)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible()  # the seat is being freed: closing waits for the answer
    assert "Closing once" in dialog.note.text()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)
    assert dialog.freed_seat
    assert len(_machines(standin, "seat-limit")) == 1


# --- no relay ---------------------------------------------------------------------------


def test_without_relay_explains_how_to_free_a_seat(qtbot, open_dialog):
    portal = "https://example.com/account"
    dialog = open_dialog(relay_url=None, portal_url=portal)
    assert dialog.state == "no_relay"
    text = dialog.no_relay.text()
    assert f'href="{portal}"' in text
    assert "Move to another computer" in text
    config = dialog._config
    contact = config.support_url or f"mailto:{config.support_email}"
    assert f'href="{contact}"' in text
    assert dialog.no_relay.openExternalLinks()
    assert "Move to another computer" in dialog.no_relay.accessibleName()
    assert not dialog.table.isVisible()
    assert not dialog.deactivate_button.isVisible()
    assert not dialog.busy
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


# --- text from the server is shown as text ------------------------------------------------

MARKUP = "<font color=red>x</font>"


def test_server_names_are_plain_text_everywhere(qtbot, open_dialog, standin, relay):
    key = standin.fixtures["valid"]
    identity = DeviceIdentity(
        fingerprint="e" * 64, name=MARKUP, platform=Platform.LINUX, hostname="<b>host</b>"
    )
    with LicentricClient(standin.url) as client:
        client.activate(key, identity)
    dialog = open_dialog(key=key, relay_url=relay.url)
    qtbot.waitUntil(lambda: dialog.state == "list", timeout=WAIT_MS)
    row = _row_named(dialog, MARKUP)
    machine = dialog.model.index(row, Column.NAME).data(devices_model.MachineRole)
    box = dialog.confirmation_box(machine)
    label = box.findChild(QLabel, "qt_msgbox_label")
    assert label is not None and label.textFormat() == Qt.TextFormat.PlainText
    assert MARKUP in label.text()  # "Deactivate “<font color=red>x</font>”?" read literally
    tip = dialog.model.index(row, Column.NAME).data(Qt.ItemDataRole.ToolTipRole)
    shown = QTextDocument()
    shown.setHtml(tip)
    assert shown.toPlainText() == "Computer name: <b>host</b>"
