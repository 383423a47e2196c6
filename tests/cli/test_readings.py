"""The command line under every reading of what the Licentric docs leave open (stand-in
switches): each scenario is parametrised over the readings that affect it."""

from __future__ import annotations

import pytest

from tests.cli.support import APP_ID, assert_explains
from tests.services.support import machines_of
from tests.support import readings


@pytest.mark.parametrize("reading", readings.UNKNOWN_KEY)
def test_unknown_key_is_not_recognised(cli, standin, reading):
    standin.configure(unknown_key=reading)
    rc, payload = cli.json("activate", "--key", "DEMO-ZZZZ-ZZZZ-ZZZZ-ZZZZ")
    assert (rc, payload["code"]) == (3, "NOT_FOUND")  # "key not recognised", never exit 1
    assert_explains(payload, "NOT_FOUND")


@pytest.mark.parametrize("reading", readings.DUPLICATE_FINGERPRINT)
def test_a_lost_activation_answer_is_recovered_without_a_second_seat(cli, standin, fixtures,
                                                                     reading):  # fmt: skip
    standin.configure(duplicate_fingerprint=reading)
    # The machine is created, the answer lost; the repeat meets the duplicate fingerprint.
    standin.add_fault("activate", "drop", count=1, after=True)
    rc, payload = cli.json("activate", "--key", fixtures["valid"])
    assert (rc, payload["code"]) == (0, "VALID")
    [machine] = machines_of(standin, "valid")
    assert machine["id"] == payload["machineId"]


@pytest.mark.parametrize("reading", readings.DUPLICATE_ON_ANOTHER_LICENSE)
def test_this_computer_on_another_license_has_its_own_wording(cli, standin, reading):
    standin.configure(duplicate_fingerprint=reading)
    first, second = readings.licenses_sharing_fingerprints(standin)
    readings.activate_this_computer_upstream(standin, first, APP_ID)
    rc, payload = cli.json("activate", "--key", second)
    assert (rc, payload["code"]) == (5, "FINGERPRINT_IN_USE")
    assert "another license" in payload["message"]
    assert "already listed on your license" not in payload["message"]
    assert_explains(payload, "FINGERPRINT_IN_USE")


@pytest.mark.parametrize("status", readings.LICENSE_STATE_STATUS)
def test_a_license_suspended_during_activation_is_explained(cli, standin, fixtures, status):
    standin.configure(license_state_status=status)
    with readings.suspended_during_activation(standin, "valid"):
        rc, payload = cli.json("activate", "--key", fixtures["valid"])
    assert (rc, payload["code"]) == (5, "LICENSE_SUSPENDED")
    assert_explains(payload, "LICENSE_SUSPENDED")
    assert machines_of(standin, "valid") == []
