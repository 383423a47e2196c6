"""Reopening the wizard: the status page, Check now, stale answers, moving to another computer."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from app.ui.pages.ids import PageId
from tests.ui.helpers import WAIT_MS, activate, wait_page
from tests.ui.test_outages import FAULTS_TO_REACH_UI, _machines


def _activate_with_services(wizard, key: str) -> None:
    """Precondition for reopen tests: an activation made by the service itself."""
    wizard.context.services.activation.activate(key, "Desk PC")


def _reopened(qtbot, make_wizard, standin, scenario: str = "valid", **config):
    first = make_wizard(**config)
    _activate_with_services(first, standin.fixtures[scenario])
    first.close()
    wizard = make_wizard(**config)
    wait_page(qtbot, wizard, PageId.STATUS)
    page = wizard.status_page
    qtbot.waitUntil(lambda: page._report is not None, timeout=WAIT_MS)
    return wizard, page


def _texts(page) -> str:
    return " | ".join(label.text() for label in page.findChildren(type(page.headline)))


def test_reopen_shows_status_with_fresh_check(qtbot, make_wizard, standin):
    wizard, page = _reopened(qtbot, make_wizard, standin)
    assert wizard.currentId() == PageId.STATUS
    text = _texts(page)
    assert "is activated on this computer" in page.headline.text()
    for expected in ("Jane Doe", "Active", "Desk PC", "Basic, Pro"):
        assert expected in text
    assert "Seats" not in text and "computers" not in text  # no relay: nothing tells
    assert page.freshness.text().startswith("Last check:")
    assert not page.problem.isVisible()


def test_reopen_with_a_relay_shows_seats_and_policy(qtbot, make_wizard, standin, ui_relay):
    wizard, page = _reopened(qtbot, make_wizard, standin, relay_url=ui_relay.url)
    text = _texts(page)
    for expected in ("Jane Doe", "1 of 3 computers", "not needed", "not allowed"):
        assert expected in text


def test_stale_answer_is_shown_as_last_confirmed(qtbot, make_wizard, standin):
    first = make_wizard()
    _activate_with_services(first, standin.fixtures["valid"])
    first.close()
    standin.add_fault("validate-key", "drop", count=None)
    wizard = make_wizard()
    page = wizard.status_page
    qtbot.waitUntil(lambda: page._report is not None, timeout=WAIT_MS)
    assert page.freshness.text().startswith("Last confirmed on ")
    assert "The licensing service can't be reached right now" in page.freshness.text()
    # Calmly, and for how long: the offline grace's end, as the command line says it.
    assert "works offline until" in page.freshness.text()
    assert page.freshness.property("state") != "error"
    # Still licensed: an outage never turns a good license into a problem.
    assert "is activated on this computer" in page.headline.text()
    assert not page.problem.isVisible()


def test_rate_limit_on_reopening_is_worded_as_such(qtbot, make_wizard, standin):
    first = make_wizard()
    _activate_with_services(first, standin.fixtures["valid"])
    first.close()
    standin.add_fault("validate-key", "rate_limit", count=None, retryAfter=600)
    wizard = make_wizard()
    page = wizard.status_page
    qtbot.waitUntil(lambda: page._report is not None, timeout=WAIT_MS)
    assert "asked this computer to wait" in page.freshness.text()
    assert "can't be reached" not in page.freshness.text()
    assert "works offline until" in page.freshness.text()


def test_check_now_asks_again(qtbot, make_wizard, standin):
    wizard, page = _reopened(qtbot, make_wizard, standin)
    # styled as the primary action (wizard.qss), unlike the other buttons
    assert page.check_button.objectName() == "primaryAction" and page.check_button.font().bold()
    assert page.devices_button.objectName() != "primaryAction"
    standin.add_fault("validate-key", "status", count=FAULTS_TO_REACH_UI, status=503)
    first_report = page._report
    qtbot.mouseClick(page.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page._report is not first_report, timeout=WAIT_MS)
    assert "can't be reached" in page.freshness.text()
    qtbot.mouseClick(page.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.freshness.text().startswith("Last check:"), timeout=WAIT_MS)


def test_move_to_another_computer_deactivates_and_clears(qtbot, make_wizard, standin):
    wizard, page = _reopened(qtbot, make_wizard, standin)
    assert len(_machines(standin, "valid")) == 1
    seen: list[str] = []

    def confirm() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.append(box.text() + " " + box.informativeText())
        yes = box.button(QMessageBox.StandardButton.Yes)
        qtbot.mouseClick(yes, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, confirm)
    with qtbot.waitSignal(page.deactivated, timeout=WAIT_MS):
        qtbot.mouseClick(page.move_button, Qt.MouseButton.LeftButton)

    assert "stop working on this computer" in seen[0]
    assert page.headline.text() == "This computer is no longer activated"
    assert page.activate_again_button.isVisible()
    assert wizard.context.services.status.stored() is None
    assert _machines(standin, "valid") == []
    qtbot.mouseClick(page.activate_again_button, Qt.MouseButton.LeftButton)
    wait_page(qtbot, wizard, PageId.KEY)


def test_move_cancelled_in_the_confirmation_keeps_everything(qtbot, make_wizard, standin):
    wizard, page = _reopened(qtbot, make_wizard, standin)

    def cancel() -> None:
        box = QApplication.activeModalWidget()
        qtbot.keyClick(box, Qt.Key.Key_Escape)

    QTimer.singleShot(0, cancel)
    qtbot.mouseClick(page.move_button, Qt.MouseButton.LeftButton)
    assert wizard.context.services.status.stored() is not None
    assert len(_machines(standin, "valid")) == 1


def test_use_a_different_key_replaces_the_license_and_frees_the_old_seat(
    qtbot, make_wizard, standin
):
    wizard, page = _reopened(qtbot, make_wizard, standin)
    qtbot.mouseClick(page.change_key_button, Qt.MouseButton.LeftButton)
    wait_page(qtbot, wizard, PageId.KEY)
    activate(qtbot, wizard, standin.fixtures["valid-2"])
    notes = wizard.result_page.findChildren(type(page.headline))
    text = " | ".join(label.text() for label in notes)
    assert "no longer uses a seat on this computer" in text
    assert _machines(standin, "valid") == []
    assert len(_machines(standin, "valid-2")) == 1


def test_manage_devices_opens_the_devices_dialog(qtbot, make_wizard, standin):
    wizard, page = _reopened(qtbot, make_wizard, standin)
    shown: list[str] = []

    def close_it() -> None:
        box = QApplication.activeModalWidget()
        shown.append(type(box).__name__)
        box.close()

    QTimer.singleShot(0, close_it)
    qtbot.mouseClick(page.devices_button, Qt.MouseButton.LeftButton)
    assert shown == ["DevicesDialog"]


def test_status_names_the_vendors_product(qtbot, make_wizard, standin):
    first = make_wizard(product_name="Acme Suite")
    _activate_with_services(first, standin.fixtures["valid"])
    first.close()
    wizard = make_wizard(product_name="Acme Suite")
    page = wizard.status_page
    qtbot.waitUntil(lambda: page._report is not None, timeout=WAIT_MS)
    assert page.headline.text() == "Acme Suite is activated on this computer."
    assert "Acme Suite will stop working" in page.move_confirmation().informativeText()
