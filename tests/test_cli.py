"""The command line over real HTTP against the stand-in: exit codes, JSON, local state, secrecy."""

from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest

from app.cli import main
from app.domain.problems import exit_code_for
from app.presentation.problems import problem_for_code, problem_message
from tests.services.support import (
    admin_get,
    admin_post,
    license_id,
    local_files,
    machines_of,
    request_counter,
    stored_key,
)

APP_ID = "com.example.clitest"
PRODUCT = "Studio Pro"
PYTHON = sys.executable

# scenario -> (exit code, JSON code); each produced by the stand-in's seeded fixtures.
SCENARIOS = {
    "valid": (0, "VALID"),
    "expired": (5, "EXPIRED"),
    "expired-allow-access": (0, "EXPIRED"),
    "suspended": (5, "SUSPENDED"),
    "revoked": (5, "REVOKED"),
    "banned": (5, "BANNED"),
    "seat-limit": (4, "MACHINE_LIMIT_EXCEEDED"),
    "heartbeat": (0, "VALID"),
    "entitlements": (5, "ENTITLEMENTS_MISSING"),
    "uses-exceeded": (5, "USES_EXCEEDED"),
    "offline": (0, "VALID"),
}
FAILING = [name for name, (rc, _) in SCENARIOS.items() if rc != 0]


def write_config(directory: Path, api_url: str, **extra: object) -> Path:
    values = {
        "product_name": PRODUCT,
        "app_id": APP_ID,
        "api_url": api_url,
        "timeout_seconds": 5,
        **extra,
    }
    lines = [f"{name} = {json.dumps(value)}" for name, value in values.items()]
    path = directory / f"vendor-{abs(hash(tuple(lines)))}.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


class Cli:
    """Runs ``main`` in-process with a config file for the stand-in."""

    def __init__(self, capsys, tmp_path: Path, standin) -> None:
        self.capsys = capsys
        self.tmp_path = tmp_path
        self.standin = standin
        self.config = write_config(tmp_path, standin.url)

    def use(self, **extra: object) -> None:
        self.config = write_config(self.tmp_path, extra.pop("api_url", self.standin.url), **extra)

    def run(self, *args: str) -> tuple[int, str, str]:
        self.capsys.readouterr()
        rc = main(["--config", str(self.config), *args])
        out, err = self.capsys.readouterr()
        return rc, out, err

    def json(self, *args: str) -> tuple[int, dict]:
        rc, out, _ = self.run(*args, "--json")
        lines = out.splitlines()
        assert len(lines) == 1, out  # exactly one JSON object, nothing else
        payload = json.loads(lines[0])
        assert {"ok", "code", "message"} <= payload.keys()
        assert payload["ok"] is (rc == 0)
        if rc:
            assert payload["exitCode"] == rc
        return rc, payload


@pytest.fixture
def cli(capsys, tmp_path, standin) -> Cli:
    return Cli(capsys, tmp_path, standin)


def assert_no_state(data_dir: str) -> None:
    assert local_files(data_dir) == set()
    assert stored_key(APP_ID) is None


def assert_explains(payload: dict, code: str) -> None:
    """The message is the catalogue's entry for ``code`` in plain words (the code only in the
    support line); titles carry numbers, so the entry is recognised by its support code."""
    entries = {
        p.support_code: p
        for kind in ("validation", "api", "local")
        if (p := problem_for_code(code, kind=kind, product=PRODUCT)).code == code
    }
    entry = entries[payload["supportCode"].split(" · ")[0]]
    assert payload["message"] and code not in payload["message"]
    assert payload["action"] == entry.label


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
    assert activated["seats"] == {"used": 1, "max": 3}
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


# --- status, check, deactivate ------------------------------------------------------------


def test_status_offline_within_grace_is_stale_but_licensed(cli, fixtures, standin):
    assert cli.json("activate", "--key", fixtures["valid"])[0] == 0
    standin.add_fault("validate-key", "drop", count=None)
    rc, payload = cli.json("status")
    assert rc == 0 and payload["stale"] is True and payload["licensed"] is True
    grace = datetime.fromisoformat(payload["offlineUntil"]) - datetime.fromisoformat(
        payload["checkedAt"]
    )
    assert grace == timedelta(hours=72)  # the vendor's offline_grace_hours (default)
    rc, out, _ = cli.run("status")
    assert rc == 0 and "keeps counting without a connection until" in out
    assert cli.json("check")[0] == 0


