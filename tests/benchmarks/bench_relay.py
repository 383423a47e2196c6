"""Benchmark: the relay under 500 simulated customers for 60 s, in front of the stand-in.

Run: .venv/bin/python tests/benchmarks/bench_relay.py [--customers 500] [--seconds 60]
Not collected by pytest (not named test_*.py). Loopback only: the stand-in and the relay run as
their own processes on 127.0.0.1, each customer connects from its own 127.x.y.z address (as
customers on the internet come from their own), and everything stops after the run.

Each customer has its own license with two activated computers and, until the end, opens the
status page (`GET /v1/license`, half the actions), the devices dialog (`GET /v1/devices`, 40 %)
or frees a seat (`DELETE /v1/devices/{id}` then lists again, 10 %), with an exponential think
time between actions (mean `--think` seconds). A 429 is waited out as the desktop app does
(its `Retry-After`, within the run). The stand-in applies Licentric's documented rate limits
(120/min per API key), so an upstream 429 would show a relay over its budget.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks._common import (  # noqa: E402
    ROOT,
    command_line,
    loadavg,
    markdown_table,
    pct,
)

DOCUMENTED = {"VALIDATION": 60, "ACTIVATION": 10, "MANAGEMENT": 120}
HARD_STOP_EXTRA = 30.0  # seconds past --seconds after which everything is cancelled


@dataclass
class Outcome:
    """What the customers saw, request by request."""

    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    routes: Counter[str] = field(default_factory=Counter)
    refusals: Counter[str] = field(default_factory=Counter)  # 429 by who refused
    served: set[int] = field(default_factory=set)  # customers with at least one 2xx
    errors: Counter[str] = field(default_factory=Counter)  # transport failures

    def record(self, n: int, route: str, started: float, response: httpx.Response) -> None:
        self.latencies.append(time.perf_counter() - started)
        if response.status_code < 300:
            self.served.add(n)
        self.statuses[response.status_code] += 1
        self.routes[route] += 1
        if response.status_code == 429:
            text = response.json().get("error", "")
            who = "relay budget" if "relay is busy" in text else (
                "upstream" if "license server" in text else "customer limit")  # fmt: skip
            self.refusals[who] += 1


def start_standin(db: str, port: int) -> tuple[subprocess.Popen[str], dict[str, str]]:
    args = [sys.executable, "-m", "app.standin", "--db", db, "--port", str(port),
            "--relaxed-limits"]  # fmt: skip
    process = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    banner = process.stdout.readline()
    assert "stand-in on" in banner, banner
    text = ""
    while not text.rstrip().endswith("}"):
        text += process.stdout.readline()
    return process, json.loads(text)


def start_relay(upstream: str, api_key: str, port: int) -> subprocess.Popen[str]:
    env = {**os.environ, "RELAY_API_KEY": api_key}
    args = [sys.executable, "-m", "app.relay", "--upstream", upstream, "--port", str(port)]
    process = subprocess.Popen(args, cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)
    assert process.stderr is not None
    line = process.stderr.readline()
    assert line.startswith("relay: serving"), line
    return process


def make_customers(upstream: str, fixtures: dict[str, str], count: int) -> list[str]:
    """`count` licenses with two activated computers each (stand-in limits still relaxed)."""
    admin = {"Authorization": f"Bearer {fixtures['apiKey']}"}
    with httpx.Client(base_url=upstream + "/api/v1", timeout=30) as http:
        template = http.get(f"/licenses/by-key/{fixtures['valid']}", headers=admin).json()["data"]
        keys = []
        for n in range(count):
            key = f"BNCH-{n:04d}-{random.randrange(16**4):04X}-{random.randrange(16**4):04X}"
            body = {"policyId": template["policyId"], "key": key, "userName": f"Customer {n}",
                    "userEmail": f"customer{n}@example.com"}  # fmt: skip
            http.post("/licenses", json=body, headers=admin).raise_for_status()
            for seat in range(2):
                machine = {"fingerprint": f"{n:04d}{seat:02d}".ljust(64, "f"), "name": f"PC {seat}",
                           "platform": "linux"}  # fmt: skip
                http.post("/machines", json=machine,
                          headers={"Authorization": f"License {key}"}).raise_for_status()  # fmt: skip
            keys.append(key)
    return keys


async def customer(n: int, key: str, relay: str, end: float, think: float, out: Outcome) -> None:
    address = f"127.1.{n // 250}.{n % 250 + 1}"
    # verify=False: plain http on loopback; a verifying transport would load the CA bundle per
    # customer (~30 ms of CPU each) and stall the load generator, not the relay.
    transport = httpx.AsyncHTTPTransport(local_address=address, verify=False)
    headers = {"Authorization": f"License {key}"}
    devices: list[str] = []
    rng = random.Random(n)
    async with httpx.AsyncClient(base_url=relay, transport=transport, headers=headers,
                                 timeout=30) as http:  # fmt: skip
        await asyncio.sleep(rng.uniform(0, think))
        while time.monotonic() < end:
            roll = rng.random()
            if roll < 0.5:
                route, method, path = "license", "GET", "/v1/license"
            elif roll < 0.9 or not devices:
                route, method, path = "devices", "GET", "/v1/devices"
            else:
                route, method, path = "deactivate", "DELETE", f"/v1/devices/{devices.pop(0)}"
            started = time.perf_counter()
            try:
                response = await http.request(method, path)
            except httpx.HTTPError as err:
                out.errors[type(err).__name__] += 1
                await asyncio.sleep(1)
                continue
            out.record(n, route, started, response)
            if route == "devices" and response.status_code == 200:
                devices = [d["id"] for d in response.json()["data"]["devices"]]
            wait = rng.expovariate(1 / think)
            if response.status_code == 429:
                wait = float(response.headers.get("Retry-After", "1"))
            await asyncio.sleep(min(wait, max(0.0, end - time.monotonic())))


def upstream_per_minute(requests: list[dict], started: float, finished: float) -> tuple[int, int]:
    """(most calls in any 60 s window, total) among the relay's upstream calls in the run."""
    times = sorted(r["at"] for r in requests if started <= r["at"] <= finished)
    most, low = 0, 0
    for high, at in enumerate(times):
        while times[low] < at - 60:
            low += 1
        most = max(most, high - low + 1)
    return most, len(times)


