"""Benchmark (issue 3): HTTP requests per flow, and activation time against raw httpx.

    python tests/benchmarks/bench_activation.py [--runs 50] [--check]

Against an embedded stand-in (fixture key ``valid``), reset before every run; every run gets
a fresh data dir and a fresh in-memory keyring.

1. Requests: the product talks through a loopback proxy (tests/benchmarks/_common.py) that
   counts TCP connections and HTTP requests itself, independent of our client. Targets: a
   first activation makes at most 3 requests on 1 connection; a reopen ``status`` check 1.
2. Time: (a) ``ActivationService.activate`` end to end (fingerprint, lock, 3 requests, keyring,
   atomic record); (b) ``LicentricClient`` doing validate, activate, validate against a raw
   ``httpx.Client`` sending the same requests (same bodies and headers, one fresh client each,
   so one new connection reused three times; JSON decoded; closed). Construction is outside the
   timed region; the two alternate. Target: ours within 1.3x of raw httpx (medians).
Not collected by pytest (not named test_*.py).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.api import LicentricClient  # noqa: E402
from app.api.http import user_agent  # noqa: E402
from app.config import VendorConfig, load_config  # noqa: E402
from app.domain.models import DeviceIdentity  # noqa: E402
from app.platform.fingerprint import device_identity  # noqa: E402
from app.services.factory import build_services  # noqa: E402
from app.standin import StandinServer  # noqa: E402
from tests.benchmarks._common import (  # noqa: E402
    CountingProxy,
    command_line,
    fresh_keyring,
    loadavg,
    markdown_table,
    median,
    pct,
)

APP_ID = "com.example.bench"
DEVICE = "Bench computer"
TARGET_RATIO = 1.3
TARGET_ACTIVATION_REQUESTS, TARGET_STATUS_REQUESTS = 3, 1


def make_config(api_url: str) -> VendorConfig:
    return load_config(overrides={"api_url": api_url, "app_id": APP_ID}, environ={})


# --- 1. request counts ------------------------------------------------------------------


def count_requests(server: StandinServer, key: str) -> list[dict[str, Any]]:
    """Activation, then a reopened process's status check, both through the counting proxy."""
    server.reset()
    rows = []
    with (
        CountingProxy(server.host, server.port) as proxy,
        tempfile.TemporaryDirectory() as data,
        fresh_keyring(),
    ):
        config = make_config(proxy.url)
        with build_services(config, data_dir=Path(data)) as services:
            services.activation.activate(key, DEVICE)
        rows.append(_counted("first activation", proxy, TARGET_ACTIVATION_REQUESTS))
        proxy.reset_counts()
        with build_services(config, data_dir=Path(data)) as services:  # as a reopened app
            report = services.status.check()
            assert report.licensed and report.online, report.problem
        rows.append(_counted("reopen status check", proxy, TARGET_STATUS_REQUESTS))
    return rows


def _counted(flow: str, proxy: CountingProxy, target: int) -> dict[str, Any]:
    requests, connections, seen = proxy.counts()
    met = requests <= target and connections <= 1
    return {"flow": flow, "requests": requests, "connections": connections, "seen": seen,
            "target": f"<= {target} on 1", "met": met}  # fmt: skip


# --- 2. timings ---------------------------------------------------------------------------


def time_service(server: StandinServer, key: str) -> float:
    """Seconds for one full ``ActivationService.activate`` (fresh state, dir and keyring)."""
    server.reset()
    with (
        tempfile.TemporaryDirectory() as data,
        fresh_keyring(),
        build_services(make_config(server.url), data_dir=Path(data)) as services,
    ):
        started = time.perf_counter()
        outcome = services.activation.activate(key, DEVICE)
        elapsed = time.perf_counter() - started
    assert outcome.validation.valid and not outcome.already_active
    return elapsed


def ours(base_url: str, key: str, identity: DeviceIdentity) -> Callable[[], None]:
    client = LicentricClient(base_url, timeout=10)

    def calls() -> None:
        first = client.validate_key(key, identity.fingerprint)
        assert first.code == "FINGERPRINT_NOT_FOUND", first.code
        client.activate(key, identity)
        assert client.validate_key(key, identity.fingerprint).valid
        client.close()

    return calls


