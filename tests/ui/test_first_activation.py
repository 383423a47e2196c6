"""First activation end to end against the stand-in, driven through the real buttons."""

from __future__ import annotations

from PySide6.QtWidgets import QWizard

from app.ui.pages.ids import PageId
from tests.ui.helpers import activate, click, wait_page


def test_first_activation_shows_license_and_stores_it(qtbot, make_wizard, standin):
    wizard = make_wizard()
    wait_page(qtbot, wizard, PageId.KEY)

    activate(qtbot, wizard, standin.fixtures["valid"], name="Test laptop")

    page = wizard.result_page
    assert not page.showing_problem
    assert "is activated" in page.headline.text()
    shown = page.success.findChildren(type(page.headline))
    texts = " | ".join(label.text() for label in shown)
    assert "Jane Doe" in texts and "Active" in texts and "Basic, Pro" in texts
    assert "Test laptop" in texts
    # validate-key tells no seat count or policy; without a relay those rows are left out
    assert "Seats" not in texts and "computers" not in texts and "Check-ins" not in texts
    assert wizard.context.services.status.stored() is not None
    click(qtbot, wizard, QWizard.WizardButton.FinishButton)
    qtbot.waitUntil(lambda: not wizard.isVisible())


def test_with_a_relay_the_result_shows_the_owners_facts(qtbot, make_wizard, standin, ui_relay):
    wizard = make_wizard(relay_url=ui_relay.url)
    wait_page(qtbot, wizard, PageId.KEY)
    activate(qtbot, wizard, standin.fixtures["heartbeat"], name="Test laptop")
    page = wizard.result_page
    assert not page.showing_problem
    texts = " | ".join(label.text() for label in page.success.findChildren(type(page.headline)))
    assert "Pia Schulz" in texts  # the licensee from the relay's view
    assert "up to 3 computers" in texts  # the total; the count may predate this seat
    assert "every 1 minute" in texts and "not allowed" in texts  # check-ins, offline use
