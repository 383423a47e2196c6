"""The wizard under every reading of what the Licentric docs leave open (stand-in switches):
each scenario is parametrised over the readings that affect it, driven through the buttons."""

from __future__ import annotations

import pytest

from app.domain.problems import Action
from tests.services.support import machines_of
from tests.support import readings
from tests.ui.helpers import activate


def _problem(wizard) -> tuple[str, str, str]:
    view = wizard.result_page.problem
    assert wizard.result_page.showing_problem
    assert wizard.context.services.status.stored() is None  # nothing kept for a failure
    return view.title.text(), view.primary.text().replace("&", ""), view.support_line.text()


@pytest.mark.parametrize("reading", readings.UNKNOWN_KEY)
def test_unknown_key_is_not_recognised(qtbot, make_wizard, standin, reading):
    standin.configure(unknown_key=reading)
    wizard = make_wizard()
    activate(qtbot, wizard, "DEMO-ZZZZ-ZZZZ-ZZZZ-ZZZZ")
    title, action, support = _problem(wizard)
    assert title == "This license key wasn't recognised"
    assert action == Action.REENTER_KEY.label
    assert "no longer exists" not in title


@pytest.mark.parametrize("reading", readings.DUPLICATE_FINGERPRINT)
def test_a_lost_activation_answer_is_recovered_without_a_second_seat(qtbot, make_wizard, standin,
                                                                     reading):  # fmt: skip
    standin.configure(duplicate_fingerprint=reading)
    standin.add_fault("activate", "drop", count=1, after=True)
    wizard = make_wizard()
    activate(qtbot, wizard, standin.fixtures["valid"])
    assert not wizard.result_page.showing_problem
    [machine] = machines_of(standin, "valid")
    assert machine["id"] == wizard.context.services.status.stored().machine_id


@pytest.mark.parametrize("reading", readings.DUPLICATE_ON_ANOTHER_LICENSE)
def test_this_computer_on_another_license_has_its_own_wording(qtbot, make_wizard, standin,
                                                              reading):  # fmt: skip
    standin.configure(duplicate_fingerprint=reading)
    first, second = readings.licenses_sharing_fingerprints(standin)
    wizard = make_wizard()
    readings.activate_this_computer_upstream(standin, first, wizard.context.config.app_id)
    activate(qtbot, wizard, second)
    title, action, support = _problem(wizard)
    assert title == "This computer is already activated with another license"
    assert action == Action.REENTER_KEY.label
    assert "AW-DUP-OTHER" in support


@pytest.mark.parametrize("status", readings.LICENSE_STATE_STATUS)
def test_a_license_suspended_during_activation_is_explained(qtbot, make_wizard, standin, status):
    standin.configure(license_state_status=status)
    wizard = make_wizard()
    with readings.suspended_during_activation(standin, "valid"):
        activate(qtbot, wizard, standin.fixtures["valid"])
    title, action, support = _problem(wizard)
    assert "on hold" in title
    assert action == Action.CONTACT_SUPPORT.label
    assert machines_of(standin, "valid") == []