def test_status_offline_beyond_grace(cli, fixtures, standin):
    cli.use(offline_grace_hours=0)
    assert cli.json("activate", "--key", fixtures["valid"])[0] == 0
    standin.add_fault("validate-key", "drop", count=None)
    rc, payload = cli.json("status")
    assert (rc, payload["code"]) == (6, "CONNECT_FAILED")
    assert cli.json("check")[0] == 6


def test_status_on_another_computer_does_not_use_the_cache(cli, fixtures, monkeypatch):
    assert cli.json("activate", "--key", fixtures["valid"])[0] == 0
    monkeypatch.setenv("ACTIVATION_WIZARD_MACHINE_ID", "a-different-computer-42")
    rc, payload = cli.json("status")
    assert payload["code"] == "FINGERPRINT_NOT_FOUND"
    assert rc != 0 and payload["licensed"] is False
    assert cli.json("check")[0] != 0


def test_check_not_activated(cli):
    rc, payload = cli.json("check")
    assert (rc, payload["code"]) == (8, "NOT_ACTIVATED")


def test_deactivate_failure_keeps_local_state(cli, fixtures, standin, data_dir):
    assert cli.json("activate", "--key", fixtures["valid"])[0] == 0
    files = local_files(data_dir)
    standin.add_fault("deactivate", "status", status=500, count=None)
    rc, payload = cli.json("deactivate")
    assert rc == 6 and payload["supportCode"].startswith("AW-")
    assert local_files(data_dir) == files
    assert stored_key(APP_ID) == fixtures["valid"]
    assert len(machines_of(standin, "valid")) == 1


# --- devices (through the relay) ---------------------------------------------------------


@pytest.fixture
def relay(standin_server):
    # One per test: the relay caches license answers, and the stand-in is reset per test.
    from app.relay.server import RelayServer

    server = RelayServer(standin_server.url, standin_server.fixtures["apiKeyRelay"]).start()
    yield server
    server.stop()


def test_devices_list_and_deactivate(cli, fixtures, standin, relay):
    cli.use(relay_url=relay.url)
    rc, activated = cli.json("activate", "--key", fixtures["valid"])
    assert rc == 0
    rc, listing = cli.json("devices")
    assert rc == 0 and listing["seats"]["used"] == 1
    [mine] = listing["devices"]
    assert mine["thisComputer"] and mine["id"] == activated["machineId"]
    rc, human, _ = cli.run("devices")
    assert rc == 0 and "(this computer)" in human and "1 of 3 seats" in human
    rc, refused = cli.json("devices", "deactivate", mine["id"])
    assert (rc, refused["code"]) == (2, "THIS_COMPUTER")
    assert len(machines_of(standin, "valid")) == 1


def test_devices_deactivate_another(cli, fixtures, standin, relay):
    cli.use(relay_url=relay.url)
    key = fixtures["valid"]
    # Another computer activated by plain HTTP (not through our code).
    other = httpx.post(
        standin.url + "/api/v1/machines",
        json={"fingerprint": "f" * 64, "name": "Old laptop", "platform": "linux"},
        headers={"Authorization": f"License {key}"},
    ).json()["data"]["id"]
    assert cli.json("activate", "--key", key)[0] == 0
    rc, listing = cli.json("devices")
    assert {d["id"]: d["thisComputer"] for d in listing["devices"]}[other] is False
    rc, done = cli.json("devices", "deactivate", other)
    assert rc == 0, done
    assert other not in [m["id"] for m in machines_of(standin, "valid")]
    assert len(machines_of(standin, "valid")) == 1


