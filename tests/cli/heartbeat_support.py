"""Helpers for the heartbeat helper's tests: licenses on a 1-minute check-in policy, computers
as real processes (own data folder, own machine id, no keychain), the helper's JSON lines."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import threading
from pathlib import Path
from typing import Any

import httpx

from tests.cli.support import PYTHON, write_config

#: Real minutes: Licentric's smallest interval. Tests move the stand-in's clock instead.
ONE_MINUTE_POLICY = {
    "requireHeartbeat": True,
    "heartbeatIntervalMinutes": 1,
    "heartbeatCullStrategy": "DEACTIVATE_DEAD",
}


def make_license(standin: Any, max_machines: int = 3, **policy: Any) -> str:
    """A new license on a new policy (admin API, Bearer key); returns its key."""
    headers = {"Authorization": f"Bearer {standin.fixtures['apiKey']}"}
    with httpx.Client(base_url=standin.api_url, headers=headers, trust_env=False) as admin:
        product = admin.post("/products", json={"name": "Heartbeat tests"}).json()["data"]
        body = {"productId": product["id"], "name": "Check-ins", "maxMachines": max_machines,
                **ONE_MINUTE_POLICY, **policy}  # fmt: skip
        created = admin.post("/policies", json=body)
        assert created.status_code == 201, created.text
        lic = admin.post("/licenses", json={"policyId": created.json()["data"]["id"]})
        assert lic.status_code == 201, lic.text
    return lic.json()["data"]["key"]


def machine(standin: Any, machine_id: str) -> dict[str, Any] | None:
    """The machine as the server sees it now (None: deleted or culled)."""
    headers = {"Authorization": f"Bearer {standin.fixtures['apiKey']}"}
    response = httpx.get(f"{standin.api_url}/machines/{machine_id}", headers=headers,
                         trust_env=False)  # fmt: skip
    if response.status_code == 404:
        return None
    response.raise_for_status()
    return response.json()["data"]


class Computer:
    """One computer: its own data folder and machine id, the program run as a process."""

    def __init__(self, tmp_path: Path, name: str, standin: Any, relay: Any = None) -> None:
        self.data_dir = tmp_path / name
        extra = {"relay_url": relay.url} if relay is not None else {}
        self.config = write_config(tmp_path, standin.url, **extra)
        self.env = dict(os.environ)
        self.env.update(
            ACTIVATION_WIZARD_DATA_DIR=str(self.data_dir),
            ACTIVATION_WIZARD_MACHINE_ID=f"machine-{name}-{os.getpid()}",
            PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
        )
        self.env.pop("ACTIVATION_WIZARD_KEY", None)

    def command(self, *args: str) -> list[str]:
        return [PYTHON, "-m", "app", "--config", str(self.config), *args, "--json"]

    def run(self, *args: str) -> tuple[int, dict[str, Any]]:
        done = subprocess.run(self.command(*args), capture_output=True, text=True,
                              env=self.env, timeout=60, check=False)  # fmt: skip
        lines = done.stdout.splitlines()
        assert len(lines) == 1, (done.stdout, done.stderr)
        return done.returncode, json.loads(lines[0])

    def activate(self, key: str) -> str:
        rc, payload = self.run("activate", "--key", key)
        assert rc == 0, payload
        return payload["machineId"]

    def helper(self, standin: Any, *extra: str) -> Helper:
        """``heartbeat`` on the stand-in's clock, looked at every 0.1 s."""
        args = ["heartbeat", "--clock-url", f"{standin.url}/_standin/clock",
                "--poll-seconds", "0.1", *extra]  # fmt: skip
        return Helper(subprocess.Popen(self.command(*args), env=self.env, text=True,
                      stdout=subprocess.PIPE))  # fmt: skip


class Helper:
    """A running helper process and the JSON lines it prints, one per event."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.process = process
        self.lines: queue.Queue[dict[str, Any]] = queue.Queue()
        self.seen: list[dict[str, Any]] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(json.loads(line))

    def next(self, event: str, timeout: float = 20.0) -> dict[str, Any]:
        """The next line of kind ``event`` (earlier lines of other kinds are kept in seen)."""
        while True:
            try:
                line = self.lines.get(timeout=timeout)
            except queue.Empty:
                raise AssertionError(f"no {event!r} line; saw {self.seen}") from None
            self.seen.append(line)
            if line["event"] == event:
                return line

    def wait(self, timeout: float = 20.0) -> int:
        return self.process.wait(timeout=timeout)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
