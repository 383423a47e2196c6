"""The shipped deployment files are valid: `caddy validate` on the Caddyfile, `systemd-analyze
verify` on the unit, and the unit's command line is one the relay accepts."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

from app.relay.__main__ import parse_args
from tests.support.system import require_binary

DEPLOY = Path(__file__).resolve().parents[2] / "installer" / "relay"
UNIT = DEPLOY / "activation-relay@.service"
INSTALLED_PYTHON = "/opt/activation-relay/venv/bin/python"


def test_caddyfile_validates(tmp_path):
    caddy = require_binary("caddy", "caddy")
    env = {**os.environ, "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data"),
           "XDG_CONFIG_HOME": str(tmp_path / "config")}  # fmt: skip
    result = subprocess.run(
        [caddy, "validate", "--config", str(DEPLOY / "Caddyfile"), "--adapter", "caddyfile"],
        capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Valid configuration" in result.stdout + result.stderr


def test_systemd_unit_verifies_without_a_warning(tmp_path):
    analyze = require_binary("systemd-analyze", "systemd")
    # An instance of the template, with the interpreter this test runs (the unit's own path
    # is where the deployment guide installs it; verify checks that the command exists).
    instance = tmp_path / "activation-relay@8787.service"
    instance.write_text(UNIT.read_text().replace(INSTALLED_PYTHON, sys.executable))
    result = subprocess.run(
        [analyze, "verify", str(instance)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "" and result.stderr.strip() == "", result.stderr


def test_the_units_command_line_is_one_the_relay_accepts():
    text = UNIT.read_text().replace("\\\n", " ")
    exec_start = re.search(r"^ExecStart=(.+)$", text, re.M).group(1)
    words = shlex.split(exec_start)
    assert words[:3] == [INSTALLED_PYTHON, "-m", "app.relay"]
    values = {"${RELAY_UPSTREAM}": "https://licentric.example", "%i": "8787",
              "${CREDENTIALS_DIRECTORY}/api-key": "/run/credentials/api-key",
              "${RELAY_REDIS_URL}": "redis://127.0.0.1:6379/0"}  # fmt: skip
    args = parse_args([values.get(word, word) for word in words[3:]])
    assert (args.host, args.port, args.trusted_proxy) == ("127.0.0.1", 8787, ["127.0.0.1"])
    assert args.redis_url and args.api_key_file