def test_deactivating_a_device_that_is_gone_points_to_the_list(cli, fixtures, standin, relay):
    cli.use(relay_url=relay.url)
    assert cli.json("activate", "--key", fixtures["valid"])[0] == 0
    rc, payload = cli.json("devices", "deactivate", "no-such-device")
    assert rc != 0 and payload["code"] == "NOT_FOUND"
    assert (
        payload["steps"][0]
        == "Run `activation-wizard devices` to see the current list of computers."
    )
    assert not any("deactivate" in step for step in payload["steps"])
    rc, _, err = cli.run("devices", "deactivate", "no-such-device", "--key", fixtures["valid"])
    assert "1. Run `activation-wizard devices --key YOUR-KEY` to see the current list" in err
    assert len(machines_of(standin, "valid")) == 1


def test_seat_limit_freed_from_the_command_line(cli, fixtures, standin, relay):
    """The steps printed at the seat limit work as printed: list, free a seat, activate."""
    cli.use(relay_url=relay.url)
    key = fixtures["seat-limit"]
    rc, _, err = cli.run("activate", "--key", key)
    assert rc == 4
    assert "activation-wizard devices --key YOUR-KEY" in err
    assert "activation-wizard devices deactivate ID --key YOUR-KEY" in err
    assert "Click" not in err and "by itself" not in err
    rc, listing = cli.json("devices", "--key", key)  # not activated here: the key is given
    assert rc == 0 and listing["seats"] == {"used": 2, "max": 2}
    oldest = listing["devices"][0]["id"]
    rc, freed = cli.json("devices", "deactivate", oldest, "--key", key)
    assert rc == 0, freed
    rc, activated = cli.json("activate", "--key", key)
    assert rc == 0 and activated["seats"] == {"used": 2, "max": 2}


def test_devices_key_from_stdin(cli, fixtures, relay, monkeypatch):
    import io

    cli.use(relay_url=relay.url)
    monkeypatch.setattr(sys, "stdin", io.StringIO(fixtures["seat-limit"] + "\n"))
    rc, listing = cli.json("devices", "--key", "-")
    assert rc == 0 and listing["seats"]["used"] == 2


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


def test_failures_name_the_licensed_product_like_success_does(cli, fixtures, standin):
    cli.use(product_name="Acme Suite")  # the vendor's name differs from the license's
    rc, payload = cli.json("activate", "--key", fixtures["expired"])
    assert rc == 5 and PRODUCT in payload["message"] and "Acme Suite" not in payload["message"]
    rc, activated = cli.json("activate", "--key", fixtures["valid"])
    assert rc == 0 and activated["product"] == PRODUCT
    admin_post(standin, f"/licenses/{license_id(standin, 'valid')}/suspend")
    rc, _, err = cli.run("status")
    assert rc == 5 and f"license for {PRODUCT}" in err and "Acme Suite" not in err


def test_activating_another_key_here_is_refused_until_deactivated(cli, fixtures, standin):
    assert cli.json("activate", "--key", fixtures["valid"])[0] == 0
    counter = request_counter(standin)
    rc, payload = cli.json("activate", "--key", fixtures["valid-2"])
    assert (rc, payload["code"]) == (2, "ALREADY_ACTIVATED")
    assert "activation-wizard deactivate" in payload["message"]
    assert counter.hits == 0 and machines_of(standin, "valid-2") == []
    assert stored_key(APP_ID) == fixtures["valid"]  # the first activation is kept
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


def test_devices_without_relay(cli, fixtures):
    assert cli.json("activate", "--key", fixtures["valid"])[0] == 0
    rc, payload = cli.json("devices")
    assert payload["code"] == "RELAY_NOT_CONFIGURED"
    assert rc == exit_code_for_code("RELAY_NOT_CONFIGURED")


def exit_code_for_code(code: str) -> int:
    from app.domain import errors

    cls = next(c for c in vars(errors).values() if getattr(c, "default_code", None) == code)
    return exit_code_for(cls())


# --- usage, key input, human output ------------------------------------------------------


def test_usage_error_in_json_mode(cli):
    rc, payload = cli.json("activate", "--bogus")
    assert (rc, payload["code"]) == (2, "USAGE")


