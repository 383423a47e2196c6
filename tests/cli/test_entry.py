"""The program as a process and its entry point: `python -m app`, no Qt for commands, help,
version, self-check."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from app.cli import main
from tests.cli.support import (
    PYTHON,
    exit_code_for_code,
)
from tests.services.support import (
    machines_of,
)

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
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    for code in range(9):
        assert f"| {code} |" in readme and f"  {code} " in text
    assert "--api-url URL      the Licentric service address" in text


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
