"""Every page, dialog and problem in the pseudo-locale (accented, bracketed, 40 % longer): no
text on screen or for screen readers escaped the catalog, and none is cut off."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QWizard

from app.domain.problems import CATALOGUE
from app.i18n import PSEUDO
from app.presentation.problems import ProblemContext, problem_for_code
from app.ui.pages.ids import PageId
from app.ui.problem_text import ProblemInfo
from app.ui.translations import apply_language, remove_language
from tests.ui.helpers import WAIT_MS, click, type_key, wait_page
from tests.ui.pseudo_check import cut_off, untranslated_texts

B = QWizard.WizardButton


@pytest.fixture
def pseudo(qapp):
    installed = apply_language(qapp, PSEUDO)
    yield
    remove_language(qapp, installed)


def _data(wizard, *extra: str) -> list[str]:
    """Values shown as they are: names, keys, the device, the platform."""
    config = wizard.context.config
    identity = wizard.context.identity
    values = [config.product_name, config.vendor_name, config.support_email or "", *extra]
    if identity is not None:
        values += [identity.name, identity.hostname or "", "Linux", "macOS", "Windows"]
    values += [wizard.context.device_name or "", "Pro", "Basic", "Jane Doe"]
    return values


def _check(window, *data: str) -> None:
    window.repaint()
    assert untranslated_texts(window, data) == []
    assert cut_off(window) == []


def test_first_activation_pages(qtbot, pseudo, make_wizard, standin):
    wizard = make_wizard(demo=True)
    wait_page(qtbot, wizard, PageId.KEY)
    _check(wizard, *_data(wizard, *standin.fixtures.values()))
    type_key(qtbot, wizard, "DEMO-12AB")
    _check(wizard, *_data(wizard))
    type_key(qtbot, wizard, standin.fixtures["valid"])
    click(qtbot, wizard, B.NextButton)
    wait_page(qtbot, wizard, PageId.DEVICE)
    qtbot.waitUntil(wizard.device_page.isComplete, timeout=WAIT_MS)
    _check(wizard, *_data(wizard))
    standin.add_fault("activate", "latency", count=1, ms=1500)
    click(qtbot, wizard, B.CommitButton)
    wait_page(qtbot, wizard, PageId.ACTIVATING)
    _check(wizard, *_data(wizard))
    wait_page(qtbot, wizard, PageId.RESULT)
    qtbot.waitUntil(lambda: wizard.context.outcome is not None, timeout=WAIT_MS)
    _check(wizard, *_data(wizard))


def test_status_page_and_move_confirmation(qtbot, pseudo, make_wizard, standin):
    first = make_wizard()
    first.context.services.activation.activate(standin.fixtures["valid"], "Desk PC")
    first.close()
    wizard = make_wizard()  # the same data dir: reopened on the status page
    wait_page(qtbot, wizard, PageId.STATUS)
    qtbot.waitUntil(lambda: wizard.status_page._report is not None, timeout=WAIT_MS)
    _check(wizard, *_data(wizard, "Desk PC", "Jane Doe"))
    box = wizard.status_page.move_confirmation()
    box.show()
    qtbot.addWidget(box)
    _check(box, *_data(wizard))
    box.close()


@pytest.mark.parametrize("key", sorted(CATALOGUE), ids=lambda k: f"{k[0]}-{k[1]}")
def test_every_problem(qtbot, pseudo, make_wizard, key):
    kind, code = key
    wizard = make_wizard()
    config = wizard.context.config
    context = ProblemContext.from_vendor(
        config, seats_used=3, seats_total=3, expires_at=date(2026, 3, 3), retry_after=30,
        skew_seconds=600, failed_step="activate",
    )  # fmt: skip
    problem = problem_for_code(code, kind=kind, product=config.product_name, context=context)
    info = ProblemInfo(
        title=problem.title, happened=problem.what, steps=tuple(problem.steps),
        action=problem.action.value, action_label=problem.label,
        support_code=problem.support_code,
    )  # fmt: skip
    page = wizard.result_page
    wizard.context.error = None
    page.problem.show_problem(info, "")
    page._stack.setCurrentIndex(1)
    wizard.setStartId(PageId.RESULT)
    wizard.restart()
    page.problem.show_problem(info, "")
    page._stack.setCurrentIndex(1)
    page.setTitle(page.title())  # keep the page's own title from initializePage
    _check(wizard, *_data(wizard, "https://example.com/renew"))


@pytest.fixture
def relay(standin_server):
    from app.relay.server import RelayServer

    with RelayServer(standin_server.url, standin_server.fixtures["apiKeyRelay"]) as server:
        yield server


@pytest.fixture
def devices_dialog(qtbot, make_config):
    from app.ui.devices_dialog import DevicesDialog
    from app.ui.wiring import make_services
    from app.ui.workers import wait_for_workers

    made = []

    def make(*, key: str = "", **overrides):
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


def test_devices_dialog_listing_and_confirmation(qtbot, pseudo, devices_dialog, standin, relay):
    dialog = devices_dialog(key=standin.fixtures["seat-limit"], relay_url=relay.url)
    qtbot.waitUntil(lambda: dialog.state == "list", timeout=WAIT_MS)
    machines = [dialog.model.machine(row) for row in range(dialog.model.rowCount())]
    names = [m.name or "" for m in machines] + [m.hostname or "" for m in machines]
    _check(dialog, "Studio Pro", *names, "Windows", "macOS", "Linux")
    box = dialog.confirmation_box(machines[0])
    box.show()
    _check(box, "Studio Pro", *names)
    box.close()


def test_devices_dialog_without_relay(qtbot, pseudo, devices_dialog):
    dialog = devices_dialog(portal_url="https://example.com/account")
    qtbot.waitUntil(lambda: dialog.state == "no_relay", timeout=WAIT_MS)
    _check(dialog, "Studio Pro", "Example Software", "https://example.com/account")
