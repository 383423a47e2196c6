"""The built executable itself: --self-check, and activate / status / deactivate against the
stand-in, with the key kept out of its output."""

from __future__ import annotations

import json
import sys

import pytest

pytestmark = [pytest.mark.frozen, pytest.mark.slow]

NATIVE_PLUGINS = {"darwin": ["cocoa"], "win32": ["windows"]}.get(sys.platform, ["xcb", "wayland"])
NO_KEYCHAIN = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}


def _json(done) -> dict:
    assert done.stdout.strip(), f"no output; exit {done.returncode}; stderr: {done.stderr[-2000:]}"
    return json.loads(done.stdout)


def test_self_check_passes_and_reports_what_the_bundle_holds(run_frozen):
    done = run_frozen("--self-check")
    report = _json(done)
    assert done.returncode == 0, json.dumps(report, indent=2)
    assert report["ok"] is True and report["frozen"] is True
    assert report["version"] != "unknown"
    assert report["resources"] == {**report["resources"], "found": True, "missing": []}
    assert report["tls"]["trust"] == "truststore" and report["tls"]["ok"] is True
    assert report["machineId"]["available"] is True
    # keyring's entry points survived freezing, so real keychains can be found at run time.
    assert {"SecretService", "Windows", "macOS"} <= set(report["keyring"]["entryPoints"])
    assert report["qt"]["platformPlugin"] == "offscreen"
    assert {"offscreen", *NATIVE_PLUGINS} <= set(report["qt"]["pluginsFound"])
    assert report["qt"]["logoRenders"] is True


def test_self_check_reports_keychain_fallback_as_a_warning_only(run_frozen):
    done = run_frozen("--self-check", env=NO_KEYCHAIN)
    report = _json(done)
    assert done.returncode == 0, json.dumps(report, indent=2)
    assert report["keyring"]["fallback"] is True
    assert any("keychain" in w for w in report["warnings"])


def test_self_check_fails_on_an_invalid_config(run_frozen, tmp_path):
    bad = tmp_path / "vendor.toml"
    bad.write_text('[vendor]\naccent_color = "blue"\n', encoding="utf-8")
    done = run_frozen("--self-check", "--config", str(bad))
    report = _json(done)
    assert done.returncode == 2
    assert report["ok"] is False and report["field"] == "accent_color"


def test_activate_status_deactivate_round_trip(run_frozen, standin):
    key = standin.fixtures["valid"]
    api = ["--api-url", standin.url, "--json"]

    activated = run_frozen(*api, "activate", "--key", key, "--name", "Frozen test", env=NO_KEYCHAIN)
    assert activated.returncode == 0, activated.stdout + activated.stderr
    assert _json(activated)["ok"] is True

    status = run_frozen(*api, "status", env=NO_KEYCHAIN)
    assert status.returncode == 0, status.stdout + status.stderr
    assert _json(status)["ok"] is True

    deactivated = run_frozen(*api, "deactivate", env=NO_KEYCHAIN)
    assert deactivated.returncode == 0, deactivated.stdout + deactivated.stderr

    after = run_frozen(*api, "status", env=NO_KEYCHAIN)
    assert after.returncode == 8, after.stdout + after.stderr  # 8: not activated
    for done in (activated, status, deactivated, after):
        assert key not in done.stdout + done.stderr, "the key must only appear masked"


def test_malformed_key_is_exit_code_2(run_frozen, standin):
    done = run_frozen("--api-url", standin.url, "--json", "activate", "--key", "not a key")
    assert done.returncode == 2, done.stdout + done.stderr
    assert _json(done)["ok"] is False


@pytest.mark.keychain
def test_frozen_program_uses_the_real_keychain_when_there_is_one(run_frozen, standin):
    if _json(run_frozen("--self-check"))["keyring"]["fallback"]:
        pytest.skip("no usable keychain here (.ci/run provides gnome-keyring in dbus-run-session)")
    api = ["--api-url", standin.url, "--json"]
    activated = run_frozen(*api, "activate", "--key", standin.fixtures["valid"])
    assert activated.returncode == 0, activated.stdout + activated.stderr
    assert _json(activated)["keyStorage"] == "keychain"
    deactivated = run_frozen(*api, "deactivate")
    assert deactivated.returncode == 0, deactivated.stdout + deactivated.stderr


def test_frozen_program_signs_in_to_a_proxy_a_pac_file_picks(run_frozen, standin):
    """pypac's JavaScript runtime (dukpy) works frozen: a PAC file served on loopback sends
    the activation through a real Squid that wants a sign-in."""
    from tests.support.auth_proxy import pac_server, squid_proxy

    password = "Frozen-Pr0xy"  # the test proxy's own
    api = ["--api-url", standin.url, "--json"]
    with squid_proxy("dave", password) as proxy, pac_server(proxy.url) as pac_url:
        env = {**NO_KEYCHAIN, "ACTIVATION_WIZARD_PROXY_PAC_URL": pac_url}
        refused = run_frozen(*api, "activate", "--key", standin.fixtures["valid"], env=env)
        assert refused.returncode == 6, refused.stdout + refused.stderr
        assert _json(refused)["code"] == "PROXY_AUTH_REQUIRED"
        env["ACTIVATION_WIZARD_PROXY_PASSWORD"] = password
        signed_in = run_frozen(
            *api, "activate", "--key", standin.fixtures["valid"], "--proxy-user", "dave", env=env
        )
        assert signed_in.returncode == 0, signed_in.stdout + signed_in.stderr
        assert " dave " in proxy.access_log
        assert password not in signed_in.stdout + signed_in.stderr
