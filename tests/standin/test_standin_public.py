"""A stand-in reachable from other computers: refused without --public; with it, API keys made
at random for the database and no fixture keys printed (the seed is public in the code)."""

from __future__ import annotations

import subprocess
import sys

import httpx
import pytest

from app.standin.__main__ import main
from app.standin.seed import DEFAULT_SEED, api_key
from app.standin.server import StandinServer


@pytest.mark.parametrize("host", ["0.0.0.0", "192.0.2.7", "::", "example.com"])
def test_a_non_loopback_address_is_refused_without_public(host, capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["--host", host])
    assert stopped.value.code == 2
    assert "--public" in capsys.readouterr().err
    with pytest.raises(ValueError, match="refusing to listen"):
        StandinServer(host=host)


def test_public_api_keys_are_random_per_database_and_kept_in_it(tmp_path):
    derivable = api_key(DEFAULT_SEED, "apiKey")  # what anyone reading the code can compute
    first_db, other_db = str(tmp_path / "a.sqlite3"), str(tmp_path / "b.sqlite3")
    with StandinServer(first_db, public=True) as server:
        admin = server.fixtures["apiKey"]
        assert admin != derivable and admin.startswith("lk_test_")
        suspend = f"{server.api_url}/licenses/{server.fixture_details['valid']['licenseId']}"
        refused = httpx.post(suspend + "/suspend", headers={"Authorization": f"Bearer {derivable}"})
        assert (refused.status_code, refused.json()["code"]) == (401, "UNAUTHORIZED")
        allowed = httpx.get(suspend, headers={"Authorization": f"Bearer {admin}"})
        assert allowed.status_code == 200
    with StandinServer(first_db, public=True) as again:
        assert again.fixtures["apiKey"] == admin  # the same database keeps its key
    with StandinServer(other_db, public=True) as other:
        assert other.fixtures["apiKey"] not in (admin, derivable)
    with StandinServer(first_db) as loopback_again:  # back on loopback: the usual fixtures
        assert loopback_again.fixtures["apiKey"] == derivable
        listing = httpx.get(loopback_again.api_url + "/licenses",
                            headers={"Authorization": f"Bearer {derivable}"})  # fmt: skip
        assert listing.status_code == 200


def test_public_start_prints_only_the_admin_key(tmp_path):
    db = str(tmp_path / "public.sqlite3")
    command = [sys.executable, "-m", "app.standin", "--public", "--port", "0", "--db", db]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               text=True)  # fmt: skip
    try:
        banner = process.stdout.readline()
        key_line = process.stdout.readline()
    finally:
        process.terminate()
        rest, _ = process.communicate(timeout=10)
    assert banner.startswith("Licentric stand-in on http://127.0.0.1:")
    assert key_line.startswith("Admin API key for this database: lk_test_")
    with StandinServer(db, public=True) as server:
        assert server.fixtures["apiKey"] in key_line
        printed = banner + key_line + rest
        assert not any(server.fixtures[name] in printed for name in ("valid", "apiKeyRelay"))
        assert "DEMO-" not in printed and "signingKey" not in printed
