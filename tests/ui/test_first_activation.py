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
    assert "Jane Doe" in texts
    assert "1 of 3 computers" in texts
    assert "Test laptop" in texts
    assert wizard.context.services.status.stored() is not None
    click(qtbot, wizard, QWizard.WizardButton.FinishButton)
    qtbot.waitUntil(lambda: not wizard.isVisible())