async def drive(keys: list[str], relay: str, seconds: float, think: float) -> Outcome:
    out = Outcome()
    end = time.monotonic() + seconds
    tasks = [asyncio.create_task(customer(n, k, relay, end, think, out)) for n, k in enumerate(keys)]
    try:
        await asyncio.wait_for(asyncio.gather(*tasks), timeout=seconds + HARD_STOP_EXTRA)
    except TimeoutError:
        out.errors["hard stop"] += 1
    return out


def report(out: Outcome, seconds: float, upstream: tuple[int, int], args: argparse.Namespace) -> str:
    total = sum(out.statuses.values())
    served = sum(v for s, v in out.statuses.items() if s < 400)
    server_errors = sum(v for s, v in out.statuses.items() if s >= 500)
    ms = [v * 1000 for v in out.latencies] or [0.0]
    rows = [
        ["customers / seconds", f"{args.customers} / {seconds:.0f}"],
        ["requests (license / devices / deactivate)",
         f"{total} ({out.routes['license']} / {out.routes['devices']} / {out.routes['deactivate']})"],
        ["requests per second", f"{total / seconds:.0f}"],
        ["latency p50 / p99", f"{pct(ms, 0.50):.1f} ms / {pct(ms, 0.99):.1f} ms"],
        ["answered 2xx", f"{served} ({100 * served / max(total, 1):.0f} %)"],
        ["429 (relay budget / customer limit / upstream)",
         f"{out.refusals['relay budget']} / {out.refusals['customer limit']} / "
         f"{out.refusals['upstream']}"],
        ["customers served at least once", str(len(out.served))],
        ["5xx", str(server_errors)],
        ["transport errors", str(sum(out.errors.values()))],
        ["upstream calls: most in any 60 s (budget) / total",
         f"{upstream[0]} ({args.bearer_budget}) / {upstream[1]}"],
    ]  # fmt: skip
    return markdown_table(["measure", "value"], rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=500)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--think", type=float, default=5.0, help="mean seconds between actions")
    parser.add_argument("--check", action="store_true", help="exit 1 on any 5xx or over budget")
    args = parser.parse_args()
    args.bearer_budget = DOCUMENTED["MANAGEMENT"]  # the relay's default budget
    processes: list[subprocess.Popen[str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        try:
            standin_port = free_port()
            standin, fixtures = start_standin(str(Path(tmp) / "bench.sqlite3"), standin_port)
            processes.append(standin)
            upstream = f"http://127.0.0.1:{standin_port}"
            keys = make_customers(upstream, fixtures, args.customers)
            httpx.post(upstream + "/_standin/config", json={"rateLimits": DOCUMENTED}).raise_for_status()
            relay_port = free_port()
            processes.append(start_relay(upstream, fixtures["apiKeyRelay"], relay_port))
            httpx.delete(upstream + "/_standin/requests").raise_for_status()
            started = time.time()
            out = asyncio.run(drive(keys, f"http://127.0.0.1:{relay_port}", args.seconds, args.think))
            finished = time.time()
            log = httpx.get(upstream + "/_standin/requests", timeout=30).json()["data"]
        finally:
            for process in reversed(processes):
                process.terminate()
                process.wait(timeout=30)
    upstream_calls = upstream_per_minute(log, started, finished)
    print(report(out, finished - started, upstream_calls, args))
    print(f"\nload average {loadavg()}; command: {command_line()}")
    over = upstream_calls[0] > args.bearer_budget
    failed = any(s >= 500 for s in out.statuses) or out.refusals["upstream"] or over
    return 1 if args.check and failed else 0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


if __name__ == "__main__":
    sys.exit(main())
