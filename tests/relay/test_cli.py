"""`python -m app.relay` as a real process: refuses a key lacking a scope, serves otherwise."""

from __future__ import annotations

import os
import subprocess
import sys

import httpx

from tests.relay.conftest import as_license


def _run_relay(standin, api_key: str, *extra: str) -> subprocess.Popen[str]:
    env = {**os.environ, "RELAY_API_KEY": api_key}
    args = [sys.executable, "-m", "app.relay", "--upstream", standin.url, "--port", "0", *extra]
    return subprocess.Popen(args, env=env, stderr=subprocess.PIPE, text=True)


def test_cli_exits_2_naming_the_missing_scope(standin):
    key = standin.fixtures["apiKeyRelayNoWrite"]
    process = _run_relay(standin, key)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 2
    assert "machines:write" in err
    assert key not in err


def test_cli_serves_devices_from_the_environment_key(standin):
    process = _run_relay(standin, standin.fixtures["apiKeyRelay"])
    try:
        line = process.stderr.readline()
        assert line.startswith("relay: serving http://127.0.0.1:"), line
        url = line.split()[2]
        seat_key = standin.fixtures["seat-limit"]
        response = httpx.get(url + "/v1/devices", headers=as_license(seat_key), timeout=10)
        assert response.status_code == 200, response.text
        assert response.json()["data"]["machineCount"] == 2
    finally:
        process.terminate()
        process.communicate(timeout=30)


def test_cli_reads_the_key_from_a_file(standin, tmp_path):
    key_file = tmp_path / "relay.key"
    key_file.write_text(standin.fixtures["apiKeyRelayNoWrite"] + "\n")
    process = _run_relay(standin, "", "--api-key-file", str(key_file))
    _, err = process.communicate(timeout=60)
    # The file's key (not the empty environment one) reached the scope check.
    assert process.returncode == 2 and "machines:write" in err
