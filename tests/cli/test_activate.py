"""`activate` over real HTTP against the stand-in: exit codes, JSON, local state, outages."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from tests.cli.support import (
    APP_ID,
    PRODUCT,
    SCENARIOS,
    assert_explains,
    assert_no_state,
)
from tests.services.support import (
    admin_post,
    license_id,
    machines_of,
    request_counter,
    stored_key,
)

# --- the happy path --------------------------------------------------------------------


def test_activate_status_deactivate(cli, fixtures, standin, data_dir):
    rc, activated = cli.json("activate", "--key", fixtures["valid"], "--name", "Box")
    assert rc == 0, activated
    [machine] = machines_of(standin, "valid")
    assert activated["machineId"] == machine["id"]
    assert activated["licenseId"] == standin.fixture_details["valid"]["licenseId"]
    assert activated["deviceName"] == "Box"
    assert activated["keyStorage"] == "keychain"
    assert activated["product"] == PRODUCT
    assert "seats" not in activated  # validate-key tells none and no relay is configured
    assert activated["status"] == "active"
    assert activated["expiresAt"]
    assert stored_key(APP_ID) == fixtures["valid"]

    rc, status = cli.json("status")
    assert rc == 0 and status["licensed"] and not status["stale"]
    assert status["machineId"] == machine["id"]

    rc, human, _ = cli.run("status")
    assert rc == 0 and PRODUCT in human and "DEMO-…-" in human

    rc, done = cli.json("deactivate")
    assert rc == 0, done
    assert machines_of(standin, "valid") == []
    assert_no_state(data_dir)

    rc, after = cli.json("status")
    assert (rc, after["code"]) == (8, "NOT_ACTIVATED")


# --- every fixture scenario ------------------------------------------------------------


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_scenario_exit_code_and_json(cli, fixtures, standin, data_dir, scenario):
    exit_code, code = SCENARIOS[scenario]
    if scenario == "entitlements":
        cli.use(required_entitlements=["pro"])
    before = len(machines_of(standin, scenario))
    rc, payload = cli.json("activate", "--key", fixtures[scenario])
    assert (rc, payload["code"]) == (exit_code, code), payload
    if rc == 0:
        assert stored_key(APP_ID) == fixtures[scenario]
        assert len(machines_of(standin, scenario)) == before + 1
        return
    assert_explains(payload, code)
    assert payload["steps"]
    assert len(machines_of(standin, scenario)) == before  # no seat taken
    assert_no_state(data_dir)


def test_seat_limit_json_carries_seat_numbers(cli, fixtures):
    rc, payload = cli.json("activate", "--key", fixtures["seat-limit"])
    assert rc == 4
    assert payload["seats"] == {"used": 2, "max": 2}
    assert payload["action"] == "Free a seat"
    assert payload["actionId"] == "free_seat"


def test_failures_carry_a_stable_action_id(cli, fixtures, standin):
    from app.domain.problems import Action

    cases = {"expired": "renew", "suspended": "contact_support"}
    for scenario, action_id in cases.items():
        rc, payload = cli.json("activate", "--key", fixtures[scenario])
        assert rc != 0 and payload["actionId"] == action_id
        assert payload["action"] == Action(action_id).label  # the label stays for display
    rc, payload = cli.json("activate", "--key", "ZZZZ-AAAA-BBBB-CCCC-DDDD")
    assert payload["actionId"] == "reenter_key"
    standin.add_fault("validate-key", "drop", count=None)
    rc, payload = cli.json("activate", "--key", fixtures["valid"])
    assert rc == 6 and payload["actionId"] == "retry"


def test_unknown_key(cli, data_dir):
    rc, payload = cli.json("activate", "--key", "ZZZZ-AAAA-BBBB-CCCC-DDDD")
    assert (rc, payload["code"]) == (3, "NOT_FOUND")
    assert_explains(payload, "NOT_FOUND")
    assert_no_state(data_dir)


def test_malformed_key_makes_no_request(cli, standin, data_dir):
    counter = request_counter(standin)
    rc, payload = cli.json("activate", "--key", "hello world")
    assert (rc, payload["code"]) == (2, "KEY_MALFORMED")
    assert counter.hits == 0
    assert_no_state(data_dir)


# --- the service cannot answer -----------------------------------------------------------


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


FAULTS = {
    "5xx": ({"kind": "status", "status": 503}, None),
    "html": ({"kind": "html", "status": 200}, "UNEXPECTED_RESPONSE"),
    "truncated": ({"kind": "truncated"}, "UNEXPECTED_RESPONSE"),
    "malformed": ({"kind": "malformed", "status": 200}, "UNEXPECTED_RESPONSE"),
    "429-long": ({"kind": "rate_limit", "retryAfter": 600}, "RATE_LIMITED"),
}


@pytest.mark.parametrize("name", list(FAULTS))
def test_fault_on_validation_exits_6(cli, fixtures, standin, data_dir, name):
    fault, code = FAULTS[name]
    standin.add_fault("validate-key", count=None, **fault)
    rc, payload = cli.json("activate", "--key", fixtures["valid"])
    assert rc == 6, payload
    if code:
        assert payload["code"] == code
        assert_explains(payload, code)
    else:  # the server's own 5xx code: explained by the class's entry
        assert payload["message"] and payload["supportCode"].startswith("AW-SVC")
    assert machines_of(standin, "valid") == []
    assert_no_state(data_dir)


def test_rate_limit_reports_seconds(cli, fixtures, standin):
    standin.add_fault("validate-key", "rate_limit", retryAfter=600, count=None)
    rc, payload = cli.json("activate", "--key", fixtures["valid"])
    assert rc == 6 and payload["retryAfter"] == pytest.approx(600, abs=1)


def test_server_down(cli, fixtures, data_dir):
    cli.use(api_url=f"http://127.0.0.1:{_closed_port()}")
    rc, payload = cli.json("activate", "--key", fixtures["valid"])
    assert (rc, payload["code"]) == (6, "CONNECT_FAILED")
    assert_no_state(data_dir)


def test_timeout(cli, fixtures, standin, data_dir):
    cli.use(timeout_seconds=0.3)
    standin.add_fault("validate-key", "latency", ms=1500, count=None)
    rc, payload = cli.json("activate", "--key", fixtures["valid"])
    assert (rc, payload["code"]) == (6, "TIMEOUT")
    assert_no_state(data_dir)


def test_interrupted_activation_then_retry(cli, fixtures, standin, data_dir):
    standin.add_fault("activate", "drop", after=True, count=None)
    rc, payload = cli.json("activate", "--key", fixtures["valid"])
    assert (rc, payload["code"]) == (6, "CONNECT_FAILED")
    assert payload["failedStep"] == "activate"
    # The server did add this computer; the steps say a retry won't take a second seat.
    assert len(machines_of(standin, "valid")) == 1
    assert any("won't use an extra seat" in step for step in payload["steps"])
    assert_no_state(data_dir)
    standin.clear_faults()
    rc, payload = cli.json("activate", "--key", fixtures["valid"])
    assert rc == 0, payload
    [machine] = machines_of(standin, "valid")
    assert payload["machineId"] == machine["id"]
    assert stored_key(APP_ID) == fixtures["valid"]


def test_failure_before_the_activate_step_promises_nothing_about_seats(cli, fixtures, standin):
    standin.add_fault("validate-key", "drop", count=None)
    rc, payload = cli.json("activate", "--key", fixtures["valid"])
    assert (rc, payload["failedStep"]) == (6, "check_key")
    assert payload["steps"] and not any("seat" in step for step in payload["steps"])


def test_retry_step_names_the_command_that_failed(cli, fixtures, standin):
    assert cli.json("activate", "--key", fixtures["valid"])[0] == 0
    standin.add_fault("validate-key", "status", status=400, count=None)
    rc, payload = cli.json("status")
    assert rc != 0 and "Run `activation-wizard status` again." in payload["steps"]


@pytest.mark.parametrize(
    ("text", "setting", "words"),
    [
        ('timeout_seconds = "fast"', "timeout_seconds", "must be a number"),
        ('product_nam = "Acme"', "product_nam", "Unknown setting"),
        ('api_url = "ftp://x"', "api_url", "http(s) address"),
        ("product_name = Acme", "file", "not valid TOML"),
    ],
)
def test_bad_configuration_names_the_setting(cli, tmp_path, text, setting, words):
    config = tmp_path / "bad.toml"
    config.write_text(text + "\n", encoding="utf-8")
    cli.config = config
    rc, payload = cli.json("status")
    assert (rc, payload["code"]) == (2, "CONFIG_INVALID")
    assert payload["setting"] == setting and words in payload["detail"]
    rc, _, err = cli.run("status")
    assert rc == 2 and "Details for the seller: " in err and words in err


def test_failures_name_the_vendors_product_like_success_does(cli, fixtures, standin):
    cli.use(product_name="Acme Suite")  # validate-key does not name the product
    rc, payload = cli.json("activate", "--key", fixtures["expired"])
    assert rc == 5 and "Acme Suite" in payload["message"] and PRODUCT not in payload["message"]
    rc, activated = cli.json("activate", "--key", fixtures["valid"])
    assert rc == 0 and activated["product"] == "Acme Suite"
    admin_post(standin, f"/licenses/{license_id(standin, 'valid')}/suspend")
    rc, _, err = cli.run("status")
    assert rc == 5 and "license for Acme Suite" in err and PRODUCT not in err


def test_activating_another_key_here_is_refused_until_deactivated(cli, fixtures, standin):
    assert cli.json("activate", "--key", fixtures["valid"])[0] == 0
    counter = request_counter(standin)
    rc, payload = cli.json("activate", "--key", fixtures["valid-2"])
    assert (rc, payload["code"]) == (2, "ALREADY_ACTIVATED")
    assert "activation-wizard deactivate" in payload["message"]
    assert counter.hits == 0 and machines_of(standin, "valid-2") == []
    assert stored_key(APP_ID) == fixtures["valid"]  # the first activation is kept
    cli.use(key_case="upper")  # the vendor says keys are case-insensitive
    assert cli.json("activate", "--key", fixtures["valid"].lower())[0] == 0  # same key: fine
    assert cli.json("deactivate")[0] == 0
    assert cli.json("activate", "--key", fixtures["valid-2"])[0] == 0
    assert machines_of(standin, "valid") == []  # no seat left behind


def test_a_file_where_the_data_folder_belongs_is_named_as_the_cause(cli, fixtures, tmp_path):
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder", encoding="utf-8")
    data_dir = blocker / "userdata"  # its parent is a regular file: mkdir fails with ENOTDIR
    rc, payload = cli.json("activate", "--key", fixtures["valid"], "--data-dir", str(data_dir))
    assert (rc, payload["code"]) == (7, "STORAGE_FAILED"), payload
    cause = f"a file is in the way of the folder where {PRODUCT} keeps its settings"
    assert cause in payload["message"]
    assert str(data_dir) in payload["steps"][0] and "space" not in " ".join(payload["steps"])
    rc, _, err = cli.run("status", "--data-dir", str(data_dir))
    assert rc == 7 and "file is in the way" in err and "disk didn't accept" not in err


def test_the_key_file_is_named_when_no_keychain_exists(cli, fixtures, data_dir):
    import keyring
    from keyring.backends import fail

    rc, payload = cli.json("activate", "--key", fixtures["valid"])
    assert rc == 0 and payload["keyStorage"] == "keychain" and payload["keyFile"] is None
    assert cli.json("deactivate")[0] == 0
    keyring.set_keyring(fail.Keyring())  # no keychain on this computer (restored by conftest)
    rc, payload = cli.json("activate", "--key", fixtures["valid"])
    key_file = Path(payload["keyFile"])
    assert rc == 0 and payload["keyStorage"] == "file" and key_file.parent == Path(data_dir)
    assert key_file.read_text(encoding="utf-8").strip() == fixtures["valid"]
    for command in ("activate", "status"):
        args = ("--key", fixtures["valid"]) if command == "activate" else ()
        rc, out, _ = cli.run(command, *args)
        assert rc == 0 and f"kept in a file only you can read: {key_file}" in out
