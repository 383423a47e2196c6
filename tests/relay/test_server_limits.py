"""Server limits over real sockets: a request must arrive within the receipt deadline, idle and
trickling connections are cut off, disconnects are not errors, concurrency is capped."""

from __future__ import annotations

import logging
import socket
import time

import httpx
import pytest

from app.relay import RelayLimits
from tests.relay.conftest import as_license

DEADLINE = 1.5


@pytest.fixture
def strict_relay(make_relay):
    return make_relay(RelayLimits(receive_timeout=DEADLINE))


def _connect(url: str) -> socket.socket:
    host, port = url.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=10)
    return sock


def _closed_within(sock: socket.socket, seconds: float) -> tuple[bool, bytes]:
    """Reads until the server closes (True) or `seconds` pass (False); returns what it sent."""
    sock.settimeout(0.2)
    received = b""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            chunk = sock.recv(4096)
        except TimeoutError:
            continue
        except ConnectionResetError:
            return True, received
        if not chunk:
            return True, received
        received += chunk
    return False, received


def test_a_client_sending_one_header_byte_per_second_is_cut_off_at_the_deadline(strict_relay):
    request = b"GET /v1/license HTTP/1.1\r\nHost: relay\r\nAuthorization: License DEMO-AAAA\r\n\r\n"
    sock = _connect(strict_relay.url)
    started = time.monotonic()
    cut_off_after = None
    with sock:
        for byte in request:
            try:
                sock.sendall(bytes([byte]))
            except (BrokenPipeError, ConnectionResetError):
                cut_off_after = time.monotonic() - started
                break
            closed, answer = _closed_within(sock, 1.0)
            if closed:
                cut_off_after = time.monotonic() - started
                assert answer.startswith(b"HTTP/1.1 408") or answer == b""
                break
    assert cut_off_after is not None, "the trickling client was never cut off"
    # asyncio runs a timer up to one clock resolution early, and the client's clock starts
    # before the relay accepts: a few milliseconds either way are measurement, not a bug.
    assert DEADLINE - 0.05 <= cut_off_after <= DEADLINE + 1.5


def test_300_connections_that_send_part_of_their_headers_or_nothing_are_all_closed(strict_relay):
    socks = [_connect(strict_relay.url) for _ in range(250)]
    for sock in socks:
        sock.sendall(b"GET /v1/devices HTTP/1.1\r\nHost: rel")
    silent = [_connect(strict_relay.url) for _ in range(50)]  # connect and say nothing
    time.sleep(DEADLINE + 0.5)
    try:
        assert all(_closed_within(s, 1.0)[0] for s in socks + silent)
    finally:
        for sock in socks + silent:
            sock.close()
    # The relay still serves normally afterwards.
    assert httpx.get(strict_relay.url + "/healthz").status_code == 200


def test_a_kept_alive_connection_is_served_again_then_trickling_is_cut_off(standin, strict_relay):
    with httpx.Client() as client:
        first = client.get(strict_relay.url + "/healthz")
        time.sleep(DEADLINE + 0.3)  # idle between requests is the keep-alive timeout's business
        second = client.get(strict_relay.url + "/healthz")
    assert (first.status_code, second.status_code) == (200, 200)


@pytest.mark.parametrize(
    "target",
    ["POST /v1/offline-activation", "DELETE /v1/devices/00000000-0000-4000-8000-000000000000"],
)
def test_a_client_disconnecting_mid_body_is_logged_at_debug_without_a_traceback(
    standin, strict_relay, caplog, target
):
    key = standin.fixtures["valid"]
    head = (f"{target} HTTP/1.1\r\nHost: r\r\nAuthorization: License {key}\r\n"
            "Content-Type: application/json\r\nContent-Length: 10000\r\n\r\n")  # fmt: skip
    with caplog.at_level(logging.DEBUG):
        for _ in range(5):
            with _connect(strict_relay.url) as sock:
                sock.sendall(head.encode() + b'{"request": "' + b"x" * 100)
                time.sleep(0.05)  # the relay is reading the body when the client goes
        time.sleep(0.3)
        assert httpx.get(strict_relay.url + "/healthz").status_code == 200
    problems = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert problems == [], [r.getMessage() for r in problems]
    assert "Traceback" not in caplog.text and not any(r.exc_info for r in caplog.records)
    if target.startswith("POST"):
        assert "disconnected during POST offline-activation" in caplog.text


def test_concurrency_past_the_limit_is_refused_with_503_not_queued(standin, make_relay):
    relay = make_relay(RelayLimits(limit_concurrency=3))
    held = [_connect(relay.url) for _ in range(3)]  # three open connections fill the limit
    try:
        response = httpx.get(relay.url + "/v1/license", headers=as_license(standin.fixtures["valid"]))
    finally:
        for sock in held:
            sock.close()
    assert response.status_code == 503