def test_usage_error_human(cli):
    rc, _, err = cli.run("frobnicate")
    assert rc == 2 and "invalid choice" in err


def test_activate_without_key(cli, monkeypatch):
    monkeypatch.delenv("ACTIVATION_WIZARD_KEY", raising=False)
    rc, payload = cli.json("activate")
    assert (rc, payload["code"]) == (2, "USAGE")


def test_key_from_environment(cli, fixtures, monkeypatch):
    monkeypatch.setenv("ACTIVATION_WIZARD_KEY", fixtures["valid"])
    rc, payload = cli.json("activate")
    assert rc == 0 and payload["code"] == "VALID"


def test_key_from_stdin(cli, fixtures, monkeypatch):
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO(fixtures["valid"] + "\n"))
    rc, payload = cli.json("activate", "--key", "-")
    assert rc == 0 and payload["key"].endswith(fixtures["valid"][-4:])


def test_key_from_stdin_wrapped_over_two_lines(cli, fixtures, monkeypatch):
    import io

    key = fixtures["valid"]
    monkeypatch.setattr(sys, "stdin", io.StringIO(key[:14] + "\n" + key[14:] + "\n"))
    rc, payload = cli.json("activate", "--key", "-")
    assert rc == 0 and stored_key(APP_ID) == key


def test_licensee_is_the_person_not_the_product_again(cli, fixtures, standin):
    rc, payload = cli.json("activate", "--key", fixtures["valid"])
    name = admin_get(standin, f"/licenses/{license_id(standin, 'valid')}")["name"]
    assert name.startswith(f"{PRODUCT} — ")  # the seeded "Product — Person" naming
    assert rc == 0 and payload["licensee"] == name.split(" — ", 1)[1]
    rc, out, _ = cli.run("status")
    assert f"Licensed to: {payload['licensee']}" in out and f"{PRODUCT} —" not in out


def test_human_failure_lists_numbered_steps(cli, fixtures):
    rc, out, err = cli.run("activate", "--key", fixtures["suspended"])
    assert rc == 5 and out == ""
    assert problem_for_code("SUSPENDED", product=PRODUCT).title in err
    assert "\n1. " in err and "Support code:" in err


def test_message_is_the_problem_title_and_sentence(cli, fixtures):
    rc, payload = cli.json("activate", "--key", fixtures["revoked"])
    expected = problem_message(problem_for_code("REVOKED", product=PRODUCT))
    assert payload["message"] == expected


def test_global_options_before_the_command(cli, fixtures, standin):
    rc, out, _ = cli.run("--json", "--api-url", standin.url, "activate", "--key", fixtures["valid"])
    assert rc == 0 and json.loads(out)["code"] == "VALID"


# --- the key never leaks ------------------------------------------------------------------


@pytest.mark.parametrize("scenario", [*FAILING, "valid"])
@pytest.mark.parametrize("json_mode", [True, False])
def test_key_never_unmasked(cli, fixtures, standin, caplog, scenario, json_mode):
    caplog.set_level(logging.DEBUG)
    key = fixtures[scenario]
    args = ["--verbose", "activate", "--key", key] + (["--json"] if json_mode else [])
    _, out, err = cli.run(*args)
    _, out2, err2 = cli.run("--verbose", "status")
    for text in (out, err, out2, err2, caplog.text):
        assert key not in text
        assert key.replace("-", "") not in text


def test_key_never_unmasked_on_network_failure(cli, fixtures, standin, caplog):
    caplog.set_level(logging.DEBUG)
    standin.add_fault("*", "drop", count=None)
    _, out, err = cli.run("--verbose", "activate", "--key", fixtures["valid"].lower())
    for text in (out, err, caplog.text):
        assert fixtures["valid"].lower() not in text and fixtures["valid"] not in text


