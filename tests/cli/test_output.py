"""Usage errors, key input, human output and secrecy: what the command line prints."""

from __future__ import annotations

import json
import logging
import sys

import pytest

from app.presentation.problems import problem_for_code, problem_message
from tests.cli.support import (
    APP_ID,
    FAILING,
    PRODUCT,
)
from tests.services.support import (
    admin_get,
    license_id,
    stored_key,
)

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

    def broken(self, online=True, **_options):
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
