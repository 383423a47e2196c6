"""Benchmark: validate-key throughput and latency over loopback against the stand-in.

Run: /work/venv/bin/python tests/benchmarks/bench_standin.py [--requests N] [--db FILE]
Not collected by pytest (not named test_*.py).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
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


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--db", default=None, help="SQLite file (default: a temp file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or str(Path(tmp) / "bench.sqlite3")
        with StandinServer(db_path=db) as server:
            fx = server.fixtures
            key, fp = fx["valid"], "bench-fingerprint-0001"
            with httpx.Client(base_url=server.api_url) as client:
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
    print(f"validate-key over loopback, persistent connection, {args.requests} requests each")
    print(f"{'case':<20}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}")
    for label, rps, p50, p99 in rows:
        print(f"{label:<20}{rps:>10.0f}{p50:>10.2f}{p99:>10.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
