"""The wizard behind a real company proxy (Squid on loopback asking for Basic auth): the
sign-in problem, the sign-in dialog (a wrong password said plainly, then the right one,
remembered in the keychain when ticked), activation through the proxy, and the password in no
log and no support details. Also: the machine-wide choice when running as administrator."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QWizard

from app.platform.proxy_sign_in import ENTRY
from app.ui.pages.ids import PageId
from app.ui.proxy_sign_in_dialog import ProxySignInDialog
from tests.support.auth_proxy import AuthProxy, squid_proxy
from tests.ui.helpers import WAIT_MS, activate, click, type_key, wait_page

PASSWORD = "Wizard-Pr0xy-Pass"  # noqa: S105 - the test proxy's own password
APP_ID = "com.example.studio-test"


@pytest.fixture(scope="module")
def proxy() -> Iterator[AuthProxy]:
    with squid_proxy("carol", PASSWORD) as running:
        yield running


@pytest.fixture
def behind_proxy(proxy, monkeypatch) -> AuthProxy:
    for name in ("HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "http_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    return proxy


def _fill_dialog(qtbot, wizard, user: str, password: str, *, remember: bool) -> Callable[[], None]:
    """Answer the sign-in dialog from inside its own event loop; returns a stop function."""
    seen: list[ProxySignInDialog] = []
    timer = QTimer(wizard)

    def poll() -> None:
        dialogs = [d for d in wizard.findChildren(ProxySignInDialog) if d.isVisible()]
        if not dialogs or dialogs[0] in seen:
            return
        dialog = dialogs[0]
        seen.append(dialog)
        dialog.user_edit.setText(user)
        qtbot.keyClicks(dialog.password_edit, password)
        dialog.remember_box.setChecked(remember)
        qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)

    timer.timeout.connect(poll)
    timer.start(30)
    return lambda: (timer.stop(), seen)[1]


def test_sign_in_to_the_proxy_from_the_wizard(
    qtbot, make_wizard, standin, behind_proxy, memory_keyring, caplog
):
    caplog.set_level(logging.DEBUG)
    wizard = make_wizard()
    activate(qtbot, wizard, standin.fixtures["valid"])
    assert wizard.context.error.code == "PROXY_AUTH_REQUIRED"
    assert wizard.result_page.problem.primary.accessibleName() == "Sign in to the proxy"

    stop = _fill_dialog(qtbot, wizard, "carol", "not-it", remember=False)
    attempts = wizard.context.attempts
    qtbot.mouseClick(wizard.result_page.problem.primary, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.context.attempts == attempts + 1, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: wizard.context.error is not None, timeout=WAIT_MS)
    assert len(stop()) == 1
    assert wizard.context.error.code == "PROXY_AUTH_FAILED"
    # The result page shows it once the wizard moved on to it (an event-loop turn later).
    problem = wizard.result_page.problem
    qtbot.waitUntil(lambda: "didn't accept" in problem.announcement(), timeout=WAIT_MS)

    stop = _fill_dialog(qtbot, wizard, "carol", PASSWORD, remember=True)
    qtbot.mouseClick(wizard.result_page.problem.primary, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.context.outcome is not None, timeout=WAIT_MS)
    [dialog] = stop()
    assert "didn't accept" in dialog.intro.text()  # the second dialog said why it is back

    assert " carol " in behind_proxy.access_log
    assert PASSWORD in memory_keyring.store[(APP_ID, ENTRY)]  # remembered, as ticked
    assert PASSWORD not in caplog.text
    assert PASSWORD not in wizard.result_page.problem.details()


def test_a_remembered_sign_in_is_used_without_asking(
    qtbot, make_wizard, standin, behind_proxy, memory_keyring
):
    memory_keyring.set_password(
        APP_ID, ENTRY, '{"username": "carol", "password": "' + PASSWORD + '"}'
    )
    wizard = make_wizard()
    activate(qtbot, wizard, standin.fixtures["valid"])
    assert wizard.context.error.code == "PROXY_AUTH_REQUIRED"  # nothing is read before a 407

    stop = _fill_dialog(qtbot, wizard, "x", "y", remember=False)
    qtbot.mouseClick(wizard.result_page.problem.primary, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.context.outcome is not None, timeout=WAIT_MS)
    assert stop() == []  # no dialog: the remembered sign-in was enough


@pytest.mark.skipif(
    os.name != "posix" or os.geteuid() != 0, reason="the choice is offered to administrators"
)
def test_an_administrator_can_activate_for_every_user(
    qtbot, make_wizard, standin, system_data_dir, data_dir
):
    wizard = make_wizard()
    type_key(qtbot, wizard, standin.fixtures["valid"])
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    wait_page(qtbot, wizard, PageId.DEVICE)
    box = wizard.device_page.machine_wide_box
    qtbot.waitUntil(lambda: box.isVisible(), timeout=WAIT_MS)
    box.setChecked(True)
    click(qtbot, wizard, QWizard.WizardButton.CommitButton)
    wait_page(qtbot, wizard, PageId.RESULT)
    qtbot.waitUntil(lambda: wizard.context.outcome is not None, timeout=WAIT_MS)

    assert (Path(system_data_dir) / "activation.json").is_file()
    assert not (Path(data_dir) / "activation.json").exists()


@pytest.mark.skipif(
    os.name != "posix" or os.geteuid() != 0, reason="writing machine-wide state needs root"
)
def test_the_status_page_shows_the_activation_for_every_user(qtbot, make_wizard, standin):
    first = make_wizard()
    services = first.context.services
    services.use_scope("machine")
    services.activation.activate(standin.fixtures["valid"], "Lab PC")
    first.close()

    wizard = make_wizard()  # a fresh window looks for this user's own activation, then this one
    wait_page(qtbot, wizard, PageId.STATUS)
    page = wizard.status_page
    qtbot.waitUntil(lambda: page._report is not None, timeout=WAIT_MS)
    assert wizard.context.services.machine_wide
    assert "for every user of this computer" in page.notes.text()
    assert page.freshness.text().startswith("Last check:")  # root reads the key: fresh check


def test_status_page_offers_the_proxy_sign_in_and_checks_again(
    qtbot, make_wizard, standin, proxy, monkeypatch
):
    first = make_wizard()
    first.context.services.activation.activate(standin.fixtures["valid"], "Desk PC")
    first.close()
    for name in ("HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "http_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", proxy.url)  # the computer moved behind the proxy

    wizard = make_wizard()
    wait_page(qtbot, wizard, PageId.STATUS)
    page = wizard.status_page
    qtbot.waitUntil(lambda: page._report is not None and page.problem.isVisible(), timeout=WAIT_MS)
    assert page._report.licensed  # the saved answer still counts ...
    assert "is activated" in page.headline.text()
    assert page.problem.primary.accessibleName() == "Sign in to the proxy"  # ... and it asks

    stop = _fill_dialog(qtbot, wizard, "carol", PASSWORD, remember=False)
    report = page._report
    qtbot.mouseClick(page.problem.primary, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page._report is not report and not page._report.stale, timeout=WAIT_MS)
    assert len(stop()) == 1
    assert not page.problem.isVisible()
    assert page.freshness.text().startswith("Last check:")
