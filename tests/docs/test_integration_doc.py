"""docs/integration.md's Python example, run as written: a product process that gates on
`check`, starts `heartbeat` next to itself, asks `check --online` before a critical
operation and stops the helper; real processes and real HTTP to the stand-in."""

from __future__ import annotations

import queue
import re
import subprocess
import threading
from pathlib import Path

from tests.cli.heartbeat_support import Computer, machine, make_license
from tests.cli.support import PYTHON

DOC = Path(__file__).resolve().parents[2] / "docs" / "integration.md"


def python_example() -> str:
    text = DOC.read_text(encoding="utf-8")
    section = text.split("\n## Python\n", 1)[1]
    found = re.search(r"```python\n(.*?)```", section, re.S)
    assert found, "docs/integration.md has no Python example"
    return found.group(1)


def _product(tmp_path: Path, computer: Computer) -> tuple[Path, dict[str, str]]:
    script = tmp_path / "product.py"
    script.write_text(python_example(), encoding="utf-8")
    env = dict(computer.env, ACTIVATION_WIZARD_CONFIG=str(computer.config))
    return script, env


def _lines(stream) -> queue.Queue[str]:
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in stream], daemon=True).start()
    return lines


def _wait_for(lines: queue.Queue[str], text: str, timeout: float = 30) -> list[str]:
    seen: list[str] = []
    while True:
        try:
            seen.append(lines.get(timeout=timeout))
        except queue.Empty:
            raise AssertionError(f"{text!r} never came; saw {seen}") from None
        if text in seen[-1]:
            return seen


def test_the_python_example_gates_checks_in_and_stops_its_helper(tmp_path, standin, relay):
    computer = Computer(tmp_path, "a", standin, relay)
    machine_id = computer.activate(make_license(standin))
    first_beat = machine(standin, machine_id)["lastHeartbeatAt"]
    script, env = _product(tmp_path, computer)
    product = subprocess.Popen([PYTHON, str(script)], env=env, text=True, cwd=tmp_path,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)  # fmt: skip
    try:
        errors = _lines(product.stderr)
        _wait_for(errors, "license check-in: beat:")  # the helper it started checked in
        assert machine(standin, machine_id)["lastHeartbeatAt"] != first_beat
        out, _ = product.communicate("\n", timeout=60)  # the user quits the product
    finally:
        if product.poll() is None:
            product.kill()
    assert product.returncode == 0
    assert "export allowed" in out  # check --online answered
    assert "check-in helper ended with exit code 0" in out  # stopped cleanly by SIGTERM


def test_the_python_example_refuses_without_a_fresh_answer(tmp_path, standin):
    computer = Computer(tmp_path, "a", standin)
    script, env = _product(tmp_path, computer)
    probe = (
        "import sys; sys.path.insert(0, sys.argv[1]); import product\n"
        "print(product.license_check('--max-age', '3600')[0])\n"
        "print(product.critical_operation_allowed())\n"
    )

    def run() -> list[str]:
        done = subprocess.run([PYTHON, "-c", probe, str(tmp_path)], env=env, text=True,
                              capture_output=True, timeout=60, check=True)  # fmt: skip
        return done.stdout.split()

    assert run() == ["8", "False"]  # not activated
    computer.activate(make_license(standin))
    assert run() == ["0", "True"]
    standin.add_fault("validate-key", "drop", count=None)
    assert run() == ["0", "False"]  # the saved answer gates start-up, never an export
