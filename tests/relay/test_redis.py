"""Beyond one process: two relay processes sharing one Redis (a real `redis-server` on a
loopback port) share one upstream budget, one set of limits and one license cache."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator

import httpx
import pytest

from app.relay import RelayServer, RelayStartupError
from app.relay.scopes import probes
from tests.relay.conftest import as_license, clear_requests, client_from, upstream_requests
from tests.support.system import require_binary


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory) -> Iterator[str]:
    """A private redis-server on a loopback port, without persistence."""
    process, url = _start_redis(tmp_path_factory.mktemp("redis"))
    yield url
    process.terminate()
    process.wait(timeout=10)


def _start_redis(workdir) -> tuple[subprocess.Popen[bytes], str]:
    binary = require_binary("redis-server", "redis-server")
    port = _free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(workdir)],  # fmt: skip
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                if sock.recv(16).startswith(b"+PONG"):
                    break
        except OSError:
            time.sleep(0.05)
    else:
        process.kill()
        pytest.fail("redis-server did not start")
    return process, f"redis://127.0.0.1:{port}/0"


@pytest.fixture
def fresh_redis(redis_url) -> str:
    """The module's Redis, emptied (each test starts with no shared windows or cache)."""
    host, port = redis_url.removeprefix("redis://").split("/")[0].split(":")
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        sock.sendall(b"FLUSHALL\r\n")
        assert sock.recv(16).startswith(b"+OK")
    return redis_url


@pytest.fixture
def relay_processes(standin, fresh_redis) -> Iterator[Callable[..., list[str]]]:
    """Starts `python -m app.relay` processes on one Redis; returns their URLs."""
    processes: list[subprocess.Popen[str]] = []

    def start(count: int, *extra: str) -> list[str]:
        env = {**os.environ, "RELAY_API_KEY": standin.fixtures["apiKeyRelay"]}
        urls = []
        for _ in range(count):
            process = subprocess.Popen(
                [sys.executable, "-m", "app.relay", "--upstream", standin.url, "--port", "0",
                 "--redis-url", fresh_redis, *extra],  # fmt: skip
                env=env, stderr=subprocess.PIPE, text=True,
            )  # fmt: skip
            processes.append(process)
            line = process.stderr.readline()
            assert line.startswith("relay: serving http://127.0.0.1:"), line
            urls.append(line.split()[2])
        for url in urls:  # serving once the port answers
            _wait_healthy(url)
        clear_requests(standin)
        return urls

    yield start
    for process in processes:
        process.terminate()
        process.communicate(timeout=30)


def _wait_healthy(url: str) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.05)
    pytest.fail(f"relay at {url} never became healthy")


def _made_up() -> dict[str, str]:
    return as_license("DEMO-" + uuid.uuid4().hex[:19].upper())


def test_two_relay_processes_share_one_upstream_budget(standin, relay_processes):
    # Both processes' start-up scope checks are paid from the one budget, then 4 lookups fit.
    first, second = relay_processes(2, "--bearer-budget", str(2 * len(probes()) + 4))
    statuses = []
    for n in range(10):  # distinct addresses: no per-address limit in the way
        url = (first, second)[n % 2]
        with client_from(f"127.0.1.{n + 1}") as client:
            statuses.append(client.get(url + "/v1/license", headers=_made_up()).status_code)
    assert statuses == [401] * 4 + [429] * 6
    assert len(upstream_requests(standin, "/by-key/")) == 4  # not 4 per process


def test_two_relay_processes_share_one_set_of_limits(standin, relay_processes):
    first, second = relay_processes(2)
    statuses = []
    with client_from("127.0.2.1") as attacker:
        for n in range(16):  # one address, alternating processes; an unknown key weighs 10
            url = (first, second)[n % 2]
            statuses.append(attacker.get(url + "/v1/license", headers=_made_up()).status_code)
    # 60 per minute per address in all, not per process: six failures, then refused.
    assert statuses == [401] * 6 + [429] * 10


def test_two_relay_processes_share_the_license_cache(standin, relay_processes):
    first, second = relay_processes(2)
    key = as_license(standin.fixtures["valid"])
    assert httpx.get(first + "/v1/license", headers=key).status_code == 200
    for _ in range(3):
        assert httpx.get(second + "/v1/license", headers=key).status_code == 200
    assert len(upstream_requests(standin, "/by-key/")) == 1


def test_an_unreachable_redis_refuses_to_start_without_leaking_its_password(standin):
    url = f"redis://:s3cret-pass@127.0.0.1:{_free_port()}/0"
    server = RelayServer(standin.url, standin.fixtures["apiKeyRelay"], redis_url=url)
    with pytest.raises(RelayStartupError) as caught:
        server.start()
    assert "Redis" in str(caught.value) and "s3cret" not in str(caught.value)


def test_redis_going_away_answers_503_without_a_traceback(standin, tmp_path, caplog):
    process, url = _start_redis(tmp_path)
    relay = RelayServer(standin.url, standin.fixtures["apiKeyRelay"], redis_url=url)
    try:
        relay.start()
        key = as_license(standin.fixtures["valid"])
        assert httpx.get(relay.url + "/v1/license", headers=key).status_code == 200
        process.terminate()
        process.wait(timeout=10)
        with caplog.at_level(logging.WARNING, logger="app.relay"):
            response = httpx.get(relay.url + "/v1/license", headers=key, timeout=30)
    finally:
        relay.stop()
        process.kill()
    assert response.status_code == 503 and response.json()["code"] == "SERVICE_UNAVAILABLE"
    assert "shared state unavailable" in caplog.text
    assert not any(r.exc_info for r in caplog.records)
