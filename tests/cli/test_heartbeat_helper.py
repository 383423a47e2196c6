"""`heartbeat` as the product starts it: real processes, real HTTP to the stand-in and the
relay, a 1-minute check-in policy, and the stand-in's clock moved on instead of waiting."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from tests.cli.heartbeat_support import Computer, machine, make_license
from tests.cli.support import PYTHON

#: More than the helper's period (30 s for a 1-minute interval), less than the interval.
STEP = 35


@pytest.fixture
def key(standin) -> str:
    return make_license(standin)


@pytest.mark.parametrize("strategy", ["DEACTIVATE_DEAD", "KEEP_DEAD"])
def test_keeps_the_computer_alive_while_one_without_it_goes_dead(tmp_path, standin, relay,
                                                                  strategy):  # fmt: skip
    key = make_license(standin, heartbeatCullStrategy=strategy)
    helped, unhelped = Computer(tmp_path, "a", standin, relay), Computer(tmp_path, "b", standin)
    helped_id, unhelped_id = helped.activate(key), unhelped.activate(key)
    helper = helped.helper(standin)
    try:
        started = helper.next("started")
        assert started["intervalSource"] == "relay" and started["intervalMinutes"] == 1
        assert started["periodSeconds"] == 30 and started["heartbeatRequired"] is True
        assert helper.next("beat")["heartbeatStatus"] == "ALIVE"
        for _ in range(4):  # 140 s of server time: more than two intervals
            standin.advance_clock(STEP)
            beat = helper.next("beat")
            assert beat["machineId"] == helped_id and beat["nextInSeconds"] == 30
            assert machine(standin, helped_id)["heartbeatStatus"] == "ALIVE"
        if strategy == "KEEP_DEAD":
            assert machine(standin, unhelped_id)["heartbeatStatus"] == "DEAD"
            rc, payload = unhelped.run("check", "--online")  # kept: a check revives it
            assert rc == 0 and payload["code"] == "VALID", payload
            assert machine(standin, unhelped_id)["heartbeatStatus"] == "ALIVE"
        else:
            assert machine(standin, unhelped_id) is None  # went dead; the server culled it
            rc, payload = unhelped.run("check", "--online")
            assert rc == 8 and payload["code"] == "FINGERPRINT_NOT_FOUND", payload
        rc, payload = helped.run("check", "--online")
        assert rc == 0 and payload["licensed"] is True
    finally:
        helper.stop()


def test_a_culled_computer_is_activated_again(tmp_path, standin, relay, key):
    computer = Computer(tmp_path, "a", standin, relay)
    old_id = computer.activate(key)
    helper = computer.helper(standin)
    try:
        helper.next("beat")
        standin.advance_clock(125)  # the computer slept for two minutes: culled on the server
        again = helper.next("reactivated")
        assert again["ok"] is True and again["machineId"] != old_id
        assert machine(standin, old_id) is None
        assert machine(standin, again["machineId"])["heartbeatStatus"] == "ALIVE"
        standin.advance_clock(STEP)
        assert helper.next("beat")["machineId"] == again["machineId"]  # the new record's
    finally:
        helper.stop()


def test_a_deactivated_computer_stops_the_helper(tmp_path, standin, relay, key):
    computer = Computer(tmp_path, "a", standin, relay)
    computer.activate(key)
    helper = computer.helper(standin)
    try:
        helper.next("beat")
        assert computer.run("deactivate")[0] == 0  # the lock is free between beats
        standin.advance_clock(STEP)
        stopped = helper.next("stopped")
        assert helper.wait() == 8 and stopped["code"] == "NOT_ACTIVATED"
    finally:
        helper.stop()


def test_dropped_without_a_free_seat_ends_with_the_seat_limit(tmp_path, standin):
    key = make_license(standin, max_machines=1)
    dropped, taker = Computer(tmp_path, "a", standin), Computer(tmp_path, "c", standin)
    dropped.activate(key)
    standin.advance_clock(125)  # overdue: the next request culls it
    taker.activate(key)  # takes the only seat
    helper = dropped.helper(standin)
    try:
        stopped = helper.next("stopped")
        assert helper.wait() == 4
        assert stopped["ok"] is False and stopped["code"] == "MACHINE_LIMIT_EXCEEDED"
        assert stopped["exitCode"] == 4 and stopped["reason"] == "error"
    finally:
        helper.stop()


def test_without_an_activation_it_says_so(tmp_path, standin):
    helper = Computer(tmp_path, "a", standin).helper(standin)
    line = helper.next("stopped")
    assert helper.wait() == 8 and line["code"] == "NOT_ACTIVATED" and line["exitCode"] == 8


def test_stops_when_its_parent_ends(tmp_path, standin, relay, key):
    """The product starts the helper (default parent) and ends; the helper follows."""
    computer = Computer(tmp_path, "a", standin, relay)
    computer.activate(key)
    out = tmp_path / "helper.jsonl"
    args = computer.command("heartbeat", "--poll-seconds", "0.1")
    product = (
        "import subprocess, sys, time\n"
        f"helper = subprocess.Popen({args!r}, stdout=open({str(out)!r}, 'w'))\n"
        "print(helper.pid, flush=True)\n"
        f"while {str(out)!r} and b'\"beat\"' not in open({str(out)!r}, 'rb').read():\n"
        "    time.sleep(0.05)\n"
    )  # the product runs until the helper beat once, then ends without stopping it
    done = subprocess.run([PYTHON, "-c", product], env=computer.env, capture_output=True,
                          text=True, timeout=60, check=True)  # fmt: skip
    pid = int(done.stdout)
    _wait_gone(pid)
    events = [__import__("json").loads(line) for line in out.read_text().splitlines()]
    assert events[-1]["event"] == "stopped" and events[-1]["reason"] == "parent-exited"
    assert events[-1]["ok"] is True


def test_stops_when_the_given_parent_ends_and_on_sigterm(tmp_path, standin, relay, key):
    computer = Computer(tmp_path, "a", standin, relay)
    computer.activate(key)
    parent = subprocess.Popen([PYTHON, "-c", "import time; time.sleep(60)"])
    helper = computer.helper(standin, "--parent-pid", str(parent.pid))
    try:
        assert helper.next("started")["parentPid"] == parent.pid
        helper.next("beat")
        parent.kill()
        parent.wait()  # reaped, as the product's own parent would
        stopped = helper.next("stopped")
        assert stopped["reason"] == "parent-exited" and helper.wait() == 0
    finally:
        parent.kill()
        helper.stop()
    if sys.platform == "win32":
        return
    helper = computer.helper(standin)
    try:
        helper.next("beat")
        helper.process.send_signal(signal.SIGTERM)
        assert helper.next("stopped")["reason"] == "signal" and helper.wait() == 0
    finally:
        helper.stop()


def _wait_gone(pid: int, timeout: float = 20.0) -> None:
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    raise AssertionError(f"the helper {pid} is still running after its parent ended")


def test_plain_lines_without_json(tmp_path, standin, key):
    computer = Computer(tmp_path, "a", standin)
    computer.activate(key)
    args = [*computer.command("heartbeat")[:-1], "--poll-seconds", "0.1"]  # no --json
    process = subprocess.Popen(args, env=computer.env, text=True, stdout=subprocess.PIPE)
    try:
        assert process.stdout is not None
        started, beat = process.stdout.readline(), process.stdout.readline()
        assert started.startswith("Sending check-ins every 5 minutes")  # no relay, no setting
        assert beat.startswith("Checked in at ") and "next in 5 minutes" in beat
        if sys.platform != "win32":
            process.send_signal(signal.SIGINT)  # Ctrl+C
            out, _ = process.communicate(timeout=20)
            assert out.strip() == "Stopped sending check-ins." and process.returncode == 0
    finally:
        process.kill()
        process.wait()


def test_speaks_the_users_language(tmp_path, standin, key):
    computer = Computer(tmp_path, "a", standin)
    computer.activate(key)
    args = [*computer.command("heartbeat", "--lang", "de")[:-1], "--poll-seconds", "0.1"]
    process = subprocess.Popen(args, env=computer.env, text=True, stdout=subprocess.PIPE)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("Check-ins werden alle 5 Minuten gesendet"), line
    finally:
        process.kill()
        process.wait()
