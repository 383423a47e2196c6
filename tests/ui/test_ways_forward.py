"""No dead ends: every problem on the result page shows the controls its steps name, Try again
re-runs with the typed key, Enter a different key and Back keep what was typed, "Finish" only
after success, and "Activate again" on the status page uses the saved key."""

from __future__ import annotations

import re

import httpx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QWizard

from app.domain.errors import ApiError, LicenseInvalidError, WizardError
from app.domain.problems import CATALOGUE, Action
from app.domain.problems.entry import API, VALIDATION
from app.ui.pages.ids import PageId
from app.ui.wizard import ActivationWizard
from tests.ui.helpers import WAIT_MS, activate, click, wait_page

# "click Try again", "Click Close, or ...", "choose Activate without internet to ..."
NAMED = re.compile(r"\b(?:click|choose|press) ([A-Z][\w-]*(?: [a-z][\w-]*)*)", re.IGNORECASE)
CONTROLS = (
    "Try again",
    "Activate again",
    "Close",
    "Copy details for support",
    "Enter a different key",
    "Activate without internet",
    "Free a seat",
    "Back",
)
# Offline license files fail on the page that loads them, never on the result page.
ELSEWHERE = {code for (_kind, code) in CATALOGUE if code.startswith("OFFLINE_FILE_")}


def error_for(kind: str, code: str) -> WizardError:
    if kind == VALIDATION:
        return LicenseInvalidError(code)
    if kind == API:
        return ApiError("the walk", code=code)
    return WizardError("the walk", code=code)


def named_controls(step: str) -> list[str]:
    """The controls a step tells the user to use (the longest known name that fits)."""
    found = []
    for match in NAMED.finditer(step):
        words = match.group(1)
        known = [c for c in CONTROLS if words == c or words.startswith(c + " ")]
        assert known, f"the step names a control this test does not know: {step!r}"
        found.append(max(known, key=len))
    return found


def shown_controls(wizard: ActivationWizard) -> set[str]:
    return {
        " ".join(b.text().replace("&", "").replace("<", "").replace(">", "").split())
        for b in wizard.findChildren(QAbstractButton)
        if b.isVisible() and b.isEnabled()
    }


def show_problem(qtbot, wizard: ActivationWizard, error: WizardError) -> None:
    wizard.context.error = error
    wizard.go_to(PageId.RESULT)
    wait_page(qtbot, wizard, PageId.RESULT)
    qtbot.waitUntil(lambda: wizard.result_page.showing_problem, timeout=WAIT_MS)


def test_every_problem_shows_the_controls_its_steps_name(qtbot, make_wizard):
    wizard = make_wizard()
    wait_page(qtbot, wizard, PageId.KEY)
    wizard.context.key = "ABCD-1234-EFGH-5678"
    walked = 0
    for (kind, code), _entry in CATALOGUE.items():
        if code in ELSEWHERE:
            continue
        show_problem(qtbot, wizard, error_for(kind, code))
        info = wizard.result_page.problem
        steps = [info.title.text(), info.happened.text(), info.steps.text()]
        shown = shown_controls(wizard)
        for step in steps:
            for control in named_controls(step):
                assert control in shown, f"{kind} {code}: {control!r} named, page shows {shown}"
        assert "Finish" not in shown, f"{kind} {code}: Finish after a failure"
        assert {"Close", "Back"} <= shown, f"{kind} {code}: {shown}"
        walked += 1
        wizard.go_to(PageId.KEY)
        wait_page(qtbot, wizard, PageId.KEY)
    assert walked >= 40


def test_try_again_reruns_with_the_typed_key(qtbot, make_wizard, standin):
    wizard = make_wizard()
    activate(qtbot, wizard, standin.fixtures["expired"], name="Studio laptop")
    problem = wizard.result_page.problem
    retry = problem.secondary[Action.RETRY]
    assert retry.isVisible() and "Try again" in retry.text().replace("&", "")
    attempts = wizard.context.attempts
    qtbot.mouseClick(retry, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.context.attempts == attempts + 1, timeout=WAIT_MS)
    wait_page(qtbot, wizard, PageId.RESULT)
    assert wizard.context.key.replace("-", "") == standin.fixtures["expired"].replace("-", "")
    assert wizard.context.device_name == "Studio laptop"


def test_enter_a_different_key_keeps_the_field(qtbot, make_wizard, standin):
    wizard = make_wizard()
    activate(qtbot, wizard, standin.fixtures["revoked"])
    typed = wizard.key_page.key_edit.text()
    buttons = [b for b in wizard.result_page.problem.secondary.values() if b.isVisible()]
    other = next(b for b in buttons if "different key" in b.text().replace("&", ""))
    qtbot.mouseClick(other, Qt.MouseButton.LeftButton)
    wait_page(qtbot, wizard, PageId.KEY)
    assert wizard.key_page.key_edit.text() == typed


def test_back_returns_to_the_device_page_with_its_name(qtbot, make_wizard, standin):
    wizard = make_wizard()
    activate(qtbot, wizard, standin.fixtures["suspended"], name="Studio laptop")
    back = wizard.button(QWizard.WizardButton.CustomButton1)
    assert back.isVisible()
    assert "Close" in wizard.button(QWizard.WizardButton.FinishButton).text()
    qtbot.mouseClick(back, Qt.MouseButton.LeftButton)
    wait_page(qtbot, wizard, PageId.DEVICE)
    assert wizard.device_page.name_edit.text() == "Studio laptop"
    assert not wizard.button(QWizard.WizardButton.CustomButton1).isVisible()
    click(qtbot, wizard, QWizard.WizardButton.BackButton)  # and on to the key page
    wait_page(qtbot, wizard, PageId.KEY)


def test_finish_only_after_success(qtbot, make_wizard, standin):
    wizard = make_wizard()
    activate(qtbot, wizard, standin.fixtures["valid"])
    qtbot.waitUntil(lambda: wizard.context.outcome is not None, timeout=WAIT_MS)
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    assert finish.text().replace("&", "") == "Finish"
    assert not wizard.button(QWizard.WizardButton.CustomButton1).isVisible()


@pytest.mark.parametrize("scenario", ["valid"])
def test_activate_again_uses_the_saved_key(qtbot, make_wizard, standin, scenario):
    first = make_wizard()
    activate(qtbot, first, standin.fixtures[scenario], name="Desk PC")
    qtbot.waitUntil(lambda: first.context.outcome is not None, timeout=WAIT_MS)
    machine_id = first.context.outcome.record.machine_id
    first.close()
    # This computer is removed from the license elsewhere (another computer freed its seat).
    answer = httpx.delete(
        f"{standin.url}/api/v1/machines/{machine_id}",
        headers={"Authorization": f"Bearer {standin.fixtures['apiKey']}"},
        timeout=5,
    )
    assert answer.status_code in (200, 204)
    wizard = make_wizard()
    page = wizard.status_page
    qtbot.waitUntil(lambda: page.problem.isVisible(), timeout=WAIT_MS)
    assert page.problem.primary.text().replace("&", "") == "Activate again"
    assert not page.headline.isVisible()  # one heading: the problem's title
    attempts = wizard.context.attempts
    qtbot.mouseClick(page.problem.primary, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.context.attempts == attempts + 1, timeout=WAIT_MS)
    # The activating page switches to the result on the next event-loop turn: wait for both.
    qtbot.waitUntil(
        lambda: wizard.context.outcome is not None and wizard.currentId() == PageId.RESULT,
        timeout=WAIT_MS,
    )
    assert not wizard.result_page.showing_problem
    assert wizard.context.outcome.record.device_name == "Desk PC"
