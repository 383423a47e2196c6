"""StandinServer as an embedded server and `python -m app.standin` as a program."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from app.standin import StandinServer

from .conftest import FP, lic_auth

ROOT = Path(__file__).resolve().parents[2]


def test_start_stop_frees_port_and_context_manager(tmp_path):
    with StandinServer(db_path=str(tmp_path / "a.sqlite3")) as server:
        port = server.port
        assert server.url == f"http://127.0.0.1:{port}"
        assert httpx.get(server.url + "/_standin/health").json() == {"ok": True}
    with socket.socket() as s:
        s.bind(("127.0.0.1", port))  # free again


def test_same_db_same_keys_and_activations_survive_restart(tmp_path):
    db = str(tmp_path / "demo.sqlite3")
    with StandinServer(db_path=db) as first:
        fixtures = first.fixtures
        r = httpx.post(first.api_url + "/machines", json={"fingerprint": FP},
                       headers=lic_auth(fixtures["valid"]))
        assert r.status_code == 201
    with StandinServer(db_path=db, key_seed="ignored-for-an-existing-db") as second:
        assert second.fixtures == fixtures
        d = httpx.post(second.api_url + "/licenses/validate-key",
                       json={"key": fixtures["valid"], "fingerprint": FP}).json()["data"]
        assert d["code"] == "VALID"


def test_key_format_and_other_seed_differs():
    a, b = StandinServer(), StandinServer(key_seed="another")
    try:
        for name in ("valid", "seat-limit", "offline"):
            parts = a.fixtures[name].split("-")
            assert parts[0] == "DEMO" and len(parts) == 5
            assert all(len(p) == 4 and p.isalnum() and p.isupper() for p in parts[1:])
        assert a.fixtures["valid"] != b.fixtures["valid"]
        assert a.fixtures["apiKey"].startswith("lk_test_")
        assert len(bytes.fromhex(a.fixtures["signingKey"])) == 32
    finally:
        a.close()
        b.close()


def test_print_fixtures_cli(tmp_path):
    out = subprocess.run([sys.executable, "-m", "app.standin", "--print-fixtures", "--db",
                          str(tmp_path / "x.sqlite3")], cwd=ROOT, capture_output=True,
                         text=True, timeout=60, check=True)
    fixtures = json.loads(out.stdout)
    for name in ("valid", "expired", "expired-allow-access", "suspended", "revoked", "banned",
                 "seat-limit", "heartbeat", "entitlements", "uses-exceeded", "offline",
                 "valid-2", "apiKey", "apiKeyReadOnly", "apiKeyRelay", "apiKeyRelayNoWrite",
                 "signingKey", "publicKey"):
        assert fixtures[name], name


def test_cli_serves(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "app.standin", "--port", str(port)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/_standin/health", timeout=1)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline and proc.poll() is None
                time.sleep(0.1)
        assert r.json() == {"ok": True}
        r = httpx.post(f"http://127.0.0.1:{port}/api/v1/licenses/validate-key",
                       json={"key": "x"})
        assert r.headers["x-ratelimit-limit"] == "60"  # documented limits by default
    finally:
        proc.terminate()
        proc.wait(10)