def test_unexpected_error_exit_1_with_traceback_only_when_verbose(cli, fixtures, monkeypatch):
    # No server behaviour produces a bug in our code, so one is planted here.
    from app.services.status import StatusService

    key = fixtures["valid"]

    def broken(self, online=True):
        raise RuntimeError(f"bug while handling {key}")

    monkeypatch.setattr(StatusService, "check", broken)
    assert cli.json("activate", "--key", key)[0] == 0
    rc, payload = cli.json("status")
    assert (rc, payload["code"]) == (1, "UNEXPECTED")
    rc, out, err = cli.run("status")
    assert rc == 1 and "Traceback" not in err
    rc, out, err = cli.run("--verbose", "status")
    assert rc == 1 and "Traceback" in err and "RuntimeError" in err
    assert key not in err


def test_gui_absent_is_explained(cli):
    try:
        import app.ui.application  # noqa: F401
    except ImportError:
        rc, out, err = cli.run()
        assert rc == 1 and "not available" in err
    else:
        pytest.skip("the GUI is installed; opening it is tested in tests/ui")


# --- real processes -------------------------------------------------------------------


def _env(data_dir: str, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        ACTIVATION_WIZARD_DATA_DIR=data_dir,
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
        **extra,
    )
    env.pop("ACTIVATION_WIZARD_KEY", None)
    return env


def _run_process(args: list[str], env: dict[str, str], stdin: str = "") -> tuple[int, dict]:
    done = subprocess.run(
        [PYTHON, "-m", "app", *args, "--json"],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    lines = done.stdout.splitlines()
    assert len(lines) == 1, (done.stdout, done.stderr)
    return done.returncode, json.loads(lines[0])


def test_subprocess_activate_from_stdin_uses_the_file_fallback(cli, fixtures, standin, data_dir):
    env = _env(data_dir)
    config = str(cli.config)
    rc, payload = _run_process(["--config", config, "activate", "--key", "-"], env,
                               stdin=fixtures["valid"] + "\n")  # fmt: skip
    assert rc == 0, payload
    assert payload["keyStorage"] == "file"
    assert Path(payload["keyFile"]).read_text(encoding="utf-8").strip() == fixtures["valid"]
    rc, status = _run_process(["--config", config, "status"], env)
    assert rc == 0 and status["keyStorage"] == "file" and status["licensed"]
    assert status["keyFile"] == payload["keyFile"]
    rc, done = _run_process(["--config", config, "deactivate"], env)
    assert rc == 0
    assert machines_of(standin, "valid") == []


def test_two_processes_activating_at_once_take_one_seat(cli, fixtures, standin, data_dir):
    env = _env(data_dir)
    command = [PYTHON, "-m", "app", "--config", str(cli.config), "activate", "--json", "--key"]
    procs = [
        subprocess.Popen(
            [*command, fixtures["one-seat"]],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for _ in range(2)
    ]
    results = [json.loads(p.communicate(timeout=60)[0]) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    assert len({r["machineId"] for r in results}) == 1
    assert len(machines_of(standin, "one-seat")) == 1


def test_subcommands_never_import_qt(data_dir):
    code = (
        "import sys\n"
        "from app.cli import main\n"
        "rc = main(['status', '--json'])\n"
        "assert 'PySide6' not in sys.modules, 'Qt was imported'\n"
        "sys.exit(rc)\n"
    )
    done = subprocess.run([PYTHON, "-c", code], capture_output=True, text=True,
                          env=_env(data_dir), timeout=60, check=False)  # fmt: skip
    assert done.returncode == 8, done.stderr
    assert json.loads(done.stdout)["code"] == "NOT_ACTIVATED"


def test_help_lists_the_documented_exit_codes(capsys):
    assert main(["--help"]) == 0
    text = capsys.readouterr().out
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    for code in range(9):
        assert f"| {code} |" in readme and f"  {code} " in text
    assert "--api-url URL    the Licentric service address" in text


def test_version(capsys):
    assert main(["--version"]) == 0
    assert "activation-wizard" in capsys.readouterr().out


def test_exit_codes_come_from_the_problem_table():
    assert exit_code_for_code("NOT_ACTIVATED") == 8


def test_self_check_from_the_cli_reports_json(capsys):
    code = main(["--self-check"])
    report = json.loads(capsys.readouterr().out)
    assert code == (0 if report["ok"] else 1)
    assert {"keyring", "tls", "machineId", "qt", "resources", "version"} <= set(report)
