"""Rate limits count down and retry by themselves; outages end in "Try again", never in
"invalid"; Cancel during activation leaves nothing behind, here or on the server."""

from __future__ import annotations

import httpx
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from app.api.http import RetryPolicy
from app.domain.problems import Action
from app.services.steps import Step
from app.ui.pages.ids import PageId
from tests.ui.helpers import WAIT_MS, activate, click, type_key, wait_page

# The client retries by itself this many times before the UI sees the failure.
FAULTS_TO_REACH_UI = RetryPolicy().max_retries + 1


def test_rate_limit_counts_down_and_retries_by_itself(qtbot, make_wizard, standin):
    # One 429 is enough: the window never sleeps through a wait the user should see.
    standin.add_fault("validate-key", "rate_limit", count=1, retryAfter=2)
    wizard = make_wizard()
    activate(qtbot, wizard, standin.fixtures["valid"])

    view = wizard.result_page.problem
    assert wizard.result_page.showing_problem
    # The wait is shown once, in the title, in words; it counts down there.
    assert "2 seconds" in view.title.text()
    shown = [view.title.text(), view.happened.text(), view.steps.text(), view.countdown.text()]
    assert sum("second" in text for text in shown if view.isVisible()) == 1, shown
    assert view.primary.text().replace("&", "") == Action.RETRY.label
    described = view.primary.accessibleDescription()
    assert "2 seconds" in described  # said when the problem appeared...
    qtbot.waitUntil(lambda: "1 second" in view.title.text(), timeout=3000)
    assert view.primary.accessibleDescription() == described  # ...not rewritten every second
    # At zero the wizard runs the activation again, which now works.
    qtbot.waitUntil(lambda: wizard.context.attempts == 2, timeout=3000)
    wait_page(qtbot, wizard, PageId.RESULT)
    qtbot.waitUntil(lambda: wizard.context.outcome is not None, timeout=WAIT_MS)
    assert not wizard.result_page.showing_problem


def test_server_down_then_up_works_on_try_again(qtbot, make_wizard, standin):
    standin.add_fault("validate-key", "status", count=FAULTS_TO_REACH_UI, status=503)
    wizard = make_wizard()
    activate(qtbot, wizard, standin.fixtures["valid"])

    view = wizard.result_page.problem
    assert wizard.result_page.showing_problem
    # An outage says so; it never calls a good license invalid.
    for word in ("invalid", "cancelled", "expired", "blocked"):
        assert word not in view.title.text().lower()
    assert not view.countdown.isVisible()
    assert view.primary.text().replace("&", "") == Action.RETRY.label

    qtbot.mouseClick(view.primary, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.context.outcome is not None, timeout=WAIT_MS)
    wait_page(qtbot, wizard, PageId.RESULT)
    assert not wizard.result_page.showing_problem


def test_dropped_connections_show_offline_problem(qtbot, make_wizard, standin):
    standin.add_fault("validate-key", "drop", count=FAULTS_TO_REACH_UI)
    wizard = make_wizard()
    activate(qtbot, wizard, standin.fixtures["valid"])
    view = wizard.result_page.problem
    assert view.primary.text().replace("&", "") == Action.RETRY.label
    assert wizard.context.services.status.stored() is None


def test_cancel_during_activation_leaves_nothing(qtbot, make_wizard, standin, memory_keyring):
    standin.add_fault("activate", "latency", count=1, ms=1500)
    wizard = make_wizard()
    type_key(qtbot, wizard, standin.fixtures["valid"])
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    wait_page(qtbot, wizard, PageId.DEVICE)
    click(qtbot, wizard, QWizard.WizardButton.CommitButton)
    wait_page(qtbot, wizard, PageId.ACTIVATING)
    page = wizard.activating_page
    qtbot.waitUntil(
        lambda: "in progress" in page._texts[Step.ACTIVATE].accessibleName(), timeout=WAIT_MS
    )

    with qtbot.waitSignal(wizard.closed, timeout=WAIT_MS):
        qtbot.mouseClick(
            wizard.button(QWizard.WizardButton.CancelButton), Qt.MouseButton.LeftButton
        )

    assert not wizard.isVisible()
    assert wizard.context.services.status.stored() is None
    assert memory_keyring.store == {}
    assert _machines(standin, "valid") == []


def _machines(standin, scenario: str) -> list[dict]:
    license_id = standin.fixture_details[scenario]["licenseId"]
    answer = httpx.get(
        f"{standin.url}/api/v1/machines",
        params={"licenseId": license_id},
        headers={"Authorization": f"Bearer {standin.fixtures['apiKey']}"},
        timeout=5,
    )
    answer.raise_for_status()
    return answer.json()["data"]


def test_connection_lost_while_registering_says_no_extra_seat_and_retry_recovers(
    qtbot, make_wizard, standin
):
    # The server registers this computer, then every answer about it is lost.
    standin.add_fault("activate", "drop", count=FAULTS_TO_REACH_UI, after=True)
    wizard = make_wizard()
    activate(qtbot, wizard, standin.fixtures["valid"])

    view = wizard.result_page.problem
    assert wizard.result_page.showing_problem
    steps = " ".join(label.text() for label in view.findChildren(type(view.title)))
    assert "won't use an extra seat" in steps

    qtbot.mouseClick(view.primary, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.context.outcome is not None, timeout=WAIT_MS)
    assert len(_machines(standin, "valid")) == 1  # the retry took the same seat


def test_connection_lost_before_registering_says_nothing_about_seats(qtbot, make_wizard, standin):
    standin.add_fault("validate-key", "drop", count=FAULTS_TO_REACH_UI)
    wizard = make_wizard()
    activate(qtbot, wizard, standin.fixtures["valid"])
    view = wizard.result_page.problem
    steps = " ".join(label.text() for label in view.findChildren(type(view.title)))
    assert "extra seat" not in steps
