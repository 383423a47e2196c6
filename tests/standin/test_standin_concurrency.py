"""Concurrent activations never overshoot the cap and never see half-written rows."""

from __future__ import annotations

import threading
from collections import Counter

import httpx

from .conftest import lic_auth


def test_twenty_activations_one_free_seat(standin, fixtures):
    key = fixtures["one-seat"]
    barrier = threading.Barrier(20)
    results: list[tuple[int, str | None]] = []
    lock = threading.Lock()

    def worker(i: int) -> None:
        with httpx.Client(base_url=standin.api_url, timeout=20) as client:
            barrier.wait()
            r = client.post("/machines", json={"fingerprint": f"concurrent-fp-{i:04d}"},
                            headers=lic_auth(key))
            with lock:
                results.append((r.status_code, r.json().get("code")))

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    counts = Counter(results)
    assert counts == {(201, None): 1, (422, "MACHINE_LIMIT_EXCEEDED"): 19}
    lic = httpx.get(f"{standin.api_url}/licenses/by-key/{key}",
                    headers={"Authorization": f"Bearer {fixtures['apiKey']}"}).json()["data"]
    assert len(lic["machines"]) == 1


def test_concurrent_validations_count_every_use(standin, fixtures):
    key = fixtures["valid"]
    start = httpx.post(f"{standin.api_url}/licenses/validate-key",
                       json={"key": key}).json()["data"]["license"]["usesCount"]

    def worker() -> None:
        with httpx.Client(base_url=standin.api_url) as client:
            for _ in range(10):
                assert client.post("/licenses/validate-key", json={"key": key}).status_code == 200

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    end = httpx.post(f"{standin.api_url}/licenses/validate-key",
                     json={"key": key}).json()["data"]["license"]["usesCount"]
    assert end == start + 81
