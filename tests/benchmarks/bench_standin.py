"""Benchmark: validate-key throughput and latency over loopback against the stand-in.

Run: /work/venv/bin/python tests/benchmarks/bench_standin.py [--requests N] [--db FILE]
Not collected by pytest (not named test_*.py).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.standin import StandinServer  # noqa: E402


def run(client: httpx.Client, body: dict, n: int) -> list[float]:
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        r = client.post("/licenses/validate-key", json=body)
        times.append(time.perf_counter() - t0)
        assert r.status_code == 200, r.text
    return times


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))]


@contextlib.contextmanager
def in_process(db: str) -> Iterator[tuple[str, dict]]:
    with StandinServer(db_path=db) as server:
        yield server.api_url, server.fixtures


@contextlib.contextmanager
def subprocess_server(db: str) -> Iterator[tuple[str, dict]]:
    """`python -m app.standin` in its own process: no GIL shared with the client."""
    root = Path(__file__).resolve().parents[2]
    fixtures = json.loads(subprocess.run(
        [sys.executable, "-m", "app.standin", "--print-fixtures", "--db", db], cwd=root,
        capture_output=True, text=True, check=True).stdout)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "app.standin", "--db", db, "--port",
                             str(port), "--relaxed-limits"], cwd=root,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            with contextlib.suppress(httpx.TransportError):
                httpx.get(url + "/_standin/health", timeout=1)
                break
            time.sleep(0.05)
        yield url + "/api/v1", fixtures
    finally:
        proc.terminate()
        proc.wait(10)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--db", default=None, help="SQLite file (default: a temp file)")
    parser.add_argument("--subprocess", action="store_true",
                        help="run the server as `python -m app.standin` in another process")
    args = parser.parse_args()
    start = subprocess_server if args.subprocess else in_process
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or str(Path(tmp) / "bench.sqlite3")
        with start(db) as (api_url, fx):
            key, fp = fx["valid"], "bench-fingerprint-0001"
            with httpx.Client(base_url=api_url) as client:
                client.post("/machines", json={"fingerprint": fp},
                            headers={"Authorization": f"License {key}"})
                rows = []
                for label, body in [("key only", {"key": key}),
                                    ("key + fingerprint", {"key": key, "fingerprint": fp}),
                                    ("unknown key", {"key": "DEMO-NOPE-NOPE-NOPE-NOPE"})]:
                    run(client, body, 100)  # warm-up
                    t0 = time.perf_counter()
                    times = run(client, body, args.requests)
                    wall = time.perf_counter() - t0
                    rows.append((label, args.requests / wall, statistics.median(times) * 1e3,
                                 pct(times, 0.99) * 1e3))
    where = "server in a subprocess" if args.subprocess else "server in-process"
    print(f"validate-key over loopback, persistent connection, {where}, "
          f"{args.requests} requests each")
    print(f"{'case':<20}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}")
    for label, rps, p50, p99 in rows:
        print(f"{label:<20}{rps:>10.0f}{p50:>10.2f}{p99:>10.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