def raw(base_url: str, key: str, identity: DeviceIdentity) -> Callable[[], None]:
    client = httpx.Client(
        base_url=base_url + "/api/v1",
        timeout=10,
        headers={"User-Agent": user_agent(), "Accept": "application/json"},
    )
    validate = {"key": key, "fingerprint": identity.fingerprint}
    machine = {"fingerprint": identity.fingerprint, "name": identity.name,
               "platform": str(getattr(identity.platform, "value", identity.platform)),
               "hostname": identity.hostname}  # fmt: skip
    auth = {"Authorization": f"License {key}"}

    def calls() -> None:
        first = client.post("/licenses/validate-key", json=validate)
        assert first.status_code == 200 and first.json()["data"]["code"] == "FINGERPRINT_NOT_FOUND"
        created = client.post("/machines", json=machine, headers=auth)
        assert created.status_code == 201, created.status_code
        created.json()
        final = client.post("/licenses/validate-key", json=validate)
        assert final.status_code == 200 and final.json()["data"]["valid"]
        client.close()

    return calls


def time_calls(server: StandinServer, make: Callable[..., Callable[[], None]], key: str,
               identity: DeviceIdentity) -> float:  # fmt: skip
    server.reset()
    calls = make(server.url, key, identity)  # construction is not timed
    started = time.perf_counter()
    calls()
    return time.perf_counter() - started


def run_timings(server: StandinServer, key: str, runs: int) -> dict[str, list[float]]:
    identity = device_identity(APP_ID, DEVICE)
    times: dict[str, list[float]] = {"service": [], "ours": [], "raw": []}
    for _ in range(3):  # warm-up: imports, first connections, SQLite pages
        time_service(server, key)
        time_calls(server, ours, key, identity)
        time_calls(server, raw, key, identity)
    for i in range(runs):
        order = [("ours", ours), ("raw", raw)]
        for name, make in order if i % 2 == 0 else order[::-1]:  # alternate: no order bias
            times[name].append(time_calls(server, make, key, identity))
        times["service"].append(time_service(server, key))
    return times


# --- report -------------------------------------------------------------------------------


def report(counts: list[dict[str, Any]], times: dict[str, list[float]], runs: int) -> str:
    count_table = markdown_table(
        ["flow", "HTTP requests", "TCP connections", "target", "met", "requests seen"],
        [(c["flow"], c["requests"], c["connections"], c["target"], "yes" if c["met"] else "NO",
          ", ".join(c["seen"])) for c in counts],
    )  # fmt: skip
    ms = {name: (median(v) * 1e3, pct(v, 0.9) * 1e3) for name, v in times.items()}
    ratio_median = ms["ours"][0] / ms["raw"][0]
    ratio_p90 = ms["ours"][1] / ms["raw"][1]
    time_table = markdown_table(
        ["measurement", "median ms", "p90 ms"],
        [("`ActivationService.activate` (full flow, storage included)", *_fmt(ms["service"])),
         ("`LicentricClient`: validate, activate, validate", *_fmt(ms["ours"])),
         ("raw `httpx.Client`: the same 3 requests", *_fmt(ms["raw"])),
         (f"ratio ours / raw (target <= {TARGET_RATIO})", f"{ratio_median:.2f}x",
          f"{ratio_p90:.2f}x")],
    )  # fmt: skip
    met = ratio_median <= TARGET_RATIO
    return "\n".join([
        f"`{command_line()}`  (runs={runs}, stand-in in-process, load average {loadavg()})",
        "", count_table, "", time_table, "",
        f"client overhead target {'met' if met else 'MISSED'}: {ratio_median:.2f}x raw httpx",
    ])  # fmt: skip


def _fmt(pair: tuple[float, float]) -> tuple[str, str]:
    return f"{pair[0]:.2f}", f"{pair[1]:.2f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp, StandinServer(str(Path(tmp) / "s.db")) as server:
        key = server.fixtures["valid"]
        counts = count_requests(server, key)
        times = run_timings(server, key, args.runs)
    print(report(counts, times, args.runs))
    missed = not all(c["met"] for c in counts) or median(times["ours"]) > TARGET_RATIO * median(
        times["raw"]
    )
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
