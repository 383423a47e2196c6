"""Every stand-in fixture scenario, activated through the wizard, ends on the right result."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtGui import QDesktopServices

from app.domain.problems import Action
from app.ui.pages.ids import PageId
from tests.ui.helpers import activate, wait_page

# scenario -> (words the problem title must contain, the primary action)
PROBLEMS = {
    "expired": ("expired", Action.RENEW),
    "expired-revoke": ("cancelled", Action.CONTACT_SUPPORT),
    "suspended": ("on hold", Action.CONTACT_SUPPORT),
    "revoked": ("cancelled", Action.CONTACT_SUPPORT),
    "banned": ("blocked", Action.CONTACT_SUPPORT),
    "seat-limit": ("2 of 2 computers", Action.FREE_SEAT),
    "entitlements": ("“Pro” feature", Action.RENEW),  # the display name, as on success
    "uses-exceeded": ("used up", Action.RENEW),
}
SUCCESSES = ("valid", "valid-2", "expired-allow-access", "heartbeat", "offline", "one-seat")


@pytest.mark.parametrize("scenario", sorted(PROBLEMS))
def test_problem_scenario_ends_on_its_problem(qtbot, make_wizard, standin, scenario):
    words, action = PROBLEMS[scenario]
    wizard = make_wizard()
    activate(qtbot, wizard, standin.fixtures[scenario])

    view = wizard.result_page.problem
    assert wizard.result_page.showing_problem
    assert words in view.title.text()
    assert view.primary.isVisible()
    assert view.primary.text().replace("&", "") == _label(action, scenario)
    assert view.support_line.text().startswith("Support code: AW-")
    # Announced: the page's accessible description carries the problem.
    assert view.title.text() in wizard.result_page.accessibleDescription()
    # Nothing was stored for a failed activation.
    assert wizard.context.services.status.stored() is None


def _label(action: Action, scenario: str) -> str:
    return "Upgrade license" if scenario == "entitlements" else action.label


@pytest.mark.parametrize("scenario", SUCCESSES)
def test_usable_scenario_ends_activated(qtbot, make_wizard, standin, scenario):
    wizard = make_wizard()
    activate(qtbot, wizard, standin.fixtures[scenario])
    assert not wizard.result_page.showing_problem
    assert wizard.context.services.status.stored() is not None


def test_seat_limit_ends_on_free_a_seat_button(qtbot, make_wizard, standin):
    wizard = make_wizard()
    activate(qtbot, wizard, standin.fixtures["seat-limit"])
    primary = wizard.result_page.problem.primary
    assert primary.text().replace("&", "") == "Free a seat"
    # Focus moves there once the page is shown (a zero timer after QWizard's own focus).
    qtbot.waitUntil(lambda: primary.hasFocus() or wizard.focusWidget() is primary, timeout=2000)


def test_unknown_key_offers_reentry_back_on_the_key_page(qtbot, make_wizard, standin):
    known = standin.fixtures["valid"]
    unknown = known[:-4] + ("AAAA" if not known.endswith("AAAA") else "BBBB")
    wizard = make_wizard()
    activate(qtbot, wizard, unknown)
    primary = wizard.result_page.problem.primary
    assert primary.text().replace("&", "") == Action.REENTER_KEY.label
    qtbot.mouseClick(primary, Qt.MouseButton.LeftButton)
    wait_page(qtbot, wizard, PageId.KEY)
    assert wizard.key_page.key_edit.text() == unknown


class _UrlCatcher(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    @Slot("QUrl")
    def open(self, url) -> None:
        self.urls.append(url.toString())


def test_renew_opens_the_vendor_renew_page(qtbot, make_wizard, standin):
    catcher = _UrlCatcher()
    QDesktopServices.setUrlHandler("https", catcher, "open")
    try:
        wizard = make_wizard(renew_url="https://example.com/renew-here")
        activate(qtbot, wizard, standin.fixtures["expired"])
        qtbot.mouseClick(wizard.result_page.problem.primary, Qt.MouseButton.LeftButton)
        assert catcher.urls == ["https://example.com/renew-here"]
    finally:
        QDesktopServices.unsetUrlHandler("https")


def test_copy_details_has_support_code_and_no_key(qtbot, make_wizard, standin):
    wizard = make_wizard()
    key = standin.fixtures["suspended"]
    activate(qtbot, wizard, key)
    view = wizard.result_page.problem
    qtbot.mouseClick(view.copy_button, Qt.MouseButton.LeftButton)
    from PySide6.QtGui import QGuiApplication

    copied = QGuiApplication.clipboard().text()
    assert view.support_line.text().removeprefix("Support code: ") in copied
    assert key not in copied and key.replace("-", "") not in copied
    assert key[-4:] in copied  # the masked key identifies the case
    for needed in ("Qt:", "Python:", "Operating system:", "Activation wizard:"):
        assert needed in copied


def test_problem_names_the_vendors_product_as_the_command_line_does(qtbot, make_wizard, standin):
    # validate-key does not name the product: the vendor's configured name is the one used.
    wizard = make_wizard(product_name="Acme Suite")
    activate(qtbot, wizard, standin.fixtures["expired"])
    happened = wizard.result_page.problem.happened.text()
    assert "Acme Suite" in happened
    assert "Studio Pro" not in happened
